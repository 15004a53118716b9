"""One profiling API for every kernel cudalike runs: what the GPU would do, without a GPU.

    from cudalike import cuda, profiler

    with profiler.profile(device="H100") as prof:
        add[blocks, threads](a, b, out)
    print(prof.summary())             # like ncu --print-summary
    prof.launches[0].time_us          # modelled duration
    prof.launches[0].metrics["dram__bytes_read.sum"]

In a notebook, `cudalike.viz.show(prof)` draws speed-of-light bars, a roofline, the
occupancy breakdown and the annotated source. Times are modelled from counters the engine
collects (docs/model.md), never measured on the CPU, so they are the same on every machine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Iterator

from cudalike import config
from cudalike.model import report, session
from cudalike.model.devices_npu import NpuProfile
from cudalike.model.pipe_model import PipeLaunchRecord
from cudalike.model.profiles import DeviceProfile, load_profile
from cudalike.model.records import LaunchRecord
from cudalike.model.session import AUTO, SampledLaunchWarning

__all__ = ["AUTO", "Profile", "SampledLaunchWarning", "profile"]


@dataclasses.dataclass
class Profile:
    """The launches recorded inside one `with profiler.profile()` block.

    Attributes:
        device: the device profile the launches were modelled on.
        launches: one LaunchRecord per kernel launch, in launch order.
    """

    device: DeviceProfile | NpuProfile
    launches: list[LaunchRecord | PipeLaunchRecord]

    def summary(self) -> str:
        """A text report in the manner of `ncu --print-summary per-kernel`."""
        return report.summary(self.launches, self.device)

    def to_json(self) -> str:
        """The records as JSON (numbers, strings, lists and dicts)."""
        return json.dumps([launch.to_dict() for launch in self.launches], indent=1, default=str)

    def __repr__(self) -> str:
        return f"<Profile on {self.device.name}: {len(self.launches)} launch(es)>"


def _device_profile(device: str):
    """A GPU profile (for SIMT kernels) or an NPU profile (for CANN-style kernels) by name."""
    try:
        return load_profile(device)
    except (ValueError, FileNotFoundError, OSError) as gpu_error:
        from cudalike.model.devices_npu import load_npu_profile

        try:
            return load_npu_profile(device)
        except (ValueError, FileNotFoundError, OSError):
            raise gpu_error from None


@contextlib.contextmanager
def profile(
    device: str | None = None, sample_blocks: int | str | None = AUTO, sample_loops: bool = True
) -> Iterator[Profile]:
    """Model every kernel launched inside the block on `device` (default: config.device).

    Args:
        device: a GPU profile name ("H100", "A100", "T4"), an NPU profile name
            ("Ascend910B", for CANN-style kernels) or the path of a profile file. SIMT
            kernels launched under an NPU profile are modelled on config.device, and
            CANN-style kernels under a GPU profile on the default NPU profile.
        sample_blocks: "auto" (the default) runs every block of a small launch. A launch
            whose first block's counted work, times the number of blocks, passes 2**24
            warp instructions or 256 MiB of global memory traffic (a matrix product at a
            real size, say) runs 16 blocks spread over the grid instead, and warns with a
            SampledLaunchWarning. A number runs that many blocks. Either way the counters
            are scaled up to the whole grid and `record.sampled_blocks` says how many
            blocks ran: the outputs of a sampled launch are incomplete. None runs every
            block of every launch (complete outputs; slow at real sizes).
        sample_loops: count only the first iterations of a loop whose counters repeat (the K
            loop of a tiled matrix product) and extrapolate the rest (docs/performance.md
            gives the method and its error bound). When every block runs, every iteration
            still runs, so outputs are right; with sample_blocks the extrapolated iterations
            are skipped too. False counts every iteration.

    Example:
        >>> with profile(device="T4") as prof:  # doctest: +SKIP
        ...     kernel[64, 256](x, y)
    """
    session.check_sample_blocks(sample_blocks)
    chosen = _device_profile(device or config.get().device)
    current = session.Session(chosen, sample_blocks, sample_loops)
    result = Profile(chosen, current.launches)
    session.open_session(current)
    try:
        yield result
    finally:
        session.close_session(current)
