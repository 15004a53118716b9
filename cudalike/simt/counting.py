"""Counting for the performance model: what each warp-level instruction would cost a GPU.

Active only in a profiled launch. Each hook looks at the active lanes of one vector step the
way the hardware sees one instruction per warp:
- global accesses: one request per warp with active lanes, costing the distinct 32-byte
  sectors its lanes touch; a per-array bitmap of touched sectors gives the DRAM traffic;
- shared accesses: one request per warp, costing as many wavefronts as the most distinct
  4-byte words that fall in one of the 32 banks (the same word for many lanes is a broadcast);
- atomics: requests per warp, and how often each global address is hit (serialisation);
- statements: warp instructions issued (with a static weight per statement) and FLOPs;
- branches: warps whose active lanes go both ways (divergence).
Nothing here changes values the kernel computes.
"""

from __future__ import annotations

import numpy as np

from cudalike.model.counters import LaunchCounters
from cudalike.simt.loop_sampling import MIN_TRIPS, SCALARS, LoopSampler

SECTOR_BYTES = 32
LINE_BYTES = 128
LINES_PER_WAVEFRONT = 2  # cache lines the L1TEX pipe resolves per cycle for one request
BANKS = 32
ALIGNMENT = 256  # cudaMalloc returns 256-byte aligned addresses


