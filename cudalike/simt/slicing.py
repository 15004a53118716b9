"""Slicing inside kernels: `dynsmem[1:3]`, `a[::2]`, `rows[i, :]` as views of the same memory.

A view shares its root's storage, race shadow and error reports; it differs in offset, shape
and element strides, which `memory.flat_index` already uses. When the threads' slices differ
in length (`x[i:]`), each thread's length is kept (`Buffer.lane_extents`) and bounds-checks
its own accesses; such a view has no single `.shape`, and cannot be sliced again.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt import memory


class SliceViews:
    """The slicing part of the chunk context (see engine.ChunkContext)."""

    def slice_view(self, buffer, specs: tuple, mask, line: int):
        """`buffer[specs]` where some of `specs` are Python slices: a view, not a copy."""
        if not isinstance(buffer, memory.Buffer):
            self.fail_runtime(line, f"cannot slice a {type(buffer).__name__} in a kernel")
        if buffer.lane_extents is not None:
            self.fail_runtime(line, "cannot slice again a slice whose length differs by thread")
        if len(specs) > buffer.ndim:
            self.fail_runtime(
                line, f"'{buffer.name}' has {buffer.ndim} dimension(s), sliced with {len(specs)}"
            )
        offset, shape, strides, lane_extents = buffer.offset, [], [], []
        for axis, spec in enumerate(specs):
            extent, stride = buffer.shape[axis], buffer.element_strides[axis]
            if not isinstance(spec, slice):
                index = memory.as_index(self, buffer, spec, line)
                memory.check_bounds(self, buffer, (index,), axis, index, extent, mask, line)
                offset = offset + index * stride
                continue
            start, length, step = _slice_extent(self, spec, extent, mask, line)
            offset = offset + start * stride
            ragged = isinstance(length, np.ndarray)
            shape.append(int(length.max(initial=0)) if ragged else length)
            lane_extents.append(length if ragged else None)
            strides.append(stride * step)
        shape.extend(buffer.shape[len(specs) :])
        strides.extend(buffer.element_strides[len(specs) :])
        view = buffer.view(tuple(shape), offset, tuple(strides))
        if any(e is not None for e in lane_extents):
            view.lane_extents = (*lane_extents, *([None] * (len(shape) - len(lane_extents))))
        return view

    def array_extent(self, value, attribute: str, line: int):
        """`a.shape` or `a.size`; refused for slices whose length differs between threads."""
        if isinstance(value, memory.Buffer) and value.lane_extents is not None:
            self.fail_runtime(
                line,
                f"the threads' slices '{value.name}' differ in length, so .{attribute} has no "
                "single value; compute each thread's length from the slice bounds",
            )
        return getattr(value, attribute)

    def reshape(self, buffer, shape: tuple, line: int):
        """`a.reshape(shape)`: the same elements seen with another shape, as numba allows for
        a contiguous array; one dimension may be -1 (whatever the others leave)."""
        if len(shape) == 1 and isinstance(shape[0], tuple):
            shape = shape[0]
        if not isinstance(buffer, memory.Buffer):
            self.fail_runtime(line, f"cannot reshape a {type(buffer).__name__} in a kernel")
        if any(not isinstance(n, (int, np.integer)) for n in shape):
            self.fail_runtime(line, "a new shape must be integers, the same for every thread")
        shape = [int(n) for n in shape]
        if shape.count(-1) > 1 or any(n < -1 for n in shape):
            self.fail_runtime(line, f"cannot reshape '{buffer.name}' to {tuple(shape)}")
        known = int(np.prod([n for n in shape if n != -1], dtype=np.int64))
        if -1 in shape:
            shape[shape.index(-1)] = buffer.size // known if known else 0
        if int(np.prod(shape, dtype=np.int64)) != buffer.size:
            self.fail_runtime(
                line,
                f"cannot reshape '{buffer.name}' of {buffer.size} elements to {tuple(shape)}",
            )
        if buffer.element_strides != _contiguous(buffer.shape):
            self.fail_runtime(
                line, f"'{buffer.name}' is not contiguous: only contiguous arrays reshape"
            )
        return buffer.view(tuple(shape), buffer.offset, _contiguous(tuple(shape)))


def _contiguous(shape: tuple) -> tuple:
    """Element strides of a C-contiguous array of `shape`."""
    return tuple(int(np.prod(shape[k + 1 :], dtype=np.int64)) for k in range(len(shape)))


def _slice_extent(ctx, spec: slice, extent: int, mask, line: int) -> tuple:
    """(start per lane or for all, length, step) of `spec` over an axis of `extent`."""
    step = 1 if spec.step is None else spec.step
    if isinstance(step, np.ndarray) or int(step) == 0:
        ctx.fail_runtime(line, "a slice step must be a nonzero number the same for every thread")
    step = int(step)
    bounds = [spec.start, spec.stop]
    if not any(isinstance(b, np.ndarray) for b in bounds):
        start, stop, step = slice(*(None if b is None else int(b) for b in bounds), step).indices(
            extent
        )
        return start, len(range(start, stop, step)), step
    lanes = ctx.active_lanes(mask)
    starts, lengths = np.zeros(ctx.lanes, np.int64), np.zeros(ctx.lanes, np.int64)
    for lane in lanes:
        lane_bounds = [
            None if b is None else int(b[lane] if isinstance(b, np.ndarray) else b) for b in bounds
        ]
        start, stop, _ = slice(*lane_bounds, step).indices(extent)
        starts[lane] = start
        lengths[lane] = len(range(start, stop, step))
    if lanes.size and (lengths[lanes] == lengths[lanes[0]]).all():
        return starts, int(lengths[lanes[0]]), step
    return starts, lengths, step  # each thread's own length (x[i:]): bounds checked per lane
