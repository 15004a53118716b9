"""Memory spaces of the SIMT engine and the one place every array access goes through.

An access by the active lanes of a chunk:
1. turns each lane's index tuple into a flat element number, checking type and bounds;
2. turns that into a position in the buffer's storage (shared memory has one copy per block,
   local memory one per lane);
3. with checks on, compares it with the buffer's shadow state to find races and reads of
   memory never written, then records the access;
4. gathers or scatters the values for the active lanes only.

Stores by several lanes to one element in one instruction resolve deterministically: the
highest lane (last block, last thread) wins, as numpy's scatter does.
"""

from __future__ import annotations

import numpy as np

from cudalike.errors import OutOfBoundsError, RaceError, UninitializedReadError

_POISON = {"f": np.nan, "c": np.nan, "i": -0x2A2A2A2A, "u": 0xDEADBEEF, "b": True}


def poison_fill(array: np.ndarray) -> None:
    """Fill fresh memory with a recognisable pattern (NaN for floats), as a sanitizer would."""
    value = _POISON.get(array.dtype.kind, 0)
    array.fill(np.array(value).astype(array.dtype) if array.dtype.kind in "iu" else value)


class Buffer:
    """An array as a kernel sees it: storage, logical shape, memory space and checking state.

    Attributes:
        name: the name the learner knows it by (parameter name or declaration).
        space: "global", "shared", "local" or "const".
        storage: flat numpy array holding the elements (all blocks' copies for shared memory).
        shape: logical shape seen by one thread.
    """

    def __init__(self, name: str, space: str, storage: np.ndarray, shape: tuple, *,
                 base: np.ndarray | None = None):
        self.name = name
        self.space = space
        self.storage = storage
        self.shape = tuple(int(n) for n in shape)
        self.dtype = storage.dtype
        self.ndim = len(self.shape)
        self.size = int(np.prod(self.shape, dtype=np.int64))
        self.itemsize = self.dtype.itemsize
        self.nbytes = self.size * self.itemsize
        self.strides = tuple(int(np.prod(self.shape[k + 1:], dtype=np.int64)) * self.itemsize
                             for k in range(self.ndim))
        self.element_strides = tuple(s // self.itemsize for s in self.strides)
        self.base = base  # the user's array, for global buffers
        self.shadow = None

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        return f"<{self.space} array '{self.name}' {self.shape} {self.dtype}>"


def constant_buffer(array: np.ndarray, name: str) -> Buffer:
    """A read-only copy of `array` in constant memory (cuda.const.array_like, frozen globals)."""
    copy = np.ascontiguousarray(array).copy()
    return Buffer(name, "const", copy.reshape(-1), copy.shape)


class SharedShadow:
    """Per element of a shared array: the last write and the reading warps of this epoch.

    A stamp is `barrier epoch of the block * warps + warp`: epochs only grow, so a stamp of
    the current epoch is at least `epoch * warps`, and the largest stamp is the newest.
    `r_high` keeps the largest reader stamp and `r_low` the largest mirrored stamp
    (`epoch * warps + warps - 1 - warp`), so together they say whether warps other than the
    writer's read the element since the last barrier.
    """

    def __init__(self, size: int):
        self.w_stamp = np.full(size, -1, np.int64)
        self.w_lane = np.full(size, -1, np.int64)
        self.w_wsync = np.zeros(size, np.int64)
        self.w_atomic = np.zeros(size, bool)
        self.r_high = np.full(size, -1, np.int64)
        self.r_low = np.full(size, -1, np.int64)
        self.r_sync = np.full(size, -1, np.int64)  # last reader: warp sync count * lanes + lane


class GlobalShadow:
    """Per element of a global array written in this launch: writing block, reading blocks."""

    def __init__(self, size: int):
        self.w_block = np.full(size, -1, np.int32)
        self.w_fence = np.zeros(size, np.int32)
        self.r_lo = np.full(size, np.iinfo(np.int32).max, np.int32)
        self.r_hi = np.full(size, -1, np.int32)


class LocalShadow:
    """Per element of a local array: has this lane written it?"""

    def __init__(self, size: int):
        self.written = np.zeros(size, bool)


# ---- index arithmetic ------------------------------------------------------------------
def flat_index(ctx, buffer: Buffer, index: tuple, mask, line: int):
    """Check the index tuple of the active lanes and return the flat element number.

    When every lane is active and a 1-D global array is indexed by the lanes' own global
    index (`cuda.grid(1)` of a 1-D launch), the answer is a slice: the lanes touch one
    contiguous run of elements, and numpy can copy it instead of gathering.
    """
    if mask is True and len(index) == 1 and buffer.space in ("global", "const"):
        start = ctx.contiguous_start(index[0])
        if start is not None and start >= 0 and start + ctx.lanes <= buffer.size:
            return slice(start, start + ctx.lanes)
    if len(index) != buffer.ndim:
        ctx.fail_runtime(line, f"'{buffer.name}' has {buffer.ndim} dimension(s) but is indexed "
                         f"with {len(index)} index(es); index every dimension, e.g. a[i, j]")
    flat = 0
    for axis, (value, extent, stride) in enumerate(
            zip(index, buffer.shape, buffer.element_strides, strict=True)):
        value = _as_index(ctx, buffer, value, line)
        if ctx.checks or not isinstance(value, np.ndarray):
            _check_bounds(ctx, buffer, index, axis, value, extent, mask, line)
        flat = value * stride + flat if stride != 1 else value + flat
    return flat


def _as_index(ctx, buffer: Buffer, value, line: int):
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iu":
            return value.astype(np.int64, copy=False)
        kind = value.dtype
    elif isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    else:
        kind = type(value).__name__
    ctx.fail_runtime(line, f"index into '{buffer.name}' must be an integer, not {kind}",
                     hint="convert with int(...) or use integer arithmetic (// instead of /)")


def _check_bounds(ctx, buffer, index, axis, value, extent, mask, line) -> None:
    if not isinstance(value, np.ndarray):
        if (0 <= value < extent) or mask is False:
            return
        lanes = ctx.active_lanes(mask)
        if lanes.size == 0:
            return
        bad_lane = int(lanes[0])
    else:
        if mask is True:
            if value.size == 0 or (value.min() >= 0 and value.max() < extent):
                return
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
        OutOfBoundsError, line, bad_lane,
        f"{what}: {buffer.space} array '{buffer.name}' of shape {buffer.shape} indexed at "
        f"[{shown}]; index {bad} is outside 0..{extent - 1} in dimension {axis}",
        hint="guard the access with an if that compares the index to the array's shape"
        if buffer.space == "global" else "check the size of the array you declared",
    )


