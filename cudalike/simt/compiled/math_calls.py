"""Math function calls in compiled code, typed and computed as the vector engine computes them.

Exact or correctly rounded functions (`math.sqrt`, `fabs`, `floor`, `copysign`, `ldexp`, ...) are
written as numba calls, which give the same bits as numpy; the others numpy computes with a ufunc
(`exp`, `log`, `sin`, `atan2`, `pow`, ...) call numpy's own loop (ufuncs.py), and so does the
`**` operator with a number written in the kernel as exponent (powers.py has the others).
`math.remainder`, which the vector engine computes with Python's function and numba lacks, is
CPython's own algorithm (numpy_scalars.remainder).
"""

from __future__ import annotations

import ast
import functools
import itertools
import math

import numpy as np

from cudalike.simt import frontend, math_functions
from cudalike.simt.compiled import integer_ufuncs
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.flow import meaning
from cudalike.simt.compiled.numbers import NotCompilable

# math functions whose numba and numpy results agree bit for bit (correctly rounded or exact).
_EXACT_MATH = {math.sqrt: "math.sqrt", math.fabs: "abs"}
_INTEGER_MATH = {math.floor: "math.floor", math.ceil: "math.ceil", math.trunc: "math.trunc"}
# exact in any precision: computed in float64 from the operands numpy would use, then rounded
# back without change.
_EXACT_BINARY = {math.copysign: "math.copysign", math.fmod: "np.fmod"}
_PREDICATES = {math.isnan: "math.isnan", math.isinf: "math.isinf", math.isfinite: "math.isfinite"}
# functions the vector engine computes with Python's own, lane by lane, in float64: compiled
# code calls numba's where a sample check finds the two equal (both are the C library's on
# Linux). gamma and lgamma, which raise at their poles in Python and are Python's own, stay on
# the vector engine.
_PYTHON_MATH = {math.erf: lambda x: math.erf(x), math.erfc: lambda x: math.erfc(x)}
# ldexp's exponent is clamped to where every float64 (and so float32) result is 0 or infinite
# already, as numpy clamps an int64 exponent to C's int: the same bits, and numba's call never
# meets an exponent C's int cannot hold.
_LDEXP_LIMIT = 4000


def call(function, args: list, exponent_lanes: bool = False) -> tuple[str, object]:
    """Code and type of `function(*args)`, `args` being (code, type) pairs; `exponent_lanes`:
    the vector engine certainly holds a power's exponent as an array (`lane_array`)."""
    if getattr(function, "__module__", None) == "cmath":
        # the vector engine's numpy functions and special-value fixes (complex_math.py) are not
        # reproduced bit for bit by numba's cmath
        raise NotCompilable(f"the cmath function {function.__name__}")
    if function is math.ldexp and len(args) == 2:
        return _ldexp(*args)
    if function is math.remainder and len(args) == 2:
        return _remainder(*args)
    if function in _EXACT_BINARY and len(args) == 2:
        (lcode, ltype), (rcode, rtype) = args
        kind = nb.combine(ltype, rtype)
        if nb.is_integer(kind):
            raise NotCompilable("math.copysign or math.fmod of integers")
        result = nb.FLOAT64 if nb.is_weak(kind) else kind
        wide = [nb.cast(nb.cast(c, k, result), result, nb.FLOAT64) for c, k in args]
        code = f"{_EXACT_BINARY[function]}({', '.join(wide)})"
        return nb.cast(code, nb.FLOAT64, result), result
    if len(args) == 1:
        code, kind = args[0]
        nb.numeric(kind)
        if function in _EXACT_MATH:
            # numpy answers a Python number with a float64 scalar, an integer with float64
            result = nb.FLOAT64 if nb.is_weak(kind) or nb.is_integer(kind) else kind
            return f"{_EXACT_MATH[function]}({nb.cast(code, kind, result)})", result
        if function in _PREDICATES:
            return f"{_PREDICATES[function]}({code})", nb.BOOL
        if function in _PYTHON_MATH:
            return _python_math(function, code, kind)
        if function in _INTEGER_MATH:
            if nb.is_weak(kind):
                return f"{_INTEGER_MATH[function]}({code})", nb.WEAK_INT
            return f"np.int64({_INTEGER_MATH[function]}({code}))", nb.INT64
    return _numpy_loop(function, args, exponent_lanes)


