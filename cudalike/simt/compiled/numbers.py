"""The vector engine's number rules (numpy's NEP 50) restated for compiled code.

numba types a float literal as float64 and promotes small integers to int64, where numpy keeps
`float32 * 2.0` in float32 and wraps `int32 + 1` as int32. The compiled tier types every
expression with numpy's rules and writes explicit casts, so both tiers compute bit for bit the
same. A type is a numpy dtype (a "strong" type) or, for Python numbers, the weak "int"/"float".
"""

from __future__ import annotations

import numpy as np


class _Kind:
    """A type that is not a numpy dtype. Not a string: a numpy dtype compares equal to the
    string naming it (`np.dtype(np.float64) == "float"`), so a weak type spelled "float"
    would be taken for float64 and the other way round."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


WEAK_INT = _Kind("int")
WEAK_FLOAT = _Kind("float")
# A variable assigned under a branch or in a loop holds a Python number or, once merged under a
# partial mask, a 64-bit array, depending on the run: "int?"/"float?" mark it.
MAYBE_INT = _Kind("int?")
MAYBE_FLOAT = _Kind("float?")
# A Python complex, and one that is a complex128 array in some runs (complex_numbers.py types
# and computes them; everything else refuses them, as `numeric` does complex dtypes)
WEAK_COMPLEX = _Kind("complex")
MAYBE_COMPLEX = _Kind("complex?")
COMPLEX128 = np.dtype(np.complex128)
# A kernel's "int?" variable whose every meeting with float32 counters.py has vetted (the
# count in `total / count`): float32 op such a value is FLOAT32_ON_STORE, checked at run time
# to be at most 2**24 in magnitude, where float32 holds every integer.
MAYBE_COUNT = _Kind("int? (counter)")
# An integer that is int32 in some runs of the vector engine and int64 in others (an int32
# meeting a "maybe" Python int, a variable assigned int64 in one branch and int32 in another):
# compiled code keeps the int64 number, which the int32 runs hold wrapped to 32 bits.
# widths.py vets every read; EITHER_WIDTH_FITS is such a value checked to fit int32.
EITHER_WIDTH = _Kind("int32 or int64")
EITHER_WIDTH_FITS = _Kind("int32 or int64, fitting int32")
# `//`, `%` and `>>` of such values, checked to lie in _INNER (int32 without its minimum):
# numpy's floor division, remainder and shift give the same number in int32 and int64 there
# (only the minimum // -1 wraps in int32), and the result lies in _INNER again
EITHER_WIDTH_INNER = _Kind("int32 or int64, within int32 above its minimum")
_WIDTHS = (EITHER_WIDTH, EITHER_WIDTH_FITS, EITHER_WIDTH_INNER)
_INNER = (-(2**31) + 1, 2**31 - 1)


class NarrowOrStart(_Kind):
    """A variable of a narrow integer dtype that starts as a Python int the dtype does not hold
    (narrow_starts.py): compiled code keeps the exact number in int64, compared and used as an
    index only."""

    def __init__(self, dtype: np.dtype, start: int):
        super().__init__(f"{dtype} or the Python int {start}")
        self.dtype = dtype


# operations whose int32 result is the low 32 bits of the int64 result on the same numbers
# (`<<` by a count in [0, 64), which widths.py demands: numpy gives 0 past the width)
_MODULAR = ("+", "-", "*", "&", "|", "^", "<<")
_EXACT = ("//", "%", ">>")
BOOL = np.dtype(bool)
INT32 = np.dtype(np.int32)
INT64 = np.dtype(np.int64)
_INT32_MEETS_MAYBE = ({INT32, MAYBE_INT}, {INT32, MAYBE_COUNT})
FLOAT32 = np.dtype(np.float32)
FLOAT64 = np.dtype(np.float64)
# A value that is float32 or float64 depending on the run, kept in float64 and only ever rounded
# to float32: a device function's result mixing float types (device_functions.return_kind), kept
# exactly; or one operation (+ - * /, min, max) of a float32 and a MAYBE_COUNT, which numpy
# computes in float32 with a Python int and in float64 with an int64 array. Both round to the
# same float32: the integer is exact in float32, and one operation rounded to float64 and then to
# float32 gives the float32 result (53 >= 2 * 24 + 2 bits: double rounding is innocuous).
FLOAT32_ON_STORE = _Kind("float32 on store")
# integers up to this magnitude are exact in float32
_FLOAT32_EXACT = 2**24


class NotCompilable(Exception):
    """The kernel (or this launch of it) is outside the compiled subset: use the vector tier."""


def is_weak(kind) -> bool:
    return kind in (WEAK_INT, WEAK_FLOAT, MAYBE_INT, MAYBE_FLOAT, MAYBE_COUNT)


def is_maybe(kind) -> bool:
    return kind in (MAYBE_INT, MAYBE_FLOAT, MAYBE_COUNT)


def maybe(kind):
    """The type of a variable assigned under a mask (see MAYBE_INT)."""
    return {WEAK_INT: MAYBE_INT, WEAK_FLOAT: MAYBE_FLOAT, WEAK_COMPLEX: MAYBE_COMPLEX}.get(
        kind, kind
    )


def is_either_width(kind) -> bool:
    return kind in _WIDTHS


def storage(kind) -> np.dtype:
    """The dtype compiled code keeps a value of this type in."""
    if kind in (WEAK_INT, MAYBE_INT, MAYBE_COUNT, *_WIDTHS) or isinstance(kind, NarrowOrStart):
        return INT64
    if kind in (WEAK_FLOAT, MAYBE_FLOAT, FLOAT32_ON_STORE):
        return FLOAT64
    if kind in (WEAK_COMPLEX, MAYBE_COMPLEX):
        return COMPLEX128
    return kind


def is_complex(kind) -> bool:
    return kind in (WEAK_COMPLEX, MAYBE_COMPLEX) or (
        isinstance(kind, np.dtype) and kind.kind == "c"
    )


def is_float(kind) -> bool:
    return kind in (WEAK_FLOAT, MAYBE_FLOAT) or (isinstance(kind, np.dtype) and kind.kind == "f")


def is_integer(kind) -> bool:
    if kind in (WEAK_INT, MAYBE_INT, MAYBE_COUNT, *_WIDTHS) or isinstance(kind, NarrowOrStart):
        return True
    return isinstance(kind, np.dtype) and kind.kind in "iu"


def numeric(kind) -> None:
    """Refuse what the compiled tier leaves to the vector engine (complex numbers, records,
    and bools anywhere but `arithmetic`, `comparison` and casts)."""
    if is_weak(kind) or kind in _WIDTHS:
        return
    if not isinstance(kind, np.dtype) or kind == BOOL or kind.kind == "c" or not storable(kind):
        raise NotCompilable(f"arithmetic on {kind}")


def storable(dtype: np.dtype) -> bool:
    """Whether compiled code handles arrays and numbers of this dtype: bools, integers of any
    width, 32- and 64-bit floats and the complex numbers made of them (float16 and records stay
    with the vector engine; complex_numbers.py alone computes with complex ones)."""
    if dtype.kind == "c":
        return dtype.itemsize in (8, 16)
    return dtype.kind in "biu" or (dtype.kind == "f" and dtype.itemsize in (4, 8))


def combine(left, right):
    """The type of `left op right` for + - * // % and bit operations."""
    numeric(left)
    numeric(right)
    if either_width_meeting(left, right):
        return _either_width(left, right)
    if is_weak(left) and is_weak(right):
        floating = not (is_integer(left) and is_integer(right))
        if floating and (is_maybe(left) or is_maybe(right)):
            return MAYBE_FLOAT
        if MAYBE_INT in (left, right):
            return MAYBE_INT
        if MAYBE_COUNT in (left, right):  # `count + 1`: a Python int or int64 array too
            return MAYBE_COUNT
        return WEAK_FLOAT if floating else WEAK_INT
    if is_weak(left):
        left, right = right, left
    if is_weak(right):
        if right == MAYBE_COUNT and left == FLOAT32:
            return FLOAT32_ON_STORE
        if is_maybe(right) and left.itemsize < 8:
            raise NotCompilable(f"a Python number or int64/float64 array meets {left}")
        if is_integer(right) or left.kind == "f":
            return left
        return FLOAT64
    result = np.result_type(left, right)
    if result.kind == "f" and left.kind in "iu" and right.kind in "iu":
        raise NotCompilable(f"{left} with {right} gives {result}")
    return result


