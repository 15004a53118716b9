"""DataCopy and DataCopyPad: the transfers between global memory and the on-chip buffers.

GM -> UB and GM -> L1 run on MTE2, UB -> GM on MTE3, UB -> UB on the vector pipe. A transfer
costs a fixed overhead plus bytes over the bandwidth: the engine's own per core, or the core's
share of global memory when many cores are active, and less for GM addresses that are not
512-byte aligned. DataCopy moves whole 32-byte blocks only; DataCopyPad moves any byte count.
"""

from __future__ import annotations

import dataclasses
import weakref

import numpy as np

from cudalike.cann import _context, atomics, errors
from cudalike.cann.cube import Nd2NzParams, copy_nd2nz
from cudalike.cann.gm import GlobalTensor, record_write
from cudalike.cann.local import LocalTensor, access
from cudalike.i18n import _

BLOCK = 32  # bytes in one data block, the unit of DataCopy lengths and UB addresses

_pad_values: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def SetPadValue(paddingValue) -> None:  # noqa: N802 - Ascend C's name
    """Set the pad register: what DataCopyPad GM -> UB writes into a row's padding.

    DataCopyPad with isPad false pads with this value; with isPad true it pads with its
    paddingValue instead (hiascend.com Ascend C API reference, SetPadValue). Until the
    register is set, isPad false leaves the padding as it was (the hardware's is undefined).
    """
    _pad_values[_context.current("SetPadValue")] = paddingValue


@dataclasses.dataclass
class DataCopyParams:
    """Strided DataCopy: blockCount rows of blockLen 32-byte blocks, gaps in 32-byte blocks."""

    blockCount: int = 1
    blockLen: int = 0
    srcStride: int = 0
    dstStride: int = 0


@dataclasses.dataclass
class DataCopyExtParams:
    """DataCopyPad rows: blockLen in bytes; the GM-side stride in bytes, the UB-side in blocks."""

    blockCount: int = 1
    blockLen: int = 0
    srcStride: int = 0
    dstStride: int = 0
    rsv: int = 0


@dataclasses.dataclass
class DataCopyPadExtParams:
    """What DataCopyPad writes into the rest of each row's last 32-byte block in UB."""

    isPad: bool = False
    leftPadding: int = 0
    rightPadding: int = 0
    paddingValue: float = 0


@dataclasses.dataclass
class DataCopyPadParams:
    """The older form of DataCopyPadExtParams (same fields), taken by the same DataCopyPad."""

    isPad: bool = False
    leftPadding: int = 0
    rightPadding: int = 0
    paddingValue: int = 0


def DataCopy(dst, src, count_or_params) -> None:
    """Copy `count` elements (a multiple of 32 bytes) or DataCopyParams rows.

    Raises:
        AlignmentError: a UB address or a length not a multiple of 32 bytes (the hardware
            would round the length down and silently drop the rest).
        GlobalOutOfBoundsError: past the end of either tensor.
    """
    if isinstance(count_or_params, Nd2NzParams):  # GM -> L1 with ND -> NZ: the cube path
        copy_nd2nz(dst, src, count_or_params)
        return
    core = _context.current("DataCopy")
    if isinstance(count_or_params, DataCopyParams):
        params = count_or_params
        row = params.blockLen * BLOCK
        src_pitch = (params.blockLen + params.srcStride) * BLOCK
        dst_pitch = (params.blockLen + params.dstStride) * BLOCK
        _rows(core, "DataCopy", dst, src, params.blockCount, row, src_pitch, dst_pitch, None)
        return
    count = int(count_or_params)
    itemsize = src.dtype.itemsize
    if (count * itemsize) % BLOCK:
        kept = (count * itemsize) // BLOCK * BLOCK // itemsize
        raise _context.error(
            errors.AlignmentError,
            _(
                "DataCopy of {count} x {dtype} = {nbytes} bytes is not a multiple of 32 bytes: "
                "the hardware would round down and copy only {kept} elements"
            ).format(count=count, dtype=src.dtype, nbytes=count * itemsize, kept=kept),
            _("copy a multiple of 32 bytes, or use DataCopyPad for the tail"),
        )
    _rows(core, "DataCopy", dst, src, 1, count * itemsize, 0, 0, None)


