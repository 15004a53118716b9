"""Race and initialisation checks: shadow state kept beside shared and global arrays.

Lockstep execution hides races that a GPU would expose, so they are looked for, not hoped for.
Each access by the active lanes is compared with what the shadow remembers of earlier
accesses to the same elements (see the shadow classes), then recorded. A finding raises a
RaceError naming both threads, or an UninitializedReadError.
"""

from __future__ import annotations

import numpy as np

from cudalike.errors import RaceError, UninitializedReadError
from cudalike.simt import global_races
from cudalike.simt.shadow_pool import give_back, take


class SharedShadow:
    """Per element of a shared array: the last write and the reading warps of this epoch.

    A stamp is `barrier epoch of the block * warps + warp`: epochs only grow, so a stamp of
    the current epoch is at least `epoch * warps`, and the largest stamp is the newest.
    `r_high` keeps the largest reader stamp and `r_low` the largest mirrored stamp
    (`epoch * warps + warps - 1 - warp`), so together they say whether warps other than the
    writer's read the element since the last barrier.
    """

    def __init__(self, size: int):
        self.w_stamp = take(size, np.int64, -1)
        self.w_lane = take(size, np.int64, -1)
        self.w_wsync = take(size, np.int64, 0)
        self.w_atomic = take(size, np.bool_, False)
        self.r_high = take(size, np.int64, -1)
        self.r_low = take(size, np.int64, -1)
        self.r_sync = take(size, np.int64, -1)  # last reader: warp sync count * lanes + lane
        # Reads are logged and folded into r_* only when a write needs them: most epochs of a
        # tiled kernel only read, and a barrier makes their reads irrelevant.
        self.pending_reads: list[tuple] = []
        self.pending_epoch = -1
        # Shortcuts, valid while every block has passed the same barriers (ctx.uniform_epochs):
        self.write_epoch = -1  # ctx.barriers at the last write: none since means no RAW/WAW
        self.read_epoch = -1  # ctx.barriers when reads were last folded in: none means no WAR
        self.all_written = False  # every element written once: no uninitialised read left


class LocalShadow:
    """Per element of a local array: has this lane written it?"""

    def __init__(self, size: int):
        self.written = np.zeros(size, bool)


def release(buffers) -> None:
    """Return the shadow arrays of these buffers (shared or global) to the pool."""
    for buffer in buffers:
        shadow, buffer.shadow = buffer.shadow, None
        if isinstance(shadow, SharedShadow):
            for name, empty in _SHARED_EMPTY:
                give_back(getattr(shadow, name), empty)
        elif isinstance(shadow, global_races.GlobalShadow):
            for name, empty in _GLOBAL_EMPTY:
                give_back(getattr(shadow, name), empty)


_SHARED_EMPTY = (
    ("w_stamp", -1),
    ("w_lane", -1),
    ("w_wsync", 0),
    ("w_atomic", False),
    ("r_high", -1),
    ("r_low", -1),
    ("r_sync", -1),
)
_GLOBAL_EMPTY = (
    ("w_block", -1),
    ("w_stamp", -1),
    ("w_fence", 0),
    ("r_lo", np.iinfo(np.int32).max),
    ("r_hi", -1),
)


# ---- index arithmetic ------------------------------------------------------------------


def shadow_of(buffer):
    """The buffer's shadow state, made on first use."""
    buffer = buffer.root
    if buffer.shadow is None:
        kind = {"shared": SharedShadow, "local": LocalShadow, "global": global_races.GlobalShadow}[
            buffer.space
        ]
        buffer.shadow = kind(buffer.storage.size)
    return buffer.shadow


def _race(ctx, line, lane, other_lane, buffer, position, template, hint):
    """Report a race; `template` names the element as {array} and the other thread as {other}."""
    if hint is _SYNCWARP_HINT and ctx.warps_per_block > 1:
        hint = _SYNCWARP_IN_A_BLOCK_HINT
    array = f"{buffer.space} array '{buffer.root.name}'{ctx.element_name(buffer, int(position))}"
    if other_lane is None:
        other = "another warp"
        other_block, other_thread = ctx.coordinates(int(lane))[0], None
    else:
        other = "thread " + ctx.describe_lane(int(other_lane)).split("thread ", 1)[1]
        other_block, other_thread = ctx.coordinates(int(other_lane))
    raise ctx.error(
        RaceError,
        line,
        int(lane),
        template.format(array=array, other=other),
        hint=hint,
        array=buffer.root.name,
        element=ctx.element_index(buffer, int(position)),
        other_block=other_block,
        other_thread=other_thread,
    )


