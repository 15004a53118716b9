"""The cube path: GM -> L1 (ND->NZ), L1 -> L0A/L0B (LoadData), Mmad into L0C (Fixpipe out).

    DataCopy(a1, aGm, Nd2NzParams(1, m, k, 0, k, m16, 1, 0))   # MTE2: GM -> L1, ND -> NZ
    for i in range(mBlocks):                                  # MTE1: NZ -> zZ in L0A
        LoadData(a2[i * k16 * 16], a1[i * 256], LoadData2DParams(0, kBlocks, mBlocks))
    for i in range(kBlocks):                                  # MTE1: NZ -> nZ in L0B
        LoadData(b2[i * n16 * 16], b1[i * 256], LoadData2DParams(0, nBlocks, kBlocks, 0, 0, True))
    Mmad(c1, a2, b2, MmadParams(m, n, k))                     # M: L0C gets NZ, fp32
    Fixpipe(cGm, c1, FixpipeParamsV220(n, m, m16, n, False, QuantMode_t.F322F16))  # FIX: NZ -> ND

Every buffer holds the hardware's layout (cudalike/cann/fractal.py): a kernel that loads
fractals in the wrong order computes the wrong product here too, and `numpy()` shows the
bytes the hardware would hold.

Costs: DataCopy to L1 as any MTE2 transfer (gm_to_l1 bandwidth); LoadData a transfer
overhead plus 512 bytes per fractal at 256 (L0A) or 128 (L0B) bytes per cycle; Mmad one
cycle per 16 x 16 x 16 block of fp16 MACs (four for fp32 inputs). Fixpipe is in fixpipe.py.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from cudalike.cann import _context, errors, fractal
from cudalike.cann.cube_params import (
    CFG_NZ,
    CFG_ROW_MAJOR,
    CO2Layout,
    FixpipeParams,
    FixpipeParamsV220,
    LoadData2DParams,
    LoadData2DParamsV2,
    MmadParams,
    Nd2NzParams,
    QuantMode_t,
)
from cudalike.cann.fractal import FRACTAL, FRACTAL_BYTES, c0, ceil_to
from cudalike.cann.gm import GlobalTensor
from cudalike.cann.local import LocalTensor, access
from cudalike.i18n import _

__all__ = [
    "CFG_NZ",
    "CFG_ROW_MAJOR",
    "CO2Layout",
    "FRACTAL",
    "FixpipeParams",
    "FixpipeParamsV220",
    "LoadData",
    "LoadData2DParams",
    "LoadData2DParamsV2",
    "Mmad",
    "MmadParams",
    "Nd2NzParams",
    "QuantMode_t",
    "c0",
    "ceil_to",
    "copy_nd2nz",
]

# Element types the cube multiplies, and the type it accumulates them in (L0C).
_ACCUMULATOR = {
    np.dtype(np.float16): np.dtype(np.float32),
    np.dtype(np.float32): np.dtype(np.float32),
    np.dtype(np.int8): np.dtype(np.int32),
}


def copy_nd2nz(dst: LocalTensor, src: GlobalTensor, params: Nd2NzParams) -> None:
    """DataCopy(dst in L1, src in GM, Nd2NzParams): used by `cann.DataCopy`."""
    core = _context.current("DataCopy")
    need_store("DataCopy (Nd2Nz)", dst, ("L1",))
    need_aligned("DataCopy (Nd2Nz)", dst, 32)
    if dst.dtype != src.dtype:
        raise _context.error(errors.InstructionError, "DataCopy does not convert types")
    rows, cols, pitch = int(params.nValue), int(params.dValue), int(params.srcDValue)
    _need_unsigned("Nd2NzParams", params)
    if params.ndNum < 1 or rows < 1 or cols < 1 or cols > pitch:
        raise _context.error(
            errors.InstructionError,
            f"Nd2NzParams ndNum={params.ndNum}, nValue={rows}, dValue={cols}, "
            f"srcDValue={pitch}: need each at least 1 and dValue <= srcDValue (the row pitch)",
            "nValue is the rows to copy, dValue the columns, srcDValue the source's row length",
        )
    if params.dstNzC0Stride < 1 or params.dstNzNStride < 1:
        raise _context.error(
            errors.InstructionError,
            f"Nd2NzParams dstNzC0Stride={params.dstNzC0Stride}, dstNzNStride="
            f"{params.dstNzNStride}: both count 32-byte rows and must be at least 1",
            "dstNzC0Stride is the destination's height (nValue rounded up to 16), dstNzNStride 1",
        )
    read, reached = fractal.nd2nz_span(params, src.dtype)
    need_room("DataCopy (Nd2Nz)", dst, reached, "the NZ matrix")
    src.check_range(0, read, "DataCopy")
    nbytes = params.ndNum * rows * cols * src.dtype.itemsize
    bandwidth = core.gm_bytes_per_cycle(core.profile.gm_to_l1_bytes_per_cycle, src.byte_offset())
    core.timeline.gm_bytes += nbytes
    cost = core.profile.transfer_overhead_cycles + nbytes / bandwidth
    access(core, "MTE2", cost, "DataCopy", writes=(dst,))
    fractal.nd2nz(dst.array, src.array(0, read), params, src.dtype)


def LoadData(dst: LocalTensor, src, params) -> None:
    """Move fractals from L1 (or GM) into L0A or L0B: `LoadData(dst, src, params)`.

    With LoadData2DParams, repeat r copies source fractal startIndex + r * srcStride to
    destination fractal r * (dstGap + 1), transposing each 16 x 16 fractal with ifTranspose;
    with LoadData2DParamsV2, a window of fractals (see its docstring).

    Raises:
        AlignmentError: dst not 512-byte aligned in L0A/L0B.
        InstructionError: wrong stores or types, ifTranspose of a 32- or 8-bit type.
        GlobalOutOfBoundsError: a fractal outside the source or the destination.
    """
    core = _context.current("LoadData")
    need_store("LoadData", src, ("L1", "GM"))
    need_store("LoadData", dst, ("L0A", "L0B"))
    need_aligned("LoadData", dst, core.profile.l0_align_bytes)
    if isinstance(src, LocalTensor):
        need_aligned("LoadData", src, 32)
    if dst.dtype != src.dtype:
        raise _context.error(errors.InstructionError, "LoadData does not convert types")
    moves = _fractal_moves(params)
    if params.ifTranspose and src.dtype.itemsize != 2:
        raise _context.error(
            errors.InstructionError,
            _(
                "LoadData with ifTranspose of {dtype}: the transpose works on 16 x 16 fractals "
                "of 16-bit types only"
            ).format(dtype=src.dtype),
            _(
                "load 32-bit and 8-bit matrices untransposed (or use LoadDataWithTranspose on "
                "the hardware)"
            ),
        )
    per = FRACTAL_BYTES // src.dtype.itemsize
    reads = max(s for s, _ in moves) + 1  # fractals of the source and the destination used
    writes = max(d for _, d in moves) + 1
    if not isinstance(src, LocalTensor):
        src.check_range(0, reads * per, "LoadData")
    src_len = src.length
    if reads * per > src_len:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"LoadData reads fractal {reads - 1} of the source (elements up to {reads * per}), "
            f"which has {src_len} elements ({src_len // per} fractals)",
            "startIndex and srcStride count 512-byte fractals; srcStride is usually the "
            "source's height (rows / 16) to step along a row of fractals",
            pipe="MTE1",
        )
    need_room("LoadData", dst, writes * per, "the fractals loaded")
    source = src.array if isinstance(src, LocalTensor) else src.array(0, reads * per)
    pipe = "MTE1" if isinstance(src, LocalTensor) else "MTE2"
    nbytes = len(moves) * FRACTAL_BYTES
    per_cycle = {
        "L0A": core.profile.l1_to_l0a_bytes_per_cycle,
        "L0B": core.profile.l1_to_l0b_bytes_per_cycle,
    }[dst.slot.store.name]
    if not isinstance(src, LocalTensor):  # from GM: also the core's share of GM bandwidth
        per_cycle = core.gm_bytes_per_cycle(per_cycle, src.byte_offset())
        core.timeline.gm_bytes += nbytes
    cost = core.profile.transfer_overhead_cycles + nbytes / per_cycle
    local_reads = (src,) if isinstance(src, LocalTensor) else ()
    access(core, pipe, cost, "LoadData", reads=local_reads, writes=(dst,))
    fractal.move_fractals(dst.array, source, np.array(moves), params.ifTranspose)


def _fractal_moves(params) -> list[tuple[int, int]]:
    """(source fractal, destination fractal) of each fractal a LoadData moves."""
    if isinstance(params, LoadData2DParams | LoadData2DParamsV2):
        _need_unsigned(type(params).__name__, params)
    if isinstance(params, LoadData2DParams):
        repeat = int(params.repeatTimes)
        if not 1 <= repeat <= 255 or params.addrMode not in (0,):
            raise _context.error(
                errors.InstructionError,
                f"LoadData2DParams repeatTimes={repeat}, addrMode={params.addrMode}: "
                "repeatTimes must be in 1..255 and addrMode 0 (increasing addresses)",
                "one repeat moves one 512-byte fractal; loop for more than 255",
            )
        start, stride, gap = int(params.startIndex), int(params.srcStride), int(params.dstGap)
        return [(start + r * stride, r * (gap + 1)) for r in range(repeat)]
    if isinstance(params, LoadData2DParamsV2):
        rows, cols = int(params.mStep), int(params.kStep)
        height, pitch = int(params.srcStride), int(params.dstStride) or int(params.kStep)
        top, left = int(params.mStartPosition), int(params.kStartPosition)
        if rows < 1 or cols < 1 or height < top + rows or pitch < cols:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                f"LoadData2DParamsV2 window of {rows} x {cols} fractals at ({top}, {left}) "
                f"of a source {height} fractals high (srcStride), destination rows "
                f"{pitch} fractals apart: the window must fit the source's height and a "
                "destination row",
                "positions and steps count fractals (16 rows, 32 bytes of columns)",
                pipe="MTE1",
            )
        return [
            ((left + j) * height + top + i, i * pitch + j) for i in range(rows) for j in range(cols)
        ]
    raise TypeError("LoadData takes LoadData2DParams or LoadData2DParamsV2")


def Mmad(c: LocalTensor, a: LocalTensor, b: LocalTensor, *rest) -> None:
    """c = a @ b (+ c, + bias) on the cube: `Mmad(c, a, b, params)`, `Mmad(c, a, b, bias, params)`.

    a is in L0A in zZ order (ceil16(m) x ceil(k, C0)), b in L0B in nZ order
    (ceil(k, C0) x ceil16(n)), c in L0C in NZ order (ceil16(m) x ceil16(n), strips of 16
    columns). Products of halves are exact in fp32 and summed in fp32; int8 sums in int32.
    Exactly m x n of c is written, over exactly k; the cube works on whole fractals, so
    m, n and k cost as if rounded up to 16.

    Raises:
        InstructionError: wrong stores or types, or a shape outside 1..4095.
        GlobalOutOfBoundsError: a padded matrix does not fit its tensor (the message names
            m, n and k).
    """
    core = _context.current("Mmad")
    bias, params = rest if len(rest) == 2 else (None, rest[0])
    m, n, k = int(params.m), int(params.n), int(params.k)
    for tensor, stores in ((a, ("L0A",)), (b, ("L0B",)), (c, ("L0C",))):
        need_store("Mmad", tensor, stores)
    need_aligned("Mmad", a, core.profile.l0_align_bytes)
    need_aligned("Mmad", b, core.profile.l0_align_bytes)
    need_aligned("Mmad", c, core.profile.l0c_align_bytes)
    if not all(1 <= size <= 4095 for size in (m, n, k)):
        raise _context.error(
            errors.InstructionError,
            _("Mmad m={m}, n={n}, k={k}: each in 1..4095").format(m=m, n=n, k=k),
        )
    if a.dtype != b.dtype or _ACCUMULATOR.get(a.dtype) != c.dtype:
        raise _context.error(
            errors.InstructionError,
            _(
                "Mmad of {a} x {b} into {c}: a and b share a type, and c in L0C is float for "
                "half or float inputs, int32 for int8"
            ).format(a=a.dtype, b=b.dtype, c=c.dtype),
            pipe="M",
        )
    m16, n16, kc = ceil_to(m, FRACTAL), ceil_to(n, FRACTAL), ceil_to(k, c0(a.dtype))
    shape = f"m={m}, n={n}, k={k}"
    need_room("Mmad", a, m16 * kc, f"a ({shape}: {m16} x {kc} padded)")
    need_room("Mmad", b, kc * n16, f"b ({shape}: {kc} x {n16} padded)")
    need_room("Mmad", c, m16 * n16, f"c ({shape}: {m16} x {n16} padded)")
    # One cycle per 16 x 16 x 16 fp16 block; fp32 inputs run at a quarter of the rate, int8
    # at twice it (16 x 16 x 32 per cycle: the int8 TOPS are twice the fp16 TFLOPS).
    blocks = math.ceil(m / 16) * math.ceil(n / 16) * math.ceil(k / 16)
    rate = core.profile.cube_macs_per_cycle / (16**3)
    cost = blocks / rate * {4: 4, 2: 1, 1: 0.5}[a.dtype.itemsize]
    reads = (a, b) if params.cmatrixInitVal else (a, b, c)
    reads += (bias,) if bias is not None else ()
    access(core, "M", cost, "Mmad", reads=reads, writes=(c,))
    accumulator = c.dtype
    left = fractal.from_zz(a.array, m16, kc)[:m, :k].astype(accumulator)
    right = fractal.from_nz_l0b(b.array, kc, n16)[:k, :n].astype(accumulator)
    product = left @ right
    if bias is not None:
        product += bias.array[:n].astype(accumulator)
    if not params.cmatrixInitVal:
        product += fractal.read_nz(c.array, m16, m, n, FRACTAL)
    fractal.write_nz(c.array, m16, product.astype(accumulator), FRACTAL)


def _need_unsigned(name: str, params) -> None:
    """Raise InstructionError for a negative field: the hardware's fields are unsigned."""
    for field in dataclasses.fields(params):
        value = getattr(params, field.name)
        if isinstance(value, int | np.integer) and not isinstance(value, bool) and value < 0:
            raise _context.error(
                errors.InstructionError,
                f"{name}.{field.name} = {value}: the field is unsigned on the hardware",
            )


