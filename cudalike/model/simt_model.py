"""The SIMT performance model: counters of a launch + a device profile -> modelled time.

Stages, in order (equations in docs/model.md):
1. scale counters from the sampled blocks to the whole grid;
2. theoretical occupancy: resident blocks per SM allowed by warps, registers, shared memory
   and the block limit, and the number of waves;
3. the time each resource alone would need: DRAM and L2 bytes over bandwidth, shared
   wavefronts over the SMs' shared-memory pipes, warp instructions over the schedulers,
   global atomics (throughput and same-address serialisation), and a latency term: each
   wave lasts at least as long as one warp's chain of memory round trips;
4. time = launch overhead + the largest of those; the largest names the bound;
5. per-line shares of that time, and Nsight Compute's metric names for the totals.
"""

from __future__ import annotations

import math

from cudalike.model.counters import LaunchCounters
from cudalike.model.profiles import DeviceProfile
from cudalike.model.records import BOUNDS, LaunchRecord, LineRecord

# Model parameters that are not device facts; each is discussed in docs/model.md.
DRAM_EFFICIENCY = 0.87  # achievable / peak DRAM bandwidth (H100: ~2.9 of 3.35 TB/s measured)
L2_BANDWIDTH_FACTOR = 1.5  # L2 bandwidth as a multiple of DRAM bandwidth
SHARED_WAVEFRONTS_PER_CLOCK = 1.0  # per SM
ATOMICS_PER_CLOCK_PER_SM = 0.5  # global atomic throughput at the L2
ATOMIC_SAME_ADDRESS_CYCLES = 8.0  # serialisation of updates to one address at its L2 slice
LAUNCH_OVERHEAD_US = 2.5  # launch latency with the GPU idle
LOADED_LATENCY_FACTOR = 2.0  # memory latency under load, relative to the idle figures
OVERLAP_EXPONENT = 4.0  # resources overlap imperfectly: time = (sum of t_i^4)^(1/4)
REGISTER_ALLOCATION_UNIT = 256  # registers are allocated per warp in units of 256
SHARED_RESERVED_PER_BLOCK = 1024  # bytes the system reserves per block (sm_80 and later)


