"""What a submission may bring into the trusted module besides kernels: tables and small checks.

- `resolve_import` maps an import the learner wrote to the exact one the grader makes in its
  place (`from numba import cuda` becomes cudalike's `cuda`), or None: an allow-list of modules
  and, per module, of names.
- `evaluate_constant` computes a module-level constant from literals, tuples and arithmetic of
  earlier constants, with bounds on every size, so that nothing is ever handed to `eval`.
- `signature_text` checks a `@cuda.jit` signature (types from numba, arrays, calls of types)
  and writes it back as text that names numba's types only.
CANN-track code is checked by `_cann_language`; SIMT kernels by the runtime's `check_subset`.
"""

from __future__ import annotations

import ast
import math
import operator

from autograder._cann_language import NUMPY_DTYPES, kernel_api

# Modules the grader imports itself, keyed by how a submission may name them. numba.cuda is
# graded on cudalike's runtime, which mirrors it name for name.
MODULES = {
    "numpy": "numpy",
    "math": "math",
    "cmath": "cmath",
    "numba": "numba",
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
    "tuple list isinstance all any reversed sorted "
    "ValueError TypeError IndexError RuntimeError AssertionError NotImplementedError".split()
)


def module_names(module: str) -> frozenset[str] | None:
    """The names `from module import NAME` may take, None when any public name may be taken."""
    if module == "numpy":
        return NUMPY_DTYPES
    if module == "numba":
        return NUMBA_TYPES
    if module == "math":
        return frozenset(name for name in dir(math) if not name.startswith("_"))
    if module == "cudalike.cann":
        return kernel_api() | {"kernel"}  # the decorator, for `@kernel`
    import importlib

    return frozenset(getattr(importlib.import_module(module), "__all__", ()))


def resolve_import(module: str, attribute: str | None) -> tuple[str, str | None] | None:
    """Return the (module, attribute) the grader imports for `import module` or
    `from module import attribute`, or None when it is not on the allow-list.

    Example:
        >>> resolve_import("numba", "cuda")
        ('cudalike.cuda', None)
        >>> resolve_import("numpy", "save") is None
        True
    """
    if attribute is None:
        return (MODULES[module], None) if module in MODULES else None
    full = f"{module}.{attribute}"
    if full in MODULES:
        return MODULES[full], None
    if module not in MODULES or attribute.startswith("_"):
        return None
    if attribute not in module_names(MODULES[module]):
        return None
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
_MAX_ITEMS = 10_000  # characters of a string, or scalars in a (nested) tuple
_MAX_DEPTH = 8  # tuples within tuples


def evaluate_constant(node: ast.expr, constants: dict[str, object]) -> object:
    """Compute a constant expression: literals, tuples, arithmetic, names in `constants`.

    Raises:
        NotConstant: for anything else (calls, attributes, names of non-constants) or a value
            too large to be a kernel constant (sizes are checked before they are built).
    """
    value = _evaluate(node, constants, 0)
    _check_value(value)
    return value


def _evaluate(node: ast.expr, constants: dict[str, object], depth: int) -> object:
    if depth > _MAX_DEPTH * 4:
        raise NotConstant("the expression is nested too deeply")
    if isinstance(node, ast.Constant) and isinstance(node.value, (*_SCALARS, type(None))):
        return node.value
    if isinstance(node, ast.Tuple):
        if len(node.elts) > _MAX_ITEMS:
            raise NotConstant("the tuple is too long for a constant")
        value = tuple(_evaluate(item, constants, depth + 1) for item in node.elts)
        _check_value(value)
        return value
    if isinstance(node, ast.Name):
        if node.id in constants:
            return constants[node.id]
        raise NotConstant(f"'{node.id}' is not a constant")
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _apply(_UNARY[type(node.op)], _evaluate(node.operand, constants, depth + 1))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _evaluate(node.operand, constants, depth + 1)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left = _evaluate(node.left, constants, depth + 1)
        right = _evaluate(node.right, constants, depth + 1)
        _check_operands(node.op, left, right)
        value = _apply(_BINARY[type(node.op)], left, right)
        _check_value(value)
        return value
    raise NotConstant(f"'{shown(node)}' is not a literal or arithmetic of constants")


