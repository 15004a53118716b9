"""Which names a run of kernel statements assigns, and whether any is read before it is
assigned: the questions the compiled tier's analyses share; and the pieces its rewriting
passes share (walking and copying statements, fresh names, looking names up)."""

from __future__ import annotations

import ast
import copy
import dataclasses
import itertools

from cudalike.simt.compiled.numbers import NotCompilable


def is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def assigned_before_read(statements: list, assigned: set, names: set) -> set | None:
    """Refuse a read of one of `names` that some path reaches before assigning it; return the
    names assigned after `statements` (None: they never fall through).

    The vector engine's first assignment to a name fills every lane, active or not, with what
    the expression computed there; compiled code has no such values, so such a kernel (whose
    threads read a variable they never set) is left to the vector engine."""
    assigned = set(assigned)

    def read(*nodes) -> None:
        for node in nodes:
            for name in ast.walk(node):
                if isinstance(name, ast.Name) and name.id in names and name.id not in assigned:
                    raise NotCompilable(f"'{name.id}' may be read before it is assigned")

    for statement in statements:
        if isinstance(statement, ast.If):
            read(statement.test)
            body = assigned_before_read(statement.body, assigned, names)
            orelse = assigned_before_read(statement.orelse, assigned, names)
            if body is None and orelse is None:
                return None
            assigned = orelse if body is None else body if orelse is None else body & orelse
        elif isinstance(statement, (ast.For, ast.While)):
            read(statement.iter if isinstance(statement, ast.For) else statement.test)
            inside = assigned | ({statement.target.id} if isinstance(statement, ast.For) else set())
            assigned_before_read(statement.body, inside, names)
        elif isinstance(statement, ast.Assign):
            read(statement.value)
            assigned |= {t.id for t in targets([statement]) if isinstance(t, ast.Name)}
            read(*statement.targets)
        elif isinstance(statement, ast.AugAssign):
            read(statement.target, statement.value)
        elif isinstance(statement, (ast.Return, ast.Break, ast.Continue)):
            read(statement)
            return None
        else:
            read(statement)
    return assigned


def target_of(statement: ast.Assign | ast.AugAssign) -> ast.expr:
    return statement.target if isinstance(statement, ast.AugAssign) else statement.targets[0]


def walk_statements(statements):
    for statement in statements:
        yield statement
        for field in ("body", "orelse"):
            yield from walk_statements(getattr(statement, field, []))


def targets(statements):
    for node in ast.walk(ast.Module(body=list(statements), type_ignores=[])):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from target.elts if isinstance(target, ast.Tuple) else (target,)
        elif isinstance(node, (ast.AugAssign, ast.For)):
            yield node.target


def assigned_names(statements) -> set[str]:
    return {n.id for n in targets(statements) if isinstance(n, ast.Name)}


def assignment_counts(statements) -> dict[str, int]:
    """How many statements assign each name (as a whole, not an element of it)."""
    counts: dict[str, int] = {}
    for target in targets(statements):
        if isinstance(target, ast.Name):
            counts[target.id] = counts.get(target.id, 0) + 1
    return counts


def assigned_in_loops(statements) -> set[str]:
    """The names a loop assigns, its own variable included."""
    loops = [s for s in walk_statements(statements) if isinstance(s, (ast.For, ast.While))]
    return assigned_names([part for loop in loops for part in [*loop.body, *loop.orelse, loop]])


def inside_loop(node: ast.AST, statements) -> bool:
    """Whether a break/continue in `statements` has its loop in `statements` too."""
    for statement in statements:
        for loop in ast.walk(statement):
            if isinstance(loop, (ast.For, ast.While)):
                for inner in (*loop.body,):
                    if any(n is node for n in ast.walk(inner)):
                        return True
    return False


def unwritten_shared(kernel, statements: list) -> set[str]:
    """Shared arrays that `statements` neither store to nor update atomically."""
    written = set()
    for node in ast.walk(ast.Module(body=list(statements), type_ignores=[])):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            written.add(getattr(node.value, "id", None))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
            written.add(node.args[0].id)
    return {a.name for a in kernel.arrays.values() if a.space == "shared"} - written


