"""The pipe-level timing model of an Ascend-like NPU, and the record a CANN launch leaves.

Stages, in the order a launch uses them:
1. Each core gets a `CoreTimeline`. Every API call the kernel makes issues one instruction to
   a pipe (S, V, M, MTE1, MTE2, MTE3, FIX) through `CoreTimeline.issue`: the scalar unit spends
   `scalar_issue_cycles` issuing it, and it starts when its pipe is free, when the scalar unit
   issued it, and when the data it waits for is ready (queue and flag dependencies), whichever
   is last. Pipes are in-order queues running in parallel.
2. A core's time is the end of its last instruction.
3. `build_record` puts the cores into waves of at most the profile's core count; a wave lasts as
   long as its slowest core, or as long as global memory needs to move the wave's bytes,
   whichever is longer. The launch time is the sum of the waves.
4. The record carries vendor-named utilisation ratios, the bound, per-line cycles and the
   timeline (`export_trace` writes chrome-tracing JSON, as the vendor's simulator does).
"""

from __future__ import annotations

import dataclasses
import json
import os

from cudalike.model.devices_npu import NpuProfile

PIPES = ("S", "V", "M", "MTE1", "MTE2", "MTE3", "FIX")

# Vendor metric name of each pipe's busy ratio (msprof op's names).
RATIO_NAMES = {
    "V": "aiv_vec_ratio",
    "MTE2": "aiv_mte2_ratio",
    "MTE3": "aiv_mte3_ratio",
    "S": "aiv_scalar_ratio",
    "M": "aic_cube_ratio",
    "MTE1": "aic_mte1_ratio",
    "FIX": "aic_fixpipe_ratio",
}

# Names of `PipeLaunchRecord.bound`: the busiest pipe when it is busy at least BOUND_SHARE of the
# time, "gm_bandwidth" when global memory is, else "latency" (the vendor's roofline verdict).
BOUNDS = ("vector", "cube", "mte1", "mte2", "mte3", "scalar", "fixpipe", "gm_bandwidth", "latency")
BOUND_SHARE = 0.8
_BOUND_OF_PIPE = {
    "V": "vector",
    "M": "cube",
    "MTE1": "mte1",
    "MTE2": "mte2",
    "MTE3": "mte3",
    "S": "scalar",
    "FIX": "fixpipe",
}


@dataclasses.dataclass(slots=True)
class PipeEvent:
    """One instruction on one pipe of one core.

    Attributes:
        core: block index that issued it.
        pipe: one of PIPES.
        name: API name ("DataCopy", "Add", ...).
        start_cycle: cycle it started, counted from the start of the launch.
        end_cycle: cycle it finished.
        filename: learner's file that issued it.
        line: line in that file.
        ub_bank_conflict_cycles: cycles of it spent queueing for UB banks (cann/ub_banks.py).
    """

    core: int
    pipe: str
    name: str
    start_cycle: float
    end_cycle: float
    filename: str
    line: int
    ub_bank_conflict_cycles: float = 0.0


class CoreTimeline:
    """The pipes of one core: when each is free, how busy, and the instructions they ran.

    Attributes:
        core: block index.
        free: cycle at which each pipe has finished everything issued to it.
        busy: cycles each pipe spent working.
        issue_cycle: the scalar unit's position in program order.
        events: the instructions, in issue order.
        lines: cycles spent per (filename, line), all pipes together.
        bank_conflicts: of those, cycles spent queueing for UB banks, per (filename, line).
        gm_bytes: bytes this core moved to or from global memory.
    """

    def __init__(self, core: int, scalar_issue_cycles: float):
        self.core = core
        self.free = dict.fromkeys(PIPES, 0.0)
        self.busy = dict.fromkeys(PIPES, 0.0)
        self.issue_cycle = 0.0
        self.events: list[PipeEvent] = []
        self.lines: dict[tuple[str, int], float] = {}
        self.bank_conflicts: dict[tuple[str, int], float] = {}
        self.gm_bytes = 0
        self._issue_cost = scalar_issue_cycles

    def issue(
        self, pipe: str, cycles: float, name: str, where: tuple[str, int], ready: float = 0.0
    ) -> tuple[float, float]:
        """Append an instruction to `pipe`; return its (start, end) cycles.

        Args:
            pipe: one of PIPES.
            cycles: how long it runs.
            name: API name for the timeline.
            where: (filename, line) of the learner's call.
            ready: earliest start allowed by synchronisation (a DeQue'd tensor's producer,
                a WaitFlag, a reused slot's FreeTensor).
        """
        if pipe == "S":
            start = max(self.issue_cycle, self.free["S"], ready)
            end = start + cycles
            self.issue_cycle = end
        else:
            # The scalar unit issues the instruction into the pipe's queue and goes on.
            self.issue_cycle += self._issue_cost
            self.busy["S"] += self._issue_cost
            self.free["S"] = max(self.free["S"], self.issue_cycle)
            start = max(self.free[pipe], self.issue_cycle, ready)
            end = start + cycles
        self.free[pipe] = end
        self.busy[pipe] += cycles
        self.events.append(PipeEvent(self.core, pipe, name, start, end, where[0], where[1]))
        self.lines[where] = self.lines.get(where, 0.0) + cycles
        return start, end

    def note_bank_conflict(self, cycles: float) -> None:
        """Mark `cycles` of the instruction just issued as spent on UB bank conflicts."""
        if cycles:
            event = self.events[-1]
            event.ub_bank_conflict_cycles += cycles
            where = (event.filename, event.line)
            self.bank_conflicts[where] = self.bank_conflicts.get(where, 0.0) + cycles

    def wait(self, pipe: str, cycle: float) -> None:
        """Hold `pipe` until `cycle` (a WaitFlag or barrier inserted into its queue)."""
        self.free[pipe] = max(self.free[pipe], cycle)

    def finish(self) -> float:
        """The cycle at which the core's last instruction ends."""
        return max(max(self.free.values()), self.issue_cycle)


