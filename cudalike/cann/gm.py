"""Global memory: device allocations (GM_ADDR) and GlobalTensor views onto them.

A `GmAddr` is a typed pointer into one allocation: `x + n` moves n elements, as
`(__gm__ half*)x + n` does in C (`x.cast(uint8) + n` steps bytes, as GM_ADDR arithmetic
does). `GlobalTensor.SetGlobalBuffer(addr, length)` makes a tensor of `length` elements
there; `g[i]` is the view from element i on. As on the hardware, a length may run past the
allocation (aclrtMalloc's padding included): only an access that leaves the allocation is
reported, at that access. Every access is checked against the tensor's length and the
allocation, and each byte written remembers its block, so two cores writing the same bytes
in one launch are reported.
"""

from __future__ import annotations

import numpy as np

from cudalike.cann import _context, atomics, errors
from cudalike.cann.dtypes import dtype_of
from cudalike.i18n import _


def _tail_hint() -> str:
    """The hint of an access past a GlobalTensor, in the configured language."""
    return _(
        "a tail tile is shorter than the others: copy only the elements that remain "
        "(DataCopyPad for lengths that are not a multiple of 32 bytes)"
    )


class GmAddr:
    """A pointer into a global-memory allocation (what a kernel receives as GM_ADDR).

    Attributes:
        data: the allocation's bytes (aclrtMalloc's padding included).
        byte_offset: where the pointer points.
        dtype: the element type `+` steps by.
        size: bytes the program asked for, from the allocation's start (what to_host
            returns and SetGlobalBuffer defaults to); data may be longer.
    """

    __slots__ = ("data", "byte_offset", "dtype", "size")

    def __init__(self, data: np.ndarray, byte_offset: int = 0, dtype=np.uint8, size=None):
        self.data = data
        self.byte_offset = int(byte_offset)
        self.dtype = dtype_of(dtype)
        self.size = len(data) if size is None else int(size)

    def __add__(self, elements: int) -> GmAddr:
        step = int(elements) * self.dtype.itemsize
        return GmAddr(self.data, self.byte_offset + step, self.dtype, self.size)

    def __sub__(self, elements: int) -> GmAddr:
        return self + (-int(elements))

    def cast(self, dtype) -> GmAddr:
        """The same address as a pointer to `dtype`: `(__gm__ half*)x` is `x.cast(half)`."""
        return GmAddr(self.data, self.byte_offset, dtype, self.size)

    def __getitem__(self, index: int):
        """`*(p + i)` in C: element i read from GM on the scalar pipe."""
        core = _context.current("GM_ADDR read")
        at = self + int(index)
        raw = read_gm_bytes(core, at, self.dtype.itemsize, "GM_ADDR read")
        return raw.view(self.dtype)[0]

    def requested_elements(self) -> int:
        """Elements of the pointer's type from here to the end of the requested size."""
        return max(self.size - self.byte_offset, 0) // self.dtype.itemsize

    def copy_to_host(self) -> np.ndarray:
        """The requested memory from this pointer on, as a numpy array of its dtype."""
        end = self.byte_offset + self.requested_elements() * self.dtype.itemsize
        return self.data[self.byte_offset : end].view(self.dtype).copy()

    def __repr__(self) -> str:
        return f"<GmAddr {self.dtype} +{self.byte_offset} B of {self.size} B>"


