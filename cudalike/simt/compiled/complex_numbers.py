"""Complex numbers in compiled code, typed and computed as the vector engine computes them.

`+`, `-`, negation, `.real`, `.imag`, `conjugate()`, `==` and `!=` work part by part, the same
in numba, numpy and Python. `*` and `abs` do not: numpy's array loops (AVX2, AVX512) multiply
with fused multiply-adds and take abs as `larger * sqrt(1 + ratio**2)`, where Python's complex
and numpy's scalars round every product and call hypot. Which one the vector engine uses
depends on whether it holds a value as an array of lanes (lanes.per_lane) or as one
number, so `*` and abs are written for arrays where an operand is certainly one, checked at
run time otherwise (numpy_scalars.complex_multiply_checked), and a variable that is only ever
a zero or an array of lanes (`z = 0j`, then `z = z * z + c`) needs no check where it is not
zero. `/` (numpy's loop, not Python's algorithm) is written only where an operand is certainly
an array. Complex powers and cmath functions stay with the vector engine.
"""

from __future__ import annotations

import ast
import sys

import numpy as np

from cudalike.simt.compiled import lanes
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

COMPLEX64 = np.dtype(np.complex64)
_WEAK = (
    nb.WEAK_INT,
    nb.WEAK_FLOAT,
    nb.WEAK_COMPLEX,
    nb.MAYBE_INT,
    nb.MAYBE_FLOAT,
    nb.MAYBE_COMPLEX,
)
_MAYBE = (nb.MAYBE_INT, nb.MAYBE_FLOAT, nb.MAYBE_COMPLEX)


def _numpy_fuses() -> bool:
    """Whether numpy's complex multiply loops use fused multiply-adds on this machine: a product
    whose real part is -inf fused (1e308 * 6e8 exceeds no range before the -inf is added) and
    NaN rounded (inf - inf)."""
    with np.errstate(all="ignore"):
        wide = np.array([1e308 + 1j]) * np.array([complex(6e8, np.inf)])
        narrow = np.array([3e38 + 1j], COMPLEX64) * np.array([complex(6e8, np.inf)], COMPLEX64)
    return bool(wide[0].real == -np.inf and narrow[0].real == -np.inf)


_FUSED = _numpy_fuses()


def involved(*kinds) -> bool:
    return any(nb.is_complex(kind) for kind in kinds)


def result(left, right):
    """The type of `left op right` where one is complex (numpy's NEP 50 promotion; a Python
    number or 64-bit array meeting complex64 is refused, the two giving different types)."""
    for kind in (left, right):
        if kind == nb.BOOL or not (kind in _WEAK or isinstance(kind, np.dtype)):
            raise NotCompilable(f"{kind} meeting a complex number")
        if isinstance(kind, np.dtype) and not nb.storable(kind):
            raise NotCompilable(f"{kind} meeting a complex number")
    if left in _WEAK and right in _WEAK:
        if sys.version_info >= (3, 14) and not (nb.is_complex(left) and nb.is_complex(right)):
            raise NotCompilable("a Python complex meeting a Python real number")  # not converted
        return nb.MAYBE_COMPLEX if left in _MAYBE or right in _MAYBE else nb.WEAK_COMPLEX
    if left in _WEAK or right in _WEAK:
        weak, strong = (left, right) if left in _WEAK else (right, left)
        kind = np.result_type(strong, 0j) if nb.is_complex(weak) else strong
        if weak in _MAYBE and kind != nb.COMPLEX128:
            raise NotCompilable(f"a Python number or 64-bit array meets {strong}")
        return kind
    return np.result_type(left, right)


def convert(code: str, kind, target) -> str:
    """`code` of `kind` as numpy converts it to the complex `target` (integers only where float64
    holds them as numpy converts them: not towards complex64)."""
    dtype = nb.storage(target)
    if nb.is_integer(kind):
        if dtype == COMPLEX64:
            raise NotCompilable("an integer meeting complex64")
        code = f"np.float64({code})"
    elif nb.storage(kind) == dtype:
        return code
    return f"np.{dtype.name}({code})"


