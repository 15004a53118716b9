"""The state of one running core, reachable from the API calls a kernel makes.

Ascend C's API is free functions (`GetBlockIdx()`, `DataCopy(...)`) that act on "the current
core". Here each launch creates a `LaunchState` and, per block, a `CoreContext`, and makes that
context current with a `contextvars.ContextVar` for exactly the duration of the block's run.
Nothing global is mutated: a launch inside a launch, or two threads launching, each see their
own core. This module also finds the learner's line for errors and for the timeline.
"""

from __future__ import annotations

import contextvars
import dataclasses
import linecache
import os
import sys

import numpy as np

from cudalike import _ipython
from cudalike.cann import errors
from cudalike.i18n import _
from cudalike.model.devices_npu import NpuProfile
from cudalike.model.pipe_model import CoreTimeline

_current: contextvars.ContextVar[CoreContext | None] = contextvars.ContextVar(
    "cudalike_cann_core", default=None
)

# Pool of poison bytes: fresh on-chip memory reads as NaN (0xFF bytes) in half and float.
POISON = 0xFF


@dataclasses.dataclass
class LaunchState:
    """What the cores of one launch share.

    Attributes:
        kernel_name: the kernel's name.
        num_blocks: blocks launched.
        profile: the NPU profile used for costs and capacities.
        gm_writers: per global-memory allocation (by id of its byte array), the block that
            last wrote each byte (-1: none), to find two cores writing the same bytes.
        scheduler: the `multicore.BlockScheduler` running the blocks (SyncAll parks in it).
        tiling_key: the key TILING_KEY_IS compares with (ICPU_SET_TILING_KEY's, 0 by default).
        mix_ratio: AIV sub-cores per block of a mixed kernel (`cross_core`), 0 if not mixed.
        cross_sets: CrossCoreSetFlag cycles per (mode, setting cores, flag id) and setter.
        cross_fired: how many times each such group of sets has reached its receivers.
        cross_counters: per ((block, core type, sub-core), flag id), the cycles at which the
            sets not yet waited for arrived.
    """

    kernel_name: str
    num_blocks: int
    profile: NpuProfile
    gm_writers: dict[int, np.ndarray] = dataclasses.field(default_factory=dict)
    scheduler: object = None
    tiling_key: int = 0
    mix_ratio: int = 0
    cross_sets: dict = dataclasses.field(default_factory=dict)
    cross_fired: dict = dataclasses.field(default_factory=dict)
    cross_counters: dict = dataclasses.field(default_factory=dict)


