"""Connects a SIMT launch to the performance model when someone wants modelled time.

A launch is modelled when a `profiler.profile()` block is open, or when its stream carries a
modelled clock (an event was recorded on it, so `event.elapsed_time` needs the time). Then
the engine counts, the model turns counts into a LaunchRecord, the profile receives it and
the stream's clock advances by the modelled time.

By default (`sample_blocks="auto"`) the profile decides from counted work, never from wall
time, whether a launch is block-sampled (AutoSample), so the decision is the same on every
machine and run.
"""

from __future__ import annotations

import sys
import warnings

from cudalike import _ipython
from cudalike.model import session as sessions
from cudalike.model import simt_model
from cudalike.model.counters import LaunchCounters
from cudalike.model.profiles import DeviceProfile, load_profile
from cudalike.simt import lowering
from cudalike.simt.counting import Counting
from cudalike.simt.streams import as_stream

# A launch is block-sampled when its first block's counted work, times the grid's blocks,
# passes either limit: about what the engine runs, counting, in a few seconds on a laptop core
# (instructions for compute-heavy kernels, global traffic for memory-heavy ones, whose
# accesses cost the engine most). Every lesson and exercise launch stays well below both
# (docs/performance.md).
AUTO_INSTRUCTIONS = 2**24  # warp instructions issued
AUTO_BYTES = 2**28  # bytes of global-memory sectors loaded and stored (256 MiB)
AUTO_BLOCKS = 16  # blocks an automatically sampled launch runs (the first always among them)


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
    if active is not None and active.sample_blocks != sessions.AUTO:
        launch.sample = sessions.sample(launch.blocks, active.sample_blocks)
    elif active is not None and launch.blocks > AUTO_BLOCKS and not launch.cooperative:
        launch.auto_sample = AutoSample(kernel.__name__)
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
    if launch.auto_sample is not None and launch.sample is not None:
        launch.auto_sample.warn(launch)
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


class AutoSample:
    """The profile's default choice: the first block runs alone, counted; if its work times
    the grid's blocks passes AUTO_INSTRUCTIONS or AUTO_BYTES, the launch runs AUTO_BLOCKS blocks
    (the first among them); once it has run, `warn` says that its outputs are incomplete.

    The loop sampler asks `consider` each time it extrapolates a loop of the first block, so
    the rest of a long loop is skipped, not run, once the launch is known to be large."""

    def __init__(self, kernel_name: str):
        self.kernel_name = kernel_name
        self.pending = True  # the first block is still running

    def consider(self, launch) -> None:
        """Sample the launch if the work counted so far, times the blocks, is too much."""
        if not self.pending:
            return
        counters = launch.counting.counters
        instructions = counters.total("warp_instructions") * launch.blocks
        sectors = counters.total("global_load_sectors") + counters.total("global_store_sectors")
        if instructions <= AUTO_INSTRUCTIONS and 32 * sectors * launch.blocks <= AUTO_BYTES:
            return
        self.pending = False
        launch.sample = sessions.sample(launch.blocks, AUTO_BLOCKS)
        launch.counting.skip_iterations = True  # outputs are incomplete from here on

    def warn(self, launch) -> None:
        """Say, once the launch has run, that it was sampled and how to run every block."""
        warnings.warn(
            f"profiler: kernel '{self.kernel_name}' ran {len(launch.sample)} of its "
            f"{launch.blocks:,} blocks and scaled the counters to the grid (its first block's "
            f"work times {launch.blocks:,} blocks passed {AUTO_INSTRUCTIONS:,} warp "
            f"instructions or {AUTO_BYTES >> 20} MiB of global memory traffic); "
            "its outputs are incomplete. Use profiler.profile(sample_blocks=None) to run "
            "every block.",
            sessions.SampledLaunchWarning,
            stacklevel=_caller_level(),
        )

    def first_block_done(self, launch) -> None:
        """The first block has run: decide for the rest of the grid."""
        self.consider(launch)
        self.pending = False


def _caller_level() -> int:
    """The stack level of the first frame outside cudalike (the line that launched)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and (
        _ipython.is_internal(frame.f_code.co_filename)
        or frame.f_code.co_filename.startswith("<cudalike")  # generated vector programs
    ):
        frame, level = frame.f_back, level + 1
    return level
