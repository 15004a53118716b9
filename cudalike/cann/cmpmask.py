"""The CMPMASK register: Compare without dst fills it, Select's VSEL_CMPMASK_SPR mode reads it.

Per the vsel instruction reference (hiascend.com, CCE intrinsic API "vsel",
https://www.hiascend.com/document/detail/zh/canncommercial/850/API/cceintrinsicapi/cceapi_0039.html):
in mode 0 every repeat selects with the same register bits, CMPMASK[127:0] for half and
[63:0] for float (bit set: src0, clear: src1), and masked-off lanes of dst keep their value.
`Compare(src0, src1, cmpMode, mask, params)` (no dst) compares one repeat into the register,
`SetCmpMask(src)` loads it from UB and `GetCmpMask(dst)` stores it
(https://www.hiascend.com/document/detail/zh/canncommercial/800/apiref/ascendcopapi/atlasascendc_api_07_0224.html).
The register lives with the mask register of the core (masks.py).
"""

from __future__ import annotations

import types

import numpy as np

from cudalike.cann import _context, errors, masks, vector_repeat
from cudalike.cann.local import LocalTensor, access
from cudalike.cann.vector import _run_repeat, check_operands, repeat_cycles

CMPMASK_BYTES = 16


def SetCmpMask(src: LocalTensor) -> None:
    """Load the CMPMASK register from the 16 bytes at `src` (a V-pipe instruction). A float
    selection needs only the first 8, so an 8-byte selMask (in its 32-byte buffer) will do."""
    core = _context.current("SetCmpMask")
    check_operands("SetCmpMask", src, (), floats_only=False)
    access(core, "V", core.profile.vector_overhead_cycles, "SetCmpMask", reads=(src,))
    data = src.slot.store.data
    masks.register(core).cmpmask = data[src.byte_offset : src.byte_offset + CMPMASK_BYTES].copy()


def GetCmpMask(dst: LocalTensor) -> None:
    """Store the CMPMASK register into the first 16 bytes of `dst` (a V-pipe instruction)."""
    core = _context.current("GetCmpMask")
    check_operands("GetCmpMask", dst, (), floats_only=False)
    _check_room("GetCmpMask", dst)
    access(core, "V", core.profile.vector_overhead_cycles, "GetCmpMask", writes=(dst,))
    dst.array.view(np.uint8)[:CMPMASK_BYTES] = masks.register(core).cmpmask


def _check_room(name: str, tensor: LocalTensor) -> None:
    if tensor.length * tensor.dtype.itemsize < CMPMASK_BYTES:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} writes the 16-byte CMPMASK register; the LocalTensor has "
            f"{tensor.length * tensor.dtype.itemsize} bytes",
            pipe="V",
        )


def compare_into_register(name, test, src0, src1, mask, params, is_set_mask) -> None:
    """One repeat of `test` on the enabled lanes into CMPMASK (disabled lanes' bits clear)."""
    core = _context.current(name)
    check_operands(name, src0, (src1,), floats_only=False)
    lanes, _, tail = vector_repeat.resolve_mask(name, core, mask, 1, src0.dtype, is_set_mask)
    if tail is not None:
        lanes = lanes[:tail]
    strides = params.strides()[1:]
    at = [
        vector_repeat.lane_indices(name, tensor, lanes, 1, *stride, f"src{i}")[0]
        for i, (tensor, stride) in enumerate(zip((src0, src1), strides, strict=True))
    ]
    cycles = repeat_cycles(core, "binary", 1, src0.dtype.itemsize)
    access(core, "V", cycles, name, reads=(src0, src1))
    bits = np.zeros(CMPMASK_BYTES * 8, dtype=bool)
    with np.errstate(invalid="ignore"):
        bits[lanes] = test(src0.array[at[0]], src1.array[at[1]])
    masks.register(core).cmpmask = np.packbits(bits, bitorder="little")


def select_with_bits(dst, sources, scalar, plan, bits: np.ndarray, shared: bool) -> None:
    """Run a planned Select: repeat r takes lane l's bit from `bits`, the same bits every
    repeat when `shared` (CMPMASK), else the next lanes-per-repeat bits each repeat (a selMask
    tensor, stored contiguously as Compare writes it)."""
    lanes = vector_repeat.lanes_per_repeat(dst.dtype)
    first = np.zeros(plan.repeats, np.int64) if shared else np.arange(plan.repeats) * lanes
    at_bits = first[:, None] + plan.lanes[None, :]
    flags = types.SimpleNamespace(array=bits.astype(bool))

    def choose(pick, a, b=None):
        return np.where(pick, a, scalar if b is None else b)

    planned = vector_repeat.Plan([plan.at[0], at_bits, *plan.at[1:]], plan.tail, plan.ordered)
    vector_repeat.execute(planned, dst, (flags, *sources), choose)


def register_bits(core, dtype) -> np.ndarray:
    """The CMPMASK bits of one repeat of `dtype` (128 for half, 64 for float)."""
    bits = np.unpackbits(masks.register(core).cmpmask, bitorder="little")
    return bits[: vector_repeat.lanes_per_repeat(dtype)]


def select_by_register(dst, src0, src1, repeat_times, params) -> None:
    """`Select<T, VSEL_CMPMASK_SPR>(dst, src0, src1, repeatTimes, params)`: lanes from the
    mask register (SetVectorMask), bits from CMPMASK."""
    core = _context.current("Select")
    plan = _run_repeat(
        "Select", dst, (src0, src1), 0, repeat_times, params.strides(), "binary", False, False
    )
    select_with_bits(dst, (src0, src1), None, plan, register_bits(core, dst.dtype), True)
