"""The SIMT engine's runtime: runs a lowered kernel over chunks of blocks, lane-parallel.

Stages of a launch, in order:
1. `Launch` holds what is shared by the whole grid: geometry, the kernel's buffers, the
   per-block fence and atomic state used by the global race check, and the step budget.
2. The grid is cut into chunks of whole blocks (at most `config.max_lanes` threads); every
   thread of a chunk is a lane of one vector step.
3. `ChunkContext` is the `__ctx` of the generated program: lane geometry, mask algebra, memory
   access (delegated to `memory`), and the intrinsics (mixed in from `intrinsics`).
Lanes are ordered by block (x fastest), then thread (x fastest), so lane order is CUDA's
thread order and results are the same on every run.
"""

from __future__ import annotations

import functools
import time

import numpy as np

from cudalike.errors import RunawayKernelError
from cudalike.simt import lane_runs, memory, overloads, races
from cudalike.simt.atomics import AtomicsMixin
from cudalike.simt.fault_reports import FaultReports
from cudalike.simt.intrinsics import IntrinsicsMixin
from cudalike.simt.kernel_builtins import KernelBuiltins
from cudalike.simt.lane_geometry import LaneGeometry, frozen, lane_geometry
from cudalike.simt.lane_runs import LaneRun
from cudalike.simt.masks import MaskAlgebra
from cudalike.simt.random_numbers import RandomMixin
from cudalike.simt.warp import WarpMixin

# The access recorder of `cudalike.viz.accesses` while it runs a launch; None otherwise. A
# launch made then hands it its Launch (`begin`) and every chunk calls it on each access.
recorder = None


