"""What a submission may bring into the trusted module, as tables and small checks.

- `resolve_import` maps an import the learner wrote to the one the grader writes in its place
  (`from numba import cuda` becomes cudalike's `cuda`), or None when it is not re-created.
- `evaluate_constant` computes a module-level constant from literals, tuples and arithmetic of
  earlier constants, with bounds on sizes, so that nothing is ever handed to `eval`.
- `python_violations` checks CANN-track code (ordinary Python calling the cann API) against a
  short allow-list; SIMT kernels are checked by the runtime's own `check_subset`.
"""

from __future__ import annotations

import ast
import importlib
import operator

# Modules the grader imports itself, keyed by how a submission may name them. numba.cuda is
# graded on cudalike's runtime, which mirrors it name for name.
MODULES = {
    "numpy": "numpy",
    "math": "math",
    "numba": "numba",
    "cudalike": "cudalike",
    "cudalike.cuda": "cudalike.cuda",
    "cudalike.cann": "cudalike.cann",
    "cudalike.cuda.random": "cudalike.cuda.random",
    "numba.cuda": "cudalike.cuda",
    "numba.cuda.random": "cudalike.cuda.random",
}

# Names a submission may import from numba itself: its scalar types, used in signatures.
NUMBA_TYPES = frozenset(
    "void boolean b1 int8 int16 int32 int64 uint8 uint16 uint32 uint64 intp uintp "
    "i1 i2 i4 i8 u1 u2 u4 u8 float16 float32 float64 f2 f4 f8 complex64 complex128 "
    "c8 c16".split()
)

# Built-ins the trusted module offers (the child process gets exactly these).
BUILTINS = frozenset(
    "range len min max abs int float bool complex print round sum divmod pow enumerate zip "
    "tuple list isinstance all any reversed sorted super object staticmethod classmethod property "
    "ValueError TypeError IndexError RuntimeError AssertionError NotImplementedError".split()
)

# Names that reach files, processes, the interpreter or the grader; never allowed in code
# taken from a submission, even where a local variable of that name would be harmless.
FORBIDDEN_NAMES = frozenset(
    "open exec eval compile __import__ getattr setattr delattr hasattr globals locals vars "
    "input breakpoint help exit quit memoryview type "
    "os sys subprocess shutil socket pathlib importlib builtins ctypes signal pickle io "
    "threading multiprocessing inspect gc resource posix nt".split()
)

# Statements and expressions CANN-track code may not contain, with the reason a learner sees.
_REJECTED = {
    ast.Import: "import inside a function (import at the top of the notebook)",
    ast.ImportFrom: "import inside a function (import at the top of the notebook)",
    ast.Global: "a global statement (keep state in self or in arguments)",
    ast.Nonlocal: "a nonlocal statement",
    ast.Lambda: "a lambda (write a def)",
    ast.Try: "try/except (the runtime's errors must reach the grader)",
    ast.With: "a with statement",
    ast.AsyncFunctionDef: "an async function",
    ast.AsyncWith: "async with",
    ast.AsyncFor: "async for",
    ast.Await: "await",
    ast.Yield: "yield (a generator)",
    ast.YieldFrom: "yield from (a generator)",
}
if hasattr(ast, "TryStar"):
    _REJECTED[ast.TryStar] = _REJECTED[ast.Try]


def resolve_import(module: str, attribute: str | None) -> tuple[str, str | None] | None:
    """Return the (module, attribute) the grader imports for `import module` or
    `from module import attribute`, or None when the grader does not re-create it.

    Example:
        >>> resolve_import("numba", "cuda")
        ('cudalike.cuda', None)
    """
    if attribute is None:
        return (MODULES[module], None) if module in MODULES else None
    full = f"{module}.{attribute}"
    if full in MODULES:
        return MODULES[full], None
    if module not in MODULES or attribute.startswith("_") or attribute == "*":
        return None
    if module == "numba" and attribute not in NUMBA_TYPES:
        return None
    if module == "cudalike":
        return None  # only cuda and cann, matched above
    if module.startswith("cudalike."):
        imported = importlib.import_module(MODULES[module])
        if attribute not in getattr(imported, "__all__", ()):
            return None  # e.g. cann's reference kernels: not part of the API a kernel uses
    return MODULES[module], attribute


class NotConstant(Exception):
    """The expression is not a constant the grader can compute; the message says why."""


_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg, ast.Invert: operator.invert}
_SCALARS = (bool, int, float, complex, str)
_MAX_BITS = 4096  # integers beyond this are not kernel constants (and guard 10**10**10)
_MAX_LENGTH = 10_000  # strings and tuples


