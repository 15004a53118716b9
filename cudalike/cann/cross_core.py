"""Mixed kernels (one cube core and its vector sub-cores per block) and the flags between them.

`KERNEL_TASK_TYPE_DEFAULT(KERNEL_TYPE_MIX_AIC_1_2)` makes each block one AIC (cube) core and
two AIV (vector) sub-cores (1_1: one), each running the kernel function from its start with
its own g_coreType, GetSubBlockIdx and timeline. The block's first run becomes its AIC; the
scheduler (`multicore`) then runs its AIV sub-cores, in order, before the next block.

`CrossCoreSetFlag<modeId, pipe>(flagId)` and `CrossCoreWaitFlag(flagId)` follow the vendor's
counters (hiascend.com, Ascend C API reference, "CrossCoreSetFlag" / "CrossCoreWaitFlag"):
each core holds a counter per flag id (0-10, at most 16 sets outstanding); a wait with the
counter at 0 blocks the core (here: parks it) until a set arrives, then takes one. A set
reaches its receivers once every core of its setting group has made it: mode 0 all cores of
the caller's type in the launch, mode 1 the caller's sub-cores of the same type in its block
(both signal that same group), mode 2 an AIC signals its AIVs and the AIVs (all of them)
signal their AIC.
"""

from __future__ import annotations

import numbers

from cudalike.cann import _context, errors
from cudalike.cann.sync import _PIPES, PIPE_S, _Template
from cudalike.cann.system import (
    AIC,
    AIV,
    KERNEL_TYPE_MIX_AIC_1_1,
    KERNEL_TYPE_MIX_AIC_1_2,
)
from cudalike.cann.system import KERNEL_TASK_TYPE_DEFAULT as _declare_single
from cudalike.i18n import _

__all__ = [
    "CROSS_CORE_FLAG_IDS",
    "CrossCoreSetFlag",
    "CrossCoreWaitFlag",
    "GetSubBlockIdx",
    "GetSubBlockNum",
    "GetTaskRation",
    "KERNEL_TASK_TYPE_DEFAULT",
]

# Flag ids of CrossCoreSetFlag / CrossCoreWaitFlag on Atlas A2 (the vendor's 0-10) and the
# most sets one flag's counter holds before they are waited for.
CROSS_CORE_FLAG_IDS = 11
CROSS_CORE_MAX_PENDING = 16
_MIX_RATIOS = {KERNEL_TYPE_MIX_AIC_1_1: 1, KERNEL_TYPE_MIX_AIC_1_2: 2}


def KERNEL_TASK_TYPE_DEFAULT(kernelType: str) -> None:
    """Declare the kernel's type. A mixed type (KERNEL_TYPE_MIX_AIC_1_1 / 1_2) makes the
    block's first run its AIC core and has its AIV sub-cores run after it; any other type
    sets g_coreType as `system.KERNEL_TASK_TYPE_DEFAULT` does."""
    ratio = _MIX_RATIOS.get(kernelType)
    if ratio is None:
        _declare_single(kernelType)
        return
    core = _context.current("KERNEL_TASK_TYPE_DEFAULT")
    if core.mix_ratio:  # an AIV sub-core, already made as such
        return
    core.core_type = AIC
    core.mix_ratio = ratio
    core.launch.mix_ratio = ratio
    core.launch.scheduler.add_sub_cores(core.block, ratio)


def GetSubBlockIdx() -> int:
    """Index of the running AIV sub-core in its block (0 on the AIC and outside mixed kernels)."""
    core = _context.current("GetSubBlockIdx")
    return core.sub_block if core.core_type == AIV else 0


def GetSubBlockNum() -> int:
    """AIV sub-cores per block: 2 in a KERNEL_TYPE_MIX_AIC_1_2 kernel, else 1."""
    return _context.current("GetSubBlockNum").mix_ratio or 1


def GetTaskRation() -> int:
    """GetBlockIdx() / GetTaskRation() is the block (AIC) index on every core of a mixed
    kernel: the AIV's GetBlockIdx counts sub-cores, block * ratio + GetSubBlockIdx()."""
    core = _context.current("GetTaskRation")
    return core.mix_ratio if core.mix_ratio and core.core_type == AIV else 1


def _check(api: str, flag_id, mode: int | None = None, pipe: str | None = None) -> int:
    if mode is not None and mode not in (0, 1, 2):
        raise _context.error(
            errors.InstructionError,
            _("{api}<{mode}, ...>: modeId is 0, 1 or 2").format(api=api, mode=mode),
            _("0: all cores of the launch, 1: the AIV sub-cores of a block, 2: AIC and AIV"),
        )
    if pipe is not None and (pipe not in _PIPES or pipe == PIPE_S):
        raise _context.error(
            errors.InstructionError,
            _("{api} on pipe {pipe}: it runs on a pipe other than PIPE_S and PIPE_ALL").format(
                api=api, pipe=repr(pipe)
            ),
            _("name the pipe whose work the flag covers, e.g. PIPE_FIX, PIPE_MTE3, PIPE_V"),
        )
    if not isinstance(flag_id, numbers.Integral) or not 0 <= flag_id < CROSS_CORE_FLAG_IDS:
        raise _context.error(
            errors.InstructionError,
            _("{api}({flag_id}): flag ids are 0-{last}").format(
                api=api, flag_id=repr(flag_id), last=CROSS_CORE_FLAG_IDS - 1
            ),
            _("use one of the {count} cross-core flag ids").format(count=CROSS_CORE_FLAG_IDS),
        )
    return int(flag_id)