class CoreContext:
    """One block running on one core: its timeline, on-chip stores and synchronisation flags.

    Attributes:
        launch: the launch this block belongs to.
        block: block index (GetBlockIdx()).
        active_cores: cores running at the same time (they share GM bandwidth).
        timeline: the core's pipes.
        stores: on-chip memories by name ("UB", "L1", "L0A", "L0B", "L0C"), created on use.
        write_seq: counts writes to on-chip tensors, to tell which writes a flag covers.
        flags: SetFlag calls not yet waited for: (src, dst, id) -> (cycle, seq, where,
            instructions issued before it).
        visible: (src pipe, dst pipe) -> highest write_seq of src that dst has waited for.
        ordered: (src pipe, dst pipe) -> count of instructions issued when the latest src -> dst
            flag dst waited for was set (`hazards`: what a write after a read is ordered after).
        queues: the TQues and TBufs InitBuffer gave memory, to check them at the block's end.
        tpipe: the first TPipe made in the block (GetTPipePtr()).
        event_ids: event ids AllocEventID handed out and not released, per (src, dst) pipes.
        sync_all_where: (filename, line) of the block's latest SyncAll.
        scalar_cache: GM lines (allocation id, 64-byte line) the scalar unit's data cache
            holds: a scalar read of a cached line costs a local access, not a GM round trip.
        core_type: g_coreType, "AIV" unless KERNEL_TASK_TYPE_DEFAULT declares a cube kernel.
        dump_log: the block's printf / DumpTensor records (`debug_print`), printed at its end.
        tiling_keys_tested: the keys the block's TILING_KEY_IS calls compared with.
        tiling_keys_where: (filename, line) of the block's first TILING_KEY_IS.
        sub_block: the AIV sub-core's index in its block (GetSubBlockIdx), 0 otherwise.
        mix_ratio: AIV sub-cores per block of a mixed kernel, 0 if not mixed.
        cross_wait_where: (filename, line) of the core's latest CrossCoreWaitFlag.
    """

    def __init__(self, launch: LaunchState, block: int, active_cores: int):
        self.launch = launch
        self.block = block
        self.active_cores = active_cores
        self.timeline = CoreTimeline(block, launch.profile.scalar_issue_cycles)
        self.stores: dict[str, Store] = {}
        self.write_seq = 0
        self.flags: dict[tuple[str, str, int], tuple[float, int, tuple[str, int], int]] = {}
        self.visible: dict[tuple[str, str], int] = {}
        self.ordered: dict[tuple[str, str], int] = {}
        self.queues: list = []
        self.tpipe = None
        self.event_ids: dict[tuple[str, str], set[int]] = {}
        self.sync_all_where: tuple[str, int] | None = None
        self.scalar_cache: set[tuple[int, int]] = set()
        self.core_type = "AIV"
        self.dump_log = None
        self.tiling_keys_tested: set[int] = set()
        self.tiling_keys_where: tuple[str, int] | None = None
        self.sub_block = 0
        self.mix_ratio = 0
        self.cross_wait_where: tuple[str, int] | None = None

    @property
    def label(self) -> int | str:
        """How errors name the core: its block, with AIC or AIVn added in a mixed kernel."""
        if not self.mix_ratio:
            return self.block
        sub = self.sub_block if self.core_type == "AIV" else ""
        return f"{self.block} ({self.core_type}{sub})"

    @property
    def profile(self) -> NpuProfile:
        return self.launch.profile

    def store(self, name: str) -> Store:
        """The on-chip memory `name`, created (poisoned) on first use."""
        if name not in self.stores:
            profile = self.profile
            size, align = {
                "UB": (profile.ub_bytes, profile.ub_align_bytes),
                "L1": (profile.l1_bytes, profile.ub_align_bytes),
                "L0A": (profile.l0a_bytes, profile.l0_align_bytes),
                "L0B": (profile.l0b_bytes, profile.l0_align_bytes),
                "L0C": (profile.l0c_bytes, profile.l0c_align_bytes),
            }[name]
            self.stores[name] = Store(name, np.full(size, POISON, dtype=np.uint8), align)
        return self.stores[name]

    def gm_bytes_per_cycle(self, per_core: float, gm_byte_offset: int) -> float:
        """Bandwidth of one transfer: the engine's own, or this core's share of GM if less."""
        share = self.profile.gm_bytes_per_cycle / self.active_cores
        bandwidth = min(per_core, share)
        if gm_byte_offset % 512:
            bandwidth *= self.profile.unaligned_gm_efficiency
        return bandwidth


@dataclasses.dataclass
class Store:
    """One on-chip memory of a core, handed out by TPipe.InitBuffer from the bottom up.

    Attributes:
        name: "UB", "L1", "L0A", "L0B" or "L0C".
        data: its bytes.
        align: address alignment of buffers in it.
        used: bytes already given to buffers.
    """

    name: str
    data: np.ndarray
    align: int
    used: int = 0


def current(api: str) -> CoreContext:
    """The running core, or an error saying `api` can only be called inside a kernel."""
    core = _current.get()
    if core is None:
        filename, line = user_location()
        raise errors.CannKernelError(
            _("{api} was called outside a running kernel").format(api=api),
            filename=_ipython.display_filename(filename),
            line=line,
            source=linecache.getline(filename, line),
            hint=_(
                "call it inside a function decorated with @cann.kernel, launched as "
                "kernel[numBlocks](args)"
            ),
        )
    return core


def enter(core: CoreContext) -> contextvars.Token:
    return _current.set(core)


def leave(token: contextvars.Token) -> None:
    _current.reset(token)


def user_location() -> tuple[str, int]:
    """(filename, line) of the innermost frame outside cudalike (examples and the reference
    kernels count as user code)."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if not _is_internal(name):
            return name, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


# Whether each absolute source path is cudalike's own: every API call looks its caller up.
_internal_files: dict[str, bool] = {}


def _is_internal(filename: str) -> bool:
    known = _internal_files.get(filename)
    if known is None:
        known = _ipython.is_internal(filename)
        if os.path.isabs(filename):  # a relative path's meaning follows the working directory
            _internal_files[filename] = known
    return known


def error(
    kind: type[errors.CannKernelError],
    detail: str,
    hint: str = "",
    *,
    pipe: str | None = None,
    queue: str | None = None,
    slot: int | None = None,
    where: tuple[str, int] | None = None,
    core: CoreContext | None = None,
) -> errors.CannKernelError:
    """Build an error of `kind` located at the learner's line and the running block (or
    `core`, for an error found outside it, as a deadlock is)."""
    core = core or _current.get()
    filename, line = where or user_location()
    return kind(
        detail,
        kernel=core.launch.kernel_name if core else "",
        filename=_ipython.display_filename(filename),
        line=line,
        source=linecache.getline(filename, line),
        block=core.label if core else None,
        hint=hint,
        pipe=pipe,
        queue=queue,
        slot=slot,
    )
