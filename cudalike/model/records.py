"""What the profiler hands out: one record per kernel launch, serialisable, for any front end.

The SIMT model (and later the CANN-style pipe model) fills these; `cudalike.viz` draws them
and `profiler.summary()` prints them. Records hold plain numbers, strings, tuples and dicts
only, so they can be saved as JSON and compared across runs.
"""

from __future__ import annotations

import dataclasses

BOUNDS = ("dram", "l2", "shared", "compute", "atomics", "latency", "launch")

# What each bound asks of the programmer, in words (the profiler view and the grader show it).
BOUND_HINTS = {
    "dram": "DRAM bandwidth: move fewer bytes (coalesce accesses, reuse data from shared memory)",
    "l2": "L2 bandwidth: the data fits in L2 but is read too many times",
    "shared": "shared-memory bandwidth: look for bank conflicts and redundant shared reads",
    "compute": "instruction throughput: fewer or cheaper instructions, less divergence",
    "atomics": "atomics serialised on the same addresses: privatise in shared memory first",
    "latency": "latency: too few warps in flight to hide memory latency (occupancy, waves)",
    "launch": "launch overhead: the kernel does too little work for its launch cost",
}


@dataclasses.dataclass
class LineRecord:
    """Counters of one source line of a kernel (or of a device function it calls).

    Attributes:
        filename: file (or "Cell In[n]") of the line.
        line: line number in that file.
        source: the text of the line.
        counters: line-level counters; keys as in `LINE_COUNTERS`.
        time_share: share of the launch's modelled time attributed to this line (0..1).
    """

    filename: str
    line: int
    source: str
    counters: dict[str, float]
    time_share: float = 0.0


LINE_COUNTERS = (
    "warp_instructions",  # warp-level instructions issued for this line
    "thread_instructions",  # instructions executed by active threads
    "branches",  # warp-level branch evaluations (if/while/for conditions)
    "divergent_branches",  # of those, warps whose active lanes went both ways
    "global_load_requests",
    "global_load_sectors",
    "global_store_requests",
    "global_store_sectors",
    "shared_load_requests",
    "shared_load_wavefronts",
    "shared_store_requests",
    "shared_store_wavefronts",
    "bank_conflicts",  # wavefronts beyond one per shared request
    "atomic_requests",
    "flops",  # fadd + fmul + 2 x ffma, on active lanes
)


@dataclasses.dataclass
class LaunchRecord:
    """One kernel launch as the model sees it.

    Attributes:
        kernel_name: the kernel's name.
        griddim: grid dimensions (x, y, z).
        blockdim: block dimensions (x, y, z).
        device: name of the device profile the model used (e.g. "NVIDIA H100 SXM5").
        time_us: modelled duration in microseconds.
        bound: the limiting resource, one of `BOUNDS`.
        limits_us: time each resource alone would need (same keys as `BOUNDS`).
        metrics: launch totals under Nsight Compute's metric names (see docs/model.md).
        occupancy: theoretical occupancy: keys "occupancy_pct", "blocks_per_sm",
            "limit_blocks", "limit_warps", "limit_registers", "limit_shared_mem", "limiter",
            "registers_per_thread", "shared_bytes_per_block", "waves".
        lines: per-source-line counters, in source order.
        sampled_blocks: how many blocks actually ran when the profile sampled the grid and
            scaled the counters up to all blocks; None when every block ran.
        peaks: the device's roofs for a roofline chart: "flops_per_s", "dram_bytes_per_s",
            "l2_bytes_per_s".
        sampled_loops: loop runs whose later iterations were extrapolated from their first
            ones (0 when none were, or the profile counted every iteration).
    """

    kernel_name: str
    griddim: tuple[int, int, int]
    blockdim: tuple[int, int, int]
    device: str
    time_us: float
    bound: str
    limits_us: dict[str, float]
    metrics: dict[str, float]
    occupancy: dict[str, float | str]
    lines: list[LineRecord]
    sampled_blocks: int | None
    peaks: dict[str, float]
    sampled_loops: int = 0

    @property
    def sampled(self) -> bool:
        """Whether only some blocks ran (the counters were scaled to the grid)."""
        return self.sampled_blocks is not None

    @property
    def arithmetic_intensity(self) -> float:
        """FLOPs per DRAM byte (the roofline's x axis)."""
        flops = self.metrics.get("cudalike__flops.sum", 0.0)
        dram = self.metrics.get("dram__bytes_read.sum", 0.0) + self.metrics.get(
            "dram__bytes_write.sum", 0.0
        )
        return flops / dram if dram else float("inf")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)
