"""An array-valued name whose array differs between threads: `if c: src = a else: src = b`.

On a GPU such a name is a pointer per thread. Here it is a small tuple of arrays and, per lane,
the position of that lane's array in the tuple. An access through it is split by array: each
array is accessed under the mask of the lanes that chose it, through the same checked loads,
stores and atomics as a direct access, so bounds, race and uninitialised-read reports and the
profiler's counters name the array each thread really used. A split access counts as one
instruction per array a warp touches, where a GPU issues one; the bytes moved are the same.

When every lane that can still run chose the same array (the common case: a uniform
condition), the name holds that array itself, and nothing here runs.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt.memory import Buffer

MOST_ARRAYS = 64  # arrays one name may choose between at once


class ArrayChoice:
    """Each lane's array: `arrays[selector[lane]]`, for every lane of the chunk."""

    __slots__ = ("arrays", "selector")
    lane_extents = None  # each array's own shape holds; see `shape`

    def __init__(self, arrays: tuple, selector: np.ndarray):
        self.arrays = arrays
        self.selector = selector

    # ---- what the arrays have in common ---------------------------------------------------
    @property
    def name(self) -> str:
        return " or ".join(f"'{array.name}'" for array in self.arrays)

    @property
    def dtype(self) -> np.dtype:
        return self.arrays[0].dtype

    @property
    def ndim(self) -> int:
        return self.arrays[0].ndim

    @property
    def itemsize(self) -> int:
        return self.arrays[0].itemsize

    @property
    def shape(self) -> tuple:
        """Each dimension's extent: a number when the arrays agree, else one per lane."""
        return tuple(
            self._per_lane([array.shape[axis] for array in self.arrays])
            for axis in range(self.ndim)
        )

    @property
    def size(self):
        return self._per_lane([array.size for array in self.arrays])

    @property
    def nbytes(self):
        return self._per_lane([array.nbytes for array in self.arrays])

    @property
    def strides(self) -> tuple:
        return tuple(
            self._per_lane([array.strides[axis] for array in self.arrays])
            for axis in range(self.ndim)
        )

    @property
    def real(self) -> ArrayChoice:
        return ArrayChoice(tuple(array.real for array in self.arrays), self.selector)

    @property
    def imag(self) -> ArrayChoice:
        return ArrayChoice(tuple(array.imag for array in self.arrays), self.selector)

    def length(self):
        """`len(name)`: the first extent, per lane when the arrays differ in length."""
        if self.ndim == 0:
            raise TypeError(f"{self.name} is a single record or value: it has no len()")
        return self.shape[0]

    def _per_lane(self, values: list):
        if all(value == values[0] for value in values):
            return values[0]
        return np.asarray(values, np.int64)[self.selector]

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<array chosen per thread among {self.name}>"

    # ---- accesses ---------------------------------------------------------------------------
    def split(self, ctx, mask) -> list[tuple[Buffer, object]]:
        """(array, mask of the active lanes that chose it) for each array an active lane
        chose; the whole mask when they all chose one."""
        chosen = self.selector[ctx.active_lanes(mask)]
        if chosen.size == 0:
            return [(self.arrays[0], False)]
        first = int(chosen[0])
        if (chosen == first).all():
            return [(self.arrays[first], mask)]
        return [
            (self.arrays[k], ctx.narrow(mask, self.selector == k))
            for k in np.unique(chosen).tolist()
        ]

    def load(self, ctx, index: tuple, mask, line: int):
        parts = self.split(ctx, mask)
        return combine(ctx, [(ctx.load(a, index, m, line), m) for a, m in parts])

    def store(self, ctx, index: tuple, value, mask, line: int) -> None:
        for array, part in self.split(ctx, mask):
            ctx.store(array, index, value, part, line)

    def atomic(self, ctx, mask, line: int, index, values: list, update):
        parts = self.split(ctx, mask)
        return combine(ctx, [(ctx._atomic(m, line, a, index, values, update), m) for a, m in parts])


