"""Memory spaces of the SIMT engine and the one place every array access goes through.

An access by the active lanes of a chunk:
1. turns each lane's index tuple into a flat element number, checking type and bounds;
2. turns that into a position in the buffer's storage (shared memory has one copy per block,
   local memory one per lane);
3. with checks on, compares it with the buffer's shadow state to find races and reads of
   memory never written, then records the access;
4. gathers or scatters the values for the active lanes only.

Stores by several lanes to one element in one instruction resolve deterministically: the
highest lane (last block, last thread) wins, as numpy's scatter does. Steps 1 and 2 are in
indexing.py, step 3 in access_checks.py.
"""

from __future__ import annotations

import copy

import numpy as np

from cudalike.errors import OutOfBoundsError
from cudalike.simt.access_checks import check_read, check_write, per_lane
from cudalike.simt.indexing import (
    as_index,  # noqa: F401 - slices check their bounds as memory.as_index, memory.check_bounds
    check_bounds,  # noqa: F401
    flat_index,
    lane_index_values,
    storage_index,
    whole_index,
)


class Buffer:
    """An array as a kernel sees it: storage, logical shape, memory space and checking state.

    Attributes:
        name: the name the learner knows it by (parameter name or declaration).
        space: "global", "shared", "local" or "const".
        storage: flat numpy array holding the elements (all blocks' copies for shared memory).
        shape: logical shape seen by one thread.
        root: the whole array this one is a view of (itself when it is not a view); shadow
            state and error reports belong to the root.
        offset: element offset of a view inside its root (a number, or one per lane).
        lane_extents: per dimension, None or each lane's own length, for a slice whose
            length differs between threads (`x[i:]`); `shape` then holds the longest.
    """

    lane_extents = None

    def __init__(
        self,
        name: str,
        space: str,
        storage: np.ndarray,
        shape: tuple,
        *,
        base: np.ndarray | None = None,
    ):
        self.name = name
        self.space = space
        self.storage = storage
        self.shape = tuple(int(n) for n in shape)
        self.dtype = storage.dtype
        self.ndim = len(self.shape)
        self.size = int(np.prod(self.shape, dtype=np.int64))
        self.itemsize = self.dtype.itemsize
        self.nbytes = self.size * self.itemsize
        self.strides = tuple(
            int(np.prod(self.shape[k + 1 :], dtype=np.int64)) * self.itemsize
            for k in range(self.ndim)
        )
        self.element_strides = tuple(s // self.itemsize for s in self.strides)
        self.base = base  # the user's array, for global buffers
        self.shadow = None
        self.root = self
        self.offset = 0

    def view(self, shape: tuple, offset, element_strides: tuple | None = None) -> Buffer:
        """The sub-array starting at element `offset`: a row `self[i, ...]` (keeping this
        array's trailing strides), or a slice with the given `element_strides`."""
        view = Buffer(f"{self.root.name}[...]", self.space, self.storage, shape, base=self.base)
        view.root = self.root
        view.offset = offset
        if element_strides is None:
            element_strides = self.element_strides[self.ndim - len(view.shape) :]
        view.element_strides = tuple(int(s) for s in element_strides)
        view.strides = tuple(s * self.itemsize for s in view.element_strides)
        return view

    @property
    def real(self) -> Buffer:
        """`values.real`: the real parts of a complex array, in place (numba allows atomics
        on them); the array itself when it is not complex."""
        return self._component("real")

    @property
    def imag(self) -> Buffer:
        """`values.imag`: the imaginary parts of a complex array, in place."""
        if self.dtype.kind != "c":
            raise TypeError(f"'{self.name}' is not complex: it has no writable .imag")
        return self._component("imag")

    def _component(self, part: str) -> Buffer:
        if self.dtype.kind != "c":
            return self
        component = copy.copy(self)
        component.storage = getattr(self.storage, part)
        component.dtype = component.storage.dtype
        component.itemsize = component.dtype.itemsize
        component.nbytes = component.size * component.itemsize
        component.strides = tuple(s * component.itemsize for s in self.element_strides)
        component.name = f"{self.name}.{part}"
        return component

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError(f"'{self.name}' is a single record or value: it has no len()")
        if self.lane_extents is not None:
            raise TypeError(f"the threads' slices '{self.name}' differ in length")
        return self.shape[0]

    def __bool__(self) -> bool:
        return True  # a buffer is a buffer, whatever its length (a record has none)

    def __repr__(self) -> str:
        return f"<{self.space} array '{self.name}' {self.shape} {self.dtype}>"


def constant_buffer(array: np.ndarray, name: str) -> Buffer:
    """A read-only copy of `array` in constant memory (cuda.const.array_like, frozen globals)."""
    copy = np.ascontiguousarray(array).copy()
    return Buffer(name, "const", copy.reshape(-1), copy.shape)


# ---- loads and stores ------------------------------------------------------------------
def load(ctx, buffer, index: tuple, mask, line: int):
    """Read buffer[index] for the active lanes (inactive lanes get an arbitrary value)."""
    index = whole_index(index)
    if not isinstance(buffer, Buffer):
        if hasattr(buffer, "selector"):  # an ArrayChoice: each lane's own array
            return buffer.load(ctx, index, mask, line)
        return _index_value(ctx, buffer, index, line)
    if buffer.ndim == 0 and buffer.dtype.names and len(index) == 1:  # rec[0]: its first field
        names = buffer.dtype.names
        position = index[0] if isinstance(index[0], (int, np.integer)) else len(names)
        if not 0 <= position < len(names):
            shown = ctx.lane_values(index[0])  # a cuda.grid(1) run shown as its numbers
            ctx.fail_runtime(line, f"a record of {len(names)} fields indexed with {shown}")
        return ctx.field(buffer, names[position], mask, line)
    try:
        flat = flat_index(ctx, buffer, index, mask, line, contiguous=buffer.dtype.names is None)
    except OutOfBoundsError:
        if ctx.trace is not None:
            ctx.trace.out_of_bounds(ctx, buffer, index, mask, line, store=False)
        raise
    if not isinstance(flat, slice):
        index = lane_index_values(ctx, index)
    if len(index) < buffer.ndim or (buffer.dtype.names is not None and index):
        row = buffer.view(buffer.shape[len(index) :], flat)  # a row, or a record in place
        if buffer.lane_extents is not None and any(
            e is not None for e in buffer.lane_extents[len(index) :]
        ):
            row.lane_extents = buffer.lane_extents[len(index) :]
        return row
    position = storage_index(ctx, buffer, flat)
    if mask is False:
        return np.zeros(ctx.lanes, buffer.dtype)
    if ctx.counting is not None:
        ctx.counting.access(ctx, buffer, position, mask, line, store=False)
    if ctx.trace is not None:
        ctx.trace.access(ctx, buffer, flat, mask, line, store=False)
    if ctx.checks:
        check_read(ctx, buffer, position, mask, line, index)
    if isinstance(position, slice):
        return _run_of(ctx, buffer, position)
    if not isinstance(position, np.ndarray):
        return buffer.storage[position]
    if mask is not True:
        position = np.where(mask, position, 0)
    return buffer.storage.take(position)


def _run_of(ctx, buffer: Buffer, run: slice) -> np.ndarray:
    """The values of a contiguous run of elements, one per lane: a read-only view when nothing
    can change them while the kernel holds them (constant memory; a global array this launch
    never writes, under any name, with no module-level device array written beside it), else
    a copy, so a value read before a store keeps its value."""
    values = buffer.storage[run]
    if buffer.space == "global" and (ctx.tracked(buffer) or not ctx.launch.views_safe):
        return values.copy()
    values.flags.writeable = False
    return values


def store(ctx, buffer, index: tuple, value, mask, line: int) -> None:
    """Write value to buffer[index] for the active lanes."""
    index = whole_index(index)
    if not isinstance(buffer, Buffer):
        if hasattr(buffer, "selector"):  # an ArrayChoice: each lane's own array
            return buffer.store(ctx, index, value, mask, line)
        ctx.fail_runtime(line, "only arrays can be assigned to by index")
    if isinstance(value, Buffer):  # a whole record, `a[i] = b[j]`
        value = _record_values(ctx, buffer, value, mask, line)
    if buffer.space == "const":
        ctx.fail_runtime(line, f"'{buffer.name}' is in constant memory, which kernels cannot write")
    if len(index) < buffer.ndim:
        ctx.fail_runtime(
            line,
            f"'{buffer.name}' has {buffer.ndim} dimensions; assign one element at a time, "
            "e.g. a[i, j] = value",
        )
    try:
        flat = flat_index(ctx, buffer, index, mask, line, contiguous=True)
    except OutOfBoundsError:
        if ctx.trace is not None:
            ctx.trace.out_of_bounds(ctx, buffer, index, mask, line, store=True)
        raise
    if mask is False:
        return
    position = storage_index(ctx, buffer, flat)
    if ctx.counting is not None:
        ctx.counting.access(ctx, buffer, position, mask, line, store=True)
    if ctx.trace is not None:
        ctx.trace.access(ctx, buffer, flat, mask, line, store=True)
    value_is_lanes = isinstance(value, np.ndarray) and value.ndim == 1
    if isinstance(position, slice):
        if ctx.checks:  # every lane writes: the race check asks for their numbers if needed
            check_write(ctx, buffer, position, None, line)
    elif ctx.checks or value_is_lanes or mask is not True:
        if not isinstance(position, np.ndarray):
            position = np.full(ctx.lanes, position, np.int64)
        lanes = ctx.active_lanes(mask)
        if mask is not True:
            position = position[lanes]
            value = value[lanes] if value_is_lanes else value
        if ctx.checks:
            check_write(ctx, buffer, position, lanes, line)
    buffer.storage[position] = value


def _record_values(ctx, target: Buffer, record: Buffer, mask, line: int):
    """The value of each lane's record `record` (a record read in place), to store in `target`."""
    if record.ndim != 0 or record.dtype.names is None or target.dtype.names is None:
        ctx.fail_runtime(line, f"cannot store array '{record.name}' into an element of an array")
    position = storage_index(ctx, record, record.offset)
    if ctx.checks:
        check_read(ctx, record, per_lane(ctx, position), mask, line)
    values = record.storage.take(per_lane(ctx, position))
    return values.astype(target.dtype) if values.dtype != target.dtype else values


def _index_value(ctx, value, index: tuple, line: int):
    if isinstance(value, tuple) and len(index) == 1 and isinstance(index[0], (int, np.integer)):
        return value[index[0]]
    ctx.fail_runtime(
        line,
        f"cannot index a {type(value).__name__} here; only arrays (and tuples, "
        "with a constant index) can be indexed",
    )