def occupancy(
    profile: DeviceProfile, threads: int, registers: int, shared_bytes: int, blocks: int
) -> dict:
    """Theoretical occupancy and its limiting factor, as CUDA's occupancy calculator does."""
    warps = -(-threads // profile.warp_size)
    per_warp = (
        -(-registers * profile.warp_size // REGISTER_ALLOCATION_UNIT) * REGISTER_ALLOCATION_UNIT
    )
    limits = {
        "limit_blocks": profile.max_blocks_per_sm,
        "limit_warps": profile.max_warps_per_sm // warps,
        "limit_registers": (profile.registers_per_sm // per_warp) // warps,
        "limit_shared_mem": (
            profile.shared_per_sm_bytes // (shared_bytes + SHARED_RESERVED_PER_BLOCK)
            if shared_bytes
            else profile.max_blocks_per_sm
        ),
    }
    blocks_per_sm = max(0, min(limits.values()))
    limiter = min(limits, key=lambda name: (limits[name], name != "limit_warps"))
    resident = blocks_per_sm * warps
    waves = blocks / (profile.sm_count * blocks_per_sm) if blocks_per_sm else math.inf
    return {
        **limits,
        "blocks_per_sm": blocks_per_sm,
        "limiter": limiter.removeprefix("limit_"),
        "occupancy_pct": 100.0 * resident / profile.max_warps_per_sm,
        "registers_per_thread": registers,
        "shared_bytes_per_block": shared_bytes,
        "waves": waves,
    }


def model_launch(
    counters: LaunchCounters,
    *,
    kernel_name: str,
    griddim: tuple,
    blockdim: tuple,
    profile: DeviceProfile,
    lines: dict[int, tuple],
    sampled: bool,
) -> LaunchRecord:
    """Turn a launch's counters into a LaunchRecord (time, bound, metrics, per-line shares).

    Args:
        lines: site -> (filename, line, source) for every site in the counters.
        sampled: whether only some blocks ran (counters are then scaled to the grid).
    """
    scale = counters.blocks_total / counters.blocks_run if counters.blocks_run else 1.0
    total = {name: counters.total(name) * scale for name in _TOTALS}
    threads = blockdim[0] * blockdim[1] * blockdim[2]
    warps_per_block = -(-threads // profile.warp_size)
    shared_bytes = counters.static_shared_bytes + counters.dynamic_shared_bytes
    occ = occupancy(
        profile, threads, counters.registers_per_thread, shared_bytes, counters.blocks_total
    )
    clock = profile.clock_ghz * 1e9
    sms = profile.sm_count

    l2_bytes = counters.l2_sectors * scale * 32
    read_sectors = _scaled_footprint(counters.read_footprints, scale)
    write_sectors = _scaled_footprint(counters.write_footprints, scale)
    footprint = (read_sectors + write_sectors) * 32
    spill = max(0.0, 1.0 - profile.l2_bytes / footprint) if footprint else 0.0
    reuse_bytes = max(0.0, l2_bytes - footprint)
    dram_read = read_sectors * 32 + spill * reuse_bytes
    dram_write = write_sectors * 32
    dram_bandwidth = profile.dram_bandwidth_gbs * 1e9
    l2_hit = 1.0 - min(1.0, (dram_read + dram_write) / l2_bytes) if l2_bytes else 0.0
    loads = total["global_load_sectors"]
    l1_hit = 1.0 - min(1.0, counters.l2_load_sectors * scale / loads) if loads else 0.0

    warps_total = warps_per_block * counters.blocks_total
    requests = counters.load_waits * scale + total["atomic_requests"]  # stores do not wait
    beyond_l1 = l2_hit * profile.l2_latency_cycles + (1 - l2_hit) * profile.dram_latency_cycles
    round_trip = l1_hit * profile.shared_latency_cycles + (1 - l1_hit) * beyond_l1
    round_trip *= LOADED_LATENCY_FACTOR
    chain = requests / warps_total if warps_total else 0.0
    issue_per_warp = total["warp_instructions"] / warps_total if warps_total else 0.0
    wave_cycles = chain * round_trip + issue_per_warp
    flops_time = total["flops"] / (profile.fp32_peak_tflops * 1e12)
    atomic_lanes = counters.atomic_lanes * scale
    l1_wavefronts = (
        total["shared_load_wavefronts"]
        + total["shared_store_wavefronts"]
        + counters.l1_wavefronts * scale
    )
    limits = {
        "dram": (dram_read + dram_write) / (dram_bandwidth * DRAM_EFFICIENCY),
        "l2": l2_bytes / (dram_bandwidth * L2_BANDWIDTH_FACTOR),
        "shared": l1_wavefronts / (sms * SHARED_WAVEFRONTS_PER_CLOCK * clock),
        "compute": max(
            total["warp_instructions"] / (sms * profile.schedulers_per_sm * clock), flops_time
        ),
        "atomics": max(
            atomic_lanes / (sms * ATOMICS_PER_CLOCK_PER_SM * clock),
            counters.atomic_chain * scale * ATOMIC_SAME_ADDRESS_CYCLES / clock,
        ),
        "latency": max(1.0, occ["waves"]) * wave_cycles / clock
        if math.isfinite(occ["waves"])
        else math.inf,
    }
    limits_us = {name: seconds * 1e6 for name, seconds in limits.items()}
    limits_us["launch"] = LAUNCH_OVERHEAD_US
    busiest = max(limits_us, key=lambda name: (limits_us[name], -BOUNDS.index(name)))
    work = [value for name, value in limits_us.items() if name != "launch"]
    work_us = sum(value**OVERLAP_EXPONENT for value in work) ** (1 / OVERLAP_EXPONENT)
    time_us = LAUNCH_OVERHEAD_US + work_us
    bound = busiest
    metrics = _metrics(
        counters, total, occ, time_us, limits_us, dram_read, dram_write, l2_bytes, scale, threads
    )
    peaks = {
        "flops_per_s": profile.fp32_peak_tflops * 1e12,
        "dram_bytes_per_s": dram_bandwidth,
        "l2_bytes_per_s": dram_bandwidth * L2_BANDWIDTH_FACTOR,
    }
    return LaunchRecord(
        kernel_name=kernel_name,
        griddim=tuple(griddim),
        blockdim=tuple(blockdim),
        device=profile.name,
        time_us=time_us,
        bound=bound,
        limits_us=limits_us,
        metrics=metrics,
        occupancy=occ,
        lines=_lines(counters, lines, limits_us, scale),
        sampled_blocks=counters.blocks_run if sampled else None,
        peaks=peaks,
        sampled_loops=counters.loops_sampled,
    )


def _scaled_footprint(footprints: list, scale: float) -> float:
    """Distinct sectors of the grid: the sampled ones scaled up, never past an array's size."""
    return sum(min(touched * scale, size) for touched, size in footprints)


_TOTALS = (
    "warp_instructions",
    "thread_instructions",
    "branches",
    "divergent_branches",
    "global_load_requests",
    "global_load_sectors",
    "global_store_requests",
    "global_store_sectors",
    "shared_load_requests",
    "shared_load_wavefronts",
    "shared_store_requests",
    "shared_store_wavefronts",
    "bank_conflicts",
    "atomic_requests",
    "flops",
)

# Which line counter stands for each resource when the time is shared out among lines.
_LINE_DRIVER = {
    "dram": ("global_load_sectors", "global_store_sectors"),
    "l2": ("global_load_sectors", "global_store_sectors"),
    "shared": ("shared_load_wavefronts", "shared_store_wavefronts"),
    "compute": ("warp_instructions",),
    "atomics": ("atomic_requests",),
    "latency": ("global_load_requests", "global_store_requests", "atomic_requests"),
    "launch": ("warp_instructions",),
}


def _lines(counters, lines, limits_us, scale) -> list[LineRecord]:
    weight = sum(limits_us.values()) or 1.0
    drivers = {
        resource: sum(counters.total(name) for name in names)
        for resource, names in _LINE_DRIVER.items()
    }
    records = []
    for site in sorted(counters.sites, key=lambda s: (lines.get(s, ("", 0, ""))[0], s)):
        filename, line, source = lines.get(site, ("", site, ""))
        values = {name: value * scale for name, value in counters.site_counters(site).items()}
        share = 0.0
        for resource, names in _LINE_DRIVER.items():
            if drivers[resource]:
                part = sum(counters.site_counters(site)[name] for name in names)
                share += limits_us[resource] / weight * part / drivers[resource]
        records.append(LineRecord(filename, line, source, values, share))
    return records


def _metrics(
    counters, total, occ, time_us, limits_us, dram_read, dram_write, l2_bytes, scale, threads
) -> dict[str, float]:
    def ratio(numerator: float, denominator: float) -> float:
        return numerator / denominator if denominator else 0.0

    memory_us = max(limits_us["dram"], limits_us["l2"], limits_us["shared"])
    return {
        "gpu__time_duration.sum": time_us * 1e3,
        "smsp__inst_executed.sum": total["warp_instructions"],
        "smsp__thread_inst_executed_per_inst_executed.ratio": ratio(
            total["thread_instructions"], total["warp_instructions"]
        ),
        "smsp__sass_average_branch_targets_threads_uniform.pct": 100.0
        * (1.0 - ratio(total["divergent_branches"], total["branches"])),
        "l1tex__t_requests_pipe_lsu_mem_global_op_ld.sum": total["global_load_requests"],
        "l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum": total["global_load_sectors"],
        "l1tex__t_requests_pipe_lsu_mem_global_op_st.sum": total["global_store_requests"],
        "l1tex__t_sectors_pipe_lsu_mem_global_op_st.sum": total["global_store_sectors"],
        "l1tex__average_t_sectors_per_request_pipe_lsu_mem_global_op_ld.ratio": ratio(
            total["global_load_sectors"], total["global_load_requests"]
        ),
        "l1tex__average_t_sectors_per_request_pipe_lsu_mem_global_op_st.ratio": ratio(
            total["global_store_sectors"], total["global_store_requests"]
        ),
        "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_ld.sum": total["shared_load_wavefronts"],
        "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_st.sum": total["shared_store_wavefronts"],
        "l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum": max(
            0.0, total["shared_load_wavefronts"] - total["shared_load_requests"]
        ),
        "l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_st.sum": max(
            0.0, total["shared_store_wavefronts"] - total["shared_store_requests"]
        ),
        "dram__bytes_read.sum": dram_read,
        "dram__bytes_write.sum": dram_write,
        "lts__t_bytes.sum": l2_bytes,
        "lts__t_sector_hit_rate.pct": 100.0 * (1.0 - ratio(dram_read + dram_write, l2_bytes))
        if l2_bytes
        else 0.0,
        "l1tex__t_requests_pipe_lsu_mem_global_op_atom.sum": total["atomic_requests"],
        "smsp__sass_thread_inst_executed_op_fadd_pred_on.sum": counters.fadd * scale,
        "smsp__sass_thread_inst_executed_op_fmul_pred_on.sum": counters.fmul * scale,
        "smsp__sass_thread_inst_executed_op_ffma_pred_on.sum": counters.ffma * scale,
        "cudalike__flops.sum": total["flops"],
        "cudalike__barriers.sum": counters.barriers * scale,
        "sm__warps_active.avg.pct_of_peak_sustained_active": occ["occupancy_pct"],
        "launch__occupancy_limit_blocks": occ["limit_blocks"],
        "launch__occupancy_limit_warps": occ["limit_warps"],
        "launch__occupancy_limit_registers": occ["limit_registers"],
        "launch__occupancy_limit_shared_mem": occ["limit_shared_mem"],
        "launch__waves_per_multiprocessor": occ["waves"],
        "launch__registers_per_thread": occ["registers_per_thread"],
        "launch__block_size": threads,
        "launch__grid_size": counters.blocks_total,
        "launch__shared_mem_per_block": occ["shared_bytes_per_block"],
        "sm__throughput.avg.pct_of_peak_sustained_elapsed": 100.0
        * ratio(limits_us["compute"], time_us),
        "gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed": 100.0
        * ratio(memory_us, time_us),
    }