def DataCopyPad(dst, src, params, pad=None):
    """Copy blockCount rows of blockLen bytes, any length; each UB row starts on 32 bytes.

    `params` is DataCopyExtParams or the older DataCopyParams (blockLen in bytes here too);
    `pad` is DataCopyPadExtParams or the older DataCopyPadParams.

    Differences: leftPadding is not supported. The rest of each row's last 32-byte block in
    UB is filled with paddingValue (isPad) or with SetPadValue's value (not isPad; left as it
    was when SetPadValue was never called).
    """
    core = _context.current("DataCopyPad")
    if pad is not None and pad.leftPadding:
        raise NotImplementedError("DataCopyPad leftPadding is not supported; pad on the right")
    row = int(params.blockLen)
    ub_row = -(-row // BLOCK) * BLOCK
    if isinstance(dst, LocalTensor):
        src_pitch, dst_pitch = row + params.srcStride, ub_row + params.dstStride * BLOCK
    else:
        src_pitch, dst_pitch = ub_row + params.srcStride * BLOCK, row + params.dstStride
    _rows(core, "DataCopyPad", dst, src, params.blockCount, row, src_pitch, dst_pitch, pad)


def _rows(core, api, dst, src, rows, row, src_pitch, dst_pitch, pad) -> None:
    """Check, cost and perform a copy of `rows` rows of `row` bytes (pitches in bytes)."""
    if dst.dtype != src.dtype:
        raise _context.error(
            errors.InstructionError,
            _("{api} from {src} to {dst}: copies do not convert").format(
                api=api, src=src.dtype, dst=dst.dtype
            ),
            _("copy in the source type, then Cast"),
        )
    itemsize = src.dtype.itemsize
    if row % itemsize or src_pitch % itemsize or dst_pitch % itemsize:
        raise _context.error(errors.AlignmentError, f"{api} row of {row} bytes splits an element")
    span_src = ((rows - 1) * src_pitch + row) // itemsize if rows else 0
    span_dst = ((rows - 1) * dst_pitch + row) // itemsize if rows else 0
    pipe, per_core, gm = _route(core, api, dst, src)
    atomic = isinstance(dst, GlobalTensor) and atomics.mode(core) is not None
    for tensor, span, side in ((src, span_src, "source"), (dst, span_dst, "destination")):
        _check_tensor(tensor, span, api, side, within_allocation=side == "source" or atomic)
    nbytes = rows * row
    bandwidth = core.gm_bytes_per_cycle(per_core, gm.byte_offset() if gm else 0)
    cycles = core.profile.transfer_overhead_cycles + nbytes / bandwidth
    if gm is not None:
        core.timeline.gm_bytes += nbytes
    reads = (src,) if isinstance(src, LocalTensor) else ()
    writes = (dst,) if isinstance(dst, LocalTensor) else ()
    target = _bytes(dst, span_dst)
    result = target.copy() if isinstance(dst, GlobalTensor) and not atomic else target
    if result is not target:  # atomic writes may overlap on purpose: not recorded
        _move(_bytes(src, span_src), result, rows, row, src_pitch, dst_pitch)
        written = np.zeros(len(target), bool)
        _move(np.ones(len(target), bool), written, rows, row, row, dst_pitch)
        record_write(core, dst, 0, span_dst, api, result, written)
    access(core, pipe, cycles, api, reads=reads, writes=writes)
    if atomic:
        _accumulate(core, api, src, dst, span_src, span_dst, rows, row, src_pitch, dst_pitch)
    elif result is not target:
        target[...] = result
    else:
        _move(_bytes(src, span_src), target, rows, row, src_pitch, dst_pitch)
    if pad is not None and isinstance(dst, LocalTensor):
        value = pad.paddingValue if pad.isPad else _pad_values.get(core)
        if value is not None:
            _fill_padding(dst, rows, row, dst_pitch, value)


def _route(core, api, dst, src):
    """(pipe, per-core bytes per cycle, the GlobalTensor side or None) of a copy."""
    profile = core.profile
    if isinstance(src, GlobalTensor) and isinstance(dst, LocalTensor):
        if dst.slot.store.name == "L1":
            return "MTE2", profile.gm_to_l1_bytes_per_cycle, src
        if dst.slot.store.name == "UB":
            return "MTE2", profile.mte2_bytes_per_cycle, src
    elif isinstance(src, LocalTensor) and isinstance(dst, GlobalTensor):
        if src.slot.store.name == "UB":
            return "MTE3", profile.mte3_bytes_per_cycle, dst
    elif isinstance(src, LocalTensor) and isinstance(dst, LocalTensor):
        if src.slot.store.name == "UB" and dst.slot.store.name == "UB":
            return "V", float(profile.vector_repeat_bytes), None
    raise NotImplementedError(
        f"{api} from {_name(src)} to {_name(dst)} is not supported: use GM<->UB or GM->L1 "
        "(L1->L0A/L0B is LoadData, L0C->GM is Fixpipe)"
    )


def _check_tensor(tensor, span: int, api: str, side: str, within_allocation: bool) -> None:
    """Check one side of a copy; a GlobalTensor may be touched past its length up to the end
    of its allocation when `within_allocation` (reads, and atomic writes)."""
    if isinstance(tensor, GlobalTensor):
        tensor.check_range(0, span, api, reading=within_allocation)
        return
    if tensor.byte_offset % BLOCK:
        raise _context.error(
            errors.AlignmentError,
            f"{api} {side} in {tensor.slot.store.name} starts at byte {tensor.byte_offset}, not "
            "a multiple of 32: the hardware would round the address down",
            "slice local tensors at multiples of 32 bytes (16 halves, 8 floats)",
        )
    if span > tensor.length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{api} needs {span} elements of the {side} LocalTensor, which has {tensor.length}",
            "make the buffer (InitBuffer lenBytes) as large as the largest tile",
        )