class GlobalTensor:
    """A tensor in global memory, as Ascend C's GlobalTensor<T>.

    Created as `GlobalTensor(half)` or `GlobalTensor[half]()`.

    Differences: accesses outside the length given to SetGlobalBuffer are errors here (the
    hardware would read or write whatever is there).
    """

    __slots__ = ("dtype", "addr", "length")

    def __init__(self, dtype=np.float16):
        self.dtype = dtype_of(dtype)
        self.addr: GmAddr | None = None
        self.length = 0

    def __class_getitem__(cls, dtype):
        return lambda: cls(dtype)

    def SetGlobalBuffer(self, addr: GmAddr, length: int | None = None) -> None:
        """Point the tensor at `addr` for `length` elements (default: to the requested size).

        A length past the allocation is accepted: the hardware faults only when memory past
        the allocation is accessed (a tail core may set a full-length view and touch only its
        own rows), so the accesses are checked instead. A negative length or an address
        before the allocation is reported here.
        """
        if not isinstance(addr, GmAddr):
            raise TypeError("SetGlobalBuffer takes a GM address (a kernel argument, plus offset)")
        length = addr.cast(self.dtype).requested_elements() if length is None else int(length)
        if addr.byte_offset < 0 or length < 0:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                _(
                    "SetGlobalBuffer of {length} {dtype} elements at byte offset {offset}: "
                    "neither may be negative (the allocation has {nbytes} bytes)"
                ).format(
                    length=length,
                    dtype=self.dtype,
                    offset=addr.byte_offset,
                    nbytes=len(addr.data),
                ),
                _("check the block offset (blockLength * GetBlockIdx()) and the length"),
            )
        self.addr = addr
        self.length = length

    def __getitem__(self, index: int) -> GlobalTensor:
        self._need_buffer()
        index = int(index)
        if not 0 <= index <= self.length:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                _("GlobalTensor offset {index} outside its {length} elements").format(
                    index=index, length=self.length
                ),
            )
        view = GlobalTensor(self.dtype)
        view.addr = self.addr.cast(self.dtype) + index
        view.length = self.length - index
        return view

    def GetSize(self) -> int:
        return self.length

    def GetPhyAddr(self, offset: int = 0) -> GmAddr:
        """The address of element `offset` (a pointer to the tensor's type)."""
        return self.addr.cast(self.dtype) + offset

    def GetValue(self, index: int):
        """Read one element on the scalar pipe (a slow round trip to global memory)."""
        core = _context.current("GlobalTensor.GetValue")
        self.check_range(index, 1, "GetValue")
        where = _context.user_location()
        core.timeline.issue("S", core.profile.scalar_gm_access_cycles, "GetValue", where)
        return self.array(index, 1)[0]

    def SetValue(self, index: int, value) -> None:
        """Write one element on the scalar pipe."""
        core = _context.current("GlobalTensor.SetValue")
        self.check_range(index, 1, "SetValue")
        new_bytes = np.array([value], self.dtype).view(np.uint8)
        record_write(core, self, index, 1, "SetValue", new_bytes)
        where = _context.user_location()
        core.timeline.issue("S", core.profile.scalar_gm_access_cycles, "SetValue", where)
        self.array(index, 1)[0] = value

    def array(self, start: int, count: int) -> np.ndarray:
        """The numpy view of elements [start, start + count)."""
        first = self.addr.byte_offset + start * self.dtype.itemsize
        return self.addr.data[first : first + count * self.dtype.itemsize].view(self.dtype)

    def byte_offset(self, start: int = 0) -> int:
        return self.addr.byte_offset + start * self.dtype.itemsize

    def check_range(self, start: int, count: int, api: str, reading: bool = False) -> None:
        """Raise GlobalOutOfBoundsError unless [start, start + count) may be touched.

        A write must stay inside the tensor's length; a read (`reading`), and an atomic write
        (the caller passes `reading=True` for it), may run past it. Every access must stay
        inside the allocation: the hardware knows allocations, not SetGlobalBuffer's length;
        vendor kernels copy in whole 32-byte blocks past a ragged tail the host allocated room
        for, add whole blocks atomically into a short view at the end of the output, and set
        views longer than what is left of the allocation on a tail core.
        """
        self._need_buffer()
        end = start + count
        if start < 0 or count < 0 or (not reading and end > self.length):
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                _(
                    "{api} touches elements [{start}, {end}) of a GlobalTensor of {length} elements"
                ).format(api=api, start=start, end=end, length=self.length),
                _tail_hint(),
            )
        room = max((len(self.addr.data) - self.addr.byte_offset) // self.dtype.itemsize, 0)
        if end > room:
            hint = _tail_hint()
            if self.length > room:  # the view itself was set past the allocation
                hint = _(
                    "SetGlobalBuffer gave this GlobalTensor {length} elements, but only {room} "
                    "fit in its allocation from where it starts: give the last core only the "
                    "elements that remain"
                ).format(length=self.length, room=room)
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                _(
                    "{api} touches elements [{start}, {end}) of a GlobalTensor of {length} "
                    "elements, past the end of its allocation ({limit} elements)"
                ).format(api=api, start=start, end=end, length=self.length, limit=room),
                hint,
            )

    def _need_buffer(self) -> None:
        if self.addr is None:
            raise _context.error(
                errors.BufferStateError,
                _("GlobalTensor used before SetGlobalBuffer"),
                _("call xGm.SetGlobalBuffer(x + offset, length) in Init"),
            )

    def __repr__(self) -> str:
        return f"<GlobalTensor {self.dtype} x{self.length}>"


