"""Kernel intrinsics of the SIMT engine: grid helpers, shared/local arrays, barriers, fences,
atomics, warp shuffles and votes, and bit tricks, each defined for the active lanes.

Each method takes the active mask and the source line first, then numba's own arguments.
`CALLS` maps the dotted cuda name to the method (math_functions.py maps math/numpy functions).
Atomics resolve in lane order (block by block, thread by thread), so results and returned
old values are the same on every run.
"""

from __future__ import annotations

import typing

import numpy as np

from cudalike.errors import BarrierDivergenceError, LaunchConfigError
from cudalike.simt import half_precision, memory, races, vector_types
from cudalike.simt.device_array import fill_poison
from cudalike.simt.lane_geometry import frozen

STATIC_SHARED_LIMIT = 48 * 1024

CALLS = {
    "grid": "grid",
    "gridsize": "gridsize",
    "shared.array": "shared_array",
    "local.array": "local_array",
    "const.array_like": "const_array_like",
    "syncthreads": "syncthreads",
    "syncthreads_count": "syncthreads_count",
    "syncthreads_and": "syncthreads_and",
    "syncthreads_or": "syncthreads_or",
    "syncwarp": "syncwarp",
    "threadfence": "threadfence",
    "threadfence_block": "threadfence",
    "threadfence_system": "threadfence",
    "shfl_sync": "shfl_sync",
    "shfl_up_sync": "shfl_up_sync",
    "shfl_down_sync": "shfl_down_sync",
    "shfl_xor_sync": "shfl_xor_sync",
    "all_sync": "all_sync",
    "any_sync": "any_sync",
    "eq_sync": "eq_sync",
    "ballot_sync": "ballot_sync",
    "match_any_sync": "match_any_sync",
    "match_all_sync": "match_all_sync",
    "activemask": "activemask",
    "lanemask_lt": "lanemask_lt",
    "popc": "popc",
    "brev": "brev",
    "clz": "clz",
    "ffs": "ffs",
    "fma": "fma",
    "selp": "selp",
    "cbrt": "cbrt",
    "cg.this_grid": "this_grid",
    **vector_types.CALLS,
    **{
        f"random.{name}": f"random_{name}"
        for name in (
            "xoroshiro128p_next",
            "xoroshiro128p_uniform_float32",
            "xoroshiro128p_uniform_float64",
            "xoroshiro128p_normal_float32",
            "xoroshiro128p_normal_float64",
        )
    },
    **{f"fp16.{name}": f"fp16_{name}" for name in half_precision.NAMES},
    **{
        f"atomic.{name}": f"atomic_{name.rstrip('_')}"
        for name in (
            "add",
            "sub",
            "max",
            "min",
            "nanmax",
            "nanmin",
            "and_",
            "or_",
            "xor",
            "exch",
            "inc",
            "dec",
            "cas",
            "compare_and_swap",
        )
    },
}


class Dim3(typing.NamedTuple):
    """An (x, y, z) triple, as numba's Dim3."""

    x: object
    y: object
    z: object


def _array(value, lanes: int) -> np.ndarray:
    return value if isinstance(value, np.ndarray) else np.full(lanes, value)


