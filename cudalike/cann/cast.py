"""Cast between element types with Ascend C's rounding modes (RoundMode).

Float -> integer rounds with the mode and saturates at the target's range. Float -> narrower
float (fp32 -> fp16) rounds to the nearest half for CAST_NONE/CAST_RINT, and towards -inf,
+inf or zero for CAST_FLOOR, CAST_CEIL, CAST_TRUNC (by stepping the nearest half one ulp where
it overshot). Widening casts are exact. To bfloat16, every mode but CAST_ODD rounds the float32
bits (CAST_NONE: nearest-even); from bfloat16 is exact to float.
"""

from __future__ import annotations

import enum

import numpy as np

from cudalike.cann import _context, errors, vector_repeat
from cudalike.cann.dtypes import FLOATS, from_bfloat16, is_bfloat16, to_bfloat16
from cudalike.cann.local import LocalTensor
from cudalike.cann.vector import _run, _run_repeat


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


def Cast(
    dst: LocalTensor, src: LocalTensor, round_mode: RoundMode, *args, isSetMask: bool = True
) -> None:
    """dst[i] = src[i] converted to dst's type with `round_mode`: `Cast(dst, src, mode, count)`
    or the repeat form `Cast(dst, src, mode, mask, repeatTimes, UnaryRepeatParams)`.

    In the repeat form one repeat covers 256 bytes of the wider type (64 lanes between half
    and float), so the narrower operand's repeat is 128 bytes: fp32 -> fp16 over whole tiles
    takes dstRepStride=4, srcRepStride=8.

    Raises:
        NotImplementedError: CAST_ODD, or CAST_ROUND between floats.
    """
    if len(args) == 3:
        mask, repeat_times, params = args
        plan = _run_repeat(
            "Cast", dst, (src,), mask, repeat_times, params.strides(), "unary", False, isSetMask
        )
        vector_repeat.execute(
            plan, dst, (src,), lambda values: _convert(values, src.dtype, dst, round_mode)
        )
        return
    if len(args) != 1:
        raise TypeError(
            "Cast takes (dst, src, roundMode, count) or (dst, src, roundMode, mask, "
            "repeatTimes, UnaryRepeatParams)"
        )
    out, values = _run("Cast", dst, (src,), args[0], "unary")
    out[...] = _convert(values, src.dtype, dst, round_mode)


_BFLOAT16_ROUNDING = {
    RoundMode.CAST_NONE: "rint",
    RoundMode.CAST_RINT: "rint",
    RoundMode.CAST_ROUND: "round",
    RoundMode.CAST_FLOOR: "floor",
    RoundMode.CAST_CEIL: "ceil",
    RoundMode.CAST_TRUNC: "trunc",
}


def _convert(values: np.ndarray, source, dst: LocalTensor, round_mode: RoundMode) -> np.ndarray:
    """`values` (of type `source`) in dst's type, rounded with `round_mode`. bfloat16 goes
    through float32, which holds every bfloat16 exactly."""
    target = dst.dtype
    if is_bfloat16(source):
        values = from_bfloat16(values)
    if is_bfloat16(target):
        if values.dtype not in FLOATS or round_mode not in _BFLOAT16_ROUNDING:
            raise NotImplementedError(
                f"Cast to bfloat16 takes half or float with a RoundMode other than CAST_ODD, "
                f"not {values.dtype} with {round_mode.name}"
            )
        return to_bfloat16(values, _BFLOAT16_ROUNDING[round_mode])
    if values.dtype in FLOATS and target not in FLOATS:
        return _to_integer(values, target, round_mode)
    if values.dtype in FLOATS and target.itemsize < values.dtype.itemsize:
        return _narrow_float(values, target, round_mode)
    if round_mode == RoundMode.CAST_ODD:
        raise NotImplementedError("Cast with CAST_ODD is not supported; use CAST_RINT")
    return values.astype(target)


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