def storage_index(ctx, buffer: Buffer, flat):
    """Position of each lane's element in the buffer's storage."""
    if buffer.space == "shared":
        return ctx.lane_block * buffer.size + flat
    if buffer.space == "local":
        return ctx.lane_index * buffer.size + flat
    return flat


# ---- loads and stores ------------------------------------------------------------------
def load(ctx, buffer, index: tuple, mask, line: int):
    """Read buffer[index] for the active lanes (inactive lanes get an arbitrary value)."""
    if not isinstance(buffer, Buffer):
        return _index_value(ctx, buffer, index, line)
    flat = flat_index(ctx, buffer, index, mask, line)
    position = storage_index(ctx, buffer, flat)
    if mask is False:
        return np.zeros(ctx.lanes, buffer.dtype)
    if ctx.checks:
        _check_read(ctx, buffer, position, mask, line)
    if isinstance(position, slice):
        return buffer.storage[position].copy()
    if not isinstance(position, np.ndarray):
        return buffer.storage[position]
    if mask is not True:
        position = np.where(mask, position, 0)
    return buffer.storage.take(position)


def store(ctx, buffer, index: tuple, value, mask, line: int) -> None:
    """Write value to buffer[index] for the active lanes."""
    if not isinstance(buffer, Buffer):
        ctx.fail_runtime(line, "only arrays can be assigned to by index")
    if buffer.space == "const":
        ctx.fail_runtime(line, f"'{buffer.name}' is in constant memory, which kernels cannot write")
    flat = flat_index(ctx, buffer, index, mask, line)
    if mask is False:
        return
    position = storage_index(ctx, buffer, flat)
    value_is_lanes = isinstance(value, np.ndarray) and value.ndim == 1
    if isinstance(position, slice):
        if ctx.checks:
            _check_write(ctx, buffer, position, ctx.lane_index, line)
    elif ctx.checks or value_is_lanes or mask is not True:
        if not isinstance(position, np.ndarray):
            position = np.full(ctx.lanes, position, np.int64)
        lanes = ctx.active_lanes(mask)
        if mask is not True:
            position = position[lanes]
            value = value[lanes] if value_is_lanes else value
        if ctx.checks:
            _check_write(ctx, buffer, position, lanes, line)
    buffer.storage[position] = value