def binary(k, operator: str, left, right, nodes) -> tuple[str, object]:
    """Code and type of `left operator right`, (code, type) pairs of the expressions `nodes`
    (None where unknown, as in `z *= w`)."""
    if operator not in ("+", "-", "*", "/"):
        raise NotCompilable(f"{operator} on complex numbers")
    kind = result(left[1], right[1])
    a, b = (convert(code, source, kind) for code, source in (left, right))
    if operator in ("+", "-"):
        return f"({a} {operator} {b})", kind
    holds = [_held(k, node) for node in nodes]
    if operator == "/":
        if "lanes" not in holds:
            raise NotCompilable(
                "a complex division of values the vector engine may hold as Python numbers"
            )
        return f"ns.complex_divide({a}, {b})", kind
    if kind == nb.WEAK_COMPLEX:  # Python's own product
        return f"ns.complex_multiply_rounded({a}, {b})", kind
    if not _FUSED:
        raise NotCompilable("numpy's complex multiply on this machine")
    # a "zero or lanes" operand that is not zero is an array; a zero times a finite number is
    # the same under Python's rounded products and numpy's fused ones (times an infinity or
    # NaN it is NaN, handed back)
    if "lanes" in holds or "zero or lanes" in holds:
        return f"ns.complex_multiply({a}, {b})", kind
    return f"ns.complex_multiply_checked({a}, {b})", kind


def compare(operator: str, left, right) -> str:
    if operator not in ("==", "!="):
        raise NotCompilable(f"{operator} on complex numbers")
    kind = result(left[1], right[1])
    a, b = (convert(code, source, kind) for code, source in (left, right))
    return f"({a} {operator} {b})"


def choice(test: str, body, orelse) -> tuple[str, object]:
    """`body if test else orelse`, (code, type) pairs: two Python numbers chosen per lane are
    an array on the vector engine, as numbers.maybe says."""
    kind = result(body[1], orelse[1])
    body_code, orelse_code = (convert(code, source, kind) for code, source in (body, orelse))
    return f"({body_code} if {test} else {orelse_code})", nb.maybe(kind)


def conjugate(code: str, kind) -> tuple[str, object]:
    if not nb.is_complex(kind):
        raise NotCompilable(f"conjugate() of {kind}")
    return f"({code}).conjugate()", kind


def part(code: str, kind, attribute: str) -> tuple[str, object]:
    """`z.real` or `z.imag`: a Python float of a Python complex, else the dtype's float."""
    if not nb.is_complex(kind):
        raise NotCompilable(f".{attribute} of {kind}")
    floats = {nb.WEAK_COMPLEX: nb.WEAK_FLOAT, nb.MAYBE_COMPLEX: nb.MAYBE_FLOAT}
    float_kind = floats.get(kind) or np.dtype(f"f{kind.itemsize // 2}")
    return f"({code}).{attribute}", float_kind


def absolute(k, code: str, kind, node) -> tuple[str, object]:
    """abs(z): numpy's array loop where `z` is an array (or a zero), else checked at run time
    to agree with Python's and numpy's scalar hypot."""
    code_kind = part(code, kind, "real")[1]
    if not _FUSED:
        raise NotCompilable("numpy's complex abs on this machine")
    if _held(k, node) != "unknown":
        return f"ns.complex_abs({code})", code_kind
    if kind == COMPLEX64:
        raise NotCompilable("abs of a complex64 the vector engine may hold as one number")
    return f"ns.complex_abs_checked({code})", code_kind


