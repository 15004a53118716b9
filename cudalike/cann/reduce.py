"""Reductions in the repeat form: per repeat (WholeReduce*), per 32-byte block (BlockReduce*),
and of adjacent pairs (PairReduceSum).

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

from cudalike.cann import _context, errors, vector_repeat
from cudalike.cann.local import LocalTensor, access
from cudalike.cann.vector import _same_type, check_operands, repeat_cycles

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


def _read(name, dst, src, mask, repeat_times, src_blk_stride, src_rep_stride):
    """Check the operands, and gather src's enabled lanes: (lanes, values (R, lanes))."""
    _same_type(name, dst, src)
    check_operands(name, dst, (src,), floats_only=False)
    repeat_times = vector_repeat.check_repeat_times(name, repeat_times)
    lanes = vector_repeat.active_lanes(name, mask, src.dtype)
    at = vector_repeat.lane_indices(
        name, src, lanes, repeat_times, int(src_blk_stride), int(src_rep_stride), "src"
    )
    return lanes, src.array[at]


def _write(name, dst, src, repeat_times, first, per_repeat, dst_rep_stride) -> np.ndarray:
    """Check and issue; return dst indices (R, per_repeat) at repeat x stride x `first`."""
    core = _context.current(name)
    if int(dst_rep_stride) < 0:
        raise _context.error(
            errors.InstructionError, f"{name} dstRepStride {dst_rep_stride} is negative", pipe="V"
        )
    starts = np.arange(int(repeat_times)) * int(dst_rep_stride) * first
    at = starts[:, None] + np.arange(per_repeat)[None, :]
    if at.size and at.max() >= dst.length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} writes element {int(at.max())} of dst, a LocalTensor of {dst.length} elements",
            "make dst hold one result per repeat (dstRepStride apart)",
            pipe="V",
        )
    cycles = repeat_cycles(core, "reduce", int(repeat_times), src.dtype.itemsize)
    access(core, "V", cycles, name, reads=(src,), writes=(dst,))
    return at


def _whole(name: str, body, order: ReduceOrder, dst, src, args) -> None:
    mask, repeat_times, dst_rep_stride, src_blk_stride, src_rep_stride = args
    lanes, values = _read(name, dst, src, mask, repeat_times, src_blk_stride, src_rep_stride)
    pair = order in (ReduceOrder.ORDER_VALUE_INDEX, ReduceOrder.ORDER_INDEX_VALUE)
    at = _write(name, dst, src, repeat_times, 2 if pair else 1, 2 if pair else 1, dst_rep_stride)
    if not at.size:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        result = _tree(values, body)
    if body is np.add:
        dst.array[at[:, 0]] = result
        return
    # The index of the first lane holding the extreme, stored as an integer of the type's
    # width in the element's bits (read it back with a reinterpreting view).
    pick = np.argmax if body is np.maximum else np.argmin
    index = lanes[pick(values, axis=1)].astype(np.uint16 if dst.dtype.itemsize == 2 else np.uint32)
    bits = dst.array.view(index.dtype)
    if order == ReduceOrder.ORDER_VALUE_INDEX:
        dst.array[at[:, 0]], bits[at[:, 1]] = result, index
    elif order == ReduceOrder.ORDER_INDEX_VALUE:
        bits[at[:, 0]], dst.array[at[:, 1]] = index, result
    elif order == ReduceOrder.ORDER_ONLY_VALUE:
        dst.array[at[:, 0]] = result
    else:
        bits[at[:, 0]] = index


def WholeReduceSum(dst: LocalTensor, src: LocalTensor, *args) -> None:
    """dst[r * dstRepStride] = sum of the enabled lanes of repeat r.

    Args (after dst, src): mask, repeatTimes, dstRepStride (in elements), srcBlkStride,
    srcRepStride (in 32-byte blocks), as in Ascend C.
    """
    _whole("WholeReduceSum", np.add, ReduceOrder.ORDER_ONLY_VALUE, dst, src, args)


def WholeReduceMax(
    dst: LocalTensor, src: LocalTensor, *args, order=ReduceOrder.ORDER_VALUE_INDEX
) -> None:
    """Max of the enabled lanes of each repeat, with its lane index as `order` says.

    Args as WholeReduceSum; with values and indices one repeat writes 2 elements and
    dstRepStride counts such pairs. An index is written as an integer of the element's width
    (uint16 for half, uint32 for float) in the element's bits.
    """
    _whole("WholeReduceMax", np.maximum, ReduceOrder(order), dst, src, args)


def WholeReduceMin(
    dst: LocalTensor, src: LocalTensor, *args, order=ReduceOrder.ORDER_VALUE_INDEX
) -> None:
    """Min of the enabled lanes of each repeat, with its lane index; see WholeReduceMax."""
    _whole("WholeReduceMin", np.minimum, ReduceOrder(order), dst, src, args)


def _grouped(name: str, body, group: int, dst, src, args) -> None:
    """Reduce each run of `group` lanes of every repeat to one element (BlockReduce, Pair)."""
    repeat_times, mask, dst_rep_stride, src_blk_stride, src_rep_stride = args
    lanes, values = _read(name, dst, src, mask, repeat_times, src_blk_stride, src_rep_stride)
    outputs = vector_repeat.lanes_per_repeat(src.dtype) // group
    at = _write(name, dst, src, repeat_times, outputs, outputs, dst_rep_stride)
    if not at.size:
        return
    owner = lanes // group
    with np.errstate(over="ignore", invalid="ignore"):
        for out in np.unique(owner):
            dst.array[at[:, out]] = _tree(values[:, owner == out], body)


def BlockReduceSum(dst: LocalTensor, src: LocalTensor, *args) -> None:
    """Sum of each 32-byte block of each repeat: 8 results per repeat.

    Args (after dst, src): repeatTimes, mask, dstRepStride (in 8-element results of a repeat),
    srcBlkStride, srcRepStride (in 32-byte blocks): note repeatTimes comes before mask here,
    as in Ascend C.
    """
    _grouped("BlockReduceSum", np.add, _per_block(src), dst, src, args)


def BlockReduceMax(dst: LocalTensor, src: LocalTensor, *args) -> None:
    """Max of each 32-byte block of each repeat; args as BlockReduceSum."""
    _grouped("BlockReduceMax", np.maximum, _per_block(src), dst, src, args)


def BlockReduceMin(dst: LocalTensor, src: LocalTensor, *args) -> None:
    """Min of each 32-byte block of each repeat; args as BlockReduceSum."""
    _grouped("BlockReduceMin", np.minimum, _per_block(src), dst, src, args)


def PairReduceSum(dst: LocalTensor, src: LocalTensor, *args) -> None:
    """dst[p] = src[2p] + src[2p + 1] within each repeat (64 results for half, 32 for float).

    Args as BlockReduceSum; dstRepStride counts half repeats (128 bytes).
    """
    _grouped("PairReduceSum", np.add, 2, dst, src, args)


def _per_block(src: LocalTensor) -> int:
    return PER_BLOCK_BYTES // src.dtype.itemsize


# The names CANN 9.1 gives them.
ReduceRepeatSum, ReduceRepeatMax, ReduceRepeatMin = WholeReduceSum, WholeReduceMax, WholeReduceMin
ReduceDataBlockSum, ReduceDataBlockMax, ReduceDataBlockMin = (
    BlockReduceSum,
    BlockReduceMax,
    BlockReduceMin,
)
