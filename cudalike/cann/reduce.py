"""Reductions in the repeat form: per repeat (WholeReduce*), per 32-byte block (BlockReduce*),
and of adjacent pairs (PairReduceSum); `vcadd`, the intrinsic under WholeReduceSum.

Each repeat of 256 bytes (128 halves, 64 floats) is read as the repeat form does (mask,
srcBlkStride and srcRepStride in 32-byte blocks, see vector_repeat.py); only the lanes the mask
enables take part. Sums add in a balanced tree in the operand type. Results go to dst at
`repeat x dstRepStride x (what one repeat reduces to)`: 1 element for WholeReduceSum (2 for
WholeReduceMax/Min with value and index), 8 for BlockReduce*, half a repeat for PairReduceSum.
A reduction costs `vector_reduce_factor` times a unary op per repeat (2-5x an Add on the
hardware; the guide's advice is a tree of Adds first, then one reduction per repeat).

Differences: a block (or pair) with no enabled lane leaves its dst element as it was.
"""

from __future__ import annotations

import enum

import numpy as np

from cudalike.cann import _context, errors, ub_banks, vector_repeat
from cudalike.cann.local import LocalTensor, UbPointer, access
from cudalike.cann.masks import MASK_PLACEHOLDER
from cudalike.cann.vector import _same_type, check_operands, per_repeat_cycles, repeat_cycles

PER_BLOCK_BYTES = vector_repeat.BLOCK_BYTES


class ReduceOrder(enum.Enum):
    """What WholeReduceMax/Min write per repeat (Ascend C's ReduceOrder)."""

    ORDER_VALUE_INDEX = "value_index"
    ORDER_INDEX_VALUE = "index_value"
    ORDER_ONLY_VALUE = "only_value"
    ORDER_ONLY_INDEX = "only_index"


def _tree(values: np.ndarray, body) -> np.ndarray:
    """Reduce the rows of `values` (R, n) pairwise, as the hardware's adder tree does."""
    while values.shape[1] > 1:
        if values.shape[1] % 2:
            filler = np.zeros_like(values[:, :1]) if body is np.add else values[:, -1:]
            values = np.concatenate([values, filler], axis=1)
        values = body(values[:, 0::2], values[:, 1::2])
    return values[:, 0]


def _plan(name, dst, src, args, outputs_of, stride_unit, is_set_mask, dst_align):
    """Check, issue to V and plan one reduction: dst gets `outputs_of(active lanes)` (indices
    within a repeat's result) at repeat x dstRepStride x `stride_unit`; dst starts on
    `dst_align` bytes (the vendor's constraint for the instruction, not always 32).

    Returns:
        (plan, active lanes).
    """
    mask, repeat_times, dst_rep_stride, src_blk_stride, src_rep_stride = args
    core = _context.current(name)
    _same_type(name, dst, src)
    check_operands(name, dst, (src,), False, dst_align)
    lanes, repeats, tail = vector_repeat.resolve_mask(
        name, core, mask, repeat_times, src.dtype, is_set_mask
    )
    if tail is not None:
        raise _context.error(
            errors.InstructionError,
            f"{name} in Counter mode (SetMaskCount) is not supported",
            "call SetMaskNorm() and give a mask and repeatTimes",
            pipe="V",
        )
    src_at = vector_repeat.lane_indices(
        name, src, lanes, repeats, int(src_blk_stride), int(src_rep_stride), "src"
    )
    if int(dst_rep_stride) < 0:
        raise _context.error(
            errors.InstructionError, f"{name} dstRepStride {dst_rep_stride} is negative", pipe="V"
        )
    starts = np.arange(repeats) * int(dst_rep_stride) * stride_unit
    dst_at = starts[:, None] + np.asarray(outputs_of(lanes))[None, :]
    if dst_at.size and dst_at.max() >= dst.length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} writes element {int(dst_at.max())} of dst, a LocalTensor of "
            f"{dst.length} elements",
            "make dst hold one result per repeat (dstRepStride apart)",
            pipe="V",
        )
    at = [dst_at, src_at]
    pace = per_repeat_cycles(core, "reduce", src.dtype.itemsize)
    queued = ub_banks.repeat_conflicts(core.profile, pace, (dst, src), at, None)
    cycles = repeat_cycles(core, "reduce", repeats, src.dtype.itemsize)
    access(core, "V", cycles, name, reads=(src,), writes=(dst,), bank_conflict=queued)
    plan = vector_repeat.Plan(at, None, vector_repeat.needs_order((dst, src), at))
    return plan, lanes