_READ_AFTER_WRITE = "reads {array}, which {other} wrote with no barrier in between"
_WRITE_AFTER_WRITE = "overwrites {array}, which {other} wrote with no barrier in between"
_WRITE_AFTER_READ = (
    "overwrites {array}, which a thread of warp {warp} read with no barrier in between, "
    "so that thread may see the new value or the old"
)
_WRITE_AFTER_READ_WARP = (
    "overwrites {array}, which {other} of the same warp read with no syncwarp in between"
)
_SAME_INSTRUCTION = "writes {array} in the same instruction as {other} of another warp"


_BARRIER_HINT = "put cuda.syncthreads() between the write and the other thread's access"
_SYNCWARP_HINT = (
    "threads of one warp do not run in lockstep (since Volta): put "
    "cuda.syncwarp() between the write and the other lane's access"
)
# The same race in a block of several warps: the block's barrier fixes it too, where every
# thread reaches it (a warp-only tail, inside `if tid < 32`, needs syncwarp).
_SYNCWARP_IN_A_BLOCK_HINT = (
    "threads of one warp do not run in lockstep (since Volta): put cuda.syncwarp() between "
    "the write and the other lane's access, or cuda.syncthreads() where every thread of the "
    "block reaches it"
)


def shared_read(ctx, buffer, position, lanes, line, atomic=False, position_again=None) -> None:
    """Check a read of a shared array and log it for the write checks of this epoch.

    `position_again`, when given, computes `position` anew: the log keeps it instead.
    """
    shadow = shadow_of(buffer)
    full = lanes.size == ctx.lanes
    if not shadow.all_written:
        _check_initialised(ctx, buffer, shadow, position, lanes, line, atomic)
    if shadow.write_epoch == ctx.barriers or not ctx.uniform_epochs:
        base = ctx.epoch_base if full else ctx.epoch_base[lanes]
        recent = shadow.w_stamp[position] >= base
        if atomic:
            recent &= ~shadow.w_atomic[position]
        if recent.any():
            _raw_details(ctx, buffer, shadow, position, lanes, recent, line)
    if atomic:
        return
    if shadow.pending_epoch != ctx.barriers:
        shadow.pending_reads.clear()
        shadow.pending_epoch = ctx.barriers
    pick = (lambda stamps: stamps) if full else (lambda stamps: stamps[lanes])
    logged = position if position_again is None else position_again
    sync = ctx.sync_offset() if full else None  # a number: the stamps are lanes + it
    shadow.pending_reads.append(
        (
            logged,
            pick(ctx.warp_stamp),
            pick(ctx.mirror_stamp),
            pick(ctx.sync_stamp) if sync is None else sync,
        )
    )


def _check_initialised(ctx, buffer, shadow, position, lanes, line, atomic) -> None:
    written = shadow.w_stamp[position]
    if (written < 0).any():
        k = int(np.argmax(written < 0))
        what = (
            "updates it atomically before any thread initialised it"
            if atomic
            else "reads it, but no thread has written it"
        )
        raise ctx.error(
            UninitializedReadError,
            line,
            int(lanes[k]),
            f"shared array '{buffer.root.name}'{ctx.element_name(buffer, int(position[k]))}: "
            f"this thread {what}",
            hint="shared memory starts with garbage: fill it, then cuda.syncthreads()",
            array=buffer.root.name,
            element=ctx.element_index(buffer, int(position[k])),
        )
    shadow.all_written = bool(shadow.w_stamp.min() >= 0)


def apply_pending_reads(ctx, shadow) -> None:
    """Fold the logged reads of the current epoch into the read shadow."""
    if shadow.pending_epoch != ctx.barriers:
        shadow.pending_reads.clear()
    for logged, stamp, mirror, sync in shadow.pending_reads:
        position = logged() if callable(logged) else logged
        shadow.read_epoch = ctx.barriers
        shadow.r_high[position] = np.maximum(shadow.r_high[position], stamp)
        reversed_position = position[::-1]
        shadow.r_low[reversed_position] = np.maximum(shadow.r_low[reversed_position], mirror[::-1])
        shadow.r_sync[position] = sync if isinstance(sync, np.ndarray) else ctx.lane_index + sync
    shadow.pending_reads.clear()
    shadow.pending_epoch = ctx.barriers


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