def is_power(function) -> bool:
    """Whether the vector engine computes `function` with numpy's power loop (`math.pow`,
    `np.power`), whose answer depends on how it holds the exponent (`_numpy_loop`)."""
    try:
        return math_functions.math_function(function) is np.power
    except TypeError:  # unhashable
        return False


def frexp(kernel, argument: ast.AST) -> list[tuple[str, object]]:
    """`m, e = math.frexp(x)`: np.frexp's mantissa in x's float type and its int32 exponent,
    each computed from `x`'s code (which must then have no effect to repeat)."""
    for node in ast.walk(argument):
        if isinstance(node, ast.Call) and not isinstance(
            meaning(kernel.resolve, node.func), frontend.Constant
        ):
            raise NotCompilable("math.frexp of a call that may have an effect")
    code, kind = kernel.expr(argument)
    if kind not in (nb.FLOAT32, nb.FLOAT64, nb.WEAK_FLOAT):
        raise NotCompilable(f"math.frexp of {kind}")
    result = nb.FLOAT64 if kind == nb.WEAK_FLOAT else kind
    value = nb.cast(code, kind, result)
    return [(f"ns.frexp_mantissa({value})", result), (f"ns.frexp_exponent({value})", nb.INT32)]


def numpy_loop(function) -> bool:
    """Whether compiled code computes `function` with numpy's loop, one element per call."""
    exact = (_EXACT_MATH, _INTEGER_MATH, _EXACT_BINARY, _PREDICATES, _PYTHON_MATH)
    try:
        if function is math.ldexp or any(function in table for table in exact):
            return False
        return isinstance(math_functions.math_function(function), np.ufunc)
    except TypeError:  # an unhashable value: no math function
        return False


def _ldexp(mantissa: tuple, exponent: tuple) -> tuple[str, object]:
    """`math.ldexp(x, e)` as numpy's ldexp loop computes it (the vector engine's): in x's float
    type, float64 for integers and Python numbers. For a float32 x, x * 2**e is exact in float64
    unless it lies below float64's normal range, where float32's result is a zero anyway, so
    rounding the float64 result once to float32 gives ldexpf's bits."""
    (code, kind), (exponent_code, exponent_kind) = mantissa, exponent
    nb.numeric(kind)
    if not nb.is_integer(exponent_kind) or exponent_kind == np.dtype(np.uint64):
        raise NotCompilable(f"math.ldexp with an exponent of {exponent_kind}")
    result = nb.FLOAT64 if nb.is_weak(kind) or nb.is_integer(kind) else kind
    if result not in (nb.FLOAT32, nb.FLOAT64):
        raise NotCompilable(f"math.ldexp of {kind}")
    wide = nb.cast(code, kind, nb.FLOAT64)
    limit = _LDEXP_LIMIT
    power = f"max(-{limit}, min({limit}, {nb.cast(exponent_code, exponent_kind, nb.INT64)}))"
    return nb.cast(f"math.ldexp({wide}, {power})", nb.FLOAT64, result), result


def _remainder(x: tuple, y: tuple) -> tuple[str, object]:
    """`math.remainder(x, y)` as the vector engine computes it: Python's function lane by lane
    on the operands as float64 (Python numbers keep their value), the exact result stored in
    numpy's result type of the operands, float64 where that is an integer type."""
    kind = nb.combine(x[1], y[1])
    result = nb.FLOAT64 if nb.is_weak(kind) or nb.is_integer(kind) else kind
    wide = [nb.cast(code, k, nb.FLOAT64) for code, k in (x, y)]
    return nb.cast(f"ns.remainder({wide[0]}, {wide[1]})", nb.FLOAT64, result), result


def _python_math(function, code: str, kind) -> tuple[str, object]:
    """`math.erf(x)` or `math.erfc(x)` as the vector engine computes it: Python's function of
    the value as a float64, the result in the operand's float type (float64 for numbers and
    integers)."""
    if not _numba_agrees(function):
        raise NotCompilable(f"math.{function.__name__}: numba's differs from Python's here")
    result = nb.FLOAT64 if nb.is_weak(kind) or nb.is_integer(kind) else kind
    wide = nb.cast(code, kind, nb.FLOAT64)
    return nb.cast(f"math.{function.__name__}({wide})", nb.FLOAT64, result), result