def _whole(name: str, body, order: ReduceOrder, dst, src, args, is_set_mask) -> None:
    pair = order in (ReduceOrder.ORDER_VALUE_INDEX, ReduceOrder.ORDER_INDEX_VALUE)
    width = 2 if pair else 1
    # dst starts on 4 bytes for half, 8 for float (the vendor's WholeReduce constraint)
    align = 2 * dst.dtype.itemsize
    plan, lanes = _plan(name, dst, src, args, lambda _: range(width), width, is_set_mask, align)
    if body is np.add:
        vector_repeat.execute(plan, dst, (src,), lambda values: _tree(values, body)[:, None])
        return
    # The index of the first lane holding the extreme, stored as an integer of the type's
    # width in the element's bits (read it back with a reinterpreting view).
    pick = np.argmax if body is np.maximum else np.argmin
    bits = np.uint16 if dst.dtype.itemsize == 2 else np.uint32

    def result(values: np.ndarray) -> np.ndarray:
        value = _tree(values, body).astype(dst.dtype)
        index = lanes[pick(values, axis=1)].astype(bits).view(dst.dtype)
        columns = {
            ReduceOrder.ORDER_VALUE_INDEX: (value, index),
            ReduceOrder.ORDER_INDEX_VALUE: (index, value),
            ReduceOrder.ORDER_ONLY_VALUE: (value,),
            ReduceOrder.ORDER_ONLY_INDEX: (index,),
        }[order]
        return np.stack(columns, axis=1)

    vector_repeat.execute(plan, dst, (src,), result)


def WholeReduceSum(dst: LocalTensor, src: LocalTensor, *args, isSetMask: bool = True) -> None:
    """dst[r * dstRepStride] = sum of the enabled lanes of repeat r.

    Args (after dst, src): mask, repeatTimes, dstRepStride (in elements), srcBlkStride,
    srcRepStride (in 32-byte blocks), as in Ascend C.
    """
    _whole("WholeReduceSum", np.add, ReduceOrder.ORDER_ONLY_VALUE, dst, src, args, isSetMask)


def vcadd(
    dst: UbPointer,
    src: UbPointer,
    repeat: int,
    dstRepeatStride: int,
    srcBlockStride: int,
    srcRepeatStride: int,
    mode: bool = False,
) -> None:
    """The CCE intrinsic under WholeReduceSum: the sum of each repeat's lanes the mask
    register enables (SetMask / SetVectorMask), through UB pointers. Ascend C's
    `vcadd((__ubuf__ float*)d.GetPhyAddr(), (__ubuf__ float*)s.GetPhyAddr(), 1, 0, 1, 0,
    false)` is `vcadd(d.GetPhyAddr().cast(float), s.GetPhyAddr().cast(float), 1, 0, 1, 0,
    False)`. `mode` is the last argument WholeReduceSum passes on Atlas A2 (0); others are
    refused.
    """
    if not (isinstance(dst, UbPointer) and isinstance(src, UbPointer)):
        raise TypeError("vcadd takes UB pointers: t.GetPhyAddr().cast(dtype)")
    if mode:
        raise _context.error(
            errors.InstructionError,
            f"vcadd with mode {mode!r} is not modelled (WholeReduceSum passes false)",
            pipe="V",
        )
    args = (MASK_PLACEHOLDER, repeat, dstRepeatStride, srcBlockStride, srcRepeatStride)
    order = ReduceOrder.ORDER_ONLY_VALUE
    _whole("vcadd", np.add, order, dst.tensor, src.tensor, args, False)


def WholeReduceMax(
    dst: LocalTensor,
    src: LocalTensor,
    *args,
    order=ReduceOrder.ORDER_VALUE_INDEX,
    isSetMask: bool = True,
) -> None:
    """Max of the enabled lanes of each repeat, with its lane index as `order` says.

    Args as WholeReduceSum, then optionally `order` (its 8th positional argument in Ascend C);
    with values and indices one repeat writes 2 elements and dstRepStride counts such pairs.
    An index is written as an integer of the element's width (uint16 for half, uint32 for
    float) in the element's bits.
    """
    args, order = _split_order(args, order)
    _whole("WholeReduceMax", np.maximum, order, dst, src, args, isSetMask)


