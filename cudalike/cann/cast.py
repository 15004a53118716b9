"""Cast between element types with Ascend C's rounding modes (RoundMode).

Float -> integer rounds with the mode and saturates at the target's range. Float -> narrower
float (fp32 -> fp16) rounds to the nearest half for CAST_NONE/CAST_RINT, and towards -inf,
+inf or zero for CAST_FLOOR, CAST_CEIL, CAST_TRUNC (by stepping the nearest half one ulp where
it overshot). Widening casts are exact.
"""

from __future__ import annotations

import enum

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.dtypes import FLOATS
from cudalike.cann.local import LocalTensor
from cudalike.cann.vector import _run


class RoundMode(enum.Enum):
    """Rounding of Cast (Ascend C's RoundMode)."""

    CAST_NONE = "none"  # the type pair's default: nearest-even for narrowing floats
    CAST_RINT = "rint"  # nearest, ties to even
    CAST_FLOOR = "floor"  # towards -inf
    CAST_CEIL = "ceil"  # towards +inf
    CAST_ROUND = "round"  # nearest, ties away from zero
    CAST_TRUNC = "trunc"  # towards zero
    CAST_ODD = "odd"  # von Neumann rounding (not supported)


_TO_INTEGER = {
    RoundMode.CAST_NONE: np.rint,
    RoundMode.CAST_RINT: np.rint,
    RoundMode.CAST_FLOOR: np.floor,
    RoundMode.CAST_CEIL: np.ceil,
    RoundMode.CAST_TRUNC: np.trunc,
    RoundMode.CAST_ROUND: lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5),
}


def Cast(dst: LocalTensor, src: LocalTensor, round_mode: RoundMode, count: int) -> None:
    """dst[i] = src[i] converted to dst's type with `round_mode`, for i < count.

    Raises:
        NotImplementedError: CAST_ODD, or CAST_ROUND between floats.
    """
    out, values = _run("Cast", dst, (src,), count, "unary")
    target = dst.dtype
    if src.dtype in FLOATS and target not in FLOATS:
        out[...] = _to_integer(values, target, round_mode)
    elif src.dtype in FLOATS and target.itemsize < src.dtype.itemsize:
        out[...] = _narrow_float(values, target, round_mode)
    elif round_mode == RoundMode.CAST_ODD:
        raise NotImplementedError("Cast with CAST_ODD is not supported; use CAST_RINT")
    else:
        out[...] = values.astype(target)


def _to_integer(values: np.ndarray, target: np.dtype, mode: RoundMode) -> np.ndarray:
    if mode not in _TO_INTEGER:
        raise NotImplementedError(f"Cast to integers with {mode.name} is not supported")
    rounded = _TO_INTEGER[mode](values.astype(np.float64))
    info = np.iinfo(target)
    if np.isnan(rounded).any():
        raise _context.error(errors.InstructionError, "Cast of NaN to an integer type", pipe="V")
    return np.clip(rounded, info.min, info.max).astype(target)


def _narrow_float(values: np.ndarray, target: np.dtype, mode: RoundMode) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        return _narrow_quietly(values, target, mode)


def _narrow_quietly(values: np.ndarray, target: np.dtype, mode: RoundMode) -> np.ndarray:
    nearest = values.astype(target)
    if mode in (RoundMode.CAST_NONE, RoundMode.CAST_RINT):
        return nearest
    back = nearest.astype(values.dtype)
    if mode == RoundMode.CAST_FLOOR:
        step = back > values
        toward = -np.inf
    elif mode == RoundMode.CAST_CEIL:
        step = back < values
        toward = np.inf
    elif mode == RoundMode.CAST_TRUNC:
        step = np.abs(back) > np.abs(values)
        toward = 0.0
    else:
        raise NotImplementedError(f"Cast between floats with {mode.name} is not supported")
    adjusted = np.nextafter(nearest, np.asarray(toward, dtype=target))
    return np.where(step, adjusted, nearest).astype(target)
