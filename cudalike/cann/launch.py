"""The kernel decorator and the launch `kernel[numBlocks](*args)`.

Stages of a launch, in order:
1. check numBlocks (1..65535, as the runtime does);
2. turn numpy arguments into global-memory allocations (copied back after the launch);
3. run the blocks one after another (`multicore.BlockScheduler`: in index order, handing over
   at each SyncAll; a mixed kernel's AIV sub-cores right after their block's AIC), each as a
   `CoreContext` made current for its run, its cores sharing GM bandwidth with the others of
   its wave;
4. check each block ended with no SetFlag left waiting and no queue tensor left allocated;
5. if a `profiler.profile()` block is open, append a `PipeLaunchRecord` to it.
Blocks run in index order, so every run is deterministic.
"""

from __future__ import annotations

import functools
import linecache

import numpy as np

from cudalike.cann import _context, debug_print, multicore, queue_end_check, sync
from cudalike.cann.gm import GmAddr
from cudalike.cann.tiling_key import check_tiling_key_at_end, launch_tiling_key
from cudalike.errors import CudalikeError, LaunchConfigError
from cudalike.i18n import _
from cudalike.model import session
from cudalike.model.devices_npu import npu_profile_for
from cudalike.model.pipe_model import active_cores, build_record

MAX_BLOCKS = 65535


class CannKernel:
    """A kernel made by `@cann.kernel`; launch it with `kernel[numBlocks](*args)`.

    Differences: the launch takes only numBlocks (`kernel[numBlocks, None, stream]` is
    accepted and the rest ignored). numpy arrays passed as arguments are copied to global
    memory and back, as numba.cuda does with host arrays.
    """

    def __init__(self, function):
        self.function = function
        functools.update_wrapper(self, function)

    def __getitem__(self, config) -> functools.partial:
        num_blocks = config[0] if isinstance(config, tuple) else config
        return functools.partial(launch, self, num_blocks)

    def __call__(self, *args, **kwargs):
        raise LaunchConfigError(
            _(
                "kernel '{name}' must be launched with a block count: "
                "{name}[numBlocks](args...), e.g. {name}[8](x, y, z, tiling)"
            ).format(name=self.function.__name__)
        )

    def __repr__(self) -> str:
        return f"<cann kernel {self.function.__name__}>"


def kernel(function) -> CannKernel:
    """Mark `function` as a kernel (Ascend C's `extern "C" __global__ __aicore__`).

    Example:
        >>> from cudalike import cann
        >>> @cann.kernel
        ... def noop(x):
        ...     pass
        >>> noop[2](np.zeros(16, np.float16))
    """
    return CannKernel(function)


def launch(kernel: CannKernel, num_blocks, *args) -> None:
    """Run `kernel` over `num_blocks` blocks (stages 1-5 of the module docstring)."""
    name = kernel.function.__name__
    if not isinstance(num_blocks, int | np.integer) or not 1 <= num_blocks <= MAX_BLOCKS:
        raise LaunchConfigError(
            _(
                "numBlocks must be an integer in [1, {limit}], got {num_blocks}: launch as "
                "{name}[numBlocks](args...)"
            ).format(limit=MAX_BLOCKS, num_blocks=repr(num_blocks), name=name)
        )
    num_blocks = int(num_blocks)
    current = session.active()
    profile = npu_profile_for(getattr(current.profile, "name", None) if current else None)
    copies = []
    device_args = []
    for value in args:
        if isinstance(value, np.ndarray):
            data = np.ascontiguousarray(value).view(np.uint8).reshape(-1).copy()
            device_args.append(GmAddr(data, 0, value.dtype))
            copies.append((value, data))
        else:
            device_args.append(value)
    state = _context.LaunchState(name, num_blocks, profile, tiling_key=launch_tiling_key())
    cores: list[_context.CoreContext] = []

    def run_core(block: int, sub_core: int | None) -> None:
        core = _context.CoreContext(
            state, block, active_cores(block, num_blocks, profile.aiv_core_count)
        )
        if sub_core is not None:  # an AIV sub-core of a mixed kernel's block
            core.core_type, core.sub_block, core.mix_ratio = "AIV", sub_core, state.mix_ratio
        cores.append(core)
        token = _context.enter(core)
        try:
            kernel.function(*device_args)
            sync.check_flags_at_end(core)
            queue_end_check.check_freed_at_end(core)
            check_tiling_key_at_end(core)
            debug_print.flush(core)
        except CudalikeError:
            raise
        except Exception as error:
            if hasattr(error, "add_note"):
                error.add_note(
                    _("(in block {block} of CANN kernel '{name}')").format(
                        block=core.label, name=name
                    )
                )
            raise
        finally:
            _context.leave(token)

    state.scheduler = multicore.BlockScheduler(run_core, num_blocks)
    state.scheduler.run()
    timelines = [core.timeline for core in cores]
    ub_used = max(core.stores["UB"].used if "UB" in core.stores else 0 for core in cores)
    for host, data in copies:
        host[...] = data.view(host.dtype).reshape(host.shape)
    if current is not None:
        sources = {}
        for timeline in timelines:
            for where in timeline.lines:
                if where not in sources:
                    sources[where] = linecache.getline(*where).rstrip()
        record = build_record(name, profile, timelines, sources)
        record.metrics["ub_bytes_used"] = float(ub_used)  # the most UB InitBuffer gave a core
        current.launches.append(record)


def GetBlockIdx() -> int:
    """Index of the running block, in [0, GetBlockNum()); on an AIV sub-core of a mixed
    kernel, the vendor's vector core index block * GetTaskRation() + GetSubBlockIdx()."""
    core = _context.current("GetBlockIdx")
    if core.mix_ratio and core.core_type == "AIV":
        return core.block * core.mix_ratio + core.sub_block
    return core.block


def GetBlockNum() -> int:
    """Number of blocks of the launch (numBlocks)."""
    return _context.current("GetBlockNum").launch.num_blocks
