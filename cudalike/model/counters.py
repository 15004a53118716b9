"""Raw counters of one SIMT launch, as the engine collects them, before any modelling.

The engine adds to these while a profiled launch runs; the model (simt_model.py) turns them
into time. Collecting counters reads the lanes' addresses and masks only: it never changes
what a kernel computes.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike.model.records import LINE_COUNTERS

_INDEX = {name: k for k, name in enumerate(LINE_COUNTERS)}


@dataclasses.dataclass
class LaunchCounters:
    """Counters of one launch: per source site, plus what the memory model needs.

    Attributes:
        sites: per site (see simt.lowering: function base + line) a vector of LINE_COUNTERS.
        dram_read_sectors: distinct 32-byte sectors read from global memory in the launch.
        dram_write_sectors: distinct sectors written.
        read_footprints, write_footprints: per array, (sectors touched, sectors in the array):
            a sampled launch scales the first but never past the second.
        l1_wavefronts: global accesses as the L1TEX data pipe serves them: per warp request,
            the distinct 128-byte lines its lanes touch.
        l2_sectors: sectors L1 asks of L2: per instruction, the distinct sectors of each block
            (the warps of a block share their L1); l2_load_sectors: the loads among them.
        load_waits: global-load round trips warps wait for: per statement and warp, one for
            all its loads together (they are independent), summed over executions.
        atomic_chain: most atomic updates any one global address received.
        atomic_lanes: atomic updates to global memory (one per active thread).
        fadd, fmul, ffma: float additions, multiplications and fused multiply-adds executed.
        barriers: block-level barriers executed (per block, summed).
        loops_sampled: loop runs whose later iterations were extrapolated (loop sampling).
        blocks_run: blocks that actually ran (fewer than the grid when sampling).
        blocks_total: blocks of the grid.
        registers_per_thread: estimated (or declared) registers per thread.
        static_shared_bytes: statically declared shared memory per block.
        dynamic_shared_bytes: dynamic shared memory per block (launch argument).
    """

    sites: dict[int, np.ndarray] = dataclasses.field(default_factory=dict)
    dram_read_sectors: int = 0
    dram_write_sectors: int = 0
    read_footprints: list = dataclasses.field(default_factory=list)
    write_footprints: list = dataclasses.field(default_factory=list)
    l1_wavefronts: float = 0.0
    l2_sectors: float = 0.0
    l2_load_sectors: float = 0.0
    load_waits: float = 0.0
    atomic_chain: int = 0
    atomic_lanes: int = 0
    fadd: float = 0.0
    fmul: float = 0.0
    ffma: float = 0.0
    barriers: int = 0
    loops_sampled: int = 0
    blocks_run: int = 0
    blocks_total: int = 0
    registers_per_thread: int = 32
    static_shared_bytes: int = 0
    dynamic_shared_bytes: int = 0

    def add(self, site: int, name: str, amount: float) -> None:
        """Add `amount` to counter `name` of `site`."""
        vector = self.sites.get(site)
        if vector is None:
            vector = self.sites[site] = np.zeros(len(LINE_COUNTERS))
        vector[_INDEX[name]] += amount

    def total(self, name: str) -> float:
        """Sum of counter `name` over all sites."""
        index = _INDEX[name]
        return float(sum(vector[index] for vector in self.sites.values()))

    def site_counters(self, site: int) -> dict[str, float]:
        vector = self.sites.get(site, np.zeros(len(LINE_COUNTERS)))
        return {name: float(vector[k]) for k, name in enumerate(LINE_COUNTERS)}
