"""Launch records built by hand, shaped like the profiler's, for the display tests.

Two launches: a naive transpose (DRAM-bound, stride-32 stores, a `<` in its source to test
escaping) and a sampled interleaved reduction (bank conflicts, divergent branches).
"""

from __future__ import annotations

import pytest

from cudalike.model.records import LaunchRecord, LineRecord

H100_PEAKS = {"flops_per_s": 67e12, "dram_bytes_per_s": 3.35e12, "l2_bytes_per_s": 10e12}


def _line(line: int, source: str, share: float = 0.0, **counters: float) -> LineRecord:
    return LineRecord("Cell In[3]", line, source, dict(counters), share)


def transpose_record() -> LaunchRecord:
    """A 1024 x 1024 naive transpose: reads coalesced, writes 32 sectors per request."""
    lines = [
        _line(1, "@cuda.jit"),
        _line(2, "def transpose_naive(a, b):"),
        _line(
            3, "    x, y = cuda.grid(2)", 0.05, warp_instructions=65536, thread_instructions=2097152
        ),
        _line(
            4,
            "    if x < a.shape[1] and y < a.shape[0]:",
            0.07,
            warp_instructions=65536,
            thread_instructions=2097152,
            branches=32768,
            divergent_branches=0,
        ),
        _line(
            5,
            "        b[x, y] = a[y, x]",
            0.88,
            warp_instructions=98304,
            thread_instructions=3145728,
            global_load_requests=32768,
            global_load_sectors=131072,
            global_store_requests=32768,
            global_store_sectors=1048576,
        ),
        _line(6, "    # done"),
    ]
    metrics = {
        "gpu__time_duration.sum": 21400.0,
        "smsp__inst_executed.sum": 229376.0,
        "cudalike__flops.sum": 0.0,
        "dram__bytes_read.sum": 4194304.0,
        "dram__bytes_write.sum": 33554432.0,
        "lts__t_bytes.sum": 37748736.0,
        "sm__throughput.avg.pct_of_peak_sustained_elapsed": 12.5,
        "gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed": 78.3,
        "sm__warps_active.avg.pct_of_peak_sustained_active": 88.0,
        "launch__waves_per_multiprocessor": 0.97,
    }
    occupancy = {
        "occupancy_pct": 100.0,
        "blocks_per_sm": 8,
        "limit_blocks": 32,
        "limit_warps": 8,
        "limit_registers": 16,
        "limit_shared_mem": 1e9,
        "limiter": "warps",
        "registers_per_thread": 16,
        "shared_bytes_per_block": 0,
        "waves": 0.97,
    }
    limits = {
        "dram": 21.4,
        "l2": 6.1,
        "shared": 0.0,
        "compute": 1.2,
        "atomics": 0.0,
        "latency": 9.8,
        "launch": 2.0,
    }
    return LaunchRecord(
        "transpose_naive",
        (32, 32, 1),
        (32, 8, 1),
        "NVIDIA H100 SXM5",
        21.4,
        "dram",
        limits,
        metrics,
        occupancy,
        lines,
        None,
        dict(H100_PEAKS),
    )


def reduction_record() -> LaunchRecord:
    """An interleaved reduction of 4M floats, 8 of 4096 blocks run and scaled up."""
    lines = [
        _line(10, "def reduce_interleaved(data, out):"),
        _line(11, "    cache = cuda.shared.array(256, float32)", 0.0),
        _line(
            12,
            "    cache[t] = data[i]",
            0.30,
            warp_instructions=32768,
            thread_instructions=1048576,
            global_load_requests=32768,
            global_load_sectors=131072,
            shared_store_requests=32768,
            shared_store_wavefronts=32768,
        ),
        _line(13, "    s = 1"),
        _line(
            14,
            "    while s < cuda.blockDim.x:",
            0.10,
            warp_instructions=294912,
            thread_instructions=9437184,
            branches=294912,
            divergent_branches=0,
        ),
        _line(
            15,
            "        if t % (2 * s) == 0:",
            0.25,
            warp_instructions=262144,
            thread_instructions=8388608,
            branches=262144,
            divergent_branches=163840,
        ),
        _line(
            16,
            "            cache[t] += cache[t + s]",
            0.35,
            warp_instructions=262144,
            thread_instructions=1044480,
            shared_load_requests=524288,
            shared_load_wavefronts=1671168,
            shared_store_requests=262144,
            shared_store_wavefronts=835584,
            bank_conflicts=1720320,
            flops=1044480,
        ),
    ]
    metrics = {
        "gpu__time_duration.sum": 48200.0,
        "cudalike__flops.sum": 4194304.0,
        "dram__bytes_read.sum": 16777216.0,
        "dram__bytes_write.sum": 16384.0,
        "lts__t_bytes.sum": 16793600.0,
        "sm__throughput.avg.pct_of_peak_sustained_elapsed": 41.0,
        "gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed": 23.7,
        "sm__warps_active.avg.pct_of_peak_sustained_active": 71.0,
    }
    occupancy = {
        "occupancy_pct": 100.0,
        "blocks_per_sm": 8,
        "limit_blocks": 32,
        "limit_warps": 8,
        "limit_registers": 8,
        "limit_shared_mem": 228,
        "limiter": "registers",
        "registers_per_thread": 32,
        "shared_bytes_per_block": 1024,
        "waves": 3.88,
    }
    limits = {
        "dram": 5.0,
        "l2": 1.7,
        "shared": 48.2,
        "compute": 20.3,
        "atomics": 0.0,
        "latency": 30.1,
        "launch": 2.0,
    }
    return LaunchRecord(
        "reduce_interleaved",
        (4096, 1, 1),
        (256, 1, 1),
        "NVIDIA H100 SXM5",
        48.2,
        "shared",
        limits,
        metrics,
        occupancy,
        lines,
        8,
        dict(H100_PEAKS),
    )


class FakeProfile:
    """Stands in for the profiler's `prof`: only `.launches` is read."""

    def __init__(self, launches: list[LaunchRecord]):
        self.launches = launches


@pytest.fixture
def transpose() -> LaunchRecord:
    return transpose_record()


@pytest.fixture
def reduction() -> LaunchRecord:
    return reduction_record()


@pytest.fixture
def profile() -> FakeProfile:
    return FakeProfile([transpose_record(), reduction_record()])
