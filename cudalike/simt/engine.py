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

from cudalike.errors import KernelRuntimeError, RunawayKernelError
from cudalike.simt import memory
from cudalike.simt.intrinsics import IntrinsicsMixin


class Launch:
    """Grid-wide state of one kernel launch."""

    def __init__(self, kernel, griddim: tuple, blockdim: tuple, sharedmem: int, config,
                 tracked: dict):
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

    def chunks(self):
        """Yield (first block, number of blocks) covering the grid."""
        per_chunk = max(1, self.config.max_lanes // self.threads)
        for first in range(0, self.blocks, per_chunk):
            yield first, min(per_chunk, self.blocks - first)


class ChunkContext(IntrinsicsMixin):
    """The runtime seen by a vector program: one chunk of whole blocks, one lane per thread."""

    def __init__(self, launch: Launch, first_block: int, blocks: int):
        self.launch = launch
        self.first_block = first_block
        self.blocks = blocks
        self.threads = launch.threads
        self.lanes = blocks * launch.threads
        self.checks = launch.checks
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
        self._barriers = 0
        self._syncs = 0
        self._sync_version = -1
        self._stamps_version = -1
        self._stamps = None

    # ---- lane geometry (computed on first use, shared by launches of the same shape) ---
    @functools.cached_property
    def _geometry(self) -> dict:
        return _geometry(self.first_block, self.blocks, self.launch.blockdim, self.launch.griddim)

    @property
    def lane_index(self) -> np.ndarray:
        return self._geometry["lane_index"]

    @property
    def lane_block(self) -> np.ndarray:
        return self._geometry["lane_block"]

    @property
    def lane_thread(self) -> np.ndarray:
        return self._geometry["lane_thread"]

    def contiguous_start(self, index) -> int | None:
        """If `index` is the lanes' global 1-D index (cuda.grid(1)), its first value."""
        return self._geometry["grid_start"] if index is self._geometry.get("grid") else None

    @functools.cached_property
    def lane_warp(self) -> np.ndarray:
        return self.lane_block * self.warps_per_block + self.lane_thread // 32

    @functools.cached_property
    def laneid(self) -> np.ndarray:
        return self.lane_thread % 32

    @functools.cached_property
    def tid_x(self) -> np.ndarray:
        return self.lane_thread % self.bdim_x

    @functools.cached_property
    def tid_y(self) -> np.ndarray:
        return self.lane_thread // self.bdim_x % self.bdim_y

    @functools.cached_property
    def tid_z(self) -> np.ndarray:
        return self.lane_thread // (self.bdim_x * self.bdim_y)

    @property
    def _global_block(self) -> np.ndarray:
        return self._geometry["global_block"]

    @functools.cached_property
    def bid_x(self) -> np.ndarray:
        return self._global_block % self.gdim_x

    @functools.cached_property
    def bid_y(self) -> np.ndarray:
        return self._global_block // self.gdim_x % self.gdim_y

    @functools.cached_property
    def bid_z(self) -> np.ndarray:
        return self._global_block // (self.gdim_x * self.gdim_y)

    @property
    def warps_total(self) -> int:
        return self.warp_sync.size

    @property
    def epoch_base(self) -> np.ndarray:
        """Per lane: barrier epoch of its block times the warp count (see memory.SharedShadow)."""
        if self._stamps_version != self._barriers:
            base = (self.block_epoch * self.warps_total)[self.lane_block]
            self._stamps = (base, base + self.lane_warp, base + self.warps_total - 1 - self.lane_warp)
            self._stamps_version = self._barriers
        return self._stamps[0]

    @property
    def sync_stamp(self) -> np.ndarray:
        """Per lane: its warp's sync count times the lane count, plus the lane."""
        if self._sync_version != self._syncs:
            self._sync_stamp = self.warp_sync[self.lane_warp] * self.lanes + self.lane_index
            self._sync_version = self._syncs
        return self._sync_stamp

    @property
    def warp_stamp(self) -> np.ndarray:
        self.epoch_base
        return self._stamps[1]

    @property
    def mirror_stamp(self) -> np.ndarray:
        self.epoch_base
        return self._stamps[2]

    def global_block(self, lanes: np.ndarray) -> np.ndarray:
        """Linear block number, in the whole grid, of each of `lanes`."""
        if lanes.size == self.lanes:
            return self._global_block
        return self._global_block[lanes]

    def first_lane_of_warp(self, warp: int) -> int:
        block, index = divmod(int(warp), self.warps_per_block)
        return block * self.threads + index * 32

    # ---- masks: True (all lanes), False (none) or a bool array --------------------------
    def active_lanes(self, mask) -> np.ndarray:
        if mask is True:
            return self.lane_index
        if mask is False:
            return self.lane_index[:0]
        cached_mask, lanes = self._active_cache
        if cached_mask is not mask:
            lanes = np.flatnonzero(mask)
            self._active_cache = (mask, lanes)
        return lanes

    @staticmethod
    def truth(value):
        if isinstance(value, np.ndarray):
            return value if value.dtype == bool else value != 0
        return bool(value)

    def _normal(self, mask):
        if isinstance(mask, np.ndarray):
            count = np.count_nonzero(mask)
            if count == self.lanes:
                return True
            return False if count == 0 else mask
        return bool(mask)

    def narrow(self, mask, condition):
        if mask is False or condition is False:
            return False
        if condition is True:
            return mask
        if mask is True:
            return self._normal(np.broadcast_to(condition, (self.lanes,)).copy()
                                if not isinstance(condition, np.ndarray) else condition)
        return self._normal(mask & condition)

    def narrow_not(self, mask, condition):
        return self.narrow(mask, self.lnot(condition))

    def andnot(self, mask, *removed):
        for other in removed:
            if other is False or mask is False:
                continue
            mask = self._normal(~other if mask is True else mask & ~other)
        return mask

    def or_(self, first, second):
        if first is False:
            return second if second is True else (second.copy() if isinstance(second, np.ndarray) else False)
        if second is False or first is True:
            return first
        if second is True:
            return True
        return first | second

    def exit(self, mask) -> None:
        self.exited = self.or_(self.exited, mask)

    @staticmethod
    def land(first, second):
        if isinstance(first, np.ndarray) or isinstance(second, np.ndarray):
            return np.logical_and(first, second)
        return bool(first) and bool(second)

    @staticmethod
    def lor(first, second):
        if isinstance(first, np.ndarray) or isinstance(second, np.ndarray):
            return np.logical_or(first, second)
        return bool(first) or bool(second)

    @staticmethod
    def lnot(value):
        if isinstance(value, np.ndarray):
            return ~value if value.dtype == bool else value == 0
        return not value

    @staticmethod
    def select(condition, when_true, when_false):
        if isinstance(condition, np.ndarray):
            return np.where(condition, when_true, when_false)
        return when_true if condition else when_false

    @staticmethod
    def merge(mask, new, old):
        """Assignment under a mask: active lanes take `new`, the others keep `old`."""
        if mask is True or old is None:
            return new
        if mask is False:
            return old
        return np.where(mask, new, old)

    def unpack(self, value, count: int, line: int):
        if not isinstance(value, tuple) or len(value) != count:
            self.fail_runtime(line, f"cannot unpack {type(value).__name__} into {count} names")
        return value

    # ---- loops ------------------------------------------------------------------------
    def trip_count(self, low, high, step, mask, line: int):
        """Iterations of range(low, high, step): (most over active lanes, per-lane or None)."""
        for value in (low, high, step):
            if isinstance(value, np.ndarray) and value.dtype.kind not in "iu" or \
                    isinstance(value, (float, np.floating)):
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

    def tick(self, mask, line: int) -> None:
        """Count one iteration of the loop at `line`; stop loops that run past the budget."""
        launch = self.launch
        count = launch.ticks.get(line, 0) + 1
        launch.ticks[line] = count
        over_steps = count > launch.config.loop_budget
        if over_steps or (count & 255 == 0 and
                          time.perf_counter() - launch.started > launch.config.time_budget_s):
            budget = (f"{launch.config.loop_budget} iterations" if over_steps
                      else f"{launch.config.time_budget_s:g} seconds")
            raise self.error(
                RunawayKernelError, line, int(self.active_lanes(mask)[0]),
                f"the loop on this line ran past its budget of {budget}; it is probably "
                "endless (this thread was still looping)",
                hint="check that the loop condition changes; raise the budget with "
                "cudalike.config.override(loop_budget=...) if the loop is really that long",
            )

    # ---- memory -----------------------------------------------------------------------
    def load(self, buffer, index, mask, line):
        return memory.load(self, buffer, index, mask, line)

    def store(self, buffer, index, value, mask, line) -> None:
        memory.store(self, buffer, index, value, mask, line)

    def tracked(self, buffer):
        return self.launch.tracked.get(id(buffer))

    # ---- built-in functions -----------------------------------------------------------
    @staticmethod
    def builtin_len(value):
        return len(value)

    @staticmethod
    def builtin_min(*values):
        return functools.reduce(np.minimum, values) if _any_array(values) else min(values)

    @staticmethod
    def builtin_max(*values):
        return functools.reduce(np.maximum, values) if _any_array(values) else max(values)

    @staticmethod
    def builtin_abs(value):
        return abs(value)

    @staticmethod
    def builtin_int(value):
        if isinstance(value, np.ndarray):
            return np.trunc(value).astype(np.int64) if value.dtype.kind == "f" else value.astype(np.int64)
        return int(value)

    @staticmethod
    def builtin_float(value):
        return value.astype(np.float64) if isinstance(value, np.ndarray) else float(value)

    def builtin_bool(self, value):
        return self.truth(value)

    @staticmethod
    def builtin_round(value):
        return np.rint(value).astype(np.int64) if isinstance(value, np.ndarray) else round(value)

    @staticmethod
    def cast(value, dtype: np.dtype):
        """numba's scalar types as constructors: float32(x), int32(x) (C casts, wrapping)."""
        if isinstance(value, np.ndarray):
            if dtype.kind in "iu" and value.dtype.kind == "f":
                value = np.trunc(value)
            return value.astype(dtype)
        if dtype.kind in "iu":
            return np.array(int(value)).astype(dtype)[()]
        return dtype.type(value)

    def print_(self, mask, line: int, values: tuple) -> None:
        """print() from a kernel: one line per active thread, in thread order."""
        for lane in self.active_lanes(mask):
            parts = [_format(v[lane] if isinstance(v, np.ndarray) else v) for v in values]
            print(*parts)

    def assert_(self, mask, line: int, condition, message) -> None:
        failed = self.lnot(self.truth(condition))
        lanes = self.active_lanes(mask)
        if isinstance(failed, np.ndarray):
            bad = lanes[failed[lanes]]
        else:
            bad = lanes if failed else lanes[:0]
        if bad.size:
            text = "assertion failed" + (f": {message}" if message is not None else "")
            raise self.error(KernelRuntimeError, line, int(bad[0]), text)

    # ---- error reports ----------------------------------------------------------------
    def describe_lane(self, lane: int) -> str:
        block, thread = self.coordinates(lane)
        return f"by block {_tuple(block)}, thread {_tuple(thread)}"

    def coordinates(self, lane: int) -> tuple[tuple, tuple]:
        block = self.block_coordinates(self.first_block + lane // self.threads)
        linear = lane % self.threads
        thread = (linear % self.bdim_x, linear // self.bdim_x % self.bdim_y,
                  linear // (self.bdim_x * self.bdim_y))
        return block, thread

    def block_coordinates(self, block: int) -> tuple:
        return (block % self.gdim_x, block // self.gdim_x % self.gdim_y,
                block // (self.gdim_x * self.gdim_y))

    def element_name(self, buffer, position: int) -> str:
        flat = position % buffer.size if buffer.size else 0
        index = np.unravel_index(flat, buffer.shape) if buffer.shape else ()
        return "[" + ", ".join(str(int(i)) for i in index) + "]"

    def error(self, kind, site: int, lane: int | None, message: str, hint: str = ""):
        """Build the report of a fault at `site` (see lowering) by `lane` (None: unknown)."""
        kernel = self.launch.kernel
        block, thread = self.coordinates(lane) if lane is not None else (None, None)
        return kind(message, kernel=kernel.__name__, filename=kernel.filename_of(site),
                    line=kernel.line_of(site), source=kernel.source_of(site), block=block,
                    thread=thread, warp=None if lane is None else (lane % self.threads) // 32,
                    hint=hint)

    def fail_runtime(self, site: int, message: str, hint: str = ""):
        raise self.error(KernelRuntimeError, site, None, message, hint)


@functools.lru_cache(maxsize=4)
def _geometry(first_block: int, blocks: int, blockdim: tuple, griddim: tuple) -> dict:
    """Read-only lane arrays of a chunk; cached because they only depend on the launch shape."""
    threads = blockdim[0] * blockdim[1] * blockdim[2]
    lanes = blocks * threads
    geometry = {
        "lane_index": np.arange(lanes, dtype=np.int64),
        "lane_block": np.repeat(np.arange(blocks, dtype=np.int64), threads),
        "lane_thread": np.tile(np.arange(threads, dtype=np.int64), blocks),
        "global_block": np.repeat(np.arange(first_block, first_block + blocks, dtype=np.int32),
                                  threads),
    }
    if blockdim[1:] == (1, 1) and griddim[1:] == (1, 1):
        geometry["grid_start"] = first_block * threads
        geometry["grid"] = geometry["lane_index"] + first_block * threads
    for array in geometry.values():
        if isinstance(array, np.ndarray):
            array.flags.writeable = False
    return geometry


def _any_array(values) -> bool:
    return any(isinstance(v, np.ndarray) for v in values)


def _tuple(values) -> str:
    return "(" + ", ".join(str(int(v)) for v in values) + ")"


def _format(value) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    return str(value)


def run(program, launch: Launch, arguments: list) -> None:
    """Run the vector program over every chunk of the grid."""
    with np.errstate(all="ignore"):
        for first, count in launch.chunks():
            program(ChunkContext(launch, first, count), *arguments)
