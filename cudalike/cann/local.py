"""LocalTensor and its buffer slot: the on-chip data and the rules for touching it.

Every slot (one buffer of a TQue, or a TBuf) has a state (FREE, ALLOCATED, ENQUEUED,
DEQUEUED) and a generation, bumped by FreeTensor, so a tensor kept after FreeTensor is caught.
`access` is the one gate every instruction goes through: it checks the tensors are live and
synchronised, issues the instruction to its pipe, and records who wrote what when.
"""

from __future__ import annotations

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.dtypes import dtype_of
from cudalike.i18n import _

FREE, ALLOCATED, ENQUEUED, DEQUEUED = "FREE", "ALLOCATED", "ENQUEUED", "DEQUEUED"


class Slot:
    """One buffer of a queue (or a TBuf) in an on-chip store.

    Attributes:
        store: the Store it lives in.
        offset: byte offset in the store.
        nbytes: its size.
        index: slot number within its queue.
        owner: the TQue or TBuf.
        state: FREE, ALLOCATED, ENQUEUED or DEQUEUED.
        generation: bumped by each FreeTensor; tensors of older generations are dead.
        pending: (pipe, write_seq) of the latest write not yet synchronised, or None.
        ready: cycle from which consumers may read it (set by EnQue).
        last_use_end: end cycle of the latest instruction that touched it.
        free_cycle: cycle its last FreeTensor took effect (writes to a reuse wait for it).
    """

    __slots__ = (
        "store",
        "offset",
        "nbytes",
        "index",
        "owner",
        "state",
        "generation",
        "pending",
        "ready",
        "last_use_end",
        "free_cycle",
    )

    def __init__(self, store, offset: int, nbytes: int, index: int, owner, state: str = FREE):
        self.store = store
        self.offset = offset
        self.nbytes = nbytes
        self.index = index
        self.owner = owner
        self.state = state
        self.generation = 0
        self.pending: tuple[str, int] | None = None
        self.ready = 0.0
        self.last_use_end = 0.0
        self.free_cycle = 0.0


