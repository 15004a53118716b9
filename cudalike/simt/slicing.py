"""Slicing inside kernels: `dynsmem[1:3]`, `a[::2]`, `rows[i, :]` as views of the same memory.

A view shares its root's storage, race shadow and error reports; it differs in offset, shape
and element strides, which `memory.flat_index` already uses. The shape must be the same for
every thread (bounds may differ per thread when the lengths agree, as in `inp[i, :]`).
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
        if len(specs) > buffer.ndim:
            self.fail_runtime(
                line, f"'{buffer.name}' has {buffer.ndim} dimension(s), sliced with {len(specs)}"
            )
        offset, shape, strides = buffer.offset, [], []
        for axis, spec in enumerate(specs):
            extent, stride = buffer.shape[axis], buffer.element_strides[axis]
            if not isinstance(spec, slice):
                index = memory.as_index(self, buffer, spec, line)
                memory.check_bounds(self, buffer, (index,), axis, index, extent, mask, line)
                offset = offset + index * stride
                continue
            start, length, step = _slice_extent(self, spec, extent, mask, line)
            offset = offset + start * stride
            shape.append(length)
            strides.append(stride * step)
        shape.extend(buffer.shape[len(specs) :])
        strides.extend(buffer.element_strides[len(specs) :])
        return buffer.view(tuple(shape), offset, tuple(strides))

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
    starts, lengths = np.zeros(ctx.lanes, np.int64), set()
    for lane in lanes:
        lane_bounds = [
            None if b is None else int(b[lane] if isinstance(b, np.ndarray) else b) for b in bounds
        ]
        start, stop, _ = slice(*lane_bounds, step).indices(extent)
        starts[lane] = start
        lengths.add(len(range(start, stop, step)))
    if len(lengths) > 1:
        ctx.fail_runtime(
            line,
            "threads slice different lengths here; cudalike needs one slice length for all "
            "threads (index the elements instead)",
        )
    return starts, lengths.pop() if lengths else 0, step
