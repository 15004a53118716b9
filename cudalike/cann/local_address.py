"""`LocalTensor<T>(pos, addr, len)`: a tensor at a fixed on-chip byte address, without TPipe.

Ascend C lets a kernel place a LocalTensor by hand: position (which memory), byte address in
it, and length in elements (hiascend.com Ascend C API reference, LocalTensor constructors;
pyasc's `LocalTensor(dtype, pos, addr, tile_size)`). Here it is spelled
`cann.LocalTensor[cann.half](cann.TPosition.VECCALC, addr, length)`.

Tensors at the same (position, address, size) share one buffer slot, so synchronisation is
tracked between them; a tensor placed over part of another one, or over a TQue/TBuf buffer,
is tracked separately (the emulator does not see those overlaps).
"""

from __future__ import annotations

import enum
import weakref

from cudalike.cann import _context, errors
from cudalike.cann.buffers import TPosition
from cudalike.cann.dtypes import dtype_of
from cudalike.cann.local import ALLOCATED, LocalTensor, Slot

STORES = {
    TPosition.VECIN: "UB",
    TPosition.VECOUT: "UB",
    TPosition.VECCALC: "UB",
    TPosition.A1: "L1",
    TPosition.B1: "L1",
    TPosition.A2: "L0A",
    TPosition.B2: "L0B",
    TPosition.CO1: "L0C",
}

_slots: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class FixedAddress:
    """The owner of a hand-placed buffer, for messages."""

    def __init__(self, position: TPosition, addr: int, nbytes: int):
        self.position, self.addr, self.nbytes = position, addr, nbytes

    def describe(self) -> str:
        return f"LocalTensor({self.position.name}, addr {self.addr}, {self.nbytes} bytes)"


def at_address(dtype, position, addr: int, length: int) -> LocalTensor:
    """A LocalTensor of `length` elements of `dtype` at byte `addr` of `position`'s memory.

    Raises:
        InstructionError: a position with no on-chip memory (GM, CO2).
        AlignmentError: an address off the memory's alignment (32 bytes for UB and L1).
        GlobalOutOfBoundsError: a tensor reaching past the end of the memory.
    """
    core = _context.current("LocalTensor(pos, addr, len)")
    dtype = dtype_of(dtype)
    position = TPosition(position)
    if position not in STORES:
        raise _context.error(
            errors.InstructionError,
            f"LocalTensor at {position.name}: that position has no on-chip memory",
            "use VECIN/VECOUT/VECCALC (UB), A1/B1 (L1), A2 (L0A), B2 (L0B) or CO1 (L0C)",
        )
    store = core.store(STORES[position])
    addr, length = int(addr), int(length)
    nbytes = length * dtype.itemsize
    if addr % store.align:
        raise _context.error(
            errors.AlignmentError,
            f"LocalTensor at byte {addr} of {store.name}: addresses there are multiples of "
            f"{store.align} bytes",
        )
    if addr < 0 or length <= 0 or addr + nbytes > len(store.data):
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"LocalTensor of {nbytes} bytes at byte {addr} of {store.name}, which has "
            f"{len(store.data)} bytes",
        )
    slots = _slots.setdefault(core, {})
    key = (store.name, addr, nbytes)
    if key not in slots:
        owner = FixedAddress(position, addr, nbytes)
        slots[key] = Slot(store, addr, nbytes, 0, owner, state=ALLOCATED)
    return LocalTensor(slots[key], dtype, addr, length)


class Hardware(enum.Enum):
    """On-chip memories a LocalMemAllocator carves (Ascend C's `Hardware`)."""

    UB = "UB"
    L1 = "L1"
    L0A = "L0A"
    L0B = "L0B"
    L0C = "L0C"


DEFAULT_POSITION = {
    Hardware.UB: TPosition.VECCALC,
    Hardware.L1: TPosition.A1,
    Hardware.L0A: TPosition.A2,
    Hardware.L0B: TPosition.B2,
    Hardware.L0C: TPosition.CO1,
}


class LocalMemAllocator:
    """`LocalMemAllocator<Hardware::UB>`: static tensors cut one after another from byte 0.

    Each Alloc places sizeof(T) x tileSize bytes at the cursor and moves the cursor past them
    (kernel_tensor.h, LocalMemAllocator; hiascend.com "LocalMemAllocator"), so the tensors
    touch but never overlap. `Alloc(pos, T, n)` names the position; `Alloc(T, n)` takes the
    memory's default one (VECCALC for UB, A1 for L1, A2, B2, CO1).
    """

    def __init__(self, hard: Hardware = Hardware.UB):
        self.hard = Hardware(hard)
        self.head = 0

    def GetCurAddr(self) -> int:  # noqa: N802 - Ascend C's name
        """The byte address the next Alloc starts at."""
        return self.head

    def Alloc(self, *args) -> LocalTensor:  # noqa: N802 - Ascend C's name
        """A tensor of tileSize elements at the cursor: Alloc([pos,] T, tileSize)."""
        if len(args) == 3:
            position, dtype, length = args
        elif len(args) == 2:
            (dtype, length), position = args, DEFAULT_POSITION[self.hard]
        else:
            raise _context.error(
                errors.InstructionError,
                f"LocalMemAllocator.Alloc takes ([pos,] T, tileSize), got {len(args)} arguments",
            )
        position = TPosition(position)
        if STORES.get(position) != self.hard.value:
            raise _context.error(
                errors.InstructionError,
                f"LocalMemAllocator<Hardware::{self.hard.value}>.Alloc at {position.name}, "
                f"which is not in {self.hard.value}",
                "allocate each position from the allocator of its memory",
            )
        tensor = at_address(dtype, position, self.head, length)
        self.head += int(length) * dtype_of(dtype).itemsize
        return tensor