def _samples(special: list, ranges: list) -> np.ndarray:
    """The arguments a sample check tries: `special` values, then for each (low, high, count)
    of `ranges` that many uniform draws, the same on every run."""
    rng = np.random.default_rng(0)
    return np.concatenate([special, *(rng.uniform(low, high, n) for low, high, n in ranges)])


@functools.cache
def _numba_agrees(function) -> bool:
    """Whether numba's version of `function` gives Python's bits on a spread of arguments."""
    from numba import njit  # imported only when compiling

    special = [0.0, -0.0, 0.5, 1.0, -1.0, 1e-310, 1e-30, np.inf, -np.inf, np.nan]
    samples = _samples(special, [(-6, 6, 4000), (-40, 40, 1000)])
    expected = np.array([function(x) for x in samples])
    apply = njit(_PYTHON_MATH[function])

    @njit
    def compute(values, out):
        for i in range(values.size):
            out[i] = apply(values[i])

    got = np.empty_like(samples)
    compute(samples, got)
    return got.tobytes() == expected.tobytes()


def _numpy_loop(function, args: list, exponent_lanes: bool = False) -> tuple[str, object]:
    """A math function the vector engine computes with a numpy ufunc (exp, log, sin,
    atan2, pow, ...), called through that ufunc's own loop (ufuncs.py): the same bits.
    numpy's power loop answers some exponents one way for an array of them and another for
    one broadcast number, so a power's call says which the vector engine holds: an array
    (`exponent_lanes`), a Python number, or either (checked at run time)."""
    name = getattr(function, "__name__", function)
    if function is math.log and len(args) == 2:  # the vector engine's log(x) / log(base)
        (code, kind), base = _numpy_loop(math.log, args[:1]), args[1]
        base_code, base_kind = _numpy_loop(math.log, [base])
        result = nb.combine(kind, base_kind)
        return (
            f"({nb.cast(code, kind, result)} / {nb.cast(base_code, base_kind, result)})",
            result,
        )
    ufunc = np.log if function is math.log else math_functions.math_function(function)
    if not isinstance(ufunc, np.ufunc) or ufunc.nout != 1 or ufunc.nin != len(args):
        raise NotCompilable(f"the function {name}")
    kind = args[0][1]
    for _, other in args:
        nb.numeric(other)
        kind = nb.combine(kind, other)
    if nb.is_integer(kind) and ufunc is np.power:
        raise NotCompilable("an integer power")
    if nb.is_integer(kind) and not _float_loop_for_integers(ufunc, tuple(k for _, k in args)):
        return integer_ufuncs.call(ufunc, args, name)
    # numpy answers Python numbers and integers with float64, float32 with float32
    result = nb.FLOAT64 if nb.is_weak(kind) or nb.is_integer(kind) else kind
    from cudalike.simt.compiled import ufuncs  # imports numba: only when compiling

    symbol = ufuncs.symbol(ufunc, result) if result in (nb.FLOAT32, nb.FLOAT64) else None
    if symbol is None:
        raise NotCompilable(f"the function {name} on {result}")
    operands = ", ".join(nb.cast(code, k, result) for code, k in args)
    if ufunc is not np.power:
        return f"uf.call{len(args)}('{symbol}', {operands})", result
    if exponent_lanes:
        return f"uf.pow_lanes('{symbol}', {operands})", result
    if args[1][1] in (nb.WEAK_INT, nb.WEAK_FLOAT):  # one number, broadcast (never batched)
        return f"uf.pow_single('{symbol}', {operands})", result
    return f"uf.agreed(uf.pow_either('{symbol}', {operands}))", result


