"""The grading job the sandbox's child runs, and the profile summary both sides compute.

`run_cases` launches the submission's kernels on the grader's arguments at every size, each
size on its own: an error at one size (out of bounds, a race, memory) is that size's result and
the next size still runs. The speed case runs under the profiler; the child sends back its
outputs and a `summarise` of the launch records (plain numbers and text). The grader compares
the outputs itself, against the reference it ran in its own process.

The child gets a `plan` from the grader and nothing else of the exercise: the kernels' names
and argument names, the output names, the device for the profiler, the launch of each case as
the grader computed it (grid and block, or blocks and tiling) and, only for an exercise that
launches through a host function, that function's module text. No sizes, seed, tolerances or
exercise path: the child never reads the exercise.
"""

from __future__ import annotations

import linecache
import types

import numpy as np

from autograder.launch import launch_with
from cudalike import profiler
from cudalike.model.pipe_model import RATIO_NAMES

_TOP_LINES = 3
_ATOMICS = "l1tex__t_requests_pipe_lsu_mem_global_op_atom.sum"
_SHARED = (
    "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_ld.sum",
    "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_st.sum",
)
_LOADS = "l1tex__t_requests_pipe_lsu_mem_global_op_ld.sum"
_WARP = 32
PROFILE_KEYS = frozenset(
    "time_us roof_us atomics shared loads_per_thread block_sizes lines ub_bytes bounds "
    "pipes".split()
)


def run_cases(submission, plan: dict, cases: list[dict]) -> list[dict]:
    """Launch `submission`'s kernels on each case's arguments; the sandbox calls this.

    Args:
        submission: the extracted submission's module.
        plan: {"kernels": [(name, [argument names])], "outputs": [names], "device": name,
            "speed_case": index of the case run under the profiler, "host": None or
            {"source": reference.py's text, "function": the host function's name}}.
        cases: per size: {"arguments": {name: array}, "launch": the grader's launch config}.

    Returns:
        Per case {"status": "ok", "outputs": {...}} (plus "profile" at the speed case) or
        {"status": "error", "kind": ..., "message": ...} as the learner would see the error.
    """
    kernels = {name: getattr(submission, name) for name, _ in plan["kernels"]}
    host = _host_function(plan["host"]) if plan["host"] else None
    results = []
    for index, case in enumerate(cases):
        arguments = case["arguments"]
        try:
            if index == plan["speed_case"]:
                # every iteration counted: a kernel must not steer what loop sampling sees
                with profiler.profile(
                    device=plan["device"], sample_blocks=None, sample_loops=False
                ) as prof:
                    launch_with(plan["kernels"], kernels, case["launch"], arguments, host)
                extra = {"profile": summarise(prof.launches)}
            else:
                launch_with(plan["kernels"], kernels, case["launch"], arguments, host)
                extra = {}
        except MemoryError as error:
            results.append({"status": "error", "kind": "MemoryError", "message": str(error)})
            continue
        except Exception as error:  # the learner's fault, shown as the notebook shows it
            results.append({"status": "error", "kind": type(error).__name__, "message": str(error)})
            continue
        outputs = {name: np.array(arguments[name]) for name in plan["outputs"]}
        results.append({"status": "ok", "outputs": outputs, **extra})
    return results


def _host_function(host: dict):
    """The host launch function, from the text of the module the grader sent.

    The text is put in `linecache` under the name it is compiled with, so that kernels the
    module defines (cuda.jit reads a kernel's source when it is decorated) can be read.
    """
    source = host["source"]
    linecache.cache[_HOST_FILE] = (len(source), None, source.splitlines(True), _HOST_FILE)
    module = types.ModuleType("reference")
    exec(compile(source, _HOST_FILE, "exec"), module.__dict__)  # the grader's text
    return getattr(module, host["function"])


_HOST_FILE = "<reference.py>"


def summarise(launches: list) -> dict:
    """The numbers grading needs from a profile, summed over its launches.

    Returns:
        {"time_us": modelled time, "roof_us": the time DRAM traffic or compute alone would
        need at the device's peak (SIMT: the larger of the two; CANN: the GM traffic at peak
        bandwidth), "atomics": atomic requests, "shared": shared-memory wavefronts,
        "loads_per_thread": global loads per launched thread (the largest over launches),
        "block_sizes": threads per block of each SIMT launch, "ub_bytes": the most UB a CANN
        core was given by InitBuffer (the largest over launches), "bounds": modelled time per
        limiting resource (each launch's time under its `bound`), "lines": the lines with the
        largest share of the time: {"filename", "line", "source", "share"}, "pipes": for CANN,
        the share of the modelled time each pipe was busy, time-weighted over launches}.
    """
    total = sum(launch.time_us for launch in launches) or 1.0
    summary = {"time_us": 0.0, "roof_us": 0.0, "atomics": 0.0, "shared": 0.0}
    summary |= {"loads_per_thread": 0.0, "block_sizes": [], "lines": [], "ub_bytes": 0.0}
    summary["bounds"] = {}
    summary["pipes"] = {}  # CANN: each pipe's busy share of the modelled time (msprof's ratios)
    lines = []
    for launch in launches:
        summary["time_us"] += float(launch.time_us)
        bound = str(launch.bound)
        summary["bounds"][bound] = summary["bounds"].get(bound, 0.0) + float(launch.time_us)
        weight = launch.time_us / total
        if hasattr(launch, "limits_us"):  # a SIMT LaunchRecord
            metrics = launch.metrics
            summary["roof_us"] += max(launch.limits_us["dram"], launch.limits_us["compute"])
            line_atomics = sum(line.counters.get("atomic_requests", 0.0) for line in launch.lines)
            summary["atomics"] += max(float(metrics.get(_ATOMICS, 0.0)), line_atomics)
            summary["shared"] += float(sum(metrics.get(key, 0.0) for key in _SHARED))
            threads = metrics["launch__grid_size"] * metrics["launch__block_size"]
            loads = metrics.get(_LOADS, 0.0) * _WARP / max(threads, 1)
            summary["loads_per_thread"] = max(summary["loads_per_thread"], float(loads))
            summary["block_sizes"].append(int(metrics["launch__block_size"]))
            lines += [
                (line.filename, line.line, line.source, line.time_share * weight)
                for line in launch.lines
            ]
        else:  # a CANN PipeLaunchRecord
            ratio = float(launch.metrics.get("gm_bandwidth_ratio", 0.0))
            ub_bytes = float(launch.metrics.get("ub_bytes_used", 0.0))
            summary["ub_bytes"] = max(summary["ub_bytes"], ub_bytes)
            for pipe, name in RATIO_NAMES.items():
                busy = float(launch.metrics.get(name, 0.0)) * weight
                summary["pipes"][pipe] = summary["pipes"].get(pipe, 0.0) + busy
            summary["roof_us"] += float(launch.time_us) * ratio
            lines += [
                (line["filename"], line["line"], line["source"], line["share"] * weight)
                for line in launch.lines
            ]
    lines.sort(key=lambda line: -line[3])
    summary["lines"] = [
        {"filename": str(f), "line": int(n), "source": str(s), "share": float(share)}
        for f, n, s, share in lines[: _TOP_LINES * 4]
    ]
    return summary
