"""Text reports of modelled launches, laid out like `ncu --print-summary per-kernel`."""

from __future__ import annotations

from cudalike.model.records import LaunchRecord

_SECTIONS = (
    (
        "GPU Speed Of Light Throughput",
        (
            ("Duration", "usecond", lambda r: r.time_us),
            (
                "Compute (SM) Throughput",
                "%",
                lambda r: r.metrics["sm__throughput.avg.pct_of_peak_sustained_elapsed"],
            ),
            (
                "Memory Throughput",
                "%",
                lambda r: r.metrics[
                    "gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed"
                ],
            ),
            ("DRAM Read", "byte", lambda r: r.metrics["dram__bytes_read.sum"]),
            ("DRAM Write", "byte", lambda r: r.metrics["dram__bytes_write.sum"]),
            ("L2 Traffic", "byte", lambda r: r.metrics["lts__t_bytes.sum"]),
            ("FLOPs (fadd + fmul + 2 x ffma)", "", lambda r: r.metrics["cudalike__flops.sum"]),
        ),
    ),
    (
        "Memory Workload Analysis",
        (
            (
                "Global Load Sectors / Request",
                "",
                lambda r: r.metrics[
                    "l1tex__average_t_sectors_per_request_pipe_lsu_mem_global_op_ld.ratio"
                ],
            ),
            (
                "Global Store Sectors / Request",
                "",
                lambda r: r.metrics[
                    "l1tex__average_t_sectors_per_request_pipe_lsu_mem_global_op_st.ratio"
                ],
            ),
            (
                "Shared Load Bank Conflicts",
                "",
                lambda r: r.metrics["l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum"],
            ),
            (
                "Shared Store Bank Conflicts",
                "",
                lambda r: r.metrics["l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_st.sum"],
            ),
            (
                "Global Atomic Requests",
                "",
                lambda r: r.metrics["l1tex__t_requests_pipe_lsu_mem_global_op_atom.sum"],
            ),
        ),
    ),
    (
        "Scheduler And Warp State",
        (
            ("Warp Instructions Executed", "inst", lambda r: r.metrics["smsp__inst_executed.sum"]),
            (
                "Threads Per Warp Instruction",
                "",
                lambda r: r.metrics["smsp__thread_inst_executed_per_inst_executed.ratio"],
            ),
            (
                "Branch Efficiency",
                "%",
                lambda r: r.metrics["smsp__sass_average_branch_targets_threads_uniform.pct"],
            ),
        ),
    ),
    (
        "Occupancy",
        (
            (
                "Registers Per Thread (estimate)",
                "register",
                lambda r: r.occupancy["registers_per_thread"],
            ),
            ("Shared Memory Per Block", "byte", lambda r: r.occupancy["shared_bytes_per_block"]),
            ("Block Limit Warps", "block", lambda r: r.occupancy["limit_warps"]),
            ("Block Limit Registers", "block", lambda r: r.occupancy["limit_registers"]),
            ("Block Limit Shared Mem", "block", lambda r: r.occupancy["limit_shared_mem"]),
            ("Block Limit SM", "block", lambda r: r.occupancy["limit_blocks"]),
            ("Theoretical Occupancy", "%", lambda r: r.occupancy["occupancy_pct"]),
            ("Waves Per SM", "", lambda r: r.occupancy["waves"]),
        ),
    ),
)


def summary(launches: list, device, worst_lines: int = 3) -> str:
    """One block of text per launch: speed of light, memory, scheduler, occupancy, hot lines.

    SIMT launches (LaunchRecord) read like ncu; CANN-style launches (PipeLaunchRecord) list
    the pipes' utilisation under the vendor's names, as msprof op does.
    """
    if not launches:
        return "No kernel was launched inside the profile block."
    return "\n\n".join(
        _launch(record, worst_lines) if isinstance(record, LaunchRecord) else _pipes(record)
        for record in launches
    )


def _pipes(record, worst_lines: int = 3) -> str:
    out = [
        f"  {record.kernel_name} [{record.num_blocks} blocks], Device: {record.device} "
        "(pipe timeline modelled by cudalike)",
        f"    Duration {record.time_us:.3f} usecond ({record.cycles:,.0f} cycles), bound: "
        f"{record.bound}",
    ]
    for name, value in record.metrics.items():
        if name.endswith("_ratio"):
            out.append(f"    {name:<24} {100 * value:6.1f}%")
    hot = sorted(record.lines, key=lambda line: -line.get("cycles", 0))[:worst_lines]
    if hot:
        out.append("    Busiest source lines (pipe cycles):")
        for line in hot:
            out.append(
                f"      {line['cycles']:>10,.0f}  line {line['line']}: {line['source'].strip()}"
            )
    return "\n".join(out)


def _launch(record: LaunchRecord, worst_lines: int) -> str:
    grid = "x".join(map(str, record.griddim))
    block = "x".join(map(str, record.blockdim))
    out = [
        f"  {record.kernel_name} ({grid})x({block}), Device: {record.device} (modelled by cudalike)"
    ]
    if record.sampled_blocks is not None:
        out.append(
            f"    sampled {record.sampled_blocks} of {_blocks(record):,} blocks and scaled the "
            "counters to the grid (outputs incomplete)"
        )
    if record.sampled_loops:
        out.append(
            f"    extrapolated {record.sampled_loops} loop run(s) from their first iterations"
        )
    for title, rows in _SECTIONS:
        out.append(f"    Section: {title}")
        out.append("    " + "-" * 46 + " " + "-" * 12 + " " + "-" * 16)
        for label, unit, value in rows:
            out.append(f"    {label:<46} {unit:>12} {_number(value(record)):>16}")
        out.append("    " + "-" * 76)
    out.append(
        f"    Bound: {record.bound} (time each resource alone would need, usecond: "
        + ", ".join(f"{k} {v:.3g}" for k, v in record.limits_us.items())
        + ")"
    )
    hot = sorted(record.lines, key=lambda line: -line.time_share)[:worst_lines]
    if hot:
        out.append("    Hottest source lines (share of modelled time):")
        for line in hot:
            out.append(
                f"      {100 * line.time_share:5.1f}%  line {line.line}: {line.source.strip()}"
            )
    return "\n".join(out)


def _blocks(record: LaunchRecord) -> int:
    x, y, z = record.griddim
    return x * y * z


def _number(value) -> str:
    if isinstance(value, str):
        return value
    value = float(value)
    if value == float("inf"):
        return "inf"
    if abs(value) >= 1e5:
        return f"{value:,.0f}"
    return f"{value:.4g}" if value != int(value) else f"{int(value):,}"