def need_store(api: str, tensor, stores: tuple[str, ...]) -> None:
    """Raise InstructionError unless `tensor` lives in one of `stores` ("GM" for global)."""
    where = tensor.slot.store.name if isinstance(tensor, LocalTensor) else "GM"
    if where not in stores:
        raise _context.error(
            errors.InstructionError,
            f"{api} operand lives in {where}, but must be in {' or '.join(stores)}",
            "queue positions: A1/B1 are L1, A2 is L0A, B2 is L0B, CO1 is L0C",
        )


def need_aligned(api: str, tensor: LocalTensor, align: int) -> None:
    """Raise AlignmentError unless `tensor` starts on a multiple of `align` bytes."""
    if tensor.byte_offset % align:
        raise _context.error(
            errors.AlignmentError,
            f"{api} operand starts at byte {tensor.byte_offset} of "
            f"{tensor.slot.store.name}, not a multiple of {align}",
            f"slice {tensor.slot.store.name} tensors at multiples of {align} bytes",
        )


def need_room(api: str, tensor: LocalTensor, elements: int, what: str) -> None:
    """Raise GlobalOutOfBoundsError unless `tensor` holds `elements` elements."""
    if elements > tensor.length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{api} needs {elements} elements for {what} in a LocalTensor of "
            f"{tensor.length} in {tensor.slot.store.name}",
            "size the buffer for shapes rounded up to 16 rows and 32 bytes of columns",
        )