def either_width_meeting(left, right) -> bool:
    """Whether `left op right` involves a value that is int32 or int64 depending on the run, or
    makes one: an int32 meeting a Python int that is an int64 array in some runs."""
    return left in _WIDTHS or right in _WIDTHS or {left, right} in _INT32_MEETS_MAYBE


# what an int32 run and an int64 run both give, with an int32-or-int64 value, the same type
_SAME_WIDTH = (
    INT32,
    WEAK_INT,
    MAYBE_INT,
    MAYBE_COUNT,
    *(np.dtype(t) for t in ("i1", "i2", "u1", "u2")),
)


def _either_width(left, right):
    """The type `combine` gives where a value may be int32 or int64 depending on the run (or
    an int32 meets a "maybe" Python int): an int32-or-int64 value checked to fit int32 where
    the other operand keeps the width run for run (a Python int must fit int32, as NEP 50
    demands of it in the int32 run); int64 or float64, reached from both widths alike, once
    the value is checked to fit int32; anything else is left to the vector engine."""
    other = right if left in _WIDTHS else left
    if other in _WIDTHS or other in _SAME_WIDTH:
        return EITHER_WIDTH_FITS
    if other in (INT64, np.dtype(np.uint32)):
        return INT64
    if other in (FLOAT32, FLOAT64, WEAK_FLOAT, MAYBE_FLOAT):
        return FLOAT64
    raise NotCompilable(f"a value that is int32 or int64 depending on the run meets {other}")