def with_body(parsed, body: list):
    """`parsed` (a frontend.ParsedFunction) with its function's statements replaced by `body`,
    or `parsed` itself where a rewriting pass changed nothing."""
    if body is parsed.tree.body:
        return parsed
    tree = copy.copy(parsed.tree)
    tree.body = body
    return dataclasses.replace(parsed, tree=tree)


def rewritten(statements: list, step) -> list:
    """`statements` with `step(statement)` -> (statements to put before it, the statement to
    keep) applied to each, then to the statements of the kept one's bodies. A statement whose
    body changes is copied, never changed in place; where nothing changed, the list itself."""
    out, changed = [], False
    for statement in statements:
        before, kept = step(statement)
        for field in ("body", "orelse"):
            inner = getattr(kept, field, None)
            if inner:
                new = rewritten(inner, step)
                if new is not inner:
                    kept = copy.copy(kept) if kept is statement else kept
                    setattr(kept, field, new)
        out += [*before, kept]
        changed |= bool(before) or kept is not statement
    return out if changed else statements


def fresh_names(parsed, prefix: str):
    """`prefix1`, `prefix2`, ... skipping the names `parsed` (a frontend.ParsedFunction) uses:
    the variables a rewriting pass introduces."""
    taken = {n.id for n in ast.walk(parsed.tree) if isinstance(n, ast.Name)} | set(parsed.params)
    return (f"{prefix}{n}" for n in itertools.count(1) if f"{prefix}{n}" not in taken)


def meaning(resolve, node: ast.AST):
    """What `resolve` (a resolver's `resolve`) says `node` names, or None where it refuses the
    name: the translation that follows reports unknown names itself."""
    try:
        return resolve(node)
    except Exception:  # noqa: BLE001 - an unknown name is refused by the translation
        return None


def leaves_loop(body: list[ast.stmt], exits=(ast.Break, ast.Continue)) -> bool:
    """Whether a statement of kind `exits` in `body` leaves or restarts the loop around it
    (inner loops have their own)."""
    for statement in body:
        if isinstance(statement, exits):
            return True
        if isinstance(statement, ast.If) and leaves_loop(statement.body + statement.orelse, exits):
            return True
    return False


def own_expressions(statement: ast.stmt) -> list[ast.expr]:
    """The expressions a statement evaluates itself (not its body's), in Python's order."""
    if isinstance(statement, ast.Assign):
        return [statement.value, *statement.targets]
    if isinstance(statement, ast.AugAssign):
        return [statement.target, statement.value]
    if isinstance(statement, (ast.If, ast.While)):
        return [statement.test]
    if isinstance(statement, ast.For):
        return [statement.iter]
    return [n for n in ast.iter_child_nodes(statement) if isinstance(n, ast.expr)]


def visit_own_expressions(statement: ast.stmt, transformer: ast.NodeTransformer) -> None:
    """Replace, in place, each expression an Assign, AugAssign, If or Expr statement evaluates
    itself by what `transformer` makes of it, in Python's order of evaluation."""
    if isinstance(statement, ast.Assign):
        statement.value = transformer.visit(statement.value)
        statement.targets = [transformer.visit(target) for target in statement.targets]
    elif isinstance(statement, ast.AugAssign):
        statement.target = transformer.visit(statement.target)
        statement.value = transformer.visit(statement.value)
    elif isinstance(statement, ast.If):
        statement.test = transformer.visit(statement.test)
    else:
        statement.value = transformer.visit(statement.value)


def sometimes_evaluated(root: ast.expr):
    """The parts of `root` that only some of its evaluations reach: operands past the first of
    `and`/`or`, both branches of `x if c else y`, a chained comparison past its first two
    operands, and whatever a lambda or comprehension holds."""
    for node in ast.walk(root):
        if isinstance(node, ast.BoolOp):
            yield from node.values[1:]
        elif isinstance(node, ast.IfExp):
            yield from (node.body, node.orelse)
        elif isinstance(node, ast.Compare):
            yield from node.comparators[1:]
        elif isinstance(node, (ast.Lambda, ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            yield node