def evaluate_constant(node: ast.expr, constants: dict[str, object]) -> object:
    """Compute a constant expression: literals, tuples, arithmetic, names in `constants`.

    Raises:
        NotConstant: for anything else (calls, attributes, names of non-constants) or a value
            too large to be a kernel constant.
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, (*_SCALARS, type(None))):
        return node.value
    if isinstance(node, ast.Tuple):
        return _bounded(tuple(evaluate_constant(item, constants) for item in node.elts))
    if isinstance(node, ast.Name):
        if node.id in constants:
            return constants[node.id]
        raise NotConstant(f"'{node.id}' is not a constant")
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _apply(_UNARY[type(node.op)], evaluate_constant(node.operand, constants))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not evaluate_constant(node.operand, constants)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left = evaluate_constant(node.left, constants)
        right = evaluate_constant(node.right, constants)
        _check_size(node.op, left, right)
        return _bounded(_apply(_BINARY[type(node.op)], left, right))
    raise NotConstant(f"'{ast.unparse(node)}' is not a literal or arithmetic of constants")


def _apply(function, *values):
    try:
        return function(*values)
    except (ArithmeticError, TypeError, ValueError) as error:
        raise NotConstant(f"it cannot be computed ({error})") from error


def _check_size(op: ast.operator, left, right) -> None:
    """Refuse results too large to compute before computing them."""
    if isinstance(op, ast.Pow) and isinstance(left, int) and isinstance(right, int):
        if right > _MAX_BITS or max(left.bit_length(), 1) * right > _MAX_BITS:
            raise NotConstant("the power is too large for a constant")
    if isinstance(op, ast.LShift) and isinstance(right, int) and right > _MAX_BITS:
        raise NotConstant("the shift is too large for a constant")
    if isinstance(op, ast.Mult):
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, (str, tuple)) and isinstance(count, int):
                if len(sequence) * count > _MAX_LENGTH:
                    raise NotConstant("the repeated sequence is too long for a constant")


def _bounded(value):
    if isinstance(value, int) and value.bit_length() > _MAX_BITS:
        raise NotConstant("the integer is too large for a constant")
    if isinstance(value, (str, tuple)) and len(value) > _MAX_LENGTH:
        raise NotConstant("the sequence is too long for a constant")
    return value


def python_violations(node: ast.AST, modules: dict[str, str]) -> list[tuple[int, str]]:
    """Return (line, construct) for each thing CANN-track code may not do.

    The rules: no imports, global/nonlocal, lambdas, try/except, with, async or generators;
    no names that reach files, processes or the interpreter (`FORBIDDEN_NAMES`); no names
    starting with `__` and no attributes starting with `_`; none of the host-side or debugging
    accessors of the runtime's objects (`HIDDEN_ATTRIBUTES`: they bypass the costed pipes);
    from a module (`modules`: the submission's names for whole modules) only the names it is
    meant to offer kernels (numpy: dtypes; cann: its public API; math: anything public);
    classes hold only methods, docstrings and plain assignments, have no bases or decorators
    but each other, and define no special methods but `__init__`.
    """
    found = []
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute):
            problem = _attribute_problem(child, modules)
            if problem:
                found.append((child.lineno, problem))
        rule = _REJECTED.get(type(child))
        if rule:
            found.append((child.lineno, rule))
        elif isinstance(child, ast.Name) and child.id in FORBIDDEN_NAMES:
            found.append((child.lineno, f"the name '{child.id}'"))
        elif isinstance(child, ast.Name) and child.id.startswith("__"):
            found.append((child.lineno, f"the name '{child.id}' (names starting with __)"))
        elif isinstance(child, ast.ClassDef):
            found.extend(_class_violations(child))
        elif isinstance(child, ast.FunctionDef):
            found.extend(_decorator_violations(child))
    return sorted(set(found))


# Accessors of the runtime's objects that reach raw memory or skip the pipes' costs.
HIDDEN_ATTRIBUTES = frozenset(
    "data numpy copy_to_host copy_to_device byte_offset storage tobytes ctypes base".split()
)

# What CANN-track kernels may take from numpy: element types and nothing that computes,
# reads files or reaches other modules.
NUMPY_ATTRIBUTES = frozenset(
    "float16 float32 float64 half single double int8 int16 int32 int64 uint8 uint16 uint32 "
    "uint64 bool_ dtype".split()
)


def _attribute_problem(node: ast.Attribute, modules: dict[str, str]) -> str | None:
    name = node.attr
    if name.startswith("__"):
        return f"the dunder attribute .{name}"
    if name.startswith("_"):
        return f"the private attribute .{name}"
    if name in FORBIDDEN_NAMES:
        return f"the attribute .{name}"
    if name in HIDDEN_ATTRIBUTES:
        return (
            f"the accessor .{name} (it reaches memory directly and skips the pipes a kernel "
            "must use: move data with DataCopy and compute with vector instructions)"
        )
    owner = modules.get(node.value.id) if isinstance(node.value, ast.Name) else None
    if owner == "numpy" and name not in NUMPY_ATTRIBUTES:
        return f"numpy's .{name} (kernels compute with cann's instructions, not numpy)"
    if owner == "cudalike.cann":
        import cudalike.cann

        if name not in getattr(cudalike.cann, "__all__", ()):
            return f"cann.{name}, which is not part of the cann API"
    if owner is None and isinstance(node.value, ast.Attribute):
        root = node.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and modules.get(root.id) == "numpy":
            return f"the numpy path {ast.unparse(node)}"
    return None


def _class_violations(node: ast.ClassDef) -> list[tuple[int, str]]:
    found = []
    if node.keywords:
        found.append((node.lineno, f"keywords in the class statement of '{node.name}'"))
    if node.decorator_list:
        found.append((node.lineno, f"a decorator on the class '{node.name}'"))
    for base in node.bases:
        if not isinstance(base, ast.Name):
            found.append((base.lineno, f"the base class '{ast.unparse(base)}'"))
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef):
            name = statement.name
            if name.startswith("__") and name != "__init__":
                found.append((statement.lineno, f"the special method {name} (only __init__)"))
        elif not _is_plain_class_statement(statement):
            found.append((statement.lineno, "a statement in a class body other than def"))
    return found


def _is_plain_class_statement(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Constant)  # a docstring
    if isinstance(statement, (ast.Assign, ast.AnnAssign)):
        value = statement.value
        return value is None or not any(isinstance(n, ast.Call) for n in ast.walk(value))
    return False


def _decorator_violations(node: ast.FunctionDef) -> list[tuple[int, str]]:
    allowed = ("staticmethod", "classmethod", "property")
    return [
        (decorator.lineno, f"the decorator @{ast.unparse(decorator)} on '{node.name}'")
        for decorator in node.decorator_list
        if not (isinstance(decorator, ast.Name) and decorator.id in allowed)
    ]
