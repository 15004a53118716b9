"""Operations on single numbers as numpy computes them, where numba's own differ.

min() and max() (numpy's NaN rule and order of equal operands, or whichever of numpy's and
Python's answer the vector engine gives; min_max.py), shifts by counts outside [0, 64) and the
int64 minimum // -1, atomic nanmax/nanmin (np.fmax, np.fmin), Python's math.remainder and its
exact integer and float powers (powers.py), cuda.random's xoroshiro128+ step in numpy's
uint64 arithmetic (random_calls.py), np.frexp's two parts, and complex `*`, `/` and abs as
numpy's array loops compute them (complex_numbers.py). Generated code calls them as
`ns.<name>`; where the vector engine's answer cannot be reproduced they raise, and the launch
is handed back.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit
from numba.core import cgutils, types
from numba.extending import intrinsic

INLINED = {"nogil": True, "error_model": "python", "inline": "always"}
_INT64_MIN = -(2**63)


@njit(**INLINED)
def minimum(a, b):
    """np.minimum: NaN if either is NaN, else `b` unless `a` is smaller (so -0.0 and 0.0
    give the second, as numpy's loops do)."""
    if a != a:
        return a
    if b != b:
        return b
    return a if a < b else b


@njit(**INLINED)
def maximum(a, b):
    """np.maximum: NaN if either is NaN, else `b` unless `a` is larger."""
    if a != a:
        return a
    if b != b:
        return b
    return a if a > b else b


@njit(**INLINED)
def shift_left(a, b):
    """numpy's `a << b`: 0 for a count outside [0, 64)."""
    return a << b if 0 <= b < 64 else a ^ a


@njit(**INLINED)
def shift_right(a, b):
    """numpy's `a >> b`: the sign (0 or -1) for a count outside [0, 64)."""
    if 0 <= b < 64:
        return a >> b
    return a >> 63 if a < 0 else a ^ a


@njit(**INLINED)
def floor_divide(a, b):
    """numpy's int64 `a // b`: the minimum // -1 wraps to the minimum (numba gives 0)."""
    return -a if b == -1 else a // b


@njit(**INLINED)
def either_max(a, b, a_joined, b_joined):
    """max(a, b) where the vector engine may compute numpy's or Python's (min_max.py): the
    value both give (compared as Python compares), else IndexError (the launch is handed back).
    `a_joined`, `b_joined`: whether the operand's type is the promoted one."""
    if a != a or b != b:
        raise IndexError("max of NaN")
    if b > a and b_joined:
        return b
    if not b > a and a_joined and (a > b or math.copysign(1.0, a) == math.copysign(1.0, b)):
        return a
    raise IndexError("max whose type or value depends on the run")


@njit(**INLINED)
def either_min(a, b, a_joined, b_joined):
    """min(a, b) as either_max."""
    if a != a or b != b:
        raise IndexError("min of NaN")
    if b < a and b_joined:
        return b
    if not b < a and a_joined and (a < b or math.copysign(1.0, a) == math.copysign(1.0, b)):
        return a
    raise IndexError("min whose type or value depends on the run")


@njit(**INLINED)
def atomic_nanmax(array, flat, value):
    """cuda.atomic.nanmax as the vector engine's np.fmax: a NaN operand or element gives way
    to the other; the old value is returned. Which of two NaNs, or of two zeros of opposite
    signs, numpy's loops keep depends on how many lanes they meet in: handed back (IndexError)."""
    old = array[flat]
    array[flat] = _nan_ignoring(old, value, value > old)
    return old


@njit(**INLINED)
def atomic_nanmin(array, flat, value):
    """cuda.atomic.nanmin as np.fmin (see atomic_nanmax)."""
    old = array[flat]
    array[flat] = _nan_ignoring(old, value, value < old)
    return old


@njit(**INLINED)
def _nan_ignoring(old, value, value_wins):
    if old != old and value != value:
        raise IndexError("two NaNs meet in an atomic nanmax or nanmin")
    if old != old:
        return value
    if value != value:
        return old
    if old == 0 and value == 0 and math.copysign(1.0, old) != math.copysign(1.0, value):
        raise IndexError("zeros of opposite signs meet in an atomic nanmax or nanmin")
    return value if value_wins else old


@njit(**INLINED)
def remainder(x, y):
    """Python's math.remainder (CPython's own algorithm, exact), in float64; where Python
    raises ValueError (y zero, x infinite) the launch is handed back (IndexError)."""
    if math.isfinite(x) and math.isfinite(y):
        if y == 0.0:
            raise IndexError("math.remainder by zero")
        absx, absy = abs(x), abs(y)
        m = np.fmod(absx, absy)
        c = absy - m
        if m < c:
            r = m
        elif m > c:
            r = -c
        else:  # half way: the even multiple
            r = m - 2.0 * np.fmod(0.5 * (absx - m), absy)
        return math.copysign(1.0, x) * r
    if x != x:
        return x
    if y != y:
        return y
    if math.isinf(x):
        raise IndexError("math.remainder of an infinity")
    return x


@njit(**INLINED)
def integer_power(base, exponent, low, high):
    """`base ** exponent` for int64 operands, exact (Python's), when it lies in [low, high]
    (numpy's then, which wraps only outside): a negative exponent (a float in Python, an error
    in numpy) or a result outside the range is handed back (IndexError)."""
    if exponent < 0:
        raise IndexError("an integer to a negative power")
    if exponent == 0:
        result = 1
    elif exponent == 1 or base == 0 or base == 1:
        result = base
    elif base == -1:
        result = base if exponent % 2 else -base
    elif exponent > 63 or base == _INT64_MIN:
        raise IndexError("an integer power outside int64")
    else:
        # the magnitude is built as a negative number, which reaches -2**63
        magnitude = -base if base < 0 else base
        lowest = (_INT64_MIN + magnitude - 1) // magnitude  # the least that may be multiplied
        negated = -1
        for _ in range(exponent):
            if negated < lowest:
                raise IndexError("an integer power outside int64")
            negated *= magnitude
        if base < 0 and exponent % 2:
            result = negated
        elif negated == _INT64_MIN:
            raise IndexError("an integer power outside int64")
        else:
            result = -negated
    if result < low or result > high:
        raise IndexError("an integer power outside its type")
    return result


@njit(**INLINED)
def python_power(x, y):
    """Python's `x ** y` of two floats: the C library's pow, where Python raises (0.0 to a
    negative power, a negative number to a fractional one, which is complex in Python, or a
    finite result too large) the launch is handed back (IndexError)."""
    if x == 0.0 and y < 0.0:
        raise IndexError("0.0 to a negative power")
    if x < 0.0 and math.isfinite(x) and math.isfinite(y) and y != math.floor(y):
        raise IndexError("a negative number to a fractional power")
    result = math.pow(x, y)
    if math.isinf(result) and math.isfinite(x) and math.isfinite(y):
        raise IndexError("a float power too large")
    return result


_ROTATE = (np.uint64(55), np.uint64(9), np.uint64(14), np.uint64(36), np.uint64(28))


@njit(**INLINED)
def xoroshiro_next(states, owner, index, thread):
    """Advance generator `index` of `states` (its s0 and s1 as one row of two uint64) and
    return s0 + s1, as the vector engine does. A state index outside the states, or a state
    that another thread of the launch drew from (threads then race on a GPU, and the vector
    engine resolves them in lane order, statement by statement), raises: the launch is handed
    back. `owner` holds each state's thread in the launch, -1 before its first draw."""
    if index < 0 or index >= owner.size:
        raise IndexError("random state index outside the states")
    if owner[index] != thread:
        if owner[index] != -1:
            raise IndexError("a random state drawn by two threads")
        owner[index] = thread
    s0 = states[index, 0]
    s1 = states[index, 1]
    result = s0 + s1
    s1 = s1 ^ s0
    left, right, shift, turn, back = _ROTATE
    states[index, 0] = ((s0 << left) | (s0 >> right)) ^ s1 ^ (s1 << shift)
    states[index, 1] = (s1 << turn) | (s1 >> back)
    return result


@njit(**INLINED)
def xoroshiro_uniform(states, owner, index, thread):
    """numpy's float64 uniform of the next 64 bits: the top 53 bits times 2**-53."""
    bits = xoroshiro_next(states, owner, index, thread) >> np.uint64(11)
    return np.float64(bits) * (1.0 / 9007199254740992.0)


@njit(**INLINED)
def frexp_mantissa(x):
    """np.frexp's mantissa: `x` itself (its bits) for zeros, infinities and NaNs."""
    if x == 0 or x - x != 0:
        return x
    return type(x)(math.frexp(np.float64(x))[0])


@njit(**INLINED)
def frexp_exponent(x):
    """np.frexp's exponent, as int32: 0 for zeros, infinities and NaNs."""
    if x == 0 or x - x != 0:
        return np.int32(0)
    return np.int32(math.frexp(np.float64(x))[1])


@intrinsic
def _fma(typingctx, a, b, c):
    """`a * b + c` rounded once (LLVM's fma), as numpy's AVX2 and AVX512 complex loops use."""
    if not (isinstance(a, types.Float) and a == b == c):
        return None

    def codegen(context, builder, signature, args):
        kind = args[0].type
        name = "llvm.fma.f64" if kind == ir.DoubleType() else "llvm.fma.f32"
        function = ir.FunctionType(kind, [kind, kind, kind])
        return builder.call(cgutils.get_or_insert_function(builder.module, function, name), args)

    return a(a, b, c), codegen


@njit(**INLINED)
def _no_nan(z):
    """`z`, handed back where a part is NaN: which NaN two NaN operands give depends on how
    the machine code orders them, which neither numpy nor numba promises."""
    if z.real != z.real or z.imag != z.imag:
        raise ArithmeticError("a complex operation giving NaN")
    return z


@njit(**INLINED)
def complex_multiply(a, b):
    """numpy's complex multiply of arrays: `ar*br - ai*bi` and `ar*bi + ai*br`, each with one
    fused multiply-add (numba's `a * b` rounds every product)."""
    ar, ai, br, bi = a.real, a.imag, b.real, b.imag
    return _no_nan(type(a)(complex(_fma(ar, br, -(ai * bi)), _fma(ar, bi, ai * br))))


@njit(**INLINED)
def complex_multiply_rounded(a, b):
    """Python's (and numpy's scalar) complex multiply: every product rounded."""
    ar, ai, br, bi = a.real, a.imag, b.real, b.imag
    return _no_nan(type(a)(complex(ar * br - ai * bi, ar * bi + ai * br)))


@njit(**INLINED)
def complex_multiply_checked(a, b):
    """`a * b` where the vector engine may hold both as Python or numpy numbers (rounded
    products) or one as an array (fused ones): handed back where the two differ."""
    fused, rounded = complex_multiply(a, b), complex_multiply_rounded(a, b)
    if not (_same(fused.real, rounded.real) and _same(fused.imag, rounded.imag)):
        raise ArithmeticError("a complex product that depends on how the vector engine holds it")
    return fused


@njit(**INLINED)
def _same(x, y):
    """Whether two numbers that are not NaN have the same bits."""
    return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)


