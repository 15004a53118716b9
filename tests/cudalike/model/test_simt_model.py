"""Counters and model against hand-computed values from the GPU fact sheet."""

import numpy as np
import pytest

from cudalike import cuda, profiler
from cudalike.model import simt_model
from cudalike.model.profiles import load_profile
from tests.cudalike.model.files import counter_kernels as kernels

LD_SECTORS = "l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum"
LD_REQUESTS = "l1tex__t_requests_pipe_lsu_mem_global_op_ld.sum"
SHARED_CONFLICTS = "l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum"
SHARED_WAVEFRONTS = "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_ld.sum"


def profiled(name, grid, block, *args, **options):
    kernel = cuda.jit(getattr(kernels, name))
    with profiler.profile(**options) as prof:
        kernel[grid, block](*args)
    return prof.launches[0]


@pytest.mark.parametrize(("stride", "sectors"), [(1, 4), (2, 8), (8, 32), (32, 32)])
def test_sectors_per_request_follow_the_stride(stride, sectors):
    n = 4096
    record = profiled(
        "copy_stride",
        n // 256,
        256,
        np.ones(n * stride, np.float32),
        np.zeros(n, np.float32),
        stride,
    )
    assert record.metrics[LD_REQUESTS] == n // 32
    assert record.metrics[LD_SECTORS] / record.metrics[LD_REQUESTS] == sectors


def test_stride_32_moves_eight_times_the_dram_bytes_of_unit_stride():
    n = 1 << 16
    unit, strided = (
        profiled(
            "copy_stride", n // 256, 256, np.ones(n * s, np.float32), np.zeros(n, np.float32), s
        )
        for s in (1, 32)
    )
    assert strided.metrics["dram__bytes_read.sum"] == 8 * unit.metrics["dram__bytes_read.sum"]
    assert strided.time_us > unit.time_us
    work = {name: t for name, t in strided.limits_us.items() if name != "launch"}
    assert max(work, key=work.get) == "dram"  # at this size the launch overhead is larger


def test_column_of_an_unpadded_tile_is_a_32_way_conflict_and_padding_removes_it():
    conflicted = profiled("shared_column_unpadded", 1, 32, np.zeros(32, np.float32))
    padded = profiled("shared_column_padded", 1, 32, np.zeros(32, np.float32))
    assert conflicted.metrics[SHARED_WAVEFRONTS] == 32
    assert conflicted.metrics[SHARED_CONFLICTS] == 31
    assert padded.metrics[SHARED_WAVEFRONTS] == 1
    assert padded.metrics[SHARED_CONFLICTS] == 0


def test_one_word_read_by_a_whole_warp_is_a_broadcast():
    record = profiled("shared_broadcast", 1, 32, np.zeros(32, np.float32))
    assert record.metrics[SHARED_CONFLICTS] == 0


def test_barriers_are_counted_per_block():
    record = profiled("big_shared", 4, 256, np.zeros(4 * 256, np.float32))
    assert record.metrics["cudalike__barriers.sum"] == 4


def test_divergent_branch_halves_branch_efficiency_and_costs_more_instructions():
    out = np.ones(1024, np.float32)
    diverging = profiled("divergent", 4, 256, out.copy())
    uniform = profiled("uniform", 4, 256, out.copy())
    assert diverging.metrics["smsp__sass_average_branch_targets_threads_uniform.pct"] == 0.0
    assert uniform.metrics["smsp__sass_average_branch_targets_threads_uniform.pct"] == 100.0
    assert diverging.metrics["smsp__inst_executed.sum"] > uniform.metrics["smsp__inst_executed.sum"]
    assert diverging.metrics["smsp__thread_inst_executed_per_inst_executed.ratio"] < 32


