"""The numpy implementation of each math, cmath and numpy function a kernel may call.

numba compiles `math.exp(x)` in a kernel to the device's exp; the vector engine applies numpy's
ufunc to every lane at once, so this table says which ufunc stands for which function.
"""

from __future__ import annotations

import cmath
import math

import numpy as np

from cudalike.simt import complex_math
from cudalike.simt.function_values import OPERATORS


def _integer_result(function):
    def rounded(x):
        result = function(x)
        return result.astype(np.int64) if isinstance(result, np.ndarray) else int(result)

    return rounded


def _elementwise(function):
    def apply(*args):
        kind = np.result_type(*args)
        kind = kind if kind.kind == "f" else np.dtype(np.float64)
        return np.vectorize(function, otypes=[kind])(*args)

    return apply


def _log(x, base=None):
    return np.log(x) if base is None else np.log(x) / np.log(base)


def _complex_input(function):
    """A cmath function on numpy: its argument made complex first (cmath.sqrt(-1.0) is 1j)."""

    def apply(x):
        kind = np.result_type(x, np.complex64)
        return function(np.asarray(x, dtype=kind) if isinstance(x, np.ndarray) else kind.type(x))

    return apply


def _complex_log(x, base=None):
    """cmath.log(x) and cmath.log(x, base)."""
    natural = _complex_input(np.log)
    return natural(x) if base is None else natural(x) / natural(base)


def _polar(z):
    return np.abs(z), np.angle(z)


_CMATH = {
    cmath.sqrt: _complex_input(np.sqrt),
    cmath.exp: complex_math.exp,
    cmath.log: _complex_log,
    cmath.log10: _complex_input(np.log10),
    cmath.sin: _complex_input(np.sin),
    cmath.cos: _complex_input(np.cos),
    cmath.tan: _complex_input(np.tan),
    cmath.asin: _complex_input(np.arcsin),
    cmath.acos: _complex_input(np.arccos),
    cmath.atan: _complex_input(np.arctan),
    cmath.sinh: _complex_input(np.sinh),
    cmath.cosh: _complex_input(np.cosh),
    cmath.tanh: _complex_input(np.tanh),
    cmath.asinh: _complex_input(np.arcsinh),
    cmath.acosh: _complex_input(np.arccosh),
    cmath.atanh: _complex_input(np.arctanh),
    cmath.phase: np.angle,
    cmath.polar: _polar,
    cmath.rect: complex_math.rect,
    cmath.isnan: np.isnan,
    cmath.isinf: np.isinf,
    cmath.isfinite: np.isfinite,
}

_MATH = {
    **_CMATH,
    math.frexp: np.frexp,
    math.ldexp: np.ldexp,
    math.modf: np.modf,
    math.exp2: np.exp2,
    math.cbrt: np.cbrt,
    math.nextafter: np.nextafter,
    math.remainder: _elementwise(math.remainder),
    math.sqrt: np.sqrt,
    math.exp: np.exp,
    math.log: _log,
    math.log2: np.log2,
    math.log10: np.log10,
    math.log1p: np.log1p,
    math.expm1: np.expm1,
    math.sin: np.sin,
    math.cos: np.cos,
    math.tan: np.tan,
    math.asin: np.arcsin,
    math.acos: np.arccos,
    math.atan: np.arctan,
    math.atan2: np.arctan2,
    math.sinh: np.sinh,
    math.cosh: np.cosh,
    math.tanh: np.tanh,
    math.asinh: np.arcsinh,
    math.acosh: np.arccosh,
    math.atanh: np.arctanh,
    math.fabs: np.fabs,
    math.pow: np.power,
    math.hypot: np.hypot,
    math.copysign: np.copysign,
    math.fmod: np.fmod,
    math.isnan: np.isnan,
    math.isinf: np.isinf,
    math.isfinite: np.isfinite,
    math.radians: np.radians,
    math.degrees: np.degrees,
    math.floor: _integer_result(np.floor),
    math.ceil: _integer_result(np.ceil),
    math.trunc: _integer_result(np.trunc),
    math.erf: _elementwise(math.erf),
    math.erfc: _elementwise(math.erfc),
    math.gamma: _elementwise(math.gamma),
    math.lgamma: _elementwise(math.lgamma),
}
# numba's supported numpy ufuncs (kernels call them on numbers, or with output arrays).
_NUMPY_UFUNCS = {
    getattr(np, name)
    for name in (
        "add subtract multiply divide true_divide floor_divide negative positive power "
        "float_power remainder mod fmod abs absolute fabs rint sign conjugate exp exp2 log "
        "log2 log10 expm1 log1p sqrt square cbrt reciprocal sin cos tan arcsin arccos arctan "
        "arctan2 hypot sinh cosh tanh arcsinh arccosh arctanh deg2rad rad2deg degrees radians "
        "bitwise_and bitwise_or bitwise_xor invert bitwise_not left_shift right_shift greater "
        "greater_equal less less_equal not_equal equal logical_and logical_or logical_xor "
        "logical_not maximum minimum fmax fmin isfinite isinf isnan signbit copysign nextafter "
        "floor ceil trunc spacing"
    ).split()
    if hasattr(np, name)
}


def math_function(function):
    """The numpy implementation of a math/numpy function called in a kernel, or None."""
    if function in _MATH:
        return _MATH[function]
    if function in _NUMPY_UFUNCS or function in OPERATORS:
        return function
    return None