def record_write(
    core: _context.CoreContext,
    tensor: GlobalTensor,
    start: int,
    count: int,
    api: str,
    new_bytes: np.ndarray | None = None,
    written: np.ndarray | None = None,
) -> None:
    """Remember this block as the writer of the bytes; raise if another block wrote them.

    With `new_bytes` (what the bytes will hold), bytes another block wrote with the same
    values are no race: whichever core writes last, memory ends the same (vendor samples
    launch several blocks that store the same result). `written` (a mask over the bytes)
    leaves out the gaps of a strided copy.
    """
    data = tensor.addr.data
    writers = core.launch.gm_writers.get(id(data))
    if writers is None:
        writers = np.full(len(data), -1, dtype=np.int32)
        core.launch.gm_writers[id(data)] = writers
    first = tensor.byte_offset(start)
    region = writers[first : first + count * tensor.dtype.itemsize]
    clash = (region >= 0) & (region != core.block)
    if written is not None:
        clash &= written
    if new_bytes is not None and clash.any():
        clash &= data[first : first + len(region)] != new_bytes
    if clash.any():
        byte = int(np.argmax(clash))
        other = int(region[byte])
        raise _context.error(
            errors.GlobalRaceError,
            _(
                "{api} writes global-memory bytes that block {other} also wrote in this launch "
                "(first at byte {byte} of the allocation)"
            ).format(api=api, other=other, byte=first + byte),
            _(
                "give each block its own range: offset by blockLength * GetBlockIdx() and keep "
                "tail blocks inside their share"
            ),
        )
    if written is None:
        region[...] = core.block
    else:
        region[written] = core.block


def InitGlobalMemory(gmWorkspaceAddr: GlobalTensor, size: int, value) -> None:
    """Fill the first `size` elements of a GlobalTensor with `value` (a zeroed output before
    atomic adds, a workspace before SyncAll). On the hardware a vector core writes it from UB
    through MTE3; here it costs one MTE3 transfer of the bytes. Other cores see it only after
    a SyncAll."""
    core = _context.current("InitGlobalMemory")
    size = int(size)
    gmWorkspaceAddr.check_range(0, size, "InitGlobalMemory")
    nbytes = size * gmWorkspaceAddr.dtype.itemsize
    bandwidth = core.gm_bytes_per_cycle(
        core.profile.mte3_bytes_per_cycle, gmWorkspaceAddr.byte_offset()
    )
    core.timeline.gm_bytes += nbytes
    where = _context.user_location()
    cost = core.profile.transfer_overhead_cycles + nbytes / bandwidth
    core.timeline.issue("MTE3", cost, "InitGlobalMemory", where)
    values = np.full(size, value, gmWorkspaceAddr.dtype)
    if atomics.mode(core) is None:
        record_write(core, gmWorkspaceAddr, 0, size, "InitGlobalMemory", values.view(np.uint8))
    atomics.combine(core, gmWorkspaceAddr.array(0, size), values, "InitGlobalMemory")


def read_gm_bytes(core, addr: GmAddr, count: int, api: str) -> np.ndarray:
    """`count` bytes at `addr`, read on the scalar pipe through its data cache: a GM round
    trip per 64-byte line not yet cached, a local access otherwise (a CopyTiling loop pays
    for each line once). Reading outside the allocation is an error naming `api`."""
    start = addr.byte_offset
    if start < 0 or start + count > len(addr.data):
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{api} reads bytes [{start}, {start + count}) of a GM allocation of "
            f"{len(addr.data)} bytes",
            "the host must copy the whole struct to GM (sizeof(struct) bytes)",
        )
    lines = {(id(addr.data), line) for line in range(start // 64, (start + count - 1) // 64 + 1)}
    misses = len(lines - core.scalar_cache)
    core.scalar_cache |= lines
    profile = core.profile
    cycles = misses * profile.scalar_gm_access_cycles or profile.scalar_local_access_cycles
    core.timeline.issue("S", cycles, api, _context.user_location())
    return addr.data[start : start + count]
