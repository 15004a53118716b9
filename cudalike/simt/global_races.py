"""Race checks on global memory: shadow state of each global array a launch writes.

Blocks run in no fixed order, so an element written by one block and read or written by
another in the same launch is a race (unless published with threadfence and an atomic);
threads of one block race on global memory as on shared memory, between warps, when no
barrier separates them. Shared-memory checks and the report wording are in races.py.
"""

from __future__ import annotations

import numpy as np

from cudalike.errors import RaceError
from cudalike.simt import races
from cudalike.simt.shadow_pool import take


class GlobalShadow:
    """Per element of a global array written in this launch: writing block, reading blocks,
    and the writer's warp stamp (as in SharedShadow), which tells a write by another warp of
    the same block since its last barrier.

    Only what the launch needs is made: the writer arrays (w_block, w_stamp) when an access
    must be compared with earlier writes, the read range (r_lo, r_hi) at the first read, the
    writer's fence count (w_fence) at the first write after a threadfence. Until then they
    read as "no writer", "no reader" and "no fence". A chunk storing one contiguous run of
    elements, one per lane in lane order (`out[cuda.grid(1)] = ...`), is only noted
    (`deferred`): a kernel that writes each element once never needs the arrays at all."""

    def __init__(self, size: int):
        self.size = size
        self.w_block = None
        self.w_stamp = None
        self.written = False  # nothing to compare an access with before the first write
        self.w_fence = None
        self.r_lo = None
        self.r_hi = None
        self.deferred: list[ChunkWrite] = []

    def fences(self, position):
        if self.w_fence is None:
            return 0
        return self.w_fence[position]

    def record_reads(self):
        if self.r_lo is None:
            self.r_lo = take(self.size, np.int32, np.iinfo(np.int32).max)
            self.r_hi = take(self.size, np.int32, -1)

    def writers(self) -> GlobalShadow:
        """The shadow with its writer arrays made and every deferred write recorded in them."""
        if self.w_block is None:
            self.w_block = take(self.size, np.int32, -1)
            self.w_stamp = take(self.size, np.int64, -1)
        for write in self.deferred:
            write.record(self)
            self.written = True
        self.deferred.clear()
        return self

    def defer(self, ctx, position) -> bool:
        """Note a whole chunk's store to the run `position` instead of recording it, when
        nothing before it in the launch can meet it: no write recorded, no read, no fence,
        no other deferred run overlapping it, and one barrier epoch for every block."""
        if not isinstance(position, slice) or self.written or self.r_hi is not None:
            return False
        if self.w_fence is not None or not ctx.uniform_epochs or ctx.fence_count.any():
            return False
        if any(w.start < position.stop and position.start < w.stop for w in self.deferred):
            return False
        self.deferred.append(ChunkWrite(ctx, position.start))
        return True


class ChunkWrite:
    """A store by every lane of a chunk, lane k writing element start + k: what
    GlobalShadow.writers records for it (each lane's block and warp stamp)."""

    def __init__(self, ctx, start: int):
        self.start = start
        self.stop = start + ctx.lanes
        self.first_block = ctx.first_block
        self.blocks = ctx.blocks
        self.threads = ctx.threads
        self.warps_per_block = ctx.warps_per_block
        self.epoch_base = int(ctx.block_epoch[0]) * ctx.warps_total

    def record(self, shadow: GlobalShadow) -> None:
        shape = (self.blocks, self.threads)
        blocks = np.arange(self.blocks, dtype=np.int64)[:, None]
        warps = np.arange(self.threads, dtype=np.int64) // 32
        run = slice(self.start, self.stop)
        shadow.w_block[run].reshape(shape)[...] = blocks + self.first_block
        first_warps = blocks * self.warps_per_block + self.epoch_base
        shadow.w_stamp[run].reshape(shape)[...] = first_warps + warps


def global_read(ctx, buffer, position, lanes, line) -> None:
    shadow = races.shadow_of(ctx.tracked(buffer)).writers()
    block = ctx.global_block(lanes)
    _check_writers(ctx, buffer, shadow, position, lanes, line, block, reading=True)
    shadow.record_reads()
    low = np.minimum(shadow.r_lo[position], block)
    if isinstance(position, slice):
        shadow.r_lo[position] = low
    else:
        shadow.r_lo[position[::-1]] = low[::-1]
    shadow.r_hi[position] = np.maximum(shadow.r_hi[position], block)


def _check_writers(ctx, buffer, shadow, position, lanes, line, block, reading: bool):
    """Report an access that meets another block's write in this launch, or a write by
    another warp of the same block since its last barrier (the writers gathered once).

    A read is exempt from the first when the writer published its data with threadfence after
    writing and the reader has since done an atomic (the "last block" pattern of threadfence
    reductions).
    """
    if not shadow.written:
        return
    writer = shadow.w_block[position]
    if not writer.size or writer.max() < 0:
        return
    foreign = (writer >= 0) & (writer != block)
    if reading and foreign.any():
        published = ctx.fence_count[np.where(foreign, writer, 0)] > shadow.fences(position)
        foreign &= ~(published & ctx.acquired[block])
    if foreign.any():
        k = int(np.argmax(foreign))
        template = (
            "reads {array}, which block {other} writes in this launch"
            if reading
            else "writes {array}, which block {other} also writes in this launch"
        )
        _global_race(ctx, line, lanes[k], writer[k], buffer, _at(position, k), template)
    template = _GLOBAL_RAW if reading else _GLOBAL_WAW
    _check_other_warp(ctx, buffer, shadow, position, lanes, line, block, writer, template)


