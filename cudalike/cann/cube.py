"""The cube path: GM -> L1 (ND->NZ), L1 -> L0A/L0B (LoadData), Mmad into L0C, Fixpipe to GM.

    DataCopy(a1, aGm, Nd2NzParams(1, m, k, 0, K, m16, 1, 0))   # MTE2: GM -> L1, ND -> NZ
    LoadData(a2, a1, LoadData2DParamsV2(0, 0, m16 // 16, k16 // 16, m16 // 16))  # MTE1
    Mmad(c1, a2, b2, MmadParams(m, n, k, cmatrixInitVal=True))  # M: fp16 x fp16 -> fp32
    Fixpipe(cGm, c1, FixpipeParams(n, m, n16, N, QuantMode_t.F322F16))  # FIX: fp32 -> fp16

Layouts: L1 holds the NZ layout the hardware uses (the matrix padded to 16 rows and to whole
C0 = 32 bytes of columns, stored as column strips C0 wide, each strip's rows one after another),
so LoadData finds a fractal from the strip height alone, as on the hardware. L0A, L0B and L0C
are kept as logical row-major matrices padded to whole fractals: the same byte count and
alignment as the hardware's fractal orders, easier to read with `numpy()`. The padding is
zero-filled by the ND->NZ copy (the vendor's Matmul API pads the same way), so Mmad over
padded fractals adds nothing.

Costs: DataCopy to L1 as any MTE2 transfer (gm_to_l1 bandwidth); LoadData a transfer
overhead plus bytes at 256 (L0A) or 128 (L0B) bytes per cycle; Mmad one cycle per
16 x 16 x 16 block of fp16 MACs (four for fp32 inputs); Fixpipe a transfer overhead plus bytes
written to GM at the MTE3 bandwidth (an assumption: no public FIX figure).
"""

from __future__ import annotations

import dataclasses
import enum
import math

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.gm import GlobalTensor, record_write
from cudalike.cann.local import LocalTensor, access

FRACTAL = 16  # rows of a fractal; its columns are C0 = 32 bytes of elements


def c0(dtype) -> int:
    """Columns of a fractal for elements of `dtype`: 16 halves, 8 floats, 32 int8."""
    return 32 // np.dtype(dtype).itemsize