@functools.cache
def _float_loop_for_integers(ufunc: np.ufunc, kinds: tuple) -> bool:
    """Whether numpy computes `ufunc` of integer operands of `kinds` (Python numbers, arrays of
    one numpy type, or either for a variable that may hold both) with its float64 loop, as
    `exp` or `sqrt` do, rather than an integer loop of its own (`np.add`, `np.maximum`,
    `np.floor`), whose result float64 could not always hold."""
    choices = []
    for kind in kinds:
        if isinstance(kind, np.dtype):
            choices.append([np.ones(1, kind)])
        else:
            choices.append([1] if kind == nb.WEAK_INT else [1, np.ones(1, np.int64)])
    with np.errstate(all="ignore"):
        results = [np.result_type(ufunc(*operands)) for operands in itertools.product(*choices)]
    return all(result == nb.FLOAT64 for result in results)


# exponents for which numpy's `array ** scalar` calls another function than `np.power`
# (np.reciprocal, np.sqrt), whose bits may differ from the power loop's (sqrt(-0.0) is -0.0)
_FAST_EXPONENTS = (-1, 0.5)
_LARGEST_PRODUCT = 8  # integer powers up to x ** 8 are written as products


def power(base, exponent, lanes: bool) -> tuple[str, object]:
    """Code and type of `base ** exponent` for a numpy value raised to a number written in the
    kernel, as numpy computes it: squares as products, other float powers through numpy's
    power loop, integer powers as wrapped products (numpy refuses negative ones: the vector
    engine reports them). `lanes`: the vector engine certainly holds the base as an array (one
    number per lane), whose `**` is the power loop; otherwise it may be one numpy scalar."""
    (code, kind), (exponent_code, exponent_kind) = base, exponent
    value = literal_number(exponent_code, exponent_kind)
    if value is None or nb.is_weak(kind):
        raise NotCompilable("** other than a numpy value to a number written in the kernel")
    nb.numeric(kind)
    if exponent_code == "2" or (nb.is_integer(kind) and isinstance(value, int)):
        if not 0 <= value <= _LARGEST_PRODUCT:
            raise NotCompilable(f"an integer power ** {value}")
        product = " * ".join([code] * value) if value else "1"
        if nb.needs_wrap(kind, "*") or not value:
            return nb.cast(f"({product})", nb.INT64 if value else nb.WEAK_INT, kind), kind
        return f"({product})", kind
    if value in _FAST_EXPONENTS or (nb.is_integer(kind) and value in (0, 1, 2)):
        # an integer array to a float 0.0, 1.0 or 2.0 may take a fast path too
        raise NotCompilable(f"** {value}, which numpy computes with another function")
    if value == 2:  # x ** 2.0: numpy squares
        return f"({code} * {code})", kind
    code, result = _numpy_loop(math.pow, [base, exponent])
    if not lanes and not _scalar_power_agrees(result.name, value):
        raise NotCompilable(f"** {value}: numpy's scalar power differs from its power loop")
    return code, result


def literal_number(code: str, kind) -> int | float | None:
    """The Python number a literal's code (of type `kind`) spells (`3`, `(-2.5)`), or None."""
    if kind not in (nb.WEAK_INT, nb.WEAK_FLOAT):
        return None
    try:
        value = ast.literal_eval(code)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@functools.cache
def _scalar_power_agrees(dtype_name: str, exponent: float) -> bool:
    """Whether numpy's scalar `**` (used where the vector engine holds one value for all lanes)
    gives the power loop's bits on a spread of bases: both are the C library's `pow` unless
    numpy picked a SIMD loop for this CPU, which the compiled code, calling the loop, follows."""
    dtype = np.dtype(dtype_name)
    special = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -2.0, np.inf, -np.inf, np.nan, 1e-30, 1e30]
    bases = _samples(special, [(-60, 60, 2000), (0, 2, 2000), (-1, 1, 500)]).astype(dtype)
    with np.errstate(all="ignore"):
        loop = np.power(bases, exponent)
        scalar = np.array([b**exponent for b in bases], dtype)
    return loop.dtype == dtype and loop.tobytes() == scalar.tobytes()


def loop_power(base, exponent) -> tuple[str, object]:
    """Code and type of numpy's power loop of a number and an exponent the vector engine holds
    as an array ((code, type) pairs)."""
    return _numpy_loop(math.pow, [base, exponent], exponent_lanes=True)