def shared_write(ctx, buffer, position, lanes, line, atomic=False) -> None:
    shadow = shadow_of(buffer)
    apply_pending_reads(ctx, shadow)
    full = lanes.size == ctx.lanes
    base = ctx.epoch_base if full else ctx.epoch_base[lanes]
    stamp = ctx.warp_stamp if full else ctx.warp_stamp[lanes]
    warp = ctx.lane_warp if full else ctx.lane_warp[lanes]
    wsync = ctx.warp_sync[warp]
    exact = not ctx.uniform_epochs
    if not atomic and (shadow.write_epoch == ctx.barriers or exact):
        _check_write_after_write(ctx, buffer, shadow, position, lanes, line, base, stamp, wsync)
    if not atomic and (shadow.read_epoch == ctx.barriers or exact):
        mirror = ctx.mirror_stamp if full else ctx.mirror_stamp[lanes]
        _check_write_after_read(ctx, buffer, shadow, position, lanes, line, base, stamp, mirror)
        _check_write_after_read_in_warp(ctx, buffer, shadow, position, lanes, line, warp, wsync)
    shadow.w_stamp[position] = stamp
    if not atomic:
        clash = shadow.w_stamp[position] != stamp
        if clash.any():
            k = int(np.argmax(clash))
            other = ctx.first_lane_of_warp(int(shadow.w_stamp[position[k]] - base[k]))
            _race(ctx, line, lanes[k], other, buffer, position[k], _SAME_INSTRUCTION, _BARRIER_HINT)
    shadow.w_lane[position] = lanes
    shadow.w_wsync[position] = wsync
    shadow.w_atomic[position] = atomic
    shadow.write_epoch = ctx.barriers


def _check_write_after_write(ctx, buffer, shadow, position, lanes, line, base, stamp, wsync):
    recent = shadow.w_stamp[position] >= base
    if not recent.any():
        return
    writer = shadow.w_lane[position]
    cross = recent & (shadow.w_stamp[position] != stamp)
    if cross.any():
        k = int(np.argmax(cross))
        _race(
            ctx, line, lanes[k], writer[k], buffer, position[k], _WRITE_AFTER_WRITE, _BARRIER_HINT
        )
    in_warp = recent & (writer != lanes) & (shadow.w_wsync[position] == wsync)
    if in_warp.any():
        k = int(np.argmax(in_warp))
        _race(
            ctx, line, lanes[k], writer[k], buffer, position[k], _WRITE_AFTER_WRITE, _SYNCWARP_HINT
        )


def _check_write_after_read(ctx, buffer, shadow, position, lanes, line, base, stamp, mirror):
    high, low = shadow.r_high[position], shadow.r_low[position]
    read_by_other = ((high >= base) & (high != stamp)) | ((low >= base) & (low != mirror))
    if read_by_other.any():
        k = int(np.argmax(read_by_other))
        if high[k] != stamp[k]:
            other_warp = high[k] - base[k]
        else:
            other_warp = ctx.warps_total - 1 - (low[k] - base[k])
        warp = int(other_warp) % ctx.warps_per_block
        last = min(32 * warp + 31, ctx.threads - 1)
        template = _WRITE_AFTER_READ.replace(
            "{warp}", f"{warp} (linear threads {32 * warp}-{last})"
        )
        _race(ctx, line, lanes[k], None, buffer, position[k], template, _BARRIER_HINT)


def _check_write_after_read_in_warp(ctx, buffer, shadow, position, lanes, line, warp, wsync):
    last_read = shadow.r_sync[position]
    reader = last_read % ctx.lanes
    same_warp = (last_read >= 0) & (reader != lanes) & (last_read // ctx.lanes == wsync)
    same_warp &= ctx.lane_warp[reader] == warp
    if same_warp.any():
        k = int(np.argmax(same_warp))
        _race(
            ctx,
            line,
            lanes[k],
            reader[k],
            buffer,
            position[k],
            _WRITE_AFTER_READ_WARP,
            _SYNCWARP_HINT,
        )


def global_read(ctx, buffer, position, lanes, line) -> None:
    """Check and record a read of a global array written in this launch (global_races.py)."""
    global_races.global_read(ctx, buffer, position, lanes, line)


def global_write(ctx, buffer, position, lanes, line) -> None:
    """Check and record a write of a global array (global_races.py)."""
    global_races.global_write(ctx, buffer, position, lanes, line)