def shown(node: ast.AST, width: int = 60) -> str:
    """The code of `node` for a message, cut to `width` characters (never raises)."""
    try:
        text = ast.unparse(node)
    except (ValueError, RecursionError):
        return type(node).__name__
    return text if len(text) <= width else text[: width - 3] + "..."


def _apply(function, *values):
    try:
        return function(*values)
    except (ArithmeticError, TypeError, ValueError) as error:
        raise NotConstant(f"it cannot be computed ({error})") from error


def _check_operands(op: ast.operator, left, right) -> None:
    """Refuse results too large to compute before computing them."""
    if isinstance(op, ast.Pow) and isinstance(left, int) and isinstance(right, int):
        if right > _MAX_BITS or max(left.bit_length(), 1) * right > _MAX_BITS:
            raise NotConstant("the power is too large for a constant")
    if isinstance(op, ast.LShift) and isinstance(right, int) and right > _MAX_BITS:
        raise NotConstant("the shift is too large for a constant")
    if isinstance(op, (ast.Mult, ast.Add)):
        sizes = [_items(value) for value in (left, right)]
        if isinstance(op, ast.Mult):
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, tuple)) and isinstance(count, int):
                    if _items(sequence) * max(count, 0) > _MAX_ITEMS:
                        raise NotConstant("the repeated sequence is too long for a constant")
        elif sum(sizes) > _MAX_ITEMS:
            raise NotConstant("the joined sequence is too long for a constant")


def _items(value, depth: int = 0) -> int:
    """Scalars in a value (a string counts its characters); stops counting past the limit."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, tuple):
        return 1
    if depth > _MAX_DEPTH:
        raise NotConstant("the tuple is nested too deeply for a constant")
    total = 0
    for item in value:
        total += _items(item, depth + 1)
        if total > _MAX_ITEMS:
            break  # shared sub-tuples can make the full count exponential: stop here
    return total


def _check_value(value) -> None:
    if isinstance(value, int) and value.bit_length() > _MAX_BITS:
        raise NotConstant("the integer is too large for a constant")
    if _items(value) > _MAX_ITEMS:
        raise NotConstant("the value is too large for a constant")


def signature_text(node: ast.expr, numba_names: dict[str, str]) -> str | None:
    """A `@cuda.jit` signature rewritten with numba's own type names, or None if it is not one.

    Args:
        node: the decorator argument: `void(float32[:])`, `(float32[::1],)`, a list of these,
            or a string holding one.
        numba_names: the submission's names for numba's types (`f4` -> "float32").

    Only type names, array subscripts with slices, calls of types and tuples or lists of these
    are signatures; a string is parsed and held to the same rule with numba's names.
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if len(node.value) > 1000:
            return None
        try:
            inner = ast.parse(node.value.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError):
            return None
        own = {name: name for name in NUMBA_TYPES}
        return repr(_render(inner, own)) if _render(inner, own) is not None else None
    return _render(node, numba_names)


def _render(node: ast.expr, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.Constant) and type(node.value) is int and 0 <= node.value < 8:
        return str(node.value)
    if isinstance(node, ast.Subscript):
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        value, index = _render(node.value, names), [_render(part, names) for part in parts]
        if value is None or None in index:
            return None
        return f"{value}[{', '.join(index)}]"
    if isinstance(node, ast.Slice):
        parts = [node.lower, node.upper, node.step]
        texts = ["" if part is None else _render(part, names) for part in parts]
        if any(text is None for text in texts):
            return None
        return ":".join(texts[:2]) + (f":{texts[2]}" if node.step is not None else "")
    if isinstance(node, ast.Call) and not node.keywords:
        function = _render(node.func, names)
        arguments = [_render(argument, names) for argument in node.args]
        if function is None or any(text is None for text in arguments):
            return None
        return f"{function}({', '.join(arguments)})"
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) <= 64:
        items = [_render(item, names) for item in node.elts]
        if any(text is None for text in items):
            return None
        joined = ", ".join(items) + ("," if isinstance(node, ast.Tuple) and len(items) == 1 else "")
        return f"({joined})" if isinstance(node, ast.Tuple) else f"[{joined}]"
    return None
