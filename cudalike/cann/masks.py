"""The vector mask register and its two modes: Normal (per-repeat lanes) and Counter (a count).

Every repeat-form vector instruction reads the core's mask register. With `isSetMask=True`
(Ascend C's default template argument) the instruction first writes its own `mask` argument
into the register; with `isSetMask=False` it uses whatever SetVectorMask left there, and the
`mask` argument is a placeholder (MASK_PLACEHOLDER).

- Normal mode (SetMaskNorm, the default): the register is 128 lane bits (maskHigh, maskLow)
  applied to every repeat; `repeatTimes` says how many repeats run.
- Counter mode (SetMaskCount): maskLow is the number of elements the whole instruction
  processes; the vector unit derives the repeats (full ones, then a partial last one) and
  `repeatTimes` is ignored.

The first-n form (`Add(dst, a, b, count)`) runs in counter mode and leaves the register in
Normal mode with every lane set, as CANN's implementation does (set_mask_count, vadd,
set_mask_norm, set_vector_mask(-1, -1) in kernel_operator_vec_binary_impl.h). Sources:
hiascend.com Ascend C API reference, SetMaskCount / SetVectorMask / ResetMask
(https://www.hiascend.com/document/detail/zh/CANNCommunityEdition/80RC3alpha003/apiref/
opdevgapi/atlasascendc_api_07_0097.html and atlasascendc_api_07_0099.html).
"""

from __future__ import annotations

import dataclasses
import enum
import weakref

import numpy as np

from cudalike.cann import _context, errors

FULL = 2**64 - 1
MASK_PLACEHOLDER = 0
MASK_PLACEHOLDER_LIST = [0, 0]


class MaskMode(enum.Enum):
    """How the mask register is read (Ascend C's MaskMode)."""

    NORMAL = 0
    COUNTER = 1


@dataclasses.dataclass
class MaskRegister:
    """One core's mask register (the mode and the two 64-bit words), and its CMPMASK register
    (16 bytes, see cmpmask.py)."""

    counter: bool = False
    high: int = FULL
    low: int = FULL
    cmpmask: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(16, np.uint8))


_registers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def register(core: _context.CoreContext) -> MaskRegister:
    """The mask register of `core` (all lanes, Normal mode, at the start of a block)."""
    if core not in _registers:
        _registers[core] = MaskRegister()
    return _registers[core]


def SetMaskCount() -> None:
    """Switch the mask register to Counter mode: SetVectorMask then gives an element count."""
    register(_context.current("SetMaskCount")).counter = True


def SetMaskNorm() -> None:
    """Switch the mask register back to Normal mode (lane bits per repeat)."""
    register(_context.current("SetMaskNorm")).counter = False


def ResetMask() -> None:
    """Set every lane bit of the mask register (its default value); the mode is unchanged."""
    state = register(_context.current("ResetMask"))
    state.high = state.low = FULL


def SetVectorMask(*args, dtype=None, mode: MaskMode | None = None) -> None:
    """Write the mask register: `SetVectorMask(len)` or `SetVectorMask(maskHigh, maskLow)`.

    In Normal mode `len` is a continuous mask (the first len lanes of every repeat) and
    (maskHigh, maskLow) are lane bits; in Counter mode `len`, or maskLow with maskHigh = 0, is
    the element count of the next instructions. `dtype` is Ascend C's template type T (it
    bounds a continuous len); `mode` is its MaskMode template argument, by default the mode
    SetMaskCount/SetMaskNorm selected.
    """
    core = _context.current("SetVectorMask")
    state = register(core)
    counter = state.counter if mode is None else MaskMode(mode) == MaskMode.COUNTER
    if len(args) == 2:
        high, low = (int(word) for word in args)
        if not (0 <= high <= FULL and 0 <= low <= FULL):
            raise _context.error(
                errors.InstructionError,
                f"SetVectorMask({args[0]}, {args[1]}): each word is a uint64",
                pipe="S",
            )
        state.high, state.low = high, low
        return
    if len(args) != 1:
        raise TypeError("SetVectorMask takes (len) or (maskHigh, maskLow)")
    length = int(args[0])
    if counter:
        state.high, state.low = 0, length
        return
    lanes = 256 // np.dtype(dtype).itemsize if dtype is not None else 128
    if not 1 <= length <= lanes:
        raise _context.error(
            errors.InstructionError,
            f"SetVectorMask({length}) in Normal mode: a continuous mask takes 1 to {lanes} lanes",
            "call SetMaskCount() first to give an element count instead",
            pipe="S",
        )
    state.high, state.low = continuous_words(length)


def continuous_words(length: int) -> tuple[int, int]:
    """(maskHigh, maskLow) of a continuous mask: the first `length` lanes."""
    return (1 << max(length - 64, 0)) - 1, FULL if length >= 64 else (1 << length) - 1


def after_first_n(core: _context.CoreContext) -> None:
    """Leave the register as a first-n instruction does: Normal mode, every lane set."""
    state = register(core)
    state.counter, state.high, state.low = False, FULL, FULL


class _TypedSetMask:
    """`AscendCUtils::SetMask<T>(len)` or `<T>(maskHigh, maskLow)`, spelled SetMask[T](...)."""

    def __init__(self, dtype=None):
        self.dtype = dtype

    def __getitem__(self, dtype) -> _TypedSetMask:
        return _TypedSetMask(dtype)

    def __call__(self, *args) -> None:
        """Write the mask register's lane bits (Normal mode's meaning, whatever the mode).

        `len` sets the first len lanes (len at least 128, or the type's lanes per repeat,
        sets them all), as CANN's AscendCUtils::SetMask does (kernel_utils.h): it is the call
        production kernels make before an instruction with isSetMask=False.
        """
        state = register(_context.current("AscendCUtils.SetMask"))
        if len(args) == 2:
            state.high, state.low = (int(word) & FULL for word in args)
            return
        if len(args) != 1:
            raise TypeError("AscendCUtils.SetMask takes (len) or (maskHigh, maskLow)")
        length = int(args[0])
        lanes = 256 // np.dtype(self.dtype).itemsize if self.dtype is not None else 128
        if length < 0:
            raise _context.error(
                errors.InstructionError,
                f"AscendCUtils.SetMask({length}): a lane count is not negative",
                pipe="S",
            )
        if length >= 128 or length == lanes:
            state.high = state.low = FULL
        else:
            state.high, state.low = continuous_words(length)


class AscendCUtils:
    """The helpers of CANN's AscendCUtils that kernels call directly."""

    SetMask = _TypedSetMask()
