"""cmath functions whose numpy counterparts differ from Python's at signed zeros and infinities.

numba compiles cmath.exp and cmath.rect with C99's special values, the ones Python's cmath
returns: `cmath.exp(complex(-inf, -inf))` is 0j (numpy gives -0j) and `cmath.rect(0.0, -1.0)`
is -0j (the product `1j * r * sin(phi)` loses the sign). The finite lanes take numpy's fast
path; only the lanes with an infinity or NaN go through cmath.
"""

from __future__ import annotations

import cmath

import numpy as np


def exp(x):
    """cmath.exp lane by lane: numpy's exp, with cmath's values where x is not finite."""
    kind = np.result_type(x, np.complex64)
    if not isinstance(x, np.ndarray):
        return kind.type(_special_exp(complex(x), np.exp(kind.type(x))))
    z = np.asarray(x, dtype=kind)
    result = np.exp(z)
    for lane in np.flatnonzero(~np.isfinite(z)):
        result[lane] = _special_exp(complex(z[lane]), result[lane])
    return result


def _special_exp(z: complex, fallback):
    if cmath.isfinite(z):
        return fallback
    try:
        return cmath.exp(z)
    except (OverflowError, ValueError):
        return fallback


def rect(r, phi):
    """cmath.rect: the real and imaginary parts computed apart, keeping their signs, and
    cmath's values where r or phi is not finite (rect(0.0, -inf) is 0j)."""
    real, imag = r * np.cos(phi), r * np.sin(phi)
    if not isinstance(real, np.ndarray):
        return _special_rect(float(r), float(phi), complex(real, imag))
    result = np.empty(real.shape, np.result_type(real, np.complex64))
    result.real, result.imag = real, imag
    r, phi = np.broadcast_to(r, real.shape), np.broadcast_to(phi, real.shape)
    for lane in np.flatnonzero(~(np.isfinite(r) & np.isfinite(phi))):
        result[lane] = _special_rect(float(r[lane]), float(phi[lane]), result[lane])
    return result


def _special_rect(r: float, phi: float, fallback):
    if np.isfinite(r) and np.isfinite(phi):
        return fallback
    try:
        return cmath.rect(r, phi)
    except (OverflowError, ValueError):
        return fallback
