"""Running a launch's cores; SyncAll, the barrier across them; parking at CrossCoreWaitFlag.

Blocks run one at a time, in index order, so every run is deterministic. A block that calls
SyncAll parks there (its thread waits) and the next block starts; once every block is parked
at the barrier, they resume one after another in index order up to their next SyncAll or
their end. So a kernel that writes GM, calls SyncAll, and reads what other cores wrote gets
their data, as on the hardware. Each block runs in a worker thread only so that it can park;
a worker whose block ends takes the next block, so a launch without SyncAll uses one thread.
In a mixed kernel (`cross_core`) a block's AIV sub-cores run right after its AIC, and a core
whose CrossCoreWaitFlag finds no set parks the same way until one arrives; if every core has
ended or parked and none can go on, the wait is reported as a deadlock. There SyncAll() is the
barrier of the AIV sub-cores only: the AIC cores run on past it, as on the hardware.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections import deque
from collections.abc import Callable

from cudalike.cann import _context, errors, hazards
from cudalike.cann.sync import _PIPES
from cudalike.cann.system import AIC
from cudalike.i18n import _


class _Aborted(BaseException):
    """Unwinds a parked block when another block of the launch failed."""


class BlockScheduler:
    """Runs blocks 0..num_blocks-1 (and the AIV sub-cores a mixed kernel adds) through
    `run_core(block, sub_core)`, handing control from core to core.

    Attributes:
        num_blocks: blocks of the launch.
        parked: (block's core, its resume event) of the blocks waiting in SyncAll.
        waiting: (core, its counter's key in LaunchState.cross_counters, its resume event) of
            the cores waiting in CrossCoreWaitFlag.
    """

    def __init__(self, run_core: Callable[[int, int | None], None], num_blocks: int):
        self.num_blocks = num_blocks
        self.parked: list[tuple[_context.CoreContext, threading.Event]] = []
        self.waiting: list[tuple[_context.CoreContext, tuple, threading.Event]] = []
        self._run_core = run_core
        self._next_block = 0
        self._sub_cores: deque[tuple[int, int]] = deque()
        self._reports: queue.SimpleQueue = queue.SimpleQueue()
        self._aborting = False

    def run(self) -> None:
        """Run every core; re-raise the first error a core raised."""
        while True:
            if self._sub_cores or self._next_block < self.num_blocks:
                self._spawn()
                self._wait_for_report()
            elif (woken := self._wakeable()) is not None:
                self.waiting.remove(woken)
                woken[2].set()
                self._wait_for_report()
            elif self.parked and (len(self.parked) == self._barrier_size() or not self.waiting):
                self._release_barrier()
            elif self.waiting:
                self._deadlock()
            else:
                return

    def add_sub_cores(self, block: int, count: int) -> None:
        """Run `count` AIV sub-cores of `block` next (its first run became its AIC)."""
        self._sub_cores.extend((block, sub) for sub in range(count))

    def sync_all(self, core: _context.CoreContext) -> None:
        """Park `core`'s block at the barrier until every block has reached it."""
        resume = threading.Event()
        self.parked.append((core, resume))
        self._park(resume)

    def wait_cross_flag(self, core: _context.CoreContext, counter_key: tuple) -> None:
        """Park `core` until a set reaches its counter `counter_key`."""
        resume = threading.Event()
        self.waiting.append((core, counter_key, resume))
        self._park(resume)

    def _park(self, resume: threading.Event) -> None:
        self._reports.put(("parked", None))
        resume.wait()
        if self._aborting:
            raise _Aborted

    def _spawn(self) -> None:
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(self._work,), daemon=True)
        thread.start()

    def _work(self) -> None:
        try:
            while self._sub_cores or self._next_block < self.num_blocks:
                if self._sub_cores:
                    self._run_core(*self._sub_cores.popleft())
                else:
                    self._next_block += 1
                    self._run_core(self._next_block - 1, None)
        except _Aborted:
            return
        except BaseException as error:  # handed to the launching thread, which re-raises it
            self._reports.put(("error", error))
            return
        self._reports.put(("done", None))

    def _wait_for_report(self) -> None:
        kind, error = self._reports.get()
        if kind == "error":
            self._abort()
            raise error

    def _barrier_size(self) -> int:
        """Cores SyncAll waits for: every block, or every AIV sub-core of a mixed kernel."""
        return self.num_blocks * (self.parked[0][0].launch.mix_ratio or 1)

    def _release_barrier(self) -> None:
        size = self._barrier_size()
        waiting = sorted(self.parked, key=lambda entry: _order(entry[0]))
        self.parked = []
        if len(waiting) < size:
            core = waiting[0][0]
            self._abort_all(waiting)
            if core.launch.mix_ratio:
                detail = _(
                    "SyncAll waits for all {count} AIV cores of the launch, but {finished} of "
                    "them ended without reaching it: the cores that did would wait forever (a "
                    "deadlock)"
                ).format(count=size, finished=size - len(waiting))
            else:
                detail = _(
                    "SyncAll waits for all {num_blocks} blocks, but {finished} of them ended "
                    "without reaching it: the cores that did would wait forever (a deadlock)"
                ).format(num_blocks=self.num_blocks, finished=size - len(waiting))
            raise _context.error(
                errors.SyncError,
                detail,
                _(
                    "call SyncAll the same number of times on every core (no early return "
                    "before it)"
                ),
                where=core.sync_all_where,
            )
        cycle = max(core.timeline.finish() for core, _resume in waiting)
        # GM writes before the barrier are ordered before those after it: no race between them.
        for writers in waiting[0][0].launch.gm_writers.values():
            writers.fill(-1)
        for core, resume in waiting:
            timeline = core.timeline
            for pipe in _PIPES:
                timeline.wait(pipe, cycle)
            timeline.issue_cycle = cycle
            for src in _PIPES:
                for dst in _PIPES:
                    core.visible[(src, dst)] = core.write_seq
            hazards.order_all(core)
            resume.set()
            self._wait_for_report()

    def _wakeable(self):
        """The first waiting core (in block, AIC, AIV order) whose counter holds a set."""
        if not self.waiting:
            return None
        counters = self.waiting[0][0].launch.cross_counters
        for entry in sorted(self.waiting, key=lambda entry: _order(entry[0])):
            if counters.get(entry[1]):
                return entry
        return None

    def _deadlock(self) -> None:
        core, (_unit, flag), _resume = min(self.waiting, key=lambda entry: _order(entry[0]))
        waiting = len(self.waiting) + len(self.parked)
        self._abort()
        raise _context.error(
            errors.SyncError,
            _(
                "CrossCoreWaitFlag({flag}) waits for a set that no core will make: every core "
                "of the launch has ended or waits ({waiting} waiting in all), a deadlock"
            ).format(flag=flag, waiting=waiting),
            _(
                "have the partner core call CrossCoreSetFlag<mode, pipe>({flag}) once for "
                "each wait (mode 2 between a block's AIC and its AIVs)"
            ).format(flag=flag),
            where=core.cross_wait_where,
            core=core,
        )

    def _abort(self) -> None:
        waiting, self.parked = self.parked, []
        waiting += [(core, resume) for core, _key, resume in self.waiting]
        self.waiting = []
        self._abort_all(waiting)

    def _abort_all(self, waiting) -> None:
        self._aborting = True
        for _core, resume in waiting:
            resume.set()


def _order(core: _context.CoreContext) -> tuple[int, bool, int]:
    return core.block, core.core_type != "AIC", core.sub_block


def _sync_all(
    gmWorkspace=None, ubWorkspace=None, usedCores: int = 0, *, isAIVOnly: bool = True
) -> None:
    """Wait until every block of the launch has reached this call (all cores' barrier).

    Both of the vendor's forms are accepted: `SyncAll()` (hardware sync) and `SyncAll(
    gmWorkspace, ubWorkspace, usedCores)` (software sync through a GM workspace); the workspaces
    are not touched here. Every pipe of the core drains first, as with PipeBarrier(PIPE_ALL).
    In a mixed kernel it is the barrier of the launch's AIV cores; on an AIC it does nothing.
    """
    core = _context.current("SyncAll")
    launch = core.launch
    core.sync_all_where = _context.user_location()
    if launch.mix_ratio:
        _sync_all_mixed(core, usedCores, isAIVOnly)
        return
    count = launch.profile.aiv_core_count
    if launch.num_blocks > count:
        raise _context.error(
            errors.SyncError,
            _(
                "SyncAll in a launch of {num_blocks} blocks on {count} cores: blocks beyond the "
                "first {count} start only when earlier ones end, so they never meet there (a "
                "deadlock)"
            ).format(num_blocks=launch.num_blocks, count=count),
            _("launch at most {count} blocks (GetBlockNum) when the kernel calls SyncAll").format(
                count=count
            ),
        )
    if usedCores and usedCores != launch.num_blocks:
        raise _context.error(
            errors.SyncError,
            _("SyncAll(usedCores={used}) in a launch of {num_blocks} blocks").format(
                used=usedCores, num_blocks=launch.num_blocks
            ),
            _("pass usedCores = GetBlockNum() (or 0): every block must reach the barrier"),
        )
    if launch.scheduler is None or launch.num_blocks == 1:
        _drain(core)
        return
    launch.scheduler.sync_all(core)


def _drain(core: _context.CoreContext) -> None:
    timeline = core.timeline
    end = timeline.finish()
    for pipe in _PIPES:
        timeline.wait(pipe, end)
    timeline.issue_cycle = end
    hazards.order_all(core)


def _sync_all_mixed(core: _context.CoreContext, used_cores: int, aiv_only: bool) -> None:
    """SyncAll<true> in a mixed kernel: the vendor's implementation returns at once on an AIC
    and synchronises the AIV cores of the launch (kernel_operator_sync_impl.h, SyncAllImpl)."""
    launch = core.launch
    if not aiv_only:
        raise _context.error(
            errors.SyncError,
            _(
                "SyncAll<false> (a barrier of every AIC and AIV core of the launch) is not "
                "modelled here"
            ),
            _(
                "use SyncAll() for the AIV cores, and CrossCoreSetFlag / CrossCoreWaitFlag "
                "(mode 2) between a block's AIC and its AIVs"
            ),
        )
    if core.core_type == AIC:
        return
    aiv_cores = launch.num_blocks * launch.mix_ratio
    if used_cores and used_cores != aiv_cores:
        raise _context.error(
            errors.SyncError,
            _("SyncAll(usedCores={used}) in a mixed launch of {count} AIV cores").format(
                used=used_cores, count=aiv_cores
            ),
            _("pass usedCores = 0: every AIV core of the launch must reach the barrier"),
        )
    if launch.scheduler is None or aiv_cores == 1:
        _drain(core)
        return
    launch.scheduler.sync_all(core)


class _SyncAllTemplate:
    """`SyncAll(...)` and `SyncAll[isAIVOnly](...)`, as the C++ template `SyncAll<isAIVOnly>`
    is written."""

    def __init__(self):
        self.__doc__ = _sync_all.__doc__
        self.__name__ = "SyncAll"

    def __getitem__(self, isAIVOnly: bool):
        return lambda *args, **kwargs: _sync_all(*args, isAIVOnly=isAIVOnly, **kwargs)

    def __call__(self, *args, **kwargs) -> None:
        _sync_all(*args, **kwargs)


SyncAll = _SyncAllTemplate()