def test_flops_count_a_times_b_plus_c_as_one_ffma():
    n = 256
    record = profiled(
        "fma_loop", 1, n, np.ones(n, np.float32), np.ones(n, np.float32), np.zeros(n, np.float32)
    )
    assert record.metrics["smsp__sass_thread_inst_executed_op_ffma_pred_on.sum"] == 8 * n
    assert record.metrics["cudalike__flops.sum"] == 16 * n


def test_occupancy_of_the_programming_guide_example():
    # 768 threads per block on a 2048-thread SM: 2 blocks, 75% occupancy.
    result = simt_model.occupancy(load_profile("H100"), 768, 32, 0, 1000)
    assert result["blocks_per_sm"] == 2
    assert result["occupancy_pct"] == 75.0
    assert result["limiter"] == "warps"


def test_shared_memory_limits_resident_blocks():
    out = np.zeros(4 * 256, np.float32)
    record = profiled("big_shared", 4, 256, out)
    assert record.occupancy["shared_bytes_per_block"] == 49152
    assert record.occupancy["limit_shared_mem"] == 233472 // (49152 + 1024)
    assert record.occupancy["limiter"] == "shared_mem"


def test_atomics_to_one_address_serialise():
    record = profiled("same_address_atomics", 64, 256, np.zeros(1, np.int64))
    assert record.limits_us["atomics"] > 64 * 256 * 8 / 1.98e9 * 1e6 * 0.99
    assert record.bound in ("atomics", "launch")


def test_profiling_never_changes_results_and_is_deterministic():
    n = 2048
    a = np.random.default_rng(0).random(n).astype(np.float32)
    plain = np.zeros(n, np.float32)
    cuda.jit(kernels.copy_stride)[n // 256, 256](a, plain, 1)
    first, second = (
        profiled("copy_stride", n // 256, 256, a, out, 1)
        for out in (np.zeros(n, np.float32), np.zeros(n, np.float32))
    )
    assert first.metrics == second.metrics and first.time_us == second.time_us
    kernel = cuda.jit(kernels.copy_stride)
    out = np.zeros(n, np.float32)
    with profiler.profile():
        kernel[n // 256, 256](a, out, 1)
    np.testing.assert_array_equal(out, plain)


def test_sampling_blocks_agrees_with_a_full_run():
    n = 1 << 16
    args = (np.ones(n, np.float32), np.zeros(n, np.float32), 1)
    full = profiled("copy_stride", n // 256, 256, *args)
    sampled = profiled("copy_stride", n // 256, 256, *args, sample_blocks=16)
    assert sampled.sampled_blocks == 16 and full.sampled_blocks is None
    assert sampled.time_us == pytest.approx(full.time_us, rel=0.05)
    assert sampled.metrics[LD_SECTORS] == pytest.approx(full.metrics[LD_SECTORS], rel=0.05)


def test_event_elapsed_time_is_the_modelled_time():
    n = 1 << 14
    kernel = cuda.jit(kernels.copy_stride)
    args = (np.ones(n, np.float32), np.zeros(n, np.float32), 1)
    with profiler.profile() as prof:
        kernel[n // 256, 256](*args)
    start, end = cuda.event(), cuda.event()
    start.record()
    kernel[n // 256, 256](*args)
    end.record()
    assert start.elapsed_time(end) == pytest.approx(prof.launches[0].time_us / 1000)


def test_summary_reads_like_ncu_and_names_the_hot_line():
    n = 1 << 12
    kernel = cuda.jit(kernels.copy_stride)
    with profiler.profile(device="T4") as prof:
        kernel[n // 256, 256](np.ones(n * 32, np.float32), np.zeros(n, np.float32), 32)
    text = prof.summary()
    for section in ("GPU Speed Of Light Throughput", "Memory Workload Analysis", "Occupancy"):
        assert f"Section: {section}" in text
    assert "T4" in text.splitlines()[0] and "H100" not in text
    assert "out[i] = a[i * stride]" in text.split("Hottest source lines")[1].splitlines()[1]
    assert prof.to_json().startswith("[")