def arithmetic(left, right, operator: str):
    """The type of `left operator right` (+ - * // % and bit operations), bools included as
    numpy types them: bool with bool stays bool for + * & | ^ (or, and, xor) and is int8 for
    // % << >> (numpy refuses bool - bool); bool meeting a Python int is int64, a Python
    float float64, an array of another dtype that dtype. An int32-or-int64 value stays so
    through the operations whose int32 result is the int64 one wrapped (`_MODULAR`), and is
    checked to lie in _INNER for those that give the same number in both (`_EXACT`)."""
    if either_width_meeting(left, right):
        kind = EITHER_WIDTH_FITS if BOOL in (left, right) else combine(left, right)
        if kind != EITHER_WIDTH_FITS:
            return kind
        # an int32 meeting a "maybe" Python int is shifted or divided by the vector engine's
        # rules only where it is itself such a value (`(a + m) // 4`, not `a // m`)
        of_width = left in _WIDTHS or right in _WIDTHS
        if operator in _MODULAR and (operator != "<<" or of_width):
            return EITHER_WIDTH
        if operator in _EXACT and BOOL not in (left, right) and of_width:
            return EITHER_WIDTH_INNER
        raise NotCompilable(f"{operator} on a value that is int32 or int64 depending on the run")
    if BOOL not in (left, right):
        return combine(left, right)
    if left == right:
        if operator in ("+", "*", "&", "|", "^"):
            return BOOL
        if operator in ("//", "%", "<<", ">>"):
            return np.dtype(np.int8)
        raise NotCompilable(f"{operator} on two bools")
    other = right if left == BOOL else left
    numeric(other)
    if is_weak(other):
        return INT64 if is_integer(other) else FLOAT64
    return other


def comparison(left, right):
    """The type two values are compared in: numpy compares a Python integer with a narrower
    integer type exactly (`int32_array < 2**40` is all True), so both go to int64; a bool
    meets a number as `arithmetic` promotes it. A NarrowOrStart is compared exactly, in int64,
    with a value of its own dtype (narrow_starts.py checks the other side)."""
    for one, other in ((left, right), (right, left)):
        if isinstance(one, NarrowOrStart):
            if other != one.dtype:
                raise NotCompilable(f"{one} compared with {other}")
            return INT64
    kind = arithmetic(left, right, "+")
    if kind == EITHER_WIDTH:  # compared exactly, as both widths compare the numbers they hold
        return EITHER_WIDTH_FITS if left in _WIDTHS or right in _WIDTHS else INT64
    narrow = isinstance(kind, np.dtype) and kind.kind in "iu" and kind.itemsize < 8
    if narrow and (is_weak(left) or is_weak(right)):
        return INT64
    return kind


def true_divide(left, right):
    """The type of `left / right`: integers and bools divide as float64."""
    kind = arithmetic(left, right, "+")
    if kind in (WEAK_INT, MAYBE_INT, MAYBE_COUNT):
        return WEAK_FLOAT if kind == WEAK_INT else MAYBE_FLOAT
    if is_integer(kind) or kind == BOOL:
        return FLOAT64
    return kind


def unify(old, new):
    """The one type a variable keeps when assigned values of types `old` and `new`."""
    old, new = (EITHER_WIDTH if k in _WIDTHS else k for k in (old, new))
    if old is None or old == new:
        return new
    if {old, new} in ({INT32, INT64}, {EITHER_WIDTH, INT32}, {EITHER_WIDTH, INT64}):
        return EITHER_WIDTH  # the numbers compiled code holds, wrapped to int32 in some runs
    if is_weak(old) and is_weak(new):
        return combine(old, new)
    if is_weak(new):
        old, new = new, old
    if is_weak(old) and isinstance(new, np.dtype):
        if new.kind == "f" or (is_integer(old) and new.kind in "iu"):
            return new
    raise NotCompilable(f"a variable holds both {old} and {new}")


def needs_wrap(kind, operator: str) -> bool:
    """Whether numba's result of `operator` on values of `kind` must be cast back (numba
    computes small integers as int64 and some operations as float64)."""
    if not isinstance(kind, np.dtype):
        return False
    if kind.kind in "iu":
        return kind.itemsize < 8 or operator in ("<<", ">>")
    return kind.itemsize < 8 and operator in ("%", "//")


