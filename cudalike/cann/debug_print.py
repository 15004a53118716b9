"""Kernel debug output: AscendC::printf / PRINTF, DumpTensor and DumpAccChkPoint.

On the hardware each core writes its records into its own dump space in GM and the runtime
prints them after the kernel ends, core by core, each core's block headed by a DumpHead line
(hiascend.com Ascend C API reference, "printf" and "DumpTensor", atlasascendc_api_07_0192:
DumpHead with block_id, total_block_num, block_remain_len, block_initial_space, magic; each
tensor headed by `DumpTensor: desc=..., addr=..., data_type=..., position=...`). Here each
block's records are kept and printed when the block ends, blocks in index order, so the
output is the same on every run. Space is counted as 32 bytes per head plus each record's
bytes rounded up to 32; block_initial_space is the vendor's 1 MB per core.

DumpTensor drains every pipe first (the vendor's implementation runs PipeBarrier<PIPE_ALL>
around its copies), so it also orders what came before it.
"""

from __future__ import annotations

import re

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.dtypes import from_bfloat16, is_bfloat16
from cudalike.cann.gm import GlobalTensor
from cudalike.cann.local import LocalTensor
from cudalike.cann.sync import PIPE_ALL, PipeBarrier

BLOCK_INITIAL_SPACE = 1024 * 1024
HEAD_BYTES = 32
MAGIC = "5aa5bccd"
_LENGTH_MODIFIERS = re.compile(r"%([-+ 0#]*\d*(?:\.\d+)?)(?:hh|h|ll|l|z|j|t)?([diouxXeEfgGcsp%])")
_TYPE_NAMES = {
    "float16": "DT_FLOAT16",
    "float32": "DT_FLOAT",
    "int8": "DT_INT8",
    "uint8": "DT_UINT8",
    "int16": "DT_INT16",
    "uint16": "DT_UINT16",
    "int32": "DT_INT32",
    "uint32": "DT_UINT32",
    "int64": "DT_INT64",
    "uint64": "DT_UINT64",
}


class DumpLog:
    """One core's records, printed with its DumpHead when the block ends."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.used = HEAD_BYTES

    def add(self, payload_bytes: int, *lines: str) -> None:
        self.lines.extend(lines)
        self.used += HEAD_BYTES + -(-payload_bytes // 32) * 32


def _log(core) -> DumpLog:
    if core.dump_log is None:
        core.dump_log = DumpLog()
    return core.dump_log


def printf(fmt: str, *args) -> None:
    """Ascend C's printf: the C format (%d, %u, %ld, %f, %x, %s, %p...) filled with args."""
    core = _context.current("printf")
    pattern = _LENGTH_MODIFIERS.sub(
        lambda m: "%%" if m.group(2) == "%" else f"%{m.group(1)}{_conversion(m.group(2))}", fmt
    )
    values = tuple(_scalar(a) for a in args)
    try:
        text = pattern % values
    except (TypeError, ValueError) as error:
        raise _context.error(
            errors.InstructionError,
            f"printf({fmt!r}) with {len(args)} argument(s): {error}",
            "give one argument per % conversion, of a matching type",
        ) from None
    core.timeline.issue(
        "S", core.profile.scalar_gm_access_cycles, "printf", _context.user_location()
    )
    _log(core).add(len(text.encode()) + 1, *text.rstrip("\n").split("\n"))


PRINTF = printf


def _conversion(kind: str) -> str:
    return {"i": "d", "u": "d", "p": "x", "c": "c"}.get(kind, kind)


def _scalar(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


class ShapeInfo:
    """The shape DumpTensor reads the dumped elements as (`ShapeInfo(2, [8, 8])`)."""

    def __init__(self, shapeDim: int = 0, shape=(), dataFormat=None):
        self.shapeDim = int(shapeDim)
        self.shape = [int(d) for d in list(shape)[: self.shapeDim]]
        self.dataFormat = dataFormat


def DumpTensor(tensor, desc: int, dumpSize: int, shapeInfo: ShapeInfo | None = None) -> None:
    """Dump the first `dumpSize` elements of a LocalTensor or GlobalTensor, tagged `desc`
    (with a ShapeInfo the elements print as one bracketed row per last-axis row)."""
    _dump("DumpTensor", tensor, int(desc), 0, int(dumpSize), shapeInfo)


def DumpAccChkPoint(tensor, index: int, countOff: int, dumpSize: int) -> None:
    """Dump `dumpSize` elements of a tensor from element `countOff` on, tagged `index`."""
    _dump("DumpAccChkPoint", tensor, int(index), int(countOff), int(dumpSize))


def _dump(api: str, tensor, desc: int, offset: int, count: int, shape=None) -> None:
    core = _context.current(api)
    if isinstance(tensor, LocalTensor):
        length, position = tensor.length, tensor.slot.store.name
        address = tensor.byte_offset + offset * tensor.dtype.itemsize
        values = tensor.array[offset : offset + count] if count > 0 else tensor.array[:0]
    elif isinstance(tensor, GlobalTensor):
        length, position = tensor.length, "GM"
        address = tensor.byte_offset(offset)
        values = tensor.array(offset, max(min(count, tensor.length - offset), 0))
    else:
        raise TypeError(f"{api} takes a LocalTensor or GlobalTensor, got {type(tensor).__name__}")
    if count < 0 or offset < 0 or offset + count > length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{api} of elements [{offset}, {offset + count}) of a tensor of {length}",
            "dump at most the tensor's length",
        )
    PipeBarrier(PIPE_ALL)
    dtype = tensor.dtype
    shown = from_bfloat16(values) if is_bfloat16(dtype) else values
    name = "DT_BF16" if is_bfloat16(dtype) else _TYPE_NAMES.get(str(dtype), str(dtype))
    head = f"{api}: desc={desc}, addr={address}, data_type={name}, position={position}"
    row = shape.shape[-1] if shape is not None and shape.shape else max(count, 1)
    rows = [shown[i : i + row] for i in range(0, max(count, 1), row)] if count else [shown]
    text = [", ".join(map(_format, r)) for r in rows]
    body = (
        "[" + text[0] + "]" if len(text) == 1 else "[" + ",\n ".join(f"[{t}]" for t in text) + "]"
    )
    _log(core).add(count * dtype.itemsize, head, *body.split("\n"))


def _format(value) -> str:
    if isinstance(value, np.floating):
        return f"{float(value):g}"
    return str(int(value))


def flush(core: _context.CoreContext) -> None:
    """Print the block's records under its DumpHead (called when the block ends)."""
    log = core.dump_log
    if log is None:
        return
    launch = core.launch
    op_type = "".join(part.capitalize() for part in launch.kernel_name.split("_"))
    print(
        f"opType={op_type}, DumpHead: {core.core_type}-{core.block}, CoreType={core.core_type}, "
        f"block dim={launch.num_blocks}, total_block_num={launch.num_blocks}, "
        f"block_remain_len={BLOCK_INITIAL_SPACE - log.used}, "
        f"block_initial_space={BLOCK_INITIAL_SPACE}, rsv=0, magic={MAGIC}"
    )
    for line in log.lines:
        print(line)
    core.dump_log = None