def ceil_to(value: int, step: int) -> int:
    """`value` rounded up to a multiple of `step`."""
    return -(-int(value) // step) * step


@dataclasses.dataclass
class Nd2NzParams:
    """DataCopy GM -> L1 of an ND (row-major) matrix, converted to NZ fractals.

    Attributes:
        ndNum: matrices to copy (only 1 is supported).
        nValue: rows to copy.
        dValue: columns to copy.
        srcNdMatrixStride: elements between source matrices (unused with ndNum = 1).
        srcDValue: row pitch of the source in elements (K for an M x K matrix).
        dstNzC0Stride: rows of the destination, a multiple of 16 at least nValue (0: nValue
            rounded up to 16).
        dstNzNStride: rows between fractal rows in the destination (only 1 is supported).
        dstNzMatrixStride: elements between destination matrices (unused with ndNum = 1).
    """

    ndNum: int = 1
    nValue: int = 0
    dValue: int = 0
    srcNdMatrixStride: int = 0
    srcDValue: int = 0
    dstNzC0Stride: int = 0
    dstNzNStride: int = 1
    dstNzMatrixStride: int = 0


@dataclasses.dataclass
class LoadData2DParamsV2:
    """LoadData L1 -> L0A/L0B of a window of fractals (the newer two-dimensional form).

    Attributes:
        mStartPosition: first fractal row of the window in the source (units of 16 rows).
        kStartPosition: first fractal column of the window (units of C0 columns).
        mStep: fractal rows to load.
        kStep: fractal columns to load.
        srcStride: the source's height in fractal rows (its rows / 16).
        dstStride: the destination's height in fractal rows (0: mStep).
        ifTranspose: write the transpose of the window (for B stored as N x K).
    """

    mStartPosition: int = 0
    kStartPosition: int = 0
    mStep: int = 1
    kStep: int = 1
    srcStride: int = 1
    dstStride: int = 0
    ifTranspose: bool = False


@dataclasses.dataclass
class MmadParams:
    """Mmad's shape: c (m x n) = a (m x k) @ b (k x n), plus c when accumulating.

    Attributes:
        m: rows of a and c (1..4095).
        n: columns of b and c (1..4095).
        k: columns of a, rows of b (1..4095).
        cmatrixInitVal: True to overwrite c (first k step), False to accumulate into it.
        cmatrixSource: bias from the bias table (set by passing a bias tensor to Mmad).
        isBias: accepted for source compatibility; a bias tensor argument decides.
    """

    m: int = 0
    n: int = 0
    k: int = 0
    cmatrixInitVal: bool = True
    cmatrixSource: bool = False
    isBias: bool = False


class QuantMode_t(enum.Enum):  # noqa: N801 - Ascend C's name
    """Conversion Fixpipe applies on the way out of L0C."""

    NoQuant = "NoQuant"
    F322F16 = "F322F16"


@dataclasses.dataclass
class FixpipeParams:
    """Fixpipe L0C -> GM of an mSize x nSize block, converting on the way.

    Attributes:
        nSize: columns to write.
        mSize: rows to write.
        srcStride: row pitch of the L0C matrix in elements (0: nSize rounded up to 16).
        dstStride: row pitch of the GM destination in elements (0: nSize).
        quantPre: F322F16 converts fp32 to fp16 (round to nearest even); NoQuant keeps fp32.
    """

    nSize: int = 0
    mSize: int = 0
    srcStride: int = 0
    dstStride: int = 0
    quantPre: QuantMode_t = QuantMode_t.NoQuant


def copy_nd2nz(dst: LocalTensor, src: GlobalTensor, params: Nd2NzParams) -> None:
    """DataCopy(dst in L1, src in GM, Nd2NzParams): used by `cann.DataCopy`."""
    core = _context.current("DataCopy")
    if params.ndNum != 1 or params.dstNzNStride != 1:
        raise NotImplementedError("Nd2NzParams supports ndNum = 1 and dstNzNStride = 1 only")
    _need_store("DataCopy (Nd2Nz)", dst, ("L1",))
    rows, cols = int(params.nValue), int(params.dValue)
    pitch = int(params.srcDValue) or cols
    height = int(params.dstNzC0Stride) or ceil_to(rows, FRACTAL)
    width = ceil_to(cols, c0(src.dtype))
    if dst.dtype != src.dtype:
        raise _context.error(errors.InstructionError, "DataCopy does not convert types")
    if rows < 1 or cols < 1 or cols > pitch or height < rows or height % FRACTAL:
        raise _context.error(
            errors.InstructionError,
            f"Nd2NzParams nValue={rows}, dValue={cols}, srcDValue={pitch}, "
            f"dstNzC0Stride={height}: need 0 < dValue <= srcDValue and a destination height "
            "that is a multiple of 16 and at least nValue",
        )
    _need_room("DataCopy (Nd2Nz)", dst, height * width)
    src.check_range(0, (rows - 1) * pitch + cols, "DataCopy")
    nbytes = rows * cols * src.dtype.itemsize
    bandwidth = core.gm_bytes_per_cycle(core.profile.gm_to_l1_bytes_per_cycle, src.byte_offset())
    core.timeline.gm_bytes += nbytes
    cost = core.profile.transfer_overhead_cycles + nbytes / bandwidth
    access(core, "MTE2", cost, "DataCopy", writes=(dst,))
    source = src.array(0, (rows - 1) * pitch + cols)
    target = np.zeros((height, width), src.dtype)
    target[:rows, :cols] = np.lib.stride_tricks.as_strided(
        source, (rows, cols), (pitch * src.dtype.itemsize, src.dtype.itemsize)
    )
    # NZ: column strips of C0 columns, each `height` rows of C0 elements.
    strips = target.reshape(height, width // c0(src.dtype), c0(src.dtype)).transpose(1, 0, 2)
    dst.array[: height * width] = strips.reshape(-1)


def LoadData(dst: LocalTensor, src: LocalTensor, params: LoadData2DParamsV2) -> None:
    """Copy a window of fractals from L1 into L0A or L0B on the MTE1 pipe.

    The window is rows [16 mStartPosition, 16 (mStartPosition + mStep)) of column strips
    [kStartPosition, kStartPosition + kStep) of the NZ matrix in L1 (srcStride fractals
    high); it lands in dst as a row-major (16 mStep) x (C0 kStep) matrix, or its transpose
    with ifTranspose.

    Raises:
        AlignmentError: dst not 512-byte aligned in L0A/L0B.
        GlobalOutOfBoundsError: the window is outside the source or does not fit dst.
    """
    core = _context.current("LoadData")
    _need_store("LoadData", src, ("L1",))
    _need_store("LoadData", dst, ("L0A", "L0B"))
    _need_aligned("LoadData", dst, core.profile.l0_align_bytes)
    height, step = FRACTAL * int(params.srcStride), c0(src.dtype)
    top, rows = FRACTAL * params.mStartPosition, FRACTAL * params.mStep
    first, strips = int(params.kStartPosition), int(params.kStep)
    used = (first + strips) * height * step
    if height < 1 or rows < 1 or strips < 1 or top + rows > height or used > src.length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"LoadData window rows [{top}, {top + rows}) x column strips [{first}, "
            f"{first + strips}) of an L1 matrix {height} rows high needs {used} elements; the "
            f"source has {src.length}",
            "positions and steps count fractals (16 rows, 32 bytes of columns); srcStride is "
            "the source's height in fractals",
            pipe="MTE1",
        )
    cols = strips * step
    _need_room("LoadData", dst, rows * cols)
    nbytes = rows * cols * src.dtype.itemsize
    per_cycle = {
        "L0A": core.profile.l1_to_l0a_bytes_per_cycle,
        "L0B": core.profile.l1_to_l0b_bytes_per_cycle,
    }[dst.slot.store.name]
    cost = core.profile.transfer_overhead_cycles + nbytes / per_cycle
    access(core, "MTE1", cost, "LoadData", reads=(src,), writes=(dst,))
    nz = src.array[:used].reshape(first + strips, height, step)[first:, top : top + rows]
    window = nz.transpose(1, 0, 2).reshape(rows, cols)  # back to row-major
    dst.array[: rows * cols] = (window.T if params.ifTranspose else window).reshape(-1)


def Mmad(c: LocalTensor, a: LocalTensor, b: LocalTensor, *rest) -> None:
    """c = a @ b (+ c, + bias) on the cube: `Mmad(c, a, b, params)`, `Mmad(c, a, b, bias, params)`.

    a (L0A) is a row-major ceil16(m) x ceil(k, C0) matrix, b (L0B) ceil(k, C0) x ceil16(n),
    c (L0C) fp32 ceil16(m) x ceil16(n). Products of halves are exact in fp32 and summed in
    fp32. The cube works on whole fractals, so m, n and k cost as if rounded up to 16.

    Raises:
        InstructionError: wrong stores or types, or a shape outside 1..4095.
        GlobalOutOfBoundsError: a padded matrix does not fit its tensor.
    """
    core = _context.current("Mmad")
    bias, params = rest if len(rest) == 2 else (None, rest[0])
    m, n, k = int(params.m), int(params.n), int(params.k)
    for tensor, stores in ((a, ("L0A",)), (b, ("L0B",)), (c, ("L0C",))):
        _need_store("Mmad", tensor, stores)
    _need_aligned("Mmad", a, core.profile.l0_align_bytes)
    _need_aligned("Mmad", b, core.profile.l0_align_bytes)
    _need_aligned("Mmad", c, core.profile.l0c_align_bytes)
    if not all(1 <= size <= 4095 for size in (m, n, k)):
        raise _context.error(errors.InstructionError, f"Mmad m={m}, n={n}, k={k}: each in 1..4095")
    if a.dtype != b.dtype or c.dtype != np.float32:
        raise _context.error(
            errors.InstructionError,
            f"Mmad of {a.dtype} x {b.dtype} into {c.dtype}: a and b share a type (half or "
            "float) and c in L0C is float",
            pipe="M",
        )
    m16, n16, kc = ceil_to(m, FRACTAL), ceil_to(n, FRACTAL), ceil_to(k, c0(a.dtype))
    for tensor, size in ((a, m16 * kc), (b, kc * n16), (c, m16 * n16)):
        _need_room("Mmad", tensor, size)
    # One cycle per 16 x 16 x 16 fp16 block; fp32 inputs run at a quarter of the rate.
    blocks = math.ceil(m / 16) * math.ceil(n / 16) * math.ceil(k / 16)
    rate = core.profile.cube_macs_per_cycle / (16**3)
    cost = blocks / rate * (4 if a.dtype == np.float32 else 1)
    reads = (a, b) if params.cmatrixInitVal else (a, b, c)
    reads += (bias,) if bias is not None else ()
    access(core, "M", cost, "Mmad", reads=reads, writes=(c,))
    left = a.array[: m16 * kc].reshape(m16, kc)[:m, :k].astype(np.float32)
    right = b.array[: kc * n16].reshape(kc, n16)[:k, :n].astype(np.float32)
    out = c.array[: m16 * n16].reshape(m16, n16)
    product = left @ right
    if bias is not None:
        product += bias.array[:n].astype(np.float32)
    out[:m, :n] = product if params.cmatrixInitVal else out[:m, :n] + product


def Fixpipe(dst: GlobalTensor, src: LocalTensor, params: FixpipeParams) -> None:
    """Write mSize x nSize of L0C to GM on the FIX pipe, converting fp32 to fp16 if asked.

    Raises:
        InstructionError: src not in L0C, or a destination type that the conversion does
            not produce.
        GlobalOutOfBoundsError: past the end of either tensor.
    """
    core = _context.current("Fixpipe")
    _need_store("Fixpipe", src, ("L0C",))
    rows, cols = int(params.mSize), int(params.nSize)
    src_pitch = int(params.srcStride) or ceil_to(cols, FRACTAL)
    dst_pitch = int(params.dstStride) or cols
    wanted = np.float16 if params.quantPre == QuantMode_t.F322F16 else np.float32
    if dst.dtype != wanted:
        raise _context.error(
            errors.InstructionError,
            f"Fixpipe with quantPre={params.quantPre.name} writes {np.dtype(wanted)}, but the "
            f"destination holds {dst.dtype}",
            "use QuantMode_t.F322F16 for a half output, NoQuant for float",
            pipe="FIX",
        )
    _need_room("Fixpipe", src, (rows - 1) * src_pitch + cols)
    span = (rows - 1) * dst_pitch + cols
    dst.check_range(0, span, "Fixpipe")
    nbytes = rows * cols * dst.dtype.itemsize
    bandwidth = core.gm_bytes_per_cycle(core.profile.mte3_bytes_per_cycle, dst.byte_offset())
    core.timeline.gm_bytes += nbytes
    for row in range(rows):
        record_write(core, dst, row * dst_pitch, cols, "Fixpipe")
    cost = core.profile.transfer_overhead_cycles + nbytes / bandwidth
    access(core, "FIX", cost, "Fixpipe", reads=(src,))
    block = src.array[: rows * src_pitch].reshape(rows, src_pitch)[:, :cols]
    target = dst.array(0, span)
    for row in range(rows):
        target[row * dst_pitch : row * dst_pitch + cols] = block[row].astype(wanted)


def _need_store(api: str, tensor, stores: tuple[str, ...]) -> None:
    where = tensor.slot.store.name if isinstance(tensor, LocalTensor) else "GM"
    if where not in stores:
        raise _context.error(
            errors.InstructionError,
            f"{api} operand lives in {where}, but must be in {' or '.join(stores)}",
            "queue positions: A1/B1 are L1, A2 is L0A, B2 is L0B, CO1 is L0C",
        )


def _need_aligned(api: str, tensor: LocalTensor, align: int) -> None:
    if tensor.byte_offset % align:
        raise _context.error(
            errors.AlignmentError,
            f"{api} operand starts at byte {tensor.byte_offset} of "
            f"{tensor.slot.store.name}, not a multiple of {align}",
            f"slice {tensor.slot.store.name} tensors at multiples of {align} bytes",
        )


def _need_room(api: str, tensor: LocalTensor, elements: int) -> None:
    if elements > tensor.length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{api} needs {elements} elements (the matrix padded to whole fractals) of a "
            f"LocalTensor of {tensor.length} in {tensor.slot.store.name}",
            "size the buffer for shapes rounded up to 16 rows and 32 bytes of columns",
        )
