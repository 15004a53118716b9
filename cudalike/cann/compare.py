"""Compare, CompareScalar and Select: element-wise tests packed into a bit mask, and choosing.

`Compare(dst, src0, src1, CMPMODE.LT, count)` writes one bit per element into a uint8 tensor,
as the hardware does: element i is bit i % 8 of byte i // 8 (least significant bit first).
`Select(dst, selMask, src0, src1, SELMODE.VSEL_TENSOR_TENSOR_MODE, count)` takes src0[i] where
bit i is set and src1[i] where it is not; VSEL_TENSOR_SCALAR_MODE takes a scalar for src1.
The count of Compare must cover whole 256-byte repeats, as on the hardware.
"""

from __future__ import annotations

import enum

import numpy as np

from cudalike.cann import _context, cmpmask, errors, masks, vector_repeat
from cudalike.cann.local import LocalTensor, access
from cudalike.cann.vector import (
    _quiet,
    _run,
    _run_repeat,
    _same_type,
    check_operands,
    cycles,
    repeat_cycles,
)


class CMPMODE(enum.Enum):
    """Comparison of Compare (Ascend C's CMPMODE)."""

    LT = "lt"
    GT = "gt"
    EQ = "eq"
    LE = "le"
    GE = "ge"
    NE = "ne"


class SELMODE(enum.Enum):
    """How Select reads its operands (Ascend C's SELMODE)."""

    VSEL_CMPMASK_SPR = 0  # the CMPMASK register (every repeat the same bits)
    VSEL_TENSOR_SCALAR_MODE = 1  # src0 where the bit is set, else a scalar
    VSEL_TENSOR_TENSOR_MODE = 2  # src0 where the bit is set, else src1


_TESTS = {
    CMPMODE.LT: np.less,
    CMPMODE.GT: np.greater,
    CMPMODE.EQ: np.equal,
    CMPMODE.LE: np.less_equal,
    CMPMODE.GE: np.greater_equal,
    CMPMODE.NE: np.not_equal,
}


