"""Python-int counters meeting float32: `count = 0`, `count += 1` under an `if`, then
`out[i] = total / count` with a float32 `total`, the most common way to write a mean.

On the vector engine `count` stays a Python int where every lane of the chunk ran the same
assignments, and becomes an int64 array where they merged under a mask, so the division is
computed in float32 in some runs (NEP 50) and in float64 in others. Both give the same float32
once the quotient is stored to a float32 array: float32 holds every integer up to 2**24 in
magnitude exactly (compiled code checks the counter at run time and hands the launch back
beyond), and one operation (+ - * /, min, max) rounded to float64 and then to float32 gives the
float32 result (53 >= 2 * 24 + 2 bits: double rounding is innocuous, Figueroa 1995).
numbers.py types such a value FLOAT32_ON_STORE, kept in float64: it may be stored to a float32
array, and anything else (further arithmetic, `math.sqrt`, a float64 array, a condition) is
refused there, since the float32 run would round the intermediate first.

The kernel's variables were typed while such a counter still looked like a Python int, so a
variable assigned `total / count` was typed float32, and compiled code would round into it the
quotient that the vector engine's float64 run keeps in float64 for later arithmetic (likewise
`total += count` makes a float32 `total` a float64 array there). `mark` therefore marks the
kernel's "int?" variables MAYBE_COUNT and refuses the kernel where a variable is assigned a
value of that mixed precision, other than a copy into a variable already typed so. A device
function given such a counter is typed with the mark from the start, so its own variables are
typed consistently; its own "int?" variables are not marked and still refuse float32.
"""

from __future__ import annotations

import ast

from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.start_numbers import kind_of

_ONE_OPERATION = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def mark(kernel) -> None:
    """Mark the kernel's "int?" variables as counters that may meet float32 in one operation
    stored to float32, and refuse the kernel where such a result is assigned to a variable."""
    if not any(nb.is_maybe(kind) for kind in kernel.types.values()):
        return  # no value may be a 64-bit array in one run and a Python number in another
    for name, kind in kernel.types.items():
        if kind == nb.MAYBE_INT:
            kernel.types[name] = nb.MAYBE_COUNT
    statements = list(ast.walk(ast.Module(body=kernel.body, type_ignores=[])))
    _copies(kernel, statements)
    for node in statements:
        if isinstance(node, ast.Assign) and _names(node.targets):
            copy = len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            typed = copy and kernel.types.get(node.targets[0].id) == nb.FLOAT32_ON_STORE
            _refuse_rounded(kernel, node.value, node.value if typed else None)
        elif isinstance(node, ast.AugAssign) and _names([node.target]):
            _refuse_rounded(kernel, node.value, None)
            if kind_of(kernel, _updated(node)) == nb.FLOAT32_ON_STORE:
                _refuse(node.target.id, node)


def _copies(kernel, statements: list) -> None:
    """Mark "maybe" a variable typed as a Python number that is assigned a value that may be a
    64-bit array (`k = count` after the loop counting): it holds that array too."""
    for _ in range(len(kernel.types) + 1):
        changed = False
        for node in statements:
            for target, value in _assigned(node):
                kind = kernel.types.get(target)
                if kind in (nb.WEAK_INT, nb.WEAK_FLOAT) and nb.is_maybe(kind_of(kernel, value)):
                    kernel.types[target] = nb.MAYBE_COUNT if kind == nb.WEAK_INT else nb.MAYBE_FLOAT
                    changed = True
        if not changed:
            return


def _assigned(node: ast.AST) -> list[tuple[str, ast.AST]]:
    """(name, value) of each name `node` assigns a value it can type (`a, b = x, y` element
    by element, `a += x` as `a + x`)."""
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        return [(node.target.id, _updated(node))]
    if not isinstance(node, ast.Assign) or len(node.targets) != 1:
        return []
    target, value = node.targets[0], node.value
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
        pairs = zip(target.elts, value.elts, strict=False)
        return [(t.id, v) for t, v in pairs if isinstance(t, ast.Name)]
    return []


def _updated(node: ast.AugAssign) -> ast.BinOp:
    """`a op= x` as the expression `a op x`."""
    name = ast.Name(id=node.target.id, ctx=ast.Load())
    return ast.BinOp(left=name, op=node.op, right=node.value)


def start_meets_counter(op: ast.operator, kind, values: list[tuple]) -> bool:
    """Whether a float32 variable's part that may still be its Python float start (`total` in
    `total / count` after `total = 0.0`) meets a counter alike: Python's float with a Python
    int or an int64 array computes in float64 and is stored rounded to float32, as compiled
    code's FLOAT32_ON_STORE is, where the start is exact in float32. `values` are the part's
    (Python's, numpy's) values for each start (see weak_reads.py)."""
    if not isinstance(op, _ONE_OPERATION) or kind != nb.FLOAT32:
        return False
    return all(type(python) is float and typed.item() == python for python, typed in values)


def _refuse_rounded(kernel, value: ast.AST, allowed: ast.AST | None) -> None:
    """Refuse where a part of `value`, other than `allowed`, has the mixed precision."""
    for part in ast.walk(value):
        if part is allowed or not isinstance(part, (ast.BinOp, ast.IfExp, ast.Call, ast.Name)):
            continue
        if kind_of(kernel, part) == nb.FLOAT32_ON_STORE:
            _refuse(ast.unparse(part), part)


def _refuse(what: str, node: ast.AST) -> None:
    raise NotCompilable(
        f"'{what}' at line {getattr(node, 'lineno', '?')}, a Python int or int64 array meeting "
        f"float32 (float32 or float64 depending on the run), is kept in a variable"
    )


def _names(targets: list) -> bool:
    """Whether `targets` assign a name (not only array elements)."""
    return any(
        isinstance(target, ast.Name)
        or (isinstance(target, ast.Tuple) and any(isinstance(e, ast.Name) for e in target.elts))
        for target in targets
    )