def build(k, args: list, nodes: list) -> tuple[str, object]:
    """`complex(re, im)`: a Python complex of Python numbers, else an array of
    result_type(re, im, complex64) with the parts placed apart (a -0.0 keeps its sign)."""
    if not 1 <= len(args) <= 2:
        raise NotCompilable("complex() with other than one or two arguments")
    args = list(args) + [("0.0", nb.WEAK_FLOAT)] * (2 - len(args))
    for _, kind in args:
        if (
            kind == nb.BOOL
            or nb.is_complex(kind)
            or kind not in _WEAK
            and not (isinstance(kind, np.dtype) and nb.storable(kind))
        ):
            raise NotCompilable(f"complex() of {kind}")
    if all(kind in _WEAK for _, kind in args):
        if any(kind in _MAYBE for _, kind in args):
            raise NotCompilable("complex() of a number that is an array in some runs")
        return _parts(args, nb.FLOAT64), nb.WEAK_COMPLEX
    if not any(lanes.per_lane(k, node) for node in nodes):
        raise NotCompilable("complex() of numbers the vector engine may hold as one number")
    strong = [nb.storage(kind) for _, kind in args if kind not in _WEAK]
    kind = np.result_type(*strong, np.complex64)
    if any(kind in _MAYBE for _, kind in args) and kind != nb.COMPLEX128:
        raise NotCompilable(f"a Python number or 64-bit array meets {kind}")
    return f"np.{kind.name}({_parts(args, np.dtype(f'f{kind.itemsize // 2}'))})", kind


def _parts(args: list, float_kind) -> str:
    real, imag = (nb.cast(code, kind, float_kind) for code, kind in args)
    return f"complex({real}, {imag})"


def unify(old, new):
    """The one type of a variable assigned both: a Python complex and a complex128 array are
    MAYBE_COMPLEX, a Python complex in some runs (numpy's promotion then differs only with
    complex64 and float32, which `result` refuses)."""
    if old is None or old == new:
        return new
    pair = {old, new}
    if pair <= {nb.WEAK_COMPLEX, nb.MAYBE_COMPLEX, nb.COMPLEX128}:
        return nb.MAYBE_COMPLEX
    raise NotCompilable(f"a variable holds both {old} and {new}")


def literal(value: complex) -> tuple[str, object]:
    real, imag = (nb.literal(float(x))[0] for x in (value.real, value.imag))
    return f"complex({real}, {imag})", nb.WEAK_COMPLEX


def _held(k, node) -> str:
    """How the vector engine holds the value of `node`: certainly as an array of lanes
    ("lanes"), as a zero or such an array ("zero or lanes": a variable assigned nothing else),
    or either way ("unknown")."""
    if node is None:
        return "unknown"
    if lanes.per_lane(k, node):
        return "lanes"
    if isinstance(node, ast.Name) and node.id in k.locals and _zero_or_lanes(k, node.id):
        return "zero or lanes"
    return "unknown"


def _zero_or_lanes(k, name: str) -> bool:
    """Whether every assignment to the variable `name` gives it a zero written in the kernel
    or a value the vector engine holds as an array of lanes."""
    for node in ast.walk(k.parsed.tree):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            if node.target.id == name:
                return False
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                stored = (n for n in ast.walk(target) if isinstance(n, ast.Name))
                names = {n.id for n in stored if isinstance(n.ctx, ast.Store)}
                if name not in names:
                    continue
                if not isinstance(target, ast.Name) or not _zero_or_lane_value(k, node):
                    return False
    return True


def _zero_or_lane_value(k, node) -> bool:
    value = node.value
    if isinstance(node, ast.Assign) and isinstance(value, ast.Constant):
        number = value.value
        return (
            isinstance(number, (int, float, complex))
            and not isinstance(number, bool)
            and (number == 0)
        )
    return lanes.per_lane(k, value)


def is_conjugate(node: ast.Call) -> bool:
    """Whether `node` is `value.conjugate()` (its value's type says whether it is complex)."""
    function = node.func
    return (
        isinstance(function, ast.Attribute)
        and function.attr == "conjugate"
        and not node.args
        and not node.keywords
    )