def _check_mask_tensor(name: str, mask: LocalTensor, count: int, role: str) -> None:
    if mask.dtype != np.uint8:
        raise _context.error(
            errors.InstructionError,
            f"{name} {role} is {mask.dtype}; the bit mask lives in a uint8 LocalTensor",
            "allocate it as AllocTensor(uint8) (or Get(uint8) on a TBuf)",
            pipe="V",
        )
    if mask.length * 8 < count:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} needs {-(-count // 8)} mask bytes for {count} elements; {role} has "
            f"{mask.length}",
            "one bit per element: count / 8 bytes",
            pipe="V",
        )


def _compare(name: str, dst, src0, src1, mode, count) -> None:
    """Compare src0 with a tensor or a scalar `src1` and pack the results into dst's bits."""
    count = int(count)
    repeat = vector_repeat.lanes_per_repeat(src0.dtype)
    if count <= 0 or count % repeat:
        raise _context.error(
            errors.InstructionError,
            f"{name} of {count} {src0.dtype} elements: the count must be a positive multiple "
            f"of {repeat} (whole 256-byte repeats)",
            "pad the tile to a multiple of 256 bytes (Duplicate a filler value into the tail)",
            pipe="V",
        )
    _check_mask_tensor(name, dst, count, "dst")
    test = _TESTS[CMPMODE(mode)]
    scalar = not isinstance(src1, LocalTensor)
    sources = (src0,) if scalar else (src0, src1)
    _, a, *rest = _run(name, dst, sources, count, "unary" if scalar else "binary", dst_count=1)
    with _quiet():
        bits = test(a, src0.dtype.type(src1) if scalar else rest[0])
    dst.array[: count // 8] = np.packbits(bits, bitorder="little")


def Compare(
    dst: LocalTensor, src0: LocalTensor, src1, cmpMode, *args, isSetMask: bool = True
) -> None:
    """Bit i of dst = (src0[i] `cmpMode` src1[i]): `Compare(dst, src0, src1, cmpMode, count)`
    (count a multiple of 256 bytes) or the repeat form `Compare(dst, src0, src1, cmpMode, mask,
    repeatTimes, BinaryRepeatParams)`, see `_compare_repeat`.

    Raises:
        InstructionError: a count that is not whole repeats, or dst not uint8.

    Without dst, `Compare(src0, src1, cmpMode, mask, BinaryRepeatParams)` compares one repeat
    into the CMPMASK register for Select's VSEL_CMPMASK_SPR mode (cmpmask.py).
    """
    if not isinstance(cmpMode, CMPMODE) and isinstance(src1, CMPMODE):
        src0, src1, mode, (mask, params) = dst, src0, src1, (cmpMode, *args)
        _same_type("Compare", src0, src1)
        cmpmask.compare_into_register("Compare", _TESTS[mode], src0, src1, mask, params, isSetMask)
        return
    _same_type("Compare", src0, src1)
    if len(args) == 3:
        _compare_repeat("Compare", dst, src0, src1, cmpMode, *args)
    else:
        count = _only_count("Compare", args, "(dst, src0, src1, cmpMode, ...)")
        _compare("Compare", dst, src0, src1, cmpMode, count)


def CompareScalar(dst: LocalTensor, src0: LocalTensor, scalar, cmpMode, *args) -> None:
    """Bit i of dst = (src0[i] `cmpMode` scalar): first-n (count, whole 256-byte repeats) or
    the repeat form (mask, repeatTimes, UnaryRepeatParams)."""
    if len(args) == 3:
        _compare_repeat("CompareScalar", dst, src0, scalar, cmpMode, *args)
    else:
        count = _only_count("CompareScalar", args, "(dst, src0, scalar, cmpMode, ...)")
        _compare("CompareScalar", dst, src0, scalar, cmpMode, count)


Compares = CompareScalar  # the vendor's current name (hiascend.com API reference, Compares)


def _only_count(name: str, args: tuple, head: str):
    """The count of a first-n call, or a TypeError naming both forms."""
    if len(args) != 1:
        raise TypeError(
            f"{name} takes {head[:-4]}count) or {head[:-4]}mask, repeatTimes, params); "
            f"got {len(args)} arguments after the first ones"
        )
    return args[0]


def _compare_repeat(name, dst, src0, src1, mode, mask, repeat_times, params) -> None:
    """The repeat form of Compare/CompareScalar.

    Every lane of each repeat is compared (CANN's implementation for this generation passes
    the mask to no one: kernel_operator_vec_cmp_impl.h), and repeat r writes its lanes' bits
    to dst bytes [r * lanes / 8, (r + 1) * lanes / 8): the first-n form relies on that packing
    with the default strides, so dst's strides do not move the bits.
    """
    scalar = not isinstance(src1, LocalTensor)
    sources = (src0,) if scalar else (src0, src1)
    check_operands(name, dst, sources, floats_only=False)
    core = _context.current(name)
    repeats = vector_repeat.check_repeat_times(name, repeat_times)
    lanes = np.arange(vector_repeat.lanes_per_repeat(src0.dtype))
    strides = params.strides()[1:]
    at = [
        vector_repeat.lane_indices(name, tensor, lanes, repeats, *stride, f"src{i}")
        for i, (tensor, stride) in enumerate(zip(sources, strides, strict=True))
    ]
    per_repeat = len(lanes) // 8
    _check_mask_tensor(name, dst, repeats * len(lanes), "dst")
    at.insert(0, np.arange(repeats * per_repeat).reshape(repeats, per_repeat))
    cost = repeat_cycles(core, "unary" if scalar else "binary", repeats, src0.dtype.itemsize)
    access(core, "V", cost, name, reads=sources, writes=(dst,))
    test = _TESTS[CMPMODE(mode)]
    other = src0.dtype.type(src1) if scalar else None

    def bits(a, b=None):
        return np.packbits(test(a, other if scalar else b), axis=1, bitorder="little")

    tensors = (dst, *sources)
    plan = vector_repeat.Plan(at, None, vector_repeat.needs_order(tensors, at))
    vector_repeat.execute(plan, dst, sources, bits)


def Select(dst: LocalTensor, selMask, src0, src1, selMode, *args) -> None:
    """dst[i] = src0[i] where bit i of selMask is set, else src1[i] (or the scalar src1).

    Forms: `Select(dst, selMask, src0, src1, selMode, count)`; the repeat form
    `Select(dst, selMask, src0, src1, selMode, mask, repeatTimes, BinaryRepeatParams)`; and
    `Select(dst, src0, src1, repeatTimes, BinaryRepeatParams)`, Ascend C's
    `Select<T, VSEL_CMPMASK_SPR>`, with lanes from the mask register and bits from CMPMASK.

    Args:
        dst: result, same type as src0.
        selMask: uint8 bits, as Compare writes them.
        src0: taken where the bit is 1.
        src1: a LocalTensor (VSEL_TENSOR_TENSOR_MODE, VSEL_CMPMASK_SPR) or a scalar
            (VSEL_TENSOR_SCALAR_MODE).
        selMode: a SELMODE. In VSEL_CMPMASK_SPR the first 16 bytes of selMask are loaded
            into CMPMASK and every repeat selects with the same bits; in the other modes
            repeat r takes the next bits of selMask (r x lanes on), as vsel reads them.
    """
    if isinstance(selMode, vector_repeat.BinaryRepeatParams) and not args:
        src0, src1, repeat_times, params = selMask, src0, src1, selMode
        _same_type("Select", dst, src0, src1)
        cmpmask.select_by_register(dst, src0, src1, repeat_times, params)
        return
    mode = SELMODE(selMode)
    tensor_mode = mode != SELMODE.VSEL_TENSOR_SCALAR_MODE
    if tensor_mode != isinstance(src1, LocalTensor):
        raise TypeError(
            f"Select in {mode.name} takes src1 as a " + ("LocalTensor" if tensor_mode else "scalar")
        )
    _same_type("Select", dst, src0, *((src1,) if tensor_mode else ()))
    sources = (src0, src1) if tensor_mode else (src0,)
    shared = mode == SELMODE.VSEL_CMPMASK_SPR
    if shared:
        cmpmask.SetCmpMask(selMask)
    if len(args) == 3:
        _select_repeat(dst, selMask, sources, src1, shared, *args)
        return
    count = int(_only_count("Select", args, "(dst, selMask, src0, src1, selMode, ...)"))
    lanes = vector_repeat.lanes_per_repeat(dst.dtype)
    _check_mask_tensor("Select", selMask, lanes if shared else count, "selMask")
    check_operands("Select", dst, (*sources, selMask), floats_only=False)
    for tensor in (dst, *sources):
        if not 0 < count <= tensor.length:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                f"Select of {count} elements on a LocalTensor of {tensor.length}",
                "count must be positive and fit in every operand",
                pipe="V",
            )
    core = _context.current("Select")
    cost = cycles(core, "binary", count, dst.dtype.itemsize)
    access(core, "V", cost, "Select", reads=(*sources, selMask), writes=(dst,))
    masks.after_first_n(core)
    if shared:
        bits = np.resize(cmpmask.register_bits(core, dst.dtype), count)
    else:
        bits = np.unpackbits(selMask.array[: -(-count // 8)], bitorder="little")[:count]
    other = src1.array[:count] if tensor_mode else dst.dtype.type(src1)
    dst.array[:count] = np.where(bits.astype(bool), src0.array[:count], other)


def _select_repeat(dst, sel_mask, sources, src1, shared, mask, repeat_times, params) -> None:
    """The repeat form of Select: lanes and strides as Add's, bits from sel_mask."""
    check_operands("Select", dst, (sel_mask,), floats_only=False)
    strides = params.strides()[: 1 + len(sources)]
    plan = _run_repeat(
        "Select", dst, sources, mask, repeat_times, strides, "binary", extra_reads=(sel_mask,)
    )
    lanes = vector_repeat.lanes_per_repeat(dst.dtype)
    if shared:
        bits = cmpmask.register_bits(_context.current("Select"), dst.dtype)
    else:
        _check_mask_tensor("Select", sel_mask, plan.repeats * lanes, "selMask")
        bits = np.unpackbits(sel_mask.array[: plan.repeats * lanes // 8], bitorder="little")
    scalar = dst.dtype.type(src1) if len(sources) == 1 else None
    cmpmask.select_with_bits(dst, sources, scalar, plan, bits, shared)