def global_write(ctx, buffer, position, lanes, line) -> None:
    """Check and record a write; `lanes` None: every lane of the chunk, in lane order."""
    shadow = races.shadow_of(ctx.tracked(buffer))
    if shadow.defer(ctx, position):
        return
    if lanes is None:
        lanes = ctx.lane_index
    shadow.writers()
    block = ctx.global_block(lanes)
    _check_writers(ctx, buffer, shadow, position, lanes, line, block, reading=False)
    high = shadow.r_hi[position] if shadow.r_hi is not None else None
    if high is not None and high.size and high.max() >= 0:
        low = shadow.r_lo[position]
        read_by_other = (low <= high) & ((low != block) | (high != block))
        if read_by_other.any():
            k = int(np.argmax(read_by_other))
            other = low[k] if low[k] != block[k] else high[k]
            _global_race(
                ctx,
                line,
                lanes[k],
                other,
                buffer,
                _at(position, k),
                "writes {array}, which block {other} reads in this launch",
            )
    shadow.w_block[position] = block
    stamp = _warp_stamps(ctx, lanes)
    shadow.w_stamp[position] = stamp
    shadow.written = True
    # Two lanes writing one element in this instruction: the last write's stamp is the one
    # kept, so some lane sees another warp's stamp (a slice has no repeated element).
    if not isinstance(position, slice) and (shadow.w_stamp[position] != stamp).any():
        winner = shadow.w_block[position]
        clash = winner != block
        if clash.any():
            k = int(np.argmax(clash))
            _global_race(
                ctx,
                line,
                lanes[k],
                winner[k],
                buffer,
                _at(position, k),
                "writes {array} in the same instruction as block {other}",
            )
        clash = shadow.w_stamp[position] != stamp  # one block, two of its warps
        if clash.any():
            k = int(np.argmax(clash))
            other = lanes[(position == position[k]) & (stamp != stamp[k])][-1]
            races._race(ctx, line, lanes[k], other, buffer, position[k], _GLOBAL_SAME, _BLOCK_HINT)
    if ctx.fence_count.any():
        if shadow.w_fence is None:
            shadow.w_fence = take(shadow.size, np.int32, 0)
        shadow.w_fence[position] = ctx.fence_count[block]
    elif shadow.w_fence is not None:
        shadow.w_fence[position] = 0


# Threads of one block racing on global memory: reported as on shared memory, between warps
# (a barrier orders them); a warp's own lanes are not compared here.
_GLOBAL_RAW = "reads {array}, which a thread of {other} wrote with no barrier in between"
_GLOBAL_WAW = "overwrites {array}, which a thread of {other} wrote with no barrier in between"
_GLOBAL_SAME = "writes {array} in the same instruction as {other} of another warp"
_BLOCK_HINT = (
    "threads of a block run in no fixed order: put cuda.syncthreads() between the write and "
    "the other thread's access, or update the element with cuda.atomic"
)


def _warp_stamps(ctx, lanes: np.ndarray) -> np.ndarray:
    stamps = ctx.warp_stamp
    return stamps if lanes.size == ctx.lanes else stamps[lanes]


def _check_other_warp(ctx, buffer, shadow, position, lanes, line, block, writer, template):
    """Report an access to an element another warp of the same block (`writer`: the writing
    block per lane) wrote since the block's last barrier; being in the same block, the
    writer is in the same chunk, so the warp stamps compare."""
    same_block = writer == block
    if not same_block.any():
        return
    written = shadow.w_stamp[position]
    base = ctx.epoch_base if lanes.size == ctx.lanes else ctx.epoch_base[lanes]
    other = same_block & (written >= base)
    other &= written != _warp_stamps(ctx, lanes)
    if other.any():
        k = int(np.argmax(other))
        warp = int(written[k] % ctx.warps_total)
        where = "warp " + str(warp % ctx.warps_per_block)
        races._race(
            ctx,
            line,
            lanes[k],
            ctx.first_lane_of_warp(warp),
            buffer,
            _at(position, k),
            template.replace("{other}", where),
            _BLOCK_HINT,
        )


def _at(position, k: int) -> int:
    return position.start + k if isinstance(position, slice) else int(position[k])


def _global_race(ctx, line, lane, other_block, buffer, position, template) -> None:
    array = f"global array '{buffer.root.name}'{ctx.element_name(buffer, int(position))}"
    other = _tuple_text(ctx.block_coordinates(int(other_block)))
    raise ctx.error(
        RaceError,
        line,
        int(lane),
        template.format(array=array, other=other),
        hint="blocks run in no fixed order: give each block its own elements, or use cuda.atomic",
        array=buffer.root.name,
        element=ctx.element_index(buffer, int(position)),
        other_block=ctx.block_coordinates(int(other_block)),
    )


def _tuple_text(values) -> str:
    return "(" + ", ".join(str(int(v)) for v in values) + ")"