def _index_value(ctx, value, index: tuple, line: int):
    if isinstance(value, tuple) and len(index) == 1 and isinstance(index[0], (int, np.integer)):
        return value[index[0]]
    ctx.fail_runtime(line, f"cannot index a {type(value).__name__} here; only arrays (and tuples, "
                     "with a constant index) can be indexed")


# ---- shadow checks ---------------------------------------------------------------------
def _check_read(ctx, buffer: Buffer, position, mask, line: int) -> None:
    if buffer.space == "const" or (buffer.space == "global" and not ctx.tracked(buffer)):
        return
    lanes = ctx.active_lanes(mask)
    if isinstance(position, slice):
        _global_read(ctx, buffer, position, lanes, line)
        return
    position = _per_lane(ctx, position)
    if mask is not True:
        position = position[lanes]
    if buffer.space == "shared":
        _shared_read(ctx, buffer, position, lanes, line)
    elif buffer.space == "local":
        written = _shadow(ctx, buffer).written[position]
        if not written.all():
            lane = int(lanes[np.argmin(written)])
            raise ctx.error(UninitializedReadError, line, lane,
                            f"reads local array '{buffer.name}' at an element this thread never "
                            "wrote", hint="write every element of a local array before reading it")
    else:
        _global_read(ctx, buffer, position, lanes, line)


def _check_write(ctx, buffer: Buffer, position, lanes, line: int) -> None:
    if buffer.space == "shared":
        _shared_write(ctx, buffer, position, lanes, line)
    elif buffer.space == "local":
        _shadow(ctx, buffer).written[position] = True
    elif buffer.space == "global" and ctx.tracked(buffer):
        _global_write(ctx, buffer, position, lanes, line)


def _per_lane(ctx, position):
    if isinstance(position, np.ndarray):
        return position
    return np.full(ctx.lanes, position, np.int64)


def _shadow(ctx, buffer: Buffer):
    if buffer.shadow is None:
        kind = {"shared": SharedShadow, "local": LocalShadow, "global": GlobalShadow}[buffer.space]
        buffer.shadow = kind(buffer.storage.size)
    return buffer.shadow


def _race(ctx, line, lane, other_lane, buffer, position, template, hint):
    """Report a race; `template` names the element as {array} and the other thread as {other}."""
    array = f"{buffer.space} array '{buffer.name}'{ctx.element_name(buffer, int(position))}"
    other = "thread " + ctx.describe_lane(int(other_lane)).split("thread ", 1)[1]
    raise ctx.error(RaceError, line, int(lane), template.format(array=array, other=other),
                    hint=hint)


_READ_AFTER_WRITE = "reads {array}, which {other} wrote with no barrier in between"
_WRITE_AFTER_WRITE = "overwrites {array}, which {other} wrote with no barrier in between"
_WRITE_AFTER_READ = ("overwrites {array}, which {other} (another warp) read with no barrier "
                     "in between, so it may read the new value or the old")
_WRITE_AFTER_READ_WARP = ("overwrites {array}, which {other} of the same warp read with no "
                          "syncwarp in between")
_SAME_INSTRUCTION = "writes {array} in the same instruction as {other} of another warp"


_BARRIER_HINT = "put cuda.syncthreads() between the write and the other thread's access"
_SYNCWARP_HINT = ("threads of one warp do not run in lockstep (since Volta): put "
                  "cuda.syncwarp() between the write and the other lane's access")


