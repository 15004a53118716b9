"""Fixpipe: the result matrix leaves L0C for GM (or L1) on the FIX pipe, converted on the way.

    Fixpipe(cGm, c1, FixpipeParamsV220(n, m, m16, N, False, QuantMode_t.F322F16))   # NZ -> ND
    Fixpipe(c1L1, c1, FixpipeParamsV220(n, m, m16, m16 * 16 * 4 // 32), CFG_NZ)  # keeps NZ

L0C holds NZ: strips of 16 columns, srcStride rows apart. With CFG_ROW_MAJOR (the default)
each of the mSize rows of nSize elements lands dstStride elements after the previous one;
with CFG_NZ the strips land dstStride 32-byte blocks apart. Cost: a transfer overhead plus
the bytes written at the MTE3 bandwidth (an assumption: no public FIX figure).
"""

from __future__ import annotations

import numpy as np

from cudalike.cann import _context, atomics, errors, fractal
from cudalike.cann.cube import need_aligned, need_room, need_store
from cudalike.cann.cube_params import CFG_NZ, CFG_ROW_MAJOR, CO2Layout, QuantMode_t
from cudalike.cann.fractal import FRACTAL
from cudalike.cann.gm import GlobalTensor, record_write
from cudalike.cann.local import LocalTensor, access


def Fixpipe(dst, src: LocalTensor, params, config: CO2Layout = CFG_ROW_MAJOR) -> None:
    """Write mSize x nSize of the NZ matrix in L0C to `dst` (GM, or L1), converting if asked.

    Raises:
        InstructionError: src not in L0C, a destination type the conversion does not produce,
            or a srcStride that is not the L0C matrix's height (a multiple of 16, >= mSize).
        GlobalOutOfBoundsError: past the end of either tensor.
    """
    core = _context.current("Fixpipe")
    need_store("Fixpipe", src, ("L0C",))
    need_store("Fixpipe", dst, ("GM", "L1"))
    rows, cols = int(params.mSize), int(params.nSize)
    height, pitch = int(params.srcStride), int(params.dstStride)
    if params.ndNum != 1:
        raise NotImplementedError("Fixpipe supports ndNum = 1 only; call it once per matrix")
    if not (1 <= rows <= 65535 and 1 <= cols <= 4095):
        raise _context.error(
            errors.InstructionError,
            f"Fixpipe mSize={rows}, nSize={cols}: mSize in 1..65535, nSize in 1..4095",
            pipe="FIX",
        )
    if height < rows or height % FRACTAL:
        raise _context.error(
            errors.InstructionError,
            f"Fixpipe srcStride={height} with mSize={rows}: srcStride is the distance between "
            "the 16-column strips of the L0C matrix in rows, i.e. its height: a multiple of "
            f"16 and at least mSize (here {fractal.ceil_to(rows, FRACTAL)})",
            "L0C holds NZ fractals; pass m rounded up to 16, not the row length n",
            pipe="FIX",
        )
    wanted = _output_type(params.quantPre, src.dtype)
    if dst.dtype != wanted:
        raise _context.error(
            errors.InstructionError,
            f"Fixpipe with quantPre={params.quantPre.name} writes {np.dtype(wanted)}, but the "
            f"destination holds {dst.dtype}",
            "use QuantMode_t.F322F16 for a half output, NoQuant for float",
            pipe="FIX",
        )
    strips = -(-cols // FRACTAL)
    last = (strips - 1) * height * FRACTAL + fractal.ceil_to(rows, FRACTAL) * FRACTAL
    need_room("Fixpipe", src, last, "the L0C rows (padding rows included)")
    values = fractal.read_nz(src.array, height, rows, cols, FRACTAL)
    if params.reluEn:
        values = np.maximum(values, 0)
    values = values.astype(wanted)
    if config == CFG_NZ:
        step = pitch * 32 // dst.dtype.itemsize  # strips dstStride 32-byte blocks apart
        span = (strips - 1) * step + rows * FRACTAL
        if step < rows * FRACTAL:
            raise _context.error(
                errors.InstructionError,
                f"Fixpipe (CFG_NZ) dstStride={pitch} blocks of 32 bytes is less than a strip "
                f"of {rows} rows of 16 elements",
                "dstStride is the destination's strip size in 32-byte blocks",
                pipe="FIX",
            )
    else:
        if pitch < cols:
            raise _context.error(
                errors.InstructionError,
                f"Fixpipe dstStride={pitch} is less than nSize={cols}: with the ND output it "
                "is the elements per destination row",
                "pass the destination matrix's row length (N)",
                pipe="FIX",
            )
        span = (rows - 1) * pitch + cols
    nbytes = rows * cols * dst.dtype.itemsize
    if isinstance(dst, GlobalTensor):
        dst.check_range(0, span, "Fixpipe")
        bandwidth = core.gm_bytes_per_cycle(core.profile.mte3_bytes_per_cycle, dst.byte_offset())
        core.timeline.gm_bytes += nbytes
        target = dst.array(0, span)
        if atomics.mode(core) is None:  # atomic writes may overlap other cores' on purpose
            if config == CFG_NZ:
                pieces = [(strip * step, rows * FRACTAL) for strip in range(strips)]
            else:
                pieces = [(row * pitch, cols) for row in range(rows)]
            for start, count in pieces:
                record_write(core, dst, start, count, "Fixpipe")
        writes = ()
    else:
        need_aligned("Fixpipe", dst, 32)
        need_room("Fixpipe", dst, span, "the output")
        bandwidth = core.profile.mte3_bytes_per_cycle
        target = dst.array[:span]
        writes = (dst,)
    cost = core.profile.transfer_overhead_cycles + nbytes / bandwidth
    access(core, "FIX", cost, "Fixpipe", reads=(src,), writes=writes)
    if config == CFG_NZ:
        padded = np.zeros((rows, strips * FRACTAL), wanted)
        padded[:, :cols] = values
        for strip in range(strips):
            block = padded[:, strip * FRACTAL : (strip + 1) * FRACTAL].reshape(-1)
            _write(core, target[strip * step :][: rows * FRACTAL], block, dst)
        return
    for row in range(rows):
        _write(core, target[row * pitch :][:cols], values[row], dst)


def _write(core, target: np.ndarray, values: np.ndarray, dst) -> None:
    if isinstance(dst, GlobalTensor):
        atomics.combine(core, target, values, "Fixpipe")
    else:
        target[...] = values


def _output_type(quant: QuantMode_t, source: np.dtype) -> np.dtype:
    return np.dtype(np.float16) if quant == QuantMode_t.F322F16 else np.dtype(source)
