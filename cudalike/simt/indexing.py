"""Array indices in the SIMT engine: from each lane's index tuple to a checked element number.

Every access (memory.load and memory.store, atomics, cuda.random states, slices) turns the
active lanes' indices into flat element numbers here, checking their type and bounds (an
`OutOfBoundsError` names the first thread outside), then into positions in the buffer's
storage. When every lane reads or writes one contiguous run of a 1-D array at cuda.grid(1),
the answer is a slice instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cudalike.errors import OutOfBoundsError
from cudalike.simt.lane_runs import LaneRun

if TYPE_CHECKING:
    from cudalike.simt.memory import Buffer


def whole_index(index: tuple) -> tuple:
    """`ary[gid]` with `gid = cuda.grid(2)` held in a variable indexes with gid's parts."""
    if len(index) == 1 and isinstance(index[0], tuple):
        return index[0]
    return index


def contiguous_run(ctx, buffer: Buffer, index: tuple, mask) -> slice | None:
    """The run of elements the lanes touch when every lane is active and a 1-D global or
    constant array is indexed by the lanes' own global index (`cuda.grid(1)` of a 1-D
    launch), all in bounds: numpy then copies a slice instead of gathering."""
    if (
        mask is not True
        or len(index) != 1
        or buffer.ndim != 1
        or buffer.space not in ("global", "const")
        or buffer.root is not buffer
    ):
        return None
    start = ctx.contiguous_start(index[0])
    if start is not None and start >= 0 and start + ctx.lanes <= buffer.size:
        return slice(start, start + ctx.lanes)
    return None


def lane_index_values(ctx, index: tuple) -> tuple:
    """`index` with a cuda.grid(1) kept as a LaneRun made into its array."""
    if any(isinstance(value, LaneRun) for value in index):
        return tuple(ctx.lane_values(value) for value in index)
    return index


def flat_index(ctx, buffer: Buffer, index: tuple, mask, line: int, contiguous: bool = False):
    """Check the index tuple of the active lanes and return the flat element number.

    With `contiguous`, the answer is a slice where `contiguous_run` finds one.
    """
    if contiguous:
        run = contiguous_run(ctx, buffer, index, mask)
        if run is not None:
            return run
    index = lane_index_values(ctx, index)
    if len(index) > buffer.ndim:
        ctx.fail_runtime(
            line,
            f"'{buffer.name}' has {buffer.ndim} dimension(s) but is indexed "
            f"with {len(index)} index(es); index every dimension, e.g. a[i, j]",
        )
    flat = buffer.offset
    extents = buffer.shape
    if buffer.lane_extents is not None:
        extents = [s if e is None else e for s, e in zip(extents, buffer.lane_extents, strict=True)]
    for axis, (value, extent, stride) in enumerate(
        zip(index, extents, buffer.element_strides, strict=False)
    ):
        value = as_index(ctx, buffer, value, line)
        if ctx.checks or not isinstance(value, np.ndarray):
            check_bounds(ctx, buffer, index, axis, value, extent, mask, line)
        flat = value * stride + flat if stride != 1 else value + flat
    return flat


def as_index(ctx, buffer: Buffer, value, line: int):
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iu":
            return value.astype(np.int64, copy=False)
        kind = value.dtype
    elif isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    else:
        kind = type(value).__name__
    ctx.fail_runtime(
        line,
        f"index into '{buffer.name}' must be an integer, not {kind}",
        hint="convert with int(...) or use integer arithmetic (// instead of /)",
    )


def check_bounds(ctx, buffer, index, axis, value, extent, mask, line) -> None:
    if isinstance(extent, np.ndarray):  # each thread's own slice length
        _check_lane_bounds(ctx, buffer, index, axis, value, extent, mask, line)
        return
    if not isinstance(value, np.ndarray):
        if (0 <= value < extent) or mask is False:
            return
        lanes = ctx.active_lanes(mask)
        if lanes.size == 0:
            return
        bad_lane = int(lanes[0])
    else:
        if value.size == 0:
            return
        if mask is True or unchanging(value):
            low, high = index_range(ctx, value)
            if low >= 0 and high < extent:
                return
        if mask is True:
            active = value
            lanes = None
        else:
            lanes = ctx.active_lanes(mask)
            active = value[lanes]
            if active.size == 0 or (active.min() >= 0 and active.max() < extent):
                return
        position = int(np.argmax((active < 0) | (active >= extent)))
        bad_lane = position if lanes is None else int(lanes[position])
    shown = ", ".join(str(int(v[bad_lane]) if isinstance(v, np.ndarray) else v) for v in index)
    bad = int(value[bad_lane]) if isinstance(value, np.ndarray) else value
    what = "negative index" if bad < 0 else "index past the end"
    raise ctx.error(
        OutOfBoundsError,
        line,
        bad_lane,
        f"{what}: {buffer.space} array '{buffer.name}' of shape {buffer.shape} indexed at "
        f"[{shown}]; index {bad} is outside 0..{extent - 1} in dimension {axis}",
        hint="guard the access with an if that compares the index to the array's shape"
        if buffer.space == "global"
        else "check the size of the array you declared",
        array=buffer.root.name,
        element=tuple(int(v[bad_lane]) if isinstance(v, np.ndarray) else int(v) for v in index),
    )


def index_range(ctx, value: np.ndarray) -> tuple[int, int]:
    """Smallest and largest of an index array, remembered for the read-only arrays a chunk
    indexes with again and again (thread and block numbers, cuda.grid)."""
    known = ctx.index_ranges.get(id(value))
    if known is not None and known[0] is value:
        return known[1], known[2]
    low, high = int(value.min()), int(value.max())
    if unchanging(value):
        ctx.index_ranges[id(value)] = (value, low, high)
    return low, high


def unchanging(value: np.ndarray) -> bool:
    """Read-only, over memory nothing writes: the lane, thread and block number arrays."""
    return not value.flags.writeable and (value.flags.owndata or not value.base.flags.writeable)


def _check_lane_bounds(ctx, buffer, index, axis, value, extents, mask, line) -> None:
    """Bounds of a slice whose length differs between threads: each lane against its own."""
    lanes = ctx.active_lanes(mask)
    values = np.broadcast_to(value, (ctx.lanes,))[lanes]
    bad = (values < 0) | (values >= extents[lanes])
    if not bad.any():
        return
    position = int(np.argmax(bad))
    bad_lane, bad_value = int(lanes[position]), int(values[position])
    shown = ", ".join(str(int(v[bad_lane]) if isinstance(v, np.ndarray) else v) for v in index)
    raise ctx.error(
        OutOfBoundsError,
        line,
        bad_lane,
        f"{'negative index' if bad_value < 0 else 'index past the end'}: {buffer.space} array "
        f"'{buffer.name}' indexed at [{shown}]; this thread's slice has length "
        f"{int(extents[bad_lane])} in dimension {axis}",
        hint="guard the access with an if that compares the index to the slice's length",
        array=buffer.root.name,
        element=tuple(int(v[bad_lane]) if isinstance(v, np.ndarray) else int(v) for v in index),
    )


def storage_index(ctx, buffer: Buffer, flat):
    """Position of each lane's element in the buffer's storage."""
    if buffer.space == "shared":
        return ctx.lane_block * buffer.root.size + flat
    if buffer.space == "local":
        return ctx.lane_index * buffer.root.size + flat
    return flat