class LocalTensor:
    """A typed window onto an on-chip buffer (UB, L1, L0A/B/C), as Ascend C's LocalTensor<T>.

    `t[i]` is the tensor from element i on (as in Ascend C); `t[a:b]` a window of b - a
    elements. `GetValue`/`SetValue` run on the scalar pipe and need the writer synchronised.
    `z[:] = x + y` is Ascend C's `z = x + y`: Add over z.GetSize() elements (also -, *, /;
    `bits[:] = x < y` is Compare over x.GetSize() into a uint8 tensor, also >, <=, >=);
    Python cannot overload `=` on a name, hence the `[:]` (`z[i] = x + y` is Ascend C's
    `z[i] = x + y`, from element i on).

    Differences: the type is given at AllocTensor(dtype) instead of a template argument;
    `numpy()` is a debugging aid with no hardware counterpart and no cost, and returns a
    read-only copy (writes to it are refused: they would reach no pipe and no buffer).
    """

    __slots__ = ("slot", "generation", "dtype", "byte_offset", "length", "array")

    def __init__(self, slot: Slot, dtype, byte_offset: int, length: int):
        self.slot = slot
        self.generation = slot.generation
        self.dtype = dtype_of(dtype)
        self.byte_offset = byte_offset
        self.length = length
        data = slot.store.data[byte_offset : byte_offset + length * self.dtype.itemsize]
        self.array = data.view(self.dtype)

    def __getitem__(self, index) -> LocalTensor:
        if isinstance(index, slice):
            start, stop, step = index.indices(self.length)
            if step != 1:
                raise NotImplementedError("LocalTensor slices take no step; use a gather")
        else:
            start, stop = int(index), self.length
        if not 0 <= start <= stop <= self.length:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                _("LocalTensor offset {index} outside its {length} elements").format(
                    index=index, length=self.length
                ),
            )
        view = LocalTensor.__new__(LocalTensor)
        view.slot = self.slot
        view.generation = self.generation
        view.dtype = self.dtype
        view.byte_offset = self.byte_offset + start * self.dtype.itemsize
        view.length = stop - start
        view.array = self.array[start:stop]
        return view

    def __class_getitem__(cls, dtype):
        """`LocalTensor[half](pos, addr, len)`: Ascend C's `LocalTensor<half>(pos, addr, len)`,
        a tensor at a fixed byte address of the position's memory (local_address.py)."""
        from cudalike.cann.local_address import at_address

        return lambda position, addr, length: at_address(dtype, position, addr, length)

    def __setitem__(self, index, value) -> None:
        from cudalike.cann.operators import TensorExpression

        if not isinstance(value, TensorExpression):
            raise TypeError(
                "a LocalTensor takes only `dst[:] = x + y` (x, y LocalTensors; +, -, *, /; "
                "dst[i:] or dst[i] for the tensor from element i on): write elements with "
                "SetValue or a vector instruction such as Duplicate"
            )
        value.compute_into(self[index])

    def __add__(self, other):
        return _expression("Add", self, other)

    def __sub__(self, other):
        return _expression("Sub", self, other)

    def __mul__(self, other):
        return _expression("Mul", self, other)

    def __truediv__(self, other):
        return _expression("Div", self, other)

    def __lt__(self, other):
        return _expression("LT", self, other)

    def __gt__(self, other):
        return _expression("GT", self, other)

    def __le__(self, other):
        return _expression("LE", self, other)

    def __ge__(self, other):
        return _expression("GE", self, other)

    def ReinterpretCast(self, dtype) -> LocalTensor:
        """The same bytes read as `dtype` (Ascend C's ReinterpretCast<U>()), e.g. the index
        bits ReduceMax writes beside the value, or float bits as uint32."""
        target = dtype_of(dtype)
        nbytes = self.length * self.dtype.itemsize
        if nbytes % target.itemsize:
            raise _context.error(
                errors.InstructionError,
                _(
                    "ReinterpretCast of {nbytes} bytes to {target}: not a whole number of elements"
                ).format(nbytes=nbytes, target=target),
            )
        view = LocalTensor.__new__(LocalTensor)
        view.slot = self.slot
        view.generation = self.generation
        view.dtype = target
        view.byte_offset = self.byte_offset
        view.length = nbytes // target.itemsize
        view.array = self.array.view(target)
        return view

    def GetSize(self) -> int:
        """Number of elements."""
        return self.length

    def GetPhyAddr(self, offset: int = 0) -> UbPointer:
        """The address of element `offset`, for the CCE intrinsics (vcadd...): Ascend C's
        `(__ubuf__ float*)t.GetPhyAddr()` is `t.GetPhyAddr().cast(float)`."""
        return UbPointer(self[int(offset)] if offset else self)

    def GetValue(self, index: int):
        """Read one element on the scalar pipe (the writer must be synchronised with S)."""
        core = _context.current("LocalTensor.GetValue")
        self._check_index(index)
        access(core, "S", core.profile.scalar_local_access_cycles, "GetValue", reads=(self,))
        return self.array[index]

    def SetValue(self, index: int, value) -> None:
        """Write one element on the scalar pipe."""
        core = _context.current("LocalTensor.SetValue")
        self._check_index(index)
        access(core, "S", core.profile.scalar_local_access_cycles, "SetValue", writes=(self,))
        self.array[index] = value

    def numpy(self) -> np.ndarray:
        """A read-only copy of the contents (debugging aid; not an Ascend C call, costs
        nothing). Writing to it raises: the hardware changes UB only through instructions."""
        snapshot = self.array.copy().view(Snapshot)
        snapshot.flags.writeable = False
        return snapshot

    def _check_index(self, index: int) -> None:
        if not 0 <= index < self.length:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                _("index {index} outside LocalTensor of {length} elements").format(
                    index=index, length=self.length
                ),
                pipe="S",
            )

    def __repr__(self) -> str:
        return f"<LocalTensor {self.dtype} x{self.length} in {self.slot.store.name}>"


class Snapshot(np.ndarray):
    """What LocalTensor.numpy() returns: a copy that refuses writes with a clear message."""

    def __setitem__(self, index, value) -> None:
        if not self.flags.writeable:
            raise TypeError(
                "LocalTensor.numpy() is a read-only copy: a write to it would never reach the "
                "tensor. Change on-chip data with an instruction (Duplicate, DataCopy, a "
                "vector op) or SetValue; or np.array(t.numpy()) for a scratch copy"
            )
        super().__setitem__(index, value)


def _expression(name: str, left: LocalTensor, right):
    from cudalike.cann.operators import TensorExpression

    return TensorExpression(name, left, right)