def cast(code: str, source, target) -> str:
    """`code` (of type `source`) converted to the storage dtype of `target`."""
    if is_complex(target) and not is_complex(source):
        return _to_complex(code, source, storage(target))
    if is_complex(source) and not is_complex(target):
        raise NotCompilable(f"{source} converted to {target}")
    if source == FLOAT32_ON_STORE and target not in (FLOAT32, FLOAT32_ON_STORE):
        raise NotCompilable("a mixed-precision result (float32 or float64) used other than float32")
    if target == FLOAT32_ON_STORE and is_integer(source):
        # float32 holds the integer exactly (else the vector engine's float32 run rounds it)
        code = f"rt.fits({code}, {-_FLOAT32_EXACT}, {_FLOAT32_EXACT})"
    code = _width_checked(code, source, target)
    target = storage(target)
    if is_integer(source) and is_weak(source) and target.kind in "iu":
        code = _fitting(code, target)
    if not is_integer(source) and source != BOOL and target.kind in "iu":
        # numpy converts through int32 below 32 bits and leaves values that do not fit to the
        # machine: compiled code converts only those that fit, and hands the others back
        low, high = np.iinfo(target).min, np.iinfo(target).max
        code = f"rt.float_fits({code}, {float(low)!r}, {float(high) + 1.0!r})"
    if storage(source) == target:
        return code
    if target == BOOL:
        return f"({code} != 0)"
    return f"np.{target.name}({code})"


def _to_complex(code: str, source, target: np.dtype) -> str:
    """A float, or an integer float64 holds as numpy converts it, as the complex `target`."""
    if source in (INT64, WEAK_INT, MAYBE_INT) and target == COMPLEX128:
        code = f"np.float64({code})"
    elif not is_float(source):
        raise NotCompilable(f"{source} converted to {target}")
    return f"np.{target.name}({code})"


def _width_checked(code: str, source, target) -> str:
    """An int32-or-int64 value converted to an integer of at most 32 bits, or kept so, needs no
    check (the int32 run's bits are the int64 number's low ones); to anything else it must fit
    int32, or the int32 run's number differs. A Python int entering such a value must fit
    int32 too, as NEP 50 demands of it in the int32 run. An operand of `//`, `%` or `>>` on
    such values must lie in _INNER, where int32 and int64 give the same number."""
    if target == EITHER_WIDTH_INNER and source != EITHER_WIDTH_INNER:
        narrow = isinstance(source, np.dtype) and source.kind in "iu" and source.itemsize < 4
        return code if narrow else _bounded(code, *_INNER)
    if source == EITHER_WIDTH and target not in _WIDTHS:
        narrow = isinstance(target, np.dtype) and target.kind in "iu" and target.itemsize <= 4
        return code if narrow else _fitting(code, INT32)
    if source == EITHER_WIDTH and target == EITHER_WIDTH_FITS:
        return _fitting(code, INT32)
    if source in (WEAK_INT, MAYBE_INT, MAYBE_COUNT) and target in _WIDTHS:
        return _fitting(code, INT32)
    return code


def _fitting(code: str, target: np.dtype) -> str:
    """A Python integer converted to an integer dtype must fit it, as numpy demands (NEP 50:
    `int32_array + 2**40` raises): a literal is checked now, a variable when the code runs."""
    info = np.iinfo(target)
    low, high = int(info.min), min(int(info.max), 2**63 - 1)
    if low <= -(2**63) and high >= 2**63 - 1:
        return code  # int64: every value compiled code holds fits
    return _bounded(code, low, high)


def _bounded(code: str, low: int, high: int) -> str:
    """`code`, an integer, checked to lie in [low, high]: a literal now, else at run time."""
    try:
        value = int(code)
    except ValueError:
        return f"rt.fits({code}, {low}, {high})"
    if not low <= value <= high:
        raise NotCompilable(f"the Python integer {value} lies outside [{low}, {high}]")
    return code


def literal(value) -> tuple[str, object]:
    """Code and type of a number the kernel names."""
    if isinstance(value, (bool, np.bool_)):
        return ("True" if value else "False"), BOOL
    if isinstance(value, int):
        return repr(value), WEAK_INT
    if isinstance(value, float):
        return _float_code(value), WEAK_FLOAT
    if isinstance(value, np.number) and np.dtype(type(value)).kind in "iuf":
        dtype = np.dtype(type(value))
        text = _float_code(float(value)) if dtype.kind == "f" else repr(int(value))
        return f"np.{dtype.name}({text})", dtype
    raise NotCompilable(f"the constant {value!r}")


def _float_code(value: float) -> str:
    if value != value:
        return "np.nan"
    if value in (float("inf"), float("-inf")):
        return "np.inf" if value > 0 else "-np.inf"
    return repr(value)