def _unit(core: _context.CoreContext) -> tuple[int, str, int]:
    return core.block, core.core_type, core.sub_block


def _groups(core: _context.CoreContext, mode: int) -> tuple[list, list]:
    """(setters, receivers) of a mode-`mode` set made by `core`, as (block, type, sub) ids."""
    launch, ratio, kind = core.launch, core.mix_ratio, core.core_type
    subs = range(ratio) if ratio and kind == AIV else range(1)
    if mode == 0:
        group = [(block, kind, sub) for block in range(launch.num_blocks) for sub in subs]
        return group, group
    if mode == 1:
        group = [(core.block, kind, sub) for sub in subs]
        return group, group
    if not ratio:
        raise _context.error(
            errors.SyncError,
            _(
                "CrossCoreSetFlag<2, ...> in a kernel with no cube and vector sub-cores: mode 2 "
                "signals between a block's AIC and its AIVs"
            ),
            _("declare KERNEL_TASK_TYPE_DEFAULT(KERNEL_TYPE_MIX_AIC_1_2) first in the kernel"),
        )
    aic = [(core.block, AIC, 0)]
    aivs = [(core.block, AIV, sub) for sub in range(ratio)]
    return (aic, aivs) if kind == AIC else (aivs, aic)


def _cross_core_set_flag(mode: int, pipe: str, flagId: int) -> None:
    """Signal, from `pipe` once its work so far is done, the receivers of mode `mode`."""
    core = _context.current("CrossCoreSetFlag")
    flag = _check("CrossCoreSetFlag", flagId, mode, pipe)
    setters, receivers = _groups(core, mode)
    where = _context.user_location()
    end = core.timeline.issue(pipe, 1, f"CrossCoreSetFlag {flag}", where)[1]
    launch = core.launch
    key = (mode, tuple(setters), flag)
    made = launch.cross_sets.setdefault(key, {})
    made.setdefault(_unit(core), []).append(end)
    fired = launch.cross_fired.get(key, 0)
    if any(len(made.get(setter, ())) <= fired for setter in setters):
        return
    cycle = max(made[setter][fired] for setter in setters)
    launch.cross_fired[key] = fired + 1
    for receiver in receivers:
        counter = launch.cross_counters.setdefault((receiver, flag), [])
        if len(counter) >= CROSS_CORE_MAX_PENDING:
            raise _context.error(
                errors.SyncError,
                _(
                    "CrossCoreSetFlag({flag}) while {most} sets of that flag wait to be taken "
                    "on {receiver}: its counter holds at most {most}"
                ).format(flag=flag, most=CROSS_CORE_MAX_PENDING, receiver=describe(receiver)),
                _("have the receiver CrossCoreWaitFlag({flag}) before setting it again").format(
                    flag=flag
                ),
            )
        counter.append(cycle)


def _cross_core_wait_flag(*args) -> None:
    """`CrossCoreWaitFlag(flagId)` or `CrossCoreWaitFlag[modeId, pipe](flagId)`: block the core
    until its counter of `flagId` is above 0, then take one set."""
    core = _context.current("CrossCoreWaitFlag")
    if len(args) == 3:
        mode, pipe, flag_id = args
        flag = _check("CrossCoreWaitFlag", flag_id, mode, pipe)
    elif len(args) == 1:
        flag = _check("CrossCoreWaitFlag", args[0])
    else:
        raise _context.error(
            errors.InstructionError,
            _("CrossCoreWaitFlag{args}: it takes one flag id").format(args=repr(args)),
            _("write CrossCoreWaitFlag(flagId) or CrossCoreWaitFlag[modeId, pipe](flagId)"),
        )
    core.cross_wait_where = _context.user_location()
    counter_key = (_unit(core), flag)
    counter = core.launch.cross_counters.setdefault(counter_key, [])
    while not counter:
        core.launch.scheduler.wait_cross_flag(core, counter_key)
    cycle = counter.pop(0)
    timeline = core.timeline
    for name in _PIPES:  # every instruction after the wait is held, on every pipe
        timeline.wait(name, cycle)
    timeline.issue_cycle = max(timeline.issue_cycle, cycle)


def describe(unit: tuple[int, str, int]) -> str:
    """'block 0 AIV1' for the (block, type, sub) id of a core."""
    block, kind, sub = unit
    return f"block {block} {kind}{sub if kind == AIV else ''}"


class _CrossCoreTemplate(_Template):
    """`CrossCoreSetFlag[modeId, pipe](flagId)`, as the C++ template is written."""

    def __getitem__(self, arguments):
        return lambda *args: self._function(*arguments, *args)


CrossCoreSetFlag = _CrossCoreTemplate(_cross_core_set_flag)
CrossCoreWaitFlag = _CrossCoreTemplate(_cross_core_wait_flag)