@dataclasses.dataclass
class PipeLaunchRecord:
    """One CANN-style kernel launch as the pipe model sees it.

    Attributes:
        kernel_name: the kernel's name.
        num_blocks: blocks launched.
        device: name of the NPU profile used.
        time_us: modelled duration in microseconds (launch overhead not included).
        cycles: the same in core clock cycles.
        bound: the limiting resource, one of BOUNDS.
        metrics: utilisation under the vendor's names (aiv_vec_ratio, aiv_mte2_ratio,
            aiv_mte3_ratio, aiv_scalar_ratio, aic_cube_ratio, aic_mte1_ratio,
            aic_fixpipe_ratio) plus gm_bandwidth_ratio, gm_bytes, waves, launch_overhead_us,
            ub_bank_conflict_cycles (all cores' cycles spent on UB bank conflicts).
        lines: per-source-line cycles: dicts with filename, line, source, cycles, share,
            ub_bank_conflict_cycles (the part of cycles spent on UB bank conflicts).
        events: the pipe timeline of every core, cycles counted from the launch start.
        core_cycles: each block's own finish cycle, in block order.
        clock_ghz: the core clock the cycles count, to turn them into time.
    """

    kernel_name: str
    num_blocks: int
    device: str
    time_us: float
    cycles: float
    bound: str
    metrics: dict[str, float]
    lines: list[dict]
    events: list[PipeEvent]
    core_cycles: list[float]
    clock_ghz: float = 1.0

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def export_trace(self, path: str | os.PathLike) -> None:
        """Write the pipe timeline as trace-event JSON for chrome://tracing and Perfetto.

        One process per core and one thread per pipe, named by metadata events; each
        instruction is a complete event ("ph": "X") with `ts` and `dur` in microseconds, as
        the format requires, and its cycles and source line in `args`.

        Example:
            >>> record.export_trace("add_trace.json")  # doctest: +SKIP
        """
        us_per_cycle = 1.0 / (self.clock_ghz * 1000.0)
        trace = []
        for core in sorted({event.core for event in self.events}):
            trace.append(_meta("process_name", core, 0, f"core {core}"))
            trace.append(
                {"name": "process_sort_index", "ph": "M", "pid": core, "args": {"sort_index": core}}
            )
            for number, pipe in enumerate(PIPES):
                trace.append(_meta("thread_name", core, number, pipe))
        for event in self.events:
            trace.append(
                {
                    "name": event.name,
                    "cat": event.pipe,
                    "ph": "X",
                    "pid": event.core,
                    "tid": PIPES.index(event.pipe),
                    "ts": event.start_cycle * us_per_cycle,
                    "dur": (event.end_cycle - event.start_cycle) * us_per_cycle,
                    "args": {
                        "line": f"{event.filename}:{event.line}",
                        "start_cycle": event.start_cycle,
                        "cycles": event.end_cycle - event.start_cycle,
                    }
                    | (
                        {"ub_bank_conflict_cycles": event.ub_bank_conflict_cycles}
                        if event.ub_bank_conflict_cycles
                        else {}
                    ),
                }
            )
        with open(path, "w", encoding="utf-8") as file:
            json.dump({"traceEvents": trace, "displayTimeUnit": "ns"}, file)