@njit(**INLINED)
def complex_abs(z):
    """np.abs of a complex array (numpy's SIMD loop): infinity if a part is infinite, else
    `larger * sqrt(fma(ratio, ratio, 1))`, `ratio` being the smaller part over the larger
    (numba's abs is hypot, which rounds differently); a NaN part is handed back."""
    re, im = abs(z.real), abs(z.imag)
    if math.isinf(re) or math.isinf(im):
        return type(re)(np.inf)
    if re != re or im != im:
        raise ArithmeticError("abs of a complex NaN")
    larger, smaller = max(re, im), min(re, im)
    if larger == 0:
        return larger
    ratio = smaller / larger
    return np.sqrt(_fma(ratio, ratio, type(re)(1.0))) * larger


@njit(**INLINED)
def complex_abs_checked(z):
    """abs(z) of a complex128 the vector engine may hold as a Python number (hypot, raising
    where a finite number's abs overflows) or a numpy one: handed back unless they agree."""
    result = complex_abs(z)
    finite = math.isfinite(z.real) and math.isfinite(z.imag)
    if result != math.hypot(z.real, z.imag) or (finite and math.isinf(result)):
        raise ArithmeticError("a complex abs that depends on how the vector engine holds it")
    return result


@njit(nogil=True, error_model="numpy")
def complex_divide(a, b):
    """numpy's complex division loop (Smith's method with a reciprocal), dividing by zero to
    infinities as numpy does; a NaN part is handed back."""
    ar, ai, br, bi = a.real, a.imag, b.real, b.imag
    one = type(ar)(1.0)
    abs_r, abs_i = abs(br), abs(bi)
    if abs_r >= abs_i:
        if abs_r == 0 and abs_i == 0:
            re, im = ar / abs_r, ai / abs_r
        else:
            ratio = bi / br
            scale = one / (br + bi * ratio)
            re, im = (ar + ai * ratio) * scale, (ai - ar * ratio) * scale
    else:
        ratio = br / bi
        scale = one / (bi + br * ratio)
        re, im = (ar * ratio + ai) * scale, (ai * ratio - ar) * scale
    return _no_nan(type(a)(complex(re, im)))