class ArrayChoiceViews:
    """Views and copies of a choice: a slice, reshape, byte view, copy or record field of
    each thread's own array (a mixin of the chunk context placed before the mixins it
    defers to)."""

    def slice_view(self, buffer, specs: tuple, mask, line: int):
        if not isinstance(buffer, ArrayChoice):
            return super().slice_view(buffer, specs, mask, line)
        view = super().slice_view  # not inside the comprehension, which is its own scope
        return combine(self, [(view(a, specs, m, line), m) for a, m in buffer.split(self, mask)])

    def copy_array(self, source, mask, line: int):
        if not isinstance(source, ArrayChoice):
            return super().copy_array(source, mask, line)
        copy = super().copy_array
        return combine(self, [(copy(a, m, line), m) for a, m in source.split(self, mask)])

    def reshape(self, buffer, shape: tuple, line: int):
        if not isinstance(buffer, ArrayChoice):
            return super().reshape(buffer, shape, line)
        reshape = super().reshape
        return ArrayChoice(tuple(reshape(a, shape, line) for a in buffer.arrays), buffer.selector)

    def reinterpret(self, source, dtype, line: int):
        if not isinstance(source, ArrayChoice):
            return super().reinterpret(source, dtype, line)
        view = super().reinterpret
        return ArrayChoice(tuple(view(a, dtype, line) for a in source.arrays), source.selector)

    def field(self, value, name: str, mask, line: int):
        if not isinstance(value, ArrayChoice):
            return super().field(value, name, mask, line)
        field = super().field
        return combine(self, [(field(a, name, m, line), m) for a, m in value.split(self, mask)])


def is_array(value) -> bool:
    return isinstance(value, (Buffer, ArrayChoice))


def combine(ctx, results: list[tuple[object, object]]):
    """One value per lane from the results of an access split by array (each valid for the
    lanes of its mask); results that are arrays (rows, records) make another choice."""
    if len(results) == 1:
        return results[0][0]
    if all(is_array(value) for value, _ in results):
        arrays, selector = [], np.zeros(ctx.lanes, np.int64)
        for value, part in results:
            _add(arrays, selector, value, ctx.active_lanes(part))
        return simplified(ctx, tuple(arrays), selector)
    values = [np.asarray(value) for value, _ in results]
    combined = np.zeros(ctx.lanes, np.result_type(*values))
    for value, part in results:
        lanes = ctx.active_lanes(part)
        combined[lanes] = value[lanes] if np.ndim(value) else value
    return combined


def choose(ctx, mask: np.ndarray, new, old):
    """`name = new` under `mask` (one bool per lane) where `new` or `old` is an array:
    lanes of the mask take `new`, the others keep `old`."""
    if not (is_array(new) and is_array(old)):
        array, other = (new, old) if is_array(new) else (old, new)
        raise TypeError(
            f"a name holds array {array.name} in some threads and a {type(other).__name__} "
            "in others; numba gives a name one type"
        )
    if new.dtype != old.dtype or new.ndim != old.ndim:
        raise TypeError(
            f"a name holds arrays of different types in different threads ({new.name} "
            f"is {new.ndim}-d {new.dtype}, {old.name} is {old.ndim}-d {old.dtype}); "
            "numba gives a name one type"
        )
    arrays, selector = [], np.zeros(ctx.lanes, np.int64)
    _add(arrays, selector, old, np.flatnonzero(~mask))
    _add(arrays, selector, new, np.flatnonzero(mask))
    return simplified(ctx, tuple(arrays), selector)


def _add(arrays: list, selector: np.ndarray, value, lanes: np.ndarray) -> None:
    """Make `value` (an array or a choice) the array of `lanes`."""
    if lanes.size == 0:
        return
    if isinstance(value, ArrayChoice):
        positions = [_position(arrays, array) for array in value.arrays]
        selector[lanes] = np.asarray(positions, np.int64)[value.selector[lanes]]
    else:
        selector[lanes] = _position(arrays, value)


def _position(arrays: list, array: Buffer) -> int:
    for position, known in enumerate(arrays):
        if known is array:
            return position
    arrays.append(array)
    return len(arrays) - 1


def simplified(ctx, arrays: tuple, selector: np.ndarray):
    """The choice, without the arrays no lane that can still run chose; the array itself
    when those lanes all chose one."""
    live = ctx.lane_index if ctx.exited is False else np.flatnonzero(~np.asarray(ctx.exited))
    used = np.unique(selector[live])
    if used.size <= 1:
        return arrays[int(used[0])] if used.size else arrays[0]
    if used.size > MOST_ARRAYS:
        raise TypeError(
            f"a name holds more than {MOST_ARRAYS} different arrays across the threads at once"
        )
    if used.size < len(arrays):
        renumber = np.zeros(len(arrays), np.int64)
        renumber[used] = np.arange(used.size)
        arrays = tuple(arrays[k] for k in used.tolist())
        selector = renumber[selector]  # lanes that cannot run again keep a harmless 0
    return ArrayChoice(arrays, selector)
