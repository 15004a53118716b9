"""ReduceSum, ReduceMax, ReduceMin: one result from a whole tensor, first-n or mask form.

`ReduceSum(dst, src, work, count)` reduces src[:count]; the mask form
`ReduceSum(dst, src, work, mask, repeatTimes, srcRepStride)` reduces the lanes `mask` enables
in each of `repeatTimes` repeats, consecutive repeats `srcRepStride` 32-byte blocks apart
(the vendor's prototypes and constraints, dst starting on 4 bytes for half and 8 for float:
hiascend.com Ascend C API reference, ReduceMax/ReduceSum,
https://www.hiascend.com/document/detail/zh/CANNCommunityEdition/82RC1alpha002/API/
ascendcopapi/atlasascendc_api_07_0076.html). The result goes to dst[0]; with
`calIndex=True` ReduceMax/ReduceMin also write the position of the first extreme to dst[1],
as an integer of the element's width (uint16 for half, uint32 for float) in the element's
bits: read it back with ReinterpretCast. In the mask form that position is
repeat x elements-per-repeat + lane, as the vendor derives it from the per-repeat index.

Sums add pairwise (a balanced tree) in the operand type, as the per-repeat reductions do.
`work` is the scratch the hardware needs; its contents are not modelled.
"""

from __future__ import annotations

import numpy as np

from cudalike.cann import _context, errors, vector_repeat
from cudalike.cann.local import LocalTensor, access
from cudalike.cann.vector import _quiet, _run, _same_type, check_operands, repeat_cycles


def ReduceSum(dst: LocalTensor, src: LocalTensor, work: LocalTensor, *args) -> None:
    """dst[0] = sum of src[:count], or of the enabled lanes of the mask form's repeats.

    Forms: (dst, src, work, count) or (dst, src, work, mask, repeatTimes, srcRepStride).
    """
    _reduce("ReduceSum", np.add, dst, src, work, args, cal_index=False)


def ReduceMax(
    dst: LocalTensor, src: LocalTensor, work: LocalTensor, *args, calIndex: bool = False
) -> None:
    """dst[0] = max of src[:count] (or of the mask form's lanes); with calIndex its position
    in dst[1]. A trailing positional bool is calIndex, as in Ascend C."""
    args, calIndex = _split_index(args, calIndex)
    _reduce("ReduceMax", np.maximum, dst, src, work, args, cal_index=calIndex)


def ReduceMin(
    dst: LocalTensor, src: LocalTensor, work: LocalTensor, *args, calIndex: bool = False
) -> None:
    """dst[0] = min of src[:count] (or of the mask form's lanes); with calIndex its position
    in dst[1]. A trailing positional bool is calIndex, as in Ascend C."""
    args, calIndex = _split_index(args, calIndex)
    _reduce("ReduceMin", np.minimum, dst, src, work, args, cal_index=calIndex)


def _split_index(args: tuple, cal_index: bool) -> tuple[tuple, bool]:
    if len(args) in (2, 4) and isinstance(args[-1], bool | np.bool_):
        return args[:-1], bool(args[-1])
    return args, cal_index


def _reduce(name, body, dst, src, work, args, cal_index: bool) -> None:
    _same_type(name, dst, src, work)
    if cal_index and dst.length < 2:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} with calIndex writes 2 elements; dst has {dst.length}",
            pipe="V",
        )
    if len(args) == 1:
        out, values = _run(
            name,
            dst,
            (src,),
            args[0],
            "reduce",
            dst_count=2 if cal_index else 1,
            dst_align=2 * dst.dtype.itemsize,
        )
        positions = np.arange(len(values))
    elif len(args) == 3:
        values, positions = _masked(name, dst, src, *args)
    else:
        raise TypeError(
            f"{name} takes (dst, src, work, count) or (dst, src, work, mask, repeatTimes, "
            "srcRepStride)"
        )
    if not values.size:
        return
    with _quiet():
        result = _tree(values, body)
    dst.array[0] = result
    if cal_index:
        first = positions[int(np.flatnonzero(values == result)[0])] if result == result else 0
        bits = np.uint16 if dst.dtype.itemsize == 2 else np.uint32
        dst.array[1:2] = np.array([first], dtype=bits).view(dst.dtype)


def _masked(name, dst, src, mask, repeat_times, src_rep_stride):
    """Issue the mask form; return the enabled values and their positions (repeat x lanes +
    lane), in repeat order."""
    core = _context.current(name)
    check_operands(name, dst, (src,), False, 2 * dst.dtype.itemsize)
    lanes, repeats, _ = vector_repeat.resolve_mask(
        name, core, mask, repeat_times, src.dtype, is_set_mask=True
    )
    at = vector_repeat.lane_indices(name, src, lanes, repeats, 1, int(src_rep_stride), "src")
    cycles = repeat_cycles(core, "reduce", max(repeats, 1), src.dtype.itemsize)
    access(core, "V", cycles, name, reads=(src,), writes=(dst,))
    per_repeat = vector_repeat.lanes_per_repeat(src.dtype)
    positions = np.arange(repeats)[:, None] * per_repeat + lanes[None, :]
    return src.array[at].ravel(), positions.ravel()


def _tree(values: np.ndarray, body):
    """Reduce `values` pairwise, as the hardware's adder tree does."""
    values = values.copy()
    while len(values) > 1:
        if len(values) % 2:
            filler = np.zeros(1, values.dtype) if body is np.add else values[-1:]
            values = np.concatenate([values, filler])
        values = body(values[0::2], values[1::2])
    return values[0]