def _meta(kind: str, pid: int, tid: int, name: str) -> dict:
    return {"name": kind, "ph": "M", "pid": pid, "tid": tid, "args": {"name": name}}


def wave_of(block: int, core_count: int) -> int:
    """The wave a block runs in when blocks are dealt to `core_count` cores in order."""
    return block // core_count


def active_cores(block: int, num_blocks: int, core_count: int) -> int:
    """How many cores run at the same time as `block` (the size of its wave)."""
    first = wave_of(block, core_count) * core_count
    return min(core_count, num_blocks - first)


def build_record(
    kernel_name: str,
    profile: NpuProfile,
    timelines: list[CoreTimeline],
    line_sources: dict[tuple[str, int], str],
) -> PipeLaunchRecord:
    """Combine the cores' timelines into one launch record (stages 2-4 of the module)."""
    count = profile.aiv_core_count
    num_blocks = len(timelines)
    waves = (num_blocks + count - 1) // count
    wave_start = 0.0
    wave_length = []
    events: list[PipeEvent] = []
    gm_limited = 0.0
    for wave in range(waves):
        members = timelines[wave * count : (wave + 1) * count]
        slowest = max(timeline.finish() for timeline in members)
        gm_time = sum(timeline.gm_bytes for timeline in members) / profile.gm_bytes_per_cycle
        length = max(slowest, gm_time)
        gm_limited += gm_time
        for timeline in members:
            for event in timeline.events:
                events.append(
                    dataclasses.replace(
                        event,
                        start_cycle=event.start_cycle + wave_start,
                        end_cycle=event.end_cycle + wave_start,
                    )
                )
        wave_length.append(length)
        wave_start += length
    cycles = wave_start
    metrics = _ratios(timelines, wave_length, count)
    gm_bytes = sum(timeline.gm_bytes for timeline in timelines)
    metrics["gm_bytes"] = float(gm_bytes)
    metrics["gm_bandwidth_ratio"] = gm_limited / cycles if cycles else 0.0
    metrics["waves"] = float(waves)
    metrics["launch_overhead_us"] = profile.launch_overhead_us
    metrics["ub_bank_conflict_cycles"] = float(
        sum(sum(timeline.bank_conflicts.values()) for timeline in timelines)
    )
    return PipeLaunchRecord(
        kernel_name=kernel_name,
        num_blocks=num_blocks,
        device=profile.name,
        time_us=cycles / (profile.clock_ghz * 1000.0),
        cycles=cycles,
        bound=_bound(metrics),
        metrics=metrics,
        lines=_lines(timelines, line_sources),
        events=events,
        core_cycles=[timeline.finish() for timeline in timelines],
        clock_ghz=profile.clock_ghz,
    )


def _ratios(timelines: list[CoreTimeline], wave_length: list[float], count: int) -> dict:
    """Busy cycles of each pipe over the cycles the cores were held (their waves' lengths)."""
    held = sum(wave_length[wave_of(t.core, count)] for t in timelines) or 1.0
    return {RATIO_NAMES[pipe]: sum(t.busy[pipe] for t in timelines) / held for pipe in PIPES}


def _bound(metrics: dict[str, float]) -> str:
    busiest = max(PIPES, key=lambda pipe: metrics[RATIO_NAMES[pipe]])
    if metrics["gm_bandwidth_ratio"] >= BOUND_SHARE:
        return "gm_bandwidth"
    if metrics[RATIO_NAMES[busiest]] >= BOUND_SHARE:
        return _BOUND_OF_PIPE[busiest]
    return "latency"


def _lines(timelines: list[CoreTimeline], sources: dict[tuple[str, int], str]) -> list[dict]:
    totals: dict[tuple[str, int], float] = {}
    conflicts: dict[tuple[str, int], float] = {}
    for timeline in timelines:
        for where, cycles in timeline.lines.items():
            totals[where] = totals.get(where, 0.0) + cycles
        for where, cycles in timeline.bank_conflicts.items():
            conflicts[where] = conflicts.get(where, 0.0) + cycles
    everything = sum(totals.values()) or 1.0
    return [
        {
            "filename": where[0],
            "line": where[1],
            "source": sources.get(where, ""),
            "cycles": cycles,
            "share": cycles / everything,
            "ub_bank_conflict_cycles": conflicts.get(where, 0.0),
        }
        for where, cycles in sorted(totals.items())
    ]