def WholeReduceMin(
    dst: LocalTensor,
    src: LocalTensor,
    *args,
    order=ReduceOrder.ORDER_VALUE_INDEX,
    isSetMask: bool = True,
) -> None:
    """Min of the enabled lanes of each repeat, with its lane index; see WholeReduceMax."""
    args, order = _split_order(args, order)
    _whole("WholeReduceMin", np.minimum, order, dst, src, args, isSetMask)


def _split_order(args: tuple, order) -> tuple[tuple, ReduceOrder]:
    """(the five repeat arguments, the order): order may come positionally after them."""
    if len(args) == 6:
        return args[:5], ReduceOrder(args[5])
    return args, ReduceOrder(order)


def _grouped(name: str, body, group: int, dst, src, args, is_set_mask) -> None:
    """Reduce each run of `group` lanes of every repeat to one element (BlockReduce, Pair)."""
    repeat_times, mask, *strides = args
    outputs = vector_repeat.lanes_per_repeat(src.dtype) // group
    plan, lanes = _plan(
        name,
        dst,
        src,
        (mask, repeat_times, *strides),
        lambda active: np.unique(active // group),
        outputs,
        is_set_mask,
        # BlockReduce: dst on 16 bytes for half, 32 for float (8 results)
        8 * dst.dtype.itemsize if group > 2 else 32,
    )
    owner = lanes // group
    present = np.unique(owner)

    def result(values: np.ndarray) -> np.ndarray:
        return np.stack([_tree(values[:, owner == out], body) for out in present], axis=1)

    vector_repeat.execute(plan, dst, (src,), result)


def BlockReduceSum(dst: LocalTensor, src: LocalTensor, *args, isSetMask: bool = True) -> None:
    """Sum of each 32-byte block of each repeat: 8 results per repeat.

    Args (after dst, src): repeatTimes, mask, dstRepStride (in 8-element results of a repeat),
    srcBlkStride, srcRepStride (in 32-byte blocks): note repeatTimes comes before mask here,
    as in Ascend C.
    """
    _grouped("BlockReduceSum", np.add, _per_block(src), dst, src, args, isSetMask)


def BlockReduceMax(dst: LocalTensor, src: LocalTensor, *args, isSetMask: bool = True) -> None:
    """Max of each 32-byte block of each repeat; args as BlockReduceSum."""
    _grouped("BlockReduceMax", np.maximum, _per_block(src), dst, src, args, isSetMask)


def BlockReduceMin(dst: LocalTensor, src: LocalTensor, *args, isSetMask: bool = True) -> None:
    """Min of each 32-byte block of each repeat; args as BlockReduceSum."""
    _grouped("BlockReduceMin", np.minimum, _per_block(src), dst, src, args, isSetMask)


def PairReduceSum(dst: LocalTensor, src: LocalTensor, *args, isSetMask: bool = True) -> None:
    """dst[p] = src[2p] + src[2p + 1] within each repeat (64 results for half, 32 for float).

    Args as BlockReduceSum; dstRepStride counts half repeats (128 bytes).
    """
    _grouped("PairReduceSum", np.add, 2, dst, src, args, isSetMask)


def _per_block(src: LocalTensor) -> int:
    return PER_BLOCK_BYTES // src.dtype.itemsize


# The names CANN 9.1 gives them.
ReduceRepeatSum, ReduceRepeatMax, ReduceRepeatMin = WholeReduceSum, WholeReduceMax, WholeReduceMin
ReduceDataBlockSum, ReduceDataBlockMax, ReduceDataBlockMin = (
    BlockReduceSum,
    BlockReduceMax,
    BlockReduceMin,
)


def RepeatReduceSum(
    dst: LocalTensor,
    src: LocalTensor,
    repeatTime: int,
    mask: int,
    dstBlkStride: int,
    srcBlkStride: int,
    dstRepStride: int,
    srcRepStride: int,
    isSetMask: bool = True,
) -> None:
    """dst[r * dstRepStride] = sum of the first `mask` lanes of repeat r (no bit-mask form).

    The older form of WholeReduceSum with the repeat count first; dstBlkStride has no effect
    (hiascend.com Ascend C API reference, RepeatReduceSum, atlasascendc_api_07_0086).
    """
    if isinstance(mask, (list, tuple)):
        raise _context.error(
            errors.InstructionError,
            "RepeatReduceSum takes a continuous mask (a lane count), not lane bits",
            "use WholeReduceSum for a bit mask",
        )
    args = (mask, repeatTime, dstRepStride, srcBlkStride, srcRepStride)
    _whole("RepeatReduceSum", np.add, ReduceOrder.ORDER_ONLY_VALUE, dst, src, args, isSetMask)