def _shared_read(ctx, buffer, position, lanes, line, atomic=False) -> None:
    shadow = _shadow(ctx, buffer)
    full = lanes.size == ctx.lanes
    base = ctx.epoch_base if full else ctx.epoch_base[lanes]
    written = shadow.w_stamp[position]
    if (written < 0).any():
        k = int(np.argmax(written < 0))
        what = ("updates it atomically before any thread initialised it" if atomic
                else "reads it, but no thread has written it")
        raise ctx.error(UninitializedReadError, line, int(lanes[k]),
                        f"shared array '{buffer.name}'{ctx.element_name(buffer, int(position[k]))}: "
                        f"this thread {what}",
                        hint="shared memory starts with garbage: fill it, then cuda.syncthreads()")
    recent = written >= base
    if atomic:
        recent &= ~shadow.w_atomic[position]
    if recent.any():
        _raw_details(ctx, buffer, shadow, position, lanes, recent, line)
    if atomic:
        return
    stamp = ctx.warp_stamp if full else ctx.warp_stamp[lanes]
    mirror = ctx.mirror_stamp if full else ctx.mirror_stamp[lanes]
    shadow.r_high[position] = np.maximum(shadow.r_high[position], stamp)
    reversed_position = position[::-1]
    shadow.r_low[reversed_position] = np.maximum(shadow.r_low[reversed_position], mirror[::-1])
    shadow.r_sync[position] = ctx.sync_stamp if full else ctx.sync_stamp[lanes]


def _raw_details(ctx, buffer, shadow, position, lanes, recent, line) -> None:
    """Of the reads of elements written this epoch, report one by another thread unsynchronised."""
    chosen = np.flatnonzero(recent)
    reader = lanes[chosen]
    where = position[chosen]
    writer = shadow.w_lane[where]
    cross = ctx.lane_warp[writer] != ctx.lane_warp[reader]
    if cross.any():
        k = int(np.argmax(cross))
        _race(ctx, line, reader[k], writer[k], buffer, where[k], _READ_AFTER_WRITE, _BARRIER_HINT)
    in_warp = (writer != reader) & (shadow.w_wsync[where] == ctx.warp_sync[ctx.lane_warp[reader]])
    if in_warp.any():
        k = int(np.argmax(in_warp))
        _race(ctx, line, reader[k], writer[k], buffer, where[k], _READ_AFTER_WRITE, _SYNCWARP_HINT)