class IntrinsicsMixin:
    """The intrinsics part of the chunk context (see engine.ChunkContext)."""

    # ---- grid ---------------------------------------------------------------------------
    def grid(self, mask, line, ndim):
        if ndim == 1 and self._geometry.grid_start is not None:
            return self._geometry.grid
        x = frozen(self.bid_x * self.bdim_x + self.tid_x)
        if ndim == 1:
            return x
        y = frozen(self.bid_y * self.bdim_y + self.tid_y)
        if ndim == 2:
            return x, y
        return x, y, frozen(self.bid_z * self.bdim_z + self.tid_z)

    def dim3(self, group: str) -> Dim3:
        """threadIdx, blockIdx, blockDim or gridDim kept whole in a variable."""
        short = {"threadIdx": "tid", "blockIdx": "bid", "blockDim": "bdim", "gridDim": "gdim"}[
            group
        ]
        return Dim3(*(getattr(self, f"{short}_{axis}") for axis in "xyz"))

    def gridsize(self, mask, line, ndim):
        sizes = (self.bdim_x * self.gdim_x, self.bdim_y * self.gdim_y, self.bdim_z * self.gdim_z)
        return sizes[0] if ndim == 1 else sizes[:ndim]

    # ---- arrays -------------------------------------------------------------------------
    def shared_array(self, mask, line, shape, dtype):
        """cuda.shared.array: one copy per block, allocated once per launch per declaration."""
        key = (line, str(shape), str(dtype))
        if key in self.shared_buffers:
            return self.shared_buffers[key]
        dtype = _dtype(dtype)
        shape = _shape(shape)
        if shape == (0,):
            dynamic = self.launch.sharedmem // dtype.itemsize
            shape = (dynamic,)
            name = f"dynamic shared array (line {line})"
        else:
            name = f"shared array (line {line})"
            if key not in self.launch.static_shared_keys:
                self.launch.static_shared_keys.add(key)
                self.launch.static_shared_bytes += int(np.prod(shape)) * dtype.itemsize
                if self.launch.static_shared_bytes > STATIC_SHARED_LIMIT:
                    raise LaunchConfigError(
                        f"kernel '{self.launch.kernel.__name__}' declares "
                        f"{self.launch.static_shared_bytes} bytes of static shared memory "
                        f"(line {line}); CUDA allows at most {STATIC_SHARED_LIMIT} bytes "
                        "(48 KiB) per block. Use dynamic shared memory for more."
                    )
        size = int(np.prod(shape))
        storage = np.empty(self.blocks * size, dtype)
        fill_poison(storage)
        buffer = memory.Buffer(_declared_name(self, line, name), "shared", storage, shape)
        self.shared_buffers[key] = buffer
        return buffer

    def local_array(self, mask, line, shape, dtype):
        dtype, shape = _dtype(dtype), _shape(shape)
        storage = np.empty(self.lanes * int(np.prod(shape)), dtype)
        fill_poison(storage)
        return memory.Buffer(_declared_name(self, line, "local array"), "local", storage, shape)

    def const_array_like(self, mask, line, ary):
        if isinstance(ary, memory.Buffer):
            return (
                ary
                if ary.space == "const"
                else memory.constant_buffer(ary.storage.reshape(ary.shape), ary.name)
            )
        return memory.constant_buffer(np.asarray(ary), "constant array")

    # ---- barriers and fences ------------------------------------------------------------
    def syncthreads(self, mask, line):
        """Barrier for the block: every thread that has not exited must arrive."""
        if self.counting is not None:
            self.counting.barrier(self, mask)
        if mask is not True:
            for buffer in self.shared_buffers.values():
                if buffer.shadow is not None:  # reads of blocks not at this barrier still count
                    races.apply_pending_reads(self, buffer.shadow)
        self.barriers += 1
        self._syncs += 1
        if mask is True:
            self.block_epoch += 1
            self.warp_sync += 1
            return
        lanes = self.active_lanes(mask)
        arrived = np.bincount(self.lane_block[lanes], minlength=self.blocks)
        if self.checks:
            live = self.andnot(True, self.exited)
            live_lanes = self.active_lanes(live) if live is not True else self.lane_index
            alive = np.bincount(self.lane_block[live_lanes], minlength=self.blocks)
            partial = (arrived > 0) & (arrived < alive)
            if partial.any():
                block = int(np.argmax(partial))
                waiting = np.zeros(self.lanes, bool)
                waiting[live_lanes] = True
                if mask is not False:
                    waiting &= ~np.asarray(mask, bool)
                absent = int(np.flatnonzero(waiting & (self.lane_block == block))[0])
                raise self.error(
                    BarrierDivergenceError,
                    line,
                    absent,
                    f"this thread never reaches this barrier, but {int(arrived[block])} of the "
                    f"block's {int(alive[block])} threads wait at it",
                    hint="call cuda.syncthreads() where every thread of the block gets to it, "
                    "not inside an if or loop that only some threads take",
                )
        hit = arrived > 0
        self.uniform_epochs &= bool(hit.all())
        self.block_epoch += hit
        self.warp_sync += np.repeat(hit, self.warps_per_block)

    def _block_reduce(self, mask, predicate, combine):
        lanes = self.active_lanes(mask)
        truth = _array(self.truth(predicate), self.lanes)[lanes]
        counts = np.bincount(self.lane_block[lanes], weights=truth, minlength=self.blocks)
        totals = np.bincount(self.lane_block[lanes], minlength=self.blocks)
        return combine(counts, totals)[self.lane_block]

    def syncthreads_count(self, mask, line, predicate):
        self.syncthreads(mask, line)
        return self._block_reduce(mask, predicate, lambda c, t: c.astype(np.int32))

    def syncthreads_and(self, mask, line, predicate):
        self.syncthreads(mask, line)
        return self._block_reduce(mask, predicate, lambda c, t: (c == t).astype(np.int32))

    def syncthreads_or(self, mask, line, predicate):
        self.syncthreads(mask, line)
        return self._block_reduce(mask, predicate, lambda c, t: (c > 0).astype(np.int32))

    def syncwarp(self, mask, line, membermask=0xFFFFFFFF):
        lanes = self.active_lanes(mask)
        hit = np.bincount(self.lane_warp[lanes], minlength=self.warp_sync.size) > 0
        self.warp_sync += hit
        self._syncs += 1

    def threadfence(self, mask, line):
        """Publishes this block's earlier global writes (used by the global race check)."""
        blocks = np.unique(self.global_block(self.active_lanes(mask)))
        self.fence_count[blocks] += 1

    # ---- warp matching ------------------------------------------------------------------
    def match_any_sync(self, mask, line, membermask, value):
        """Each lane's mask of the lanes of its warp in `membermask` holding the same value
        (compared bit for bit, as the PTX `match.any.sync` compares them), as an int32."""
        lanes = self._vote_lanes(mask, membermask)
        warps = self.lane_warp[lanes]
        keys = _match_key(value, self.lanes)[lanes]
        order = np.lexsort((keys, warps))
        starts = np.ones(lanes.size, bool)
        starts[1:] = (np.diff(warps[order]) != 0) | (np.diff(keys[order]) != 0)
        group = np.empty(lanes.size, np.int64)
        group[order] = np.cumsum(starts) - 1
        bits = np.ldexp(1.0, self.laneid[lanes])
        result = np.zeros(self.lanes, np.int64)
        result[lanes] = np.bincount(group, weights=bits, minlength=1)[group].astype(np.int64)
        return result.astype(np.uint32).view(np.int32)

    def match_all_sync(self, mask, line, membermask, value):
        """`(mask, pred)`: when every lane of the warp in `membermask` holds the same value,
        the mask of those lanes and True, else 0 and False (PTX `match.all.sync`)."""
        lanes = self._vote_lanes(mask, membermask)
        keys = _match_key(value, self.lanes)
        first = np.zeros(self.warp_sync.size, np.int64)
        first[self.lane_warp[lanes[::-1]]] = keys[lanes[::-1]]
        differ = (keys[lanes] != first[self.lane_warp[lanes]]).astype(float)
        agree = (self._warp_sum(lanes, differ) == 0)[self.lane_warp]
        members = self._warp_sum(lanes, np.ldexp(1.0, self.laneid[lanes]))[self.lane_warp]
        matched = np.where(agree, members, 0).astype(np.int64).astype(np.uint32).view(np.int32)
        return matched, agree


def _match_key(value, lanes: int) -> np.ndarray:
    """One int64 per lane whose equality is the bitwise equality of the matched values
    (numba matches 32- and 64-bit integers and floats; smaller types widen first)."""
    values = np.asarray(_array(value, lanes))
    if values.dtype.kind == "f":
        width = np.float32 if values.dtype.itemsize <= 4 else np.float64
        bits = np.int32 if width is np.float32 else np.int64
        return values.astype(width).view(bits).astype(np.int64)
    return values.astype(np.int64)


def _dtype(dtype) -> np.dtype:
    from cudalike.simt.host import as_numpy_dtype

    return as_numpy_dtype(dtype)


def _shape(shape) -> tuple:
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    return tuple(int(n) for n in shape)


def _declared_name(ctx, line: int, fallback: str) -> str:
    text = ctx.launch.kernel.source_of(line)
    target = text.split("=")[0].strip() if "=" in text else ""
    return target if target.isidentifier() else fallback
