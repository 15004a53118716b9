"""Connects a SIMT launch to the performance model when someone wants modelled time.

A launch is modelled when a `profiler.profile()` block is open, or when its stream carries a
modelled clock (an event was recorded on it, so `event.elapsed_time` needs the time). Then
the engine counts, the model turns counts into a LaunchRecord, the profile receives it and
the stream's clock advances by the modelled time.
"""

from __future__ import annotations

from cudalike.model import session as sessions
from cudalike.model import simt_model
from cudalike.model.counters import LaunchCounters
from cudalike.model.profiles import DeviceProfile, load_profile
from cudalike.simt import lowering
from cudalike.simt.counting import Counting
from cudalike.simt.streams import as_stream


def wanted(stream) -> bool:
    """Whether this launch must be modelled."""
    return sessions.active() is not None or as_stream(stream)._clock_us is not None


def prepare(launch, kernel, sharedmem: int) -> None:
    """Switch counting on for the launch, and pick the sampled blocks if the profile asks.

    Loops are sampled unless the profile says otherwise; their iterations are skipped only
    in a launch whose blocks are sampled (outputs of the others stay right)."""
    active = sessions.active()
    counters = LaunchCounters(
        blocks_total=launch.blocks,
        registers_per_thread=registers_per_thread(kernel),
        dynamic_shared_bytes=int(sharedmem),
    )
    if active is not None:
        launch.sample = sessions.sample(launch.blocks, active.sample_blocks)
    launch.counting = Counting(
        counters,
        sample_loops=active.sample_loops if active is not None else True,
        skip_iterations=launch.sample is not None,  # outputs are incomplete anyway
    )


def finish(launch, kernel, stream) -> None:
    """Model the launch, hand the record to the profile and advance the stream's clock."""
    active = sessions.active()
    counters = launch.counting.finish()
    counters.blocks_run = len(launch.sample) if launch.sample is not None else launch.blocks
    counters.static_shared_bytes = launch.static_shared_bytes
    profile = active.profile if active is not None else None
    if not isinstance(profile, DeviceProfile):  # no profile open, or an NPU one
        profile = load_profile(launch.config.device)
    record = simt_model.model_launch(
        counters,
        kernel_name=kernel.__name__,
        griddim=launch.griddim,
        blockdim=launch.blockdim,
        profile=profile,
        lines={
            site: (kernel.filename_of(site), kernel.line_of(site), kernel.source_of(site))
            for site in counters.sites
        },
        sampled=launch.sample is not None,
    )
    if active is not None:
        active.launches.append(record)
    clock = as_stream(stream)
    if clock._clock_us is not None:
        clock._clock_us += record.time_us


def registers_per_thread(kernel) -> int:
    """The declared `max_registers`, or an estimate: a base plus two per local variable."""
    declared = kernel.options.get("max_registers")
    if declared:
        return int(declared)
    names = sum(len(lowering.local_names(d.parsed)) for d, _ in kernel._functions_lowered)
    return min(255, 16 + 2 * names)