def _bytes(tensor, span: int) -> np.ndarray:
    return (
        tensor.array(0, span).view(np.uint8)
        if isinstance(tensor, GlobalTensor)
        else (tensor.array[:span].view(np.uint8))
    )


def _move(src: np.ndarray, dst: np.ndarray, rows, row, src_pitch, dst_pitch) -> None:
    if rows == 1 or (src_pitch == row and dst_pitch == row):
        dst[: rows * row] = src[: rows * row]
        return
    for r in range(rows):
        dst[r * dst_pitch : r * dst_pitch + row] = src[r * src_pitch : r * src_pitch + row]


def _accumulate(core, api, src, dst, span_src, span_dst, rows, row, src_pitch, dst_pitch):
    """Rows into GM under SetAtomicAdd/Max/Min: combine element-wise with what is there."""
    source, target = _bytes(src, span_src), _bytes(dst, span_dst)
    for r in range(rows):
        values = source[r * src_pitch : r * src_pitch + row].view(src.dtype)
        into = target[r * dst_pitch : r * dst_pitch + row].view(dst.dtype)
        atomics.combine(core, into, values, api)


def _fill_padding(dst: LocalTensor, rows, row, dst_pitch, value) -> None:
    itemsize = dst.dtype.itemsize
    padded = -(-row // BLOCK) * BLOCK
    for r in range(rows):
        first, last = (r * dst_pitch + row) // itemsize, (r * dst_pitch + padded) // itemsize
        dst.array[first:last] = value


def _name(tensor) -> str:
    return "GM" if isinstance(tensor, GlobalTensor) else tensor.slot.store.name