class Launch:
    """Grid-wide state of one kernel launch."""

    def __init__(
        self, kernel, griddim: tuple, blockdim: tuple, sharedmem: int, config, tracked: dict
    ):
        self.kernel = kernel  # the Dispatcher, for names and source lines
        self.griddim = griddim
        self.blockdim = blockdim
        self.threads = blockdim[0] * blockdim[1] * blockdim[2]
        self.blocks = griddim[0] * griddim[1] * griddim[2]
        self.warps_per_block = -(-self.threads // 32)
        self.sharedmem = sharedmem
        self.config = config
        self.checks = config.checks
        self.tracked = tracked  # id(buffer) -> buffer owning the shadow, for written globals
        self.fence_count = np.zeros(self.blocks, np.int64)
        self.acquired = np.zeros(self.blocks, bool)
        self.ticks: dict[int, int] = {}
        self.started = time.perf_counter()
        self.static_shared_bytes = 0
        self.static_shared_keys: set = set()
        self.counting = None  # a counting.Counting while the launch is profiled
        self.sample: list[int] | None = None  # blocks to run when the profile samples
        self.auto_sample = None  # a profiling.AutoSample: the sample is chosen after block 0
        self.trace = None if recorder is None else recorder.begin(self)
        # A kernel that synchronises the grid runs as one chunk, so grid.sync() can wait for
        # every block (the launch was refused beforehand if its blocks cannot be resident).
        self.cooperative = overloads.uses_grid_sync(kernel)
        # Loads may be read-only views of global arrays the launch never writes (see
        # memory._run_of), unless the kernel names a module-level device array, which it may
        # write without that array being tracked.
        self.views_safe = not any(
            isinstance(value, memory.Buffer) and value.space == "global"
            for _, program in getattr(kernel, "_functions_lowered", ())
            for value in program.namespace.values()
        )

    def chunks(self):
        """Yield (first block, number of blocks) covering the grid, or the sampled blocks.
        With `auto_sample`, block 0 runs alone first and its counted work decides the rest."""
        start = 0
        if self.auto_sample is not None:
            yield 0, 1
            self.auto_sample.first_block_done(self)
            start = 1
        if self.sample is not None:
            for block in self.sample[start:]:  # a sample always starts with block 0
                yield block, 1
            return
        per_chunk = (
            self.blocks if self.cooperative else max(1, self.config.max_lanes // self.threads)
        )
        for first in range(start, self.blocks, per_chunk):
            yield first, min(per_chunk, self.blocks - first)


class ChunkContext(
    MaskAlgebra,
    KernelBuiltins,
    IntrinsicsMixin,
    AtomicsMixin,
    WarpMixin,
    RandomMixin,
    FaultReports,
):
    """The runtime seen by a vector program: one chunk of whole blocks, one lane per thread."""

    def __init__(self, launch: Launch, first_block: int, blocks: int):
        self.launch = launch
        self.first_block = first_block
        self.blocks = blocks
        self.threads = launch.threads
        self.lanes = blocks * launch.threads
        self.checks = launch.checks
        self.counting = launch.counting
        self.trace = launch.trace
        self.fence_count = launch.fence_count
        self.acquired = launch.acquired
        self.bdim_x, self.bdim_y, self.bdim_z = launch.blockdim
        self.gdim_x, self.gdim_y, self.gdim_z = launch.griddim
        self.warps_per_block = launch.warps_per_block
        self.block_epoch = np.zeros(blocks, np.int64)
        self.warp_sync = np.zeros(blocks * launch.warps_per_block, np.int64)
        self.exited = False
        self.shared_buffers: dict = {}
        self._active_cache = (None, None)
        self.barriers = 0
        self.uniform_epochs = True  # every block has passed every barrier so far
        self._syncs = 0
        self._sync_version = -1
        self._stamps_version = -1
        self._stamps = None
        self._stamp_arrays: list = [None, None, None]
        self._sync_offset = None
        self._sync_stamp = None
        self.index_ranges: dict[int, tuple] = {}  # see indexing.index_range

    # ---- lane geometry (computed on first use, shared by launches of the same shape) ---
    @functools.cached_property
    def _geometry(self) -> LaneGeometry:
        return lane_geometry(
            self.first_block, self.blocks, self.launch.blockdim, self.launch.griddim
        )

    @property
    def lane_index(self) -> np.ndarray:
        return self._geometry.lane_index

    @property
    def lane_block(self) -> np.ndarray:
        return self._geometry.lane_block

    @property
    def lane_thread(self) -> np.ndarray:
        return self._geometry.lane_thread

    def contiguous_start(self, index) -> int | None:
        """If `index` is the lanes' global 1-D index (cuda.grid(1)), its first value."""
        if isinstance(index, LaneRun):
            return index.start
        return self._geometry.grid_start if self._geometry.is_grid(index) else None

    def grid_run(self, mask, line: int):
        """cuda.grid(1) bound to a name the kernel only indexes with and compares in `if`
        tests (see lane_runs): a LaneRun in a plain 1-D launch, else the array."""
        start = self._geometry.grid_start
        if start is None or self.counting is not None or self.trace is not None:
            return self.grid(mask, line, 1)
        return LaneRun(start, self.lanes)

    def lane_values(self, value):
        """The array of a LaneRun (cuda.grid(1)); any other value as it is."""
        return self._geometry.grid if isinstance(value, LaneRun) else value

    def lane_compare(self, left, symbol: str, right):
        return lane_runs.compare(self.lane_values, left, symbol, right)

    @property
    def lane_warp(self) -> np.ndarray:
        return self._geometry.lane_warp

    @functools.cached_property
    def laneid(self) -> np.ndarray:
        return frozen(self.lane_thread % 32)

    @functools.cached_property
    def tid_x(self) -> np.ndarray:
        return frozen(self.lane_thread % self.bdim_x)

    @functools.cached_property
    def tid_y(self) -> np.ndarray:
        return frozen(self.lane_thread // self.bdim_x % self.bdim_y)

    @functools.cached_property
    def tid_z(self) -> np.ndarray:
        return frozen(self.lane_thread // (self.bdim_x * self.bdim_y))

    @property
    def _global_block(self) -> np.ndarray:
        return self._geometry.global_block

    @functools.cached_property
    def bid_x(self) -> np.ndarray:
        return frozen(self._global_block % self.gdim_x)

    @functools.cached_property
    def bid_y(self) -> np.ndarray:
        return frozen(self._global_block // self.gdim_x % self.gdim_y)

    @functools.cached_property
    def bid_z(self) -> np.ndarray:
        return frozen(self._global_block // (self.gdim_x * self.gdim_y))

    @property
    def warps_total(self) -> int:
        return self.warp_sync.size

    def _epoch_stamps(self) -> list:
        """Per lane: epoch base, warp stamp and mirrored warp stamp (see races.SharedShadow),
        the last two made when first asked for. While every block has passed the same
        barriers the base is one number, broadcast, so it costs no memory."""
        if self._stamps_version != self.barriers:
            if self.uniform_epochs:
                base = int(self.block_epoch[0]) * self.warps_total
                base = np.broadcast_to(np.int64(base), (self.lanes,))
            else:
                base = (self.block_epoch * self.warps_total)[self.lane_block]
            self._stamps = [base, None, None]
            self._stamps_version = self.barriers
        return self._stamps

    @property
    def epoch_base(self) -> np.ndarray:
        return self._epoch_stamps()[0]

    @property
    def warp_stamp(self) -> np.ndarray:
        stamps = self._epoch_stamps()
        if stamps[1] is None:
            stamps[1] = np.add(stamps[0], self.lane_warp, out=self._stamp_array(1))
        return stamps[1]

    @property
    def mirror_stamp(self) -> np.ndarray:
        stamps = self._epoch_stamps()
        if stamps[2] is None:
            mirror = np.subtract(stamps[0], self.lane_warp, out=self._stamp_array(2))
            mirror += self.warps_total - 1
            stamps[2] = mirror
        return stamps[2]

    def _stamp_array(self, slot: int) -> np.ndarray:
        """The chunk's array for a stamp of the current epoch, written again in each epoch
        rather than allocated again (nothing reads the stamps of an epoch that has ended)."""
        array = self._stamp_arrays[slot]
        if array is None:
            array = self._stamp_arrays[slot] = np.empty(self.lanes, np.int64)
        return array

    def sync_offset(self) -> int | None:
        """`sync_stamp - lane_index` when every warp has synced as often (one number)."""
        if self._sync_version != self._syncs:
            counts = self.warp_sync
            first = int(counts[0])
            uniform = counts.min() == first == counts.max()
            self._sync_offset = first * self.lanes if uniform else None
            self._sync_stamp = None
            self._sync_version = self._syncs
        return self._sync_offset

    @property
    def sync_stamp(self) -> np.ndarray:
        """Per lane: its warp's sync count times the lane count, plus the lane."""
        offset = self.sync_offset()
        if self._sync_stamp is None:
            if offset is not None:  # every warp synced as often: no gather
                self._sync_stamp = self.lane_index + offset
            else:
                self._sync_stamp = self.warp_sync[self.lane_warp] * self.lanes + self.lane_index
        return self._sync_stamp

    def global_block(self, lanes: np.ndarray) -> np.ndarray:
        """Linear block number, in the whole grid, of each of `lanes`."""
        if lanes.size == self.lanes:
            return self._global_block
        return self._global_block[lanes]

    def first_lane_of_warp(self, warp: int) -> int:
        block, index = divmod(int(warp), self.warps_per_block)
        return block * self.threads + index * 32

    # ---- loops ------------------------------------------------------------------------
    def trip_count(self, low, high, step, mask, line: int):
        """Iterations of range(low, high, step): (most over active lanes, per-lane or None)."""
        for value in (low, high, step):
            if (
                isinstance(value, np.ndarray)
                and value.dtype.kind not in "iu"
                or isinstance(value, (float, np.floating))
            ):
                self.fail_runtime(line, "range() needs integer bounds")
        if not any(isinstance(v, np.ndarray) for v in (low, high, step)):
            if step == 0:
                self.fail_runtime(line, "range() step must not be zero")
            return len(range(int(low), int(high), int(step))), None
        if np.any(np.asarray(step) == 0):
            self.fail_runtime(line, "range() step must not be zero")
        span = np.asarray(high, np.int64) - low
        trips = np.maximum(0, -(-span // step)).astype(np.int64)
        trips = np.broadcast_to(trips, (self.lanes,))
        active = trips[self.active_lanes(mask)]
        return (int(active.max()) if active.size else 0), trips

    def loop_mask(self, entry, returned, broke, trips, iteration: int):
        mask = self.andnot(entry, returned, broke)
        if trips is not None and mask is not False:
            mask = self.narrow(mask, trips > iteration)
        return mask

    def loop_value(self, mask, low, iteration: int, step, trips, old):
        """The loop variable: one number for all lanes when the range is the same for all."""
        value = low + iteration * step
        return value if trips is None else self.merge(mask, value, old)

    def tick(self, mask, line: int, trips: int | None = None) -> None:
        """Count one iteration of the loop at `line`; stop loops that run past the budget.

        A for over range() (`trips` iterations) ends by itself, however long a slow launch (a
        profiled one, say) takes: only the iteration budget applies to it, at once when its
        trip count is past the budget; the time budget is for while loops.
        """
        launch = self.launch
        count = launch.ticks.get(line, 0) + 1
        launch.ticks[line] = count
        over_steps = count > launch.config.loop_budget or (
            trips is not None and trips > launch.config.loop_budget
        )
        if over_steps or (
            trips is None
            and count & 255 == 0
            and time.perf_counter() - launch.started > launch.config.time_budget_s
        ):
            budget = (
                f"{launch.config.loop_budget} iterations"
                if over_steps
                else f"{launch.config.time_budget_s:g} seconds"
            )
            raise self.error(
                RunawayKernelError,
                line,
                int(self.active_lanes(mask)[0]),
                f"the loop on this line ran past its budget of {budget}; it is probably "
                "endless (this thread was still looping)",
                hint="check that the loop condition changes; raise the budget with "
                "cudalike.config.override(loop_budget=...) if the loop is really that long",
            )

    def grid_sync(self, mask, line: int) -> None:
        """cuda.cg.this_grid().sync(): a barrier for every thread of the grid.

        The grid is one chunk (see Launch.chunks), so this is the block barrier for all blocks
        at once; global memory written before it is then visible to every block, so the
        global race shadows start afresh.
        """
        if self.blocks != self.launch.blocks:
            self.fail_runtime(line, "grid.sync() needs a cooperative launch of the whole grid")
        self.syncthreads(mask, line)
        races.release({id(owner): owner for owner in self.launch.tracked.values()}.values())

    # ---- memory -----------------------------------------------------------------------
    def load(self, buffer, index, mask, line):
        return memory.load(self, buffer, index, mask, line)

    def store(self, buffer, index, value, mask, line) -> None:
        memory.store(self, buffer, index, value, mask, line)

    def store_result(self, buffer, index, symbol: str, left, right, mask, line) -> None:
        lane_runs.store_result(self, buffer, index, symbol, left, right, mask, line)

    def tracked(self, buffer):
        """The buffer owning the race shadow of a global array written in this launch, or None."""
        return self.launch.tracked.get(id(buffer.root))


def run(program, launch: Launch, arguments: list) -> None:
    """Run the vector program over every chunk of the grid.

    Shadow state of the race checks goes back to its pool after each chunk (shared arrays)
    and after the launch (global arrays), so the next launch reuses it instead of allocating.
    """
    try:
        with np.errstate(all="ignore"):
            for first, count in launch.chunks():
                ctx = ChunkContext(launch, first, count)
                try:
                    program(ctx, *arguments)
                finally:
                    races.release(ctx.shared_buffers.values())
    finally:
        races.release({id(owner): owner for owner in launch.tracked.values()}.values())