def check_live(tensor: LocalTensor, api: str) -> None:
    """Raise if `tensor` was freed or sits in a queue between EnQue and DeQue."""
    slot = tensor.slot
    if tensor.generation != slot.generation or slot.state == FREE:
        raise _context.error(
            errors.BufferStateError,
            _(
                "{api} uses a LocalTensor after FreeTensor released its buffer "
                "(slot {slot} of {buffer})"
            ).format(api=api, slot=slot.index, buffer=describe(slot.owner)),
            _(
                "on the hardware the buffer may already hold the next tile; keep using a tensor "
                "only between AllocTensor/DeQue and FreeTensor"
            ),
            queue=describe(slot.owner),
            slot=slot.index,
        )
    if slot.state == ENQUEUED:
        raise _context.error(
            errors.BufferStateError,
            _(
                "{api} uses a LocalTensor that was EnQue'd and not yet DeQue'd "
                "(slot {slot} of {buffer})"
            ).format(api=api, slot=slot.index, buffer=describe(slot.owner)),
            _("after EnQue the tensor belongs to the queue; DeQue it to use it again"),
            queue=describe(slot.owner),
            slot=slot.index,
        )


def access(
    core: _context.CoreContext,
    pipe: str,
    cycles: float,
    name: str,
    reads: tuple = (),
    writes: tuple = (),
    ready: float = 0.0,
    bank_conflict: float = 0.0,
) -> tuple[float, float]:
    """Check the tensors, issue the instruction to `pipe`, and record its effect on the slots.

    `cycles` excludes `bank_conflict`, the cycles a vector instruction waits for UB banks
    (ub_banks.py): they are added to its time and recorded on its event.

    A read of a tensor whose latest write came from another pipe must be covered by EnQue/
    DeQue or by a SetFlag/WaitFlag pair (the hardware has no interlocks between pipes). A
    write waits for the FreeTensor of the slot's previous tile (AllocTensor's wait).

    Returns:
        (start, end) cycles of the instruction.
    """
    where = _context.user_location()
    for tensor in reads:
        check_live(tensor, name)
        slot = tensor.slot
        # A scalar store is ordered before later reads by the compiler's auto-sync.
        if slot.pending is not None and slot.pending[0] not in (pipe, "S"):
            writer, seq = slot.pending
            if core.visible.get((writer, pipe), -1) < seq:
                raise _context.error(
                    errors.SyncError,
                    _(
                        "{name} on pipe {pipe} reads a tensor written on pipe {writer} with no "
                        "synchronisation in between (slot {slot} of {buffer})"
                    ).format(
                        name=name,
                        pipe=pipe,
                        writer=writer,
                        slot=slot.index,
                        buffer=describe(slot.owner),
                    ),
                    _(
                        "EnQue the tensor after the {writer} write and DeQue it before this "
                        "read, or put SetFlag/WaitFlag<HardEvent::{writer}_{pipe}> between them; "
                        "the emulator computed the right value, the hardware would race"
                    ).format(writer=writer, pipe=pipe),
                    pipe=pipe,
                    queue=describe(slot.owner),
                    slot=slot.index,
                    where=where,
                )
        ready = max(ready, slot.ready)
    for tensor in writes:
        check_live(tensor, name)
        ready = max(ready, tensor.slot.free_cycle, tensor.slot.ready)
        if pipe == "S":  # the compiler's auto-sync: a scalar store waits for earlier uses
            ready = max(ready, tensor.slot.last_use_end)
    start, end = core.timeline.issue(pipe, cycles + bank_conflict, name, where, ready)
    core.timeline.note_bank_conflict(bank_conflict)
    for tensor in reads:
        tensor.slot.last_use_end = max(tensor.slot.last_use_end, end)
    for tensor in writes:
        core.write_seq += 1
        tensor.slot.pending = (pipe, core.write_seq)
        tensor.slot.last_use_end = max(tensor.slot.last_use_end, end)
    return start, end


def describe(owner) -> str:
    """Short description of a queue or buffer for messages, e.g. "TQue(VECIN, depth 2)"."""
    return owner.describe() if hasattr(owner, "describe") else repr(owner)


class UbPointer:
    """A typed pointer into an on-chip buffer (`__ubuf__ T*`): the tensor from there on, so an
    intrinsic reading through it is checked and synchronised as the tensor would be."""

    __slots__ = ("tensor",)

    def __init__(self, tensor: LocalTensor):
        self.tensor = tensor

    def cast(self, dtype) -> UbPointer:
        """`(__ubuf__ T*)p`: the same address read as `dtype`."""
        if dtype_of(dtype) == self.tensor.dtype:
            return self
        return UbPointer(self.tensor.ReinterpretCast(dtype))

    def __repr__(self) -> str:
        return f"<__ubuf__ {self.tensor.dtype}* at byte {self.tensor.byte_offset}>"