def _shared_write(ctx, buffer, position, lanes, line, atomic=False) -> None:
    shadow = _shadow(ctx, buffer)
    full = lanes.size == ctx.lanes
    base = ctx.epoch_base if full else ctx.epoch_base[lanes]
    stamp = ctx.warp_stamp if full else ctx.warp_stamp[lanes]
    warp = ctx.lane_warp if full else ctx.lane_warp[lanes]
    wsync = ctx.warp_sync[warp]
    if not atomic:
        recent = shadow.w_stamp[position] >= base
        if recent.any():
            writer = shadow.w_lane[position]
            cross = recent & (shadow.w_stamp[position] != stamp)
            if cross.any():
                k = int(np.argmax(cross))
                _race(ctx, line, lanes[k], writer[k], buffer, position[k], _WRITE_AFTER_WRITE,
                      _BARRIER_HINT)
            in_warp = recent & (writer != lanes) & (shadow.w_wsync[position] == wsync)
            if in_warp.any():
                k = int(np.argmax(in_warp))
                _race(ctx, line, lanes[k], writer[k], buffer, position[k], _WRITE_AFTER_WRITE,
                      _SYNCWARP_HINT)
        mirror = ctx.mirror_stamp if full else ctx.mirror_stamp[lanes]
        high, low = shadow.r_high[position], shadow.r_low[position]
        read_by_other = ((high >= base) & (high != stamp)) | ((low >= base) & (low != mirror))
        if read_by_other.any():
            k = int(np.argmax(read_by_other))
            other = high[k] if high[k] != stamp[k] else base[k] + ctx.warps_total - 1 - (low[k] - base[k])
            reader = ctx.first_lane_of_warp(int(other - base[k]))
            _race(ctx, line, lanes[k], reader, buffer, position[k], _WRITE_AFTER_READ,
                  _BARRIER_HINT)
        last_read = shadow.r_sync[position]
        reader = last_read % ctx.lanes
        in_warp_read = ((last_read >= 0) & (reader != lanes) & (last_read // ctx.lanes == wsync)
                        & (ctx.lane_warp[reader] == warp))
        if in_warp_read.any():
            k = int(np.argmax(in_warp_read))
            _race(ctx, line, lanes[k], reader[k], buffer, position[k], _WRITE_AFTER_READ_WARP,
                  _SYNCWARP_HINT)
    shadow.w_stamp[position] = stamp
    if not atomic:
        clash = shadow.w_stamp[position] != stamp
        if clash.any():
            k = int(np.argmax(clash))
            other = ctx.first_lane_of_warp(int(shadow.w_stamp[position[k]] - base[k]))
            _race(ctx, line, lanes[k], other, buffer, position[k], _SAME_INSTRUCTION,
                  _BARRIER_HINT)
    shadow.w_lane[position] = lanes
    shadow.w_wsync[position] = wsync
    shadow.w_atomic[position] = atomic


def _global_read(ctx, buffer, position, lanes, line) -> None:
    shadow = _shadow(ctx, ctx.tracked(buffer))
    block = ctx.global_block(lanes)
    writer = shadow.w_block[position]
    if writer.size and writer.max() >= 0:
        foreign = (writer >= 0) & (writer != block)
        if foreign.any():
            published = ctx.fence_count[np.where(foreign, writer, 0)] > shadow.w_fence[position]
            foreign &= ~(published & ctx.acquired[block])
        if foreign.any():
            k = int(np.argmax(foreign))
            _global_race(ctx, line, lanes[k], writer[k], buffer, _at(position, k),
                         "reads {array}, which block {other} writes in this launch")
    low = np.minimum(shadow.r_lo[position], block)
    if isinstance(position, slice):
        shadow.r_lo[position] = low
    else:
        shadow.r_lo[position[::-1]] = low[::-1]
    shadow.r_hi[position] = np.maximum(shadow.r_hi[position], block)


def _global_write(ctx, buffer, position, lanes, line) -> None:
    shadow = _shadow(ctx, ctx.tracked(buffer))
    block = ctx.global_block(lanes)
    writer = shadow.w_block[position]
    if writer.size and writer.max() >= 0:
        foreign = (writer >= 0) & (writer != block)
        if foreign.any():
            k = int(np.argmax(foreign))
            _global_race(ctx, line, lanes[k], writer[k], buffer, _at(position, k),
                         "writes {array}, which block {other} also writes in this launch")
    high = shadow.r_hi[position]
    if high.size and high.max() >= 0:
        low = shadow.r_lo[position]
        read_by_other = (low <= high) & ((low != block) | (high != block))
        if read_by_other.any():
            k = int(np.argmax(read_by_other))
            other = low[k] if low[k] != block[k] else high[k]
            _global_race(ctx, line, lanes[k], other, buffer, _at(position, k),
                         "writes {array}, which block {other} reads in this launch")
    shadow.w_block[position] = block
    if not isinstance(position, slice):
        winner = shadow.w_block[position]
        clash = winner != block
        if clash.any():
            k = int(np.argmax(clash))
            _global_race(ctx, line, lanes[k], winner[k], buffer, _at(position, k),
                         "writes {array} in the same instruction as block {other}")
    shadow.w_fence[position] = ctx.fence_count[block] if ctx.fence_count.any() else 0


def _at(position, k: int) -> int:
    return position.start + k if isinstance(position, slice) else int(position[k])


def _global_race(ctx, line, lane, other_block, buffer, position, template) -> None:
    array = f"global array '{buffer.name}'{ctx.element_name(buffer, int(position))}"
    other = _tuple_text(ctx.block_coordinates(int(other_block)))
    raise ctx.error(
        RaceError, line, int(lane), template.format(array=array, other=other),
        hint="blocks run in no fixed order: give each block its own elements, or use cuda.atomic",
    )


def _tuple_text(values) -> str:
    return "(" + ", ".join(str(int(v)) for v in values) + ")"