class Counting:
    """Collects a launch's counters into a LaunchCounters."""

    ATOMIC_POSITION = SCALARS.index("atomic_lanes") - len(SCALARS)  # in a snapshot

    def __init__(
        self, counters: LaunchCounters, sample_loops: bool = False, skip_iterations: bool = False
    ):
        self.counters = counters
        self.sample_loops = sample_loops  # extrapolate loops whose iterations repeat
        self.skip_iterations = skip_iterations  # and leave out the extrapolated iterations
        self.paused = 0  # > 0 while a sampled loop runs iterations already counted
        self.loops_sampled = 0
        self.watch: LoopSampler | None = None  # the loop whose counting is paused
        self.extra_footprint: dict[tuple, float] = {}  # (kind, array) -> extrapolated sectors
        self._next_address = 0
        self._addresses: dict[int, int] = {}
        self._read_sectors: dict[int, np.ndarray] = {}
        self._written_sectors: dict[int, np.ndarray] = {}
        self._atomic_hits: dict[int, np.ndarray] = {}
        self._shared_offsets: dict[int, int] = {}
        self._active = (None, 0, 0)
        # An access in a loop usually repeats the last pattern shifted by a constant: then its
        # request, sector and wavefront counts are those of the last time (see _repeat).
        self._patterns: dict[tuple, tuple] = {}
        self._statement_loads: dict[int, int] = {}

    # ---- helpers ----------------------------------------------------------------------
    def _warps_and_lanes(self, ctx, mask) -> tuple[int, int]:
        if mask is True:
            return ctx.warps_total, ctx.lanes
        if mask is False:
            return 0, 0
        cached_mask, warps, lanes = self._active
        if cached_mask is not mask:
            active = ctx.active_lanes(mask)
            warps = int(np.count_nonzero(np.bincount(ctx.lane_warp[active])))
            lanes = int(active.size)
            self._active = (mask, warps, lanes)
        return warps, lanes

    def _address(self, buffer) -> int:
        root = buffer.root
        if id(root) not in self._addresses:
            self._addresses[id(root)] = self._next_address
            size = root.storage.nbytes
            self._next_address += -(-size // ALIGNMENT) * ALIGNMENT + ALIGNMENT
        return self._addresses[id(root)]

    @staticmethod
    def _positions(ctx, position, lanes: np.ndarray) -> np.ndarray:
        if isinstance(position, slice):
            return np.arange(position.start, position.stop, dtype=np.int64)[lanes]
        if isinstance(position, np.ndarray):
            return position if position.size == lanes.size else position[lanes]
        return np.full(lanes.size, int(position), np.int64)

    # ---- statements and branches ------------------------------------------------------
    def issue(
        self, ctx, mask, site: int, weight: int, fadd: int, fmul: int, ffma: int, result
    ) -> None:
        if self.paused:
            if self.watch is None or site in self.watch.sites:
                return
            self.watch.changed()  # counting resumes with this statement
        self._end_statement(site)
        warps, lanes = self._warps_and_lanes(ctx, mask)
        counters = self.counters
        counters.add(site, "warp_instructions", warps * weight)
        counters.add(site, "thread_instructions", lanes * weight)
        if (fadd or fmul or ffma) and _is_float(result):
            counters.add(site, "flops", lanes * (fadd + fmul + 2 * ffma))
            counters.fadd += lanes * fadd
            counters.fmul += lanes * fmul
            counters.ffma += lanes * ffma

    def branch(self, ctx, mask, condition, site: int) -> None:
        if self.paused:
            return
        warps, _ = self._warps_and_lanes(ctx, mask)
        self.counters.add(site, "branches", warps)
        if not isinstance(condition, np.ndarray) or warps == 0:
            return
        lanes = ctx.active_lanes(mask)
        chosen = condition if mask is True else condition[lanes]
        if chosen.all() or not chosen.any():
            return  # every active lane went the same way
        warp = ctx.lane_warp[lanes]
        taken = np.bincount(warp, weights=condition[lanes], minlength=ctx.warps_total)
        total = np.bincount(warp, minlength=ctx.warps_total)
        self.counters.add(
            site, "divergent_branches", int(np.count_nonzero((taken > 0) & (taken < total)))
        )

    def barrier(self, ctx, mask) -> None:
        if self.paused:
            return
        if mask is True:
            self.counters.barriers += ctx.blocks
        else:
            lanes = ctx.active_lanes(mask)
            self.counters.barriers += int(np.unique(ctx.lane_block[lanes]).size)

    # ---- memory -----------------------------------------------------------------------
    def access(self, ctx, buffer, position, mask, site: int, store: bool) -> None:
        """One load or store instruction of the active lanes."""
        if mask is False or buffer.space in ("local", "const") or self.paused:
            return
        lanes = ctx.active_lanes(mask)
        if lanes.size == 0:
            return
        kind = "store" if store else "load"
        if buffer.space == "global" and isinstance(position, slice) and ctx.threads % 32 == 0:
            self._contiguous(ctx, buffer, position, site, kind)
            return
        elements = self._positions(ctx, position, lanes)
        if buffer.space == "global":
            self._global(ctx, buffer, elements, lanes, site, kind)
        else:
            self._shared(ctx, buffer, elements, lanes, site, kind)

    def _bitmap(self, buffer, kind: str) -> np.ndarray:
        touched = self._written_sectors if kind == "store" else self._read_sectors
        bitmap = touched.get(id(buffer.root))
        if bitmap is None:
            size = -(-buffer.root.storage.nbytes // SECTOR_BYTES) + 1
            bitmap = touched[id(buffer.root)] = np.zeros(size, bool)
        return bitmap

    def _contiguous(self, ctx, buffer, position: slice, site, kind) -> None:
        """Every lane active, lane k at element start + k: count per warp, not per lane."""
        base = self._address(buffer)
        first = base + (position.start + 32 * np.arange(ctx.warps_total)) * buffer.itemsize
        last = first + 32 * buffer.itemsize - 1
        sectors = int((last // SECTOR_BYTES - first // SECTOR_BYTES + 1).sum())
        per_warp = last // LINE_BYTES - first // LINE_BYTES + 1
        lines = int((-(-per_warp // LINES_PER_WAVEFRONT)).sum())
        self._add_global(site, kind, ctx.warps_total, sectors, lines, sectors)
        start = position.start * buffer.itemsize // SECTOR_BYTES
        stop = ((position.stop * buffer.itemsize) - 1) // SECTOR_BYTES + 1
        self._bitmap(buffer, kind)[start:stop] = True

    def _repeat(self, key: tuple, lanes, elements, unit: int):
        """The counts of the last access at `key` if this one is the same pattern shifted."""
        relative = elements - elements[0] if elements.size else elements
        if not relative.any():
            unit = 1  # every lane at one address: counts do not depend on which
        last = self._patterns.get(key)
        if (
            last is not None
            and last[0] is lanes
            and (int(elements[0]) - last[1]) % unit == 0
            and np.array_equal(last[2], relative)
        ):
            return last[3], relative
        return None, relative

    def _global(self, ctx, buffer, elements, lanes, site, kind) -> None:
        key = (site, id(buffer.root), kind)
        unit = max(1, LINE_BYTES // buffer.itemsize)  # a shift of whole lines keeps counts
        counts, relative = self._repeat(key, lanes, elements, unit)
        if counts is None:
            sectors = (self._address(buffer) + elements * buffer.itemsize) // SECTOR_BYTES
            warp = ctx.lane_warp[lanes]
            requests, distinct = _distinct_per_warp(warp, sectors, ctx.threads)
            lines = _line_wavefronts(warp, sectors // (LINE_BYTES // SECTOR_BYTES), ctx.threads)
            if kind == "load":  # the warps of a block share L1: a line fetched once serves all
                _, l2_sectors = _distinct_per_warp(ctx.lane_block[lanes], sectors)
            else:  # stores write through L1, warp by warp
                l2_sectors = distinct
            counts = (requests, distinct, lines, l2_sectors)
            self._patterns[key] = (
                lanes,
                int(elements[0]) if elements.size else 0,
                relative,
                counts,
            )
        self._add_global(site, kind, *counts)
        self._bitmap(buffer, kind)[(elements * buffer.itemsize) // SECTOR_BYTES] = True

    def _add_global(self, site, kind, requests, sectors, lines, l2_sectors) -> None:
        self.counters.add(site, f"global_{kind}_requests", requests)
        self.counters.add(site, f"global_{kind}_sectors", sectors)
        self.counters.l1_wavefronts += lines
        self.counters.l2_sectors += l2_sectors
        if kind == "load":
            self.counters.l2_load_sectors += l2_sectors
            # The loads of one statement are independent: a warp waits for them together.
            self._statement_loads[site] = max(self._statement_loads.get(site, 0), requests)

    def _end_statement(self, site: int) -> None:
        waits = self._statement_loads.pop(site, 0)
        self.counters.load_waits += waits

    def _shared(self, ctx, buffer, elements, lanes, site, kind) -> None:
        key = (site, id(buffer.root), kind)
        counts, relative = self._repeat(key, lanes, elements, 1)  # any shift permutes banks
        if counts is None:
            words = self._shared_words(ctx, buffer, elements)
            counts = _bank_wavefronts(ctx.lane_warp[lanes], words, buffer.itemsize, ctx.threads)
            self._patterns[key] = (
                lanes,
                int(elements[0]) if elements.size else 0,
                relative,
                counts,
            )
        requests, wavefronts = counts
        self.counters.add(site, f"shared_{kind}_requests", requests)
        self.counters.add(site, f"shared_{kind}_wavefronts", wavefronts)
        self.counters.add(site, "bank_conflicts", wavefronts - requests)

    def _shared_words(self, ctx, buffer, elements) -> np.ndarray:
        root = buffer.root
        if id(root) not in self._shared_offsets:
            self._shared_offsets[id(root)] = sum(
                -(-b.size * b.itemsize // 16) * 16
                for b in ctx.shared_buffers.values()
                if id(b) in self._shared_offsets
            )
        offset = self._shared_offsets[id(root)]
        return (offset + (elements % root.size) * buffer.itemsize) // 4

    def atomic(self, ctx, buffer, elements, lanes, site) -> None:
        """One atomic instruction of the active lanes (elements: one per active lane)."""
        if self.paused:
            return
        warp = ctx.lane_warp[lanes]
        if buffer.space == "shared":
            words = self._shared_words(ctx, buffer, elements)
            requests, wavefronts = _same_address_wavefronts(warp, words)
            self.counters.add(site, "shared_store_requests", requests)
            self.counters.add(site, "shared_store_wavefronts", wavefronts)
            self.counters.add(site, "bank_conflicts", wavefronts - requests)
            return
        sectors = (self._address(buffer) + elements * buffer.itemsize) // SECTOR_BYTES
        requests, distinct = _distinct_per_warp(warp, sectors, ctx.threads)
        self.counters.add(site, "atomic_requests", requests)
        self.counters.l1_wavefronts += distinct
        self.counters.l2_sectors += distinct
        self.counters.atomic_lanes += int(lanes.size)
        hits = self._atomic_hits.get(id(buffer.root))
        if hits is None:
            hits = self._atomic_hits[id(buffer.root)] = np.zeros(buffer.root.storage.size, np.int64)
        hits += np.bincount(elements, minlength=hits.size)

    # ---- loop sampling (see loop_sampling.py) -----------------------------------------
    def loop_start(self, ctx, mask, trips: int, per_lane, skippable: bool) -> LoopSampler | None:
        """A sampler for a loop about to run `trips` iterations, if it may be sampled."""
        if not self.sample_loops or self.paused or trips < MIN_TRIPS:
            return None
        if per_lane is not None:  # bounds differ per lane: the trip count must not
            active = per_lane[ctx.active_lanes(mask)]
            if active.size == 0 or (active != trips).any():
                return None
        return LoopSampler(self, ctx, trips, skippable)

    def snapshot(self) -> tuple[tuple, np.ndarray]:
        """(sites, every counter a loop iteration adds to, as one vector)."""
        counters = self.counters
        keys = tuple(sorted(counters.sites))
        scalars = [getattr(counters, name) for name in SCALARS]
        scalars[SCALARS.index("load_waits")] += sum(self._statement_loads.values())
        return keys, np.concatenate([*(counters.sites[k] for k in keys), scalars])

    def add_snapshot(self, keys: tuple, added: np.ndarray) -> None:
        """Add a difference of two snapshots taken with the same `keys`."""
        counters = self.counters
        width = added.size - len(SCALARS)
        per_site = added[:width].reshape(len(keys), -1) if keys else ()
        for key, vector in zip(keys, per_site, strict=True):
            counters.sites[key] += vector
        for name, amount in zip(SCALARS, added[width:], strict=True):
            current = getattr(counters, name)
            total = current + amount
            setattr(counters, name, round(total) if isinstance(current, int) else float(total))

    def footprint_counts(self) -> dict[tuple, int]:
        """Sectors touched so far, per (kind, array)."""
        return {
            **{("load", k): int(np.count_nonzero(b)) for k, b in self._read_sectors.items()},
            **{("store", k): int(np.count_nonzero(b)) for k, b in self._written_sectors.items()},
        }

    def _footprints(self, kind: str, bitmaps: dict) -> list[tuple[int, int]]:
        """(touched, size) per array, with the sectors of extrapolated iterations."""
        footprints = []
        for key, bitmap in bitmaps.items():
            touched = np.count_nonzero(bitmap) + self.extra_footprint.get((kind, key), 0.0)
            footprints.append((min(round(touched), bitmap.size), bitmap.size))
        return footprints

    def finish(self) -> LaunchCounters:
        """Fold the per-array state into the launch totals."""
        counters = self.counters
        for site in list(self._statement_loads):
            self._end_statement(site)
        counters.read_footprints = self._footprints("load", self._read_sectors)
        counters.write_footprints = self._footprints("store", self._written_sectors)
        counters.dram_read_sectors = sum(touched for touched, _ in counters.read_footprints)
        counters.dram_write_sectors = sum(touched for touched, _ in counters.write_footprints)
        counters.loops_sampled = self.loops_sampled
        counters.atomic_chain = int(max((h.max() for h in self._atomic_hits.values()), default=0))
        return counters


def _is_float(value) -> bool:
    kind = getattr(value, "dtype", None)
    if kind is not None:
        return kind.kind in "fc"
    return isinstance(value, (float, complex))


def _sorted_keys(warp: np.ndarray, values: np.ndarray, threads: int = 0) -> np.ndarray:
    """Keys (warp, value) in order; when lanes form whole warps, sorting 32 at a time."""
    keys = (warp.astype(np.int64) << 40) | values.astype(np.int64)
    if keys.size > 1 and not (keys[1:] >= keys[:-1]).all():
        whole_warps = (
            threads > 0
            and threads % 32 == 0
            and keys.size % 32 == 0
            and warp.size
            and (warp[::32].size == keys.size // 32 and (warp[31::32] == warp[::32]).all())
        )
        keys = np.sort(keys.reshape(-1, 32), axis=1).reshape(-1) if whole_warps else np.sort(keys)
    return keys


def _distinct_per_warp(warp: np.ndarray, values: np.ndarray, threads: int = 0) -> tuple[int, int]:
    """(warps present, sum over warps of the distinct values each touches)."""
    keys = _sorted_keys(warp, values, threads)
    distinct = 1 + int(np.count_nonzero(keys[1:] != keys[:-1])) if keys.size else 0
    requests = 1 + int(np.count_nonzero(np.diff(keys >> 40))) if keys.size else 0
    return requests, distinct


def _line_wavefronts(warp: np.ndarray, lines: np.ndarray, threads: int) -> int:
    """L1TEX cycles of global requests: per warp, its distinct cache lines two at a time."""
    keys = _sorted_keys(warp, lines, threads)
    if keys.size == 0:
        return 0
    distinct = keys[np.r_[True, keys[1:] != keys[:-1]]] >> 40
    starts = np.r_[0, np.flatnonzero(np.diff(distinct)) + 1]
    per_warp = np.diff(np.r_[starts, distinct.size])
    return int((-(-per_warp // LINES_PER_WAVEFRONT)).sum())


def _bank_wavefronts(
    warp: np.ndarray, words: np.ndarray, itemsize: int, threads: int = 0
) -> tuple[int, int]:
    """(requests, wavefronts): per warp, the most distinct words that share one bank."""
    keys = _sorted_keys(warp, words, threads)
    if keys.size == 0:
        return 0, 0
    unique = keys[np.r_[True, keys[1:] != keys[:-1]]]
    unique_warp = unique >> 40
    bank = (unique & ((1 << 40) - 1)) % BANKS
    starts = np.r_[0, np.flatnonzero(np.diff(unique_warp)) + 1]
    local_warp = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, unique.size]))
    per_bank = np.bincount(local_warp * BANKS + bank, minlength=starts.size * BANKS)
    worst = per_bank.reshape(starts.size, BANKS).max(axis=1)
    minimum = max(1, itemsize * 32 // (BANKS * 4))  # 64-bit accesses need two wavefronts
    return int(starts.size), int(np.maximum(worst, minimum).sum())


def _same_address_wavefronts(warp: np.ndarray, words: np.ndarray) -> tuple[int, int]:
    """Shared atomics: per warp, updates to one word serialise."""
    keys = np.sort((warp.astype(np.int64) << 40) | words.astype(np.int64))
    _, counts = np.unique(keys, return_counts=True)
    unique_warp = np.unique(keys) >> 40
    starts = np.r_[0, np.flatnonzero(np.diff(unique_warp)) + 1]
    worst = np.maximum.reduceat(counts, starts)
    return int(starts.size), int(worst.sum())
