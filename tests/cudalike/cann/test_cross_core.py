"""Mixed (cube + vector) kernels and CrossCoreSetFlag / CrossCoreWaitFlag between their cores."""

import inspect

import numpy as np
import pytest

from cudalike import cann, profiler
from cudalike.cann import errors

I32 = cann.int32
PIPE_FIX, PIPE_MTE3 = cann.PIPE_FIX, cann.PIPE_MTE3


def gm(addr):
    tensor = cann.GlobalTensor(I32)
    tensor.SetGlobalBuffer(addr)
    return tensor


@cann.kernel
def handshake(work, out):
    """Each AIV writes an input and signals its AIC (mode 2); the AIC, once both have,
    adds them and signals back; each AIV then copies the sum out. Right only in that order:
    the AIC runs first here, so without the waits it would read zeros."""
    cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
    workGm, outGm = gm(work), gm(out)
    block = cann.GetBlockIdx() // cann.GetTaskRation()
    base = block * 32
    if cann.ASCEND_IS_AIC:
        cann.CrossCoreWaitFlag(1)
        total = workGm.GetValue(base) + workGm.GetValue(base + 8)
        workGm.SetValue(base + 16, total)
        cann.CrossCoreSetFlag[2, PIPE_FIX](0)
    else:
        sub = cann.GetSubBlockIdx()
        workGm.SetValue(base + 8 * sub, 10 * (block + 1) + sub)
        cann.CrossCoreSetFlag[2, PIPE_MTE3](1)
        cann.CrossCoreWaitFlag(0)
        outGm.SetValue(cann.GetBlockIdx() * 8, workGm.GetValue(base + 16))  # the sum's read


def test_aic_and_aivs_hand_over_through_gm_in_flag_order():
    work, out = np.zeros(32 * 2, np.int32), np.zeros(8 * 4, np.int32)
    with profiler.profile() as prof:
        handshake[2](work, out)
    # block 0: 10 + 11, block 1: 20 + 21, copied out by each of the block's two AIVs
    assert list(out[::8]) == [21, 21, 41, 41]
    events = prof.launches[0].events
    sets_to_aivs = [e for e in events if e.name == "CrossCoreSetFlag 0"]
    lines, first = inspect.getsourcelines(handshake.function)
    read_line = first + next(i for i, text in enumerate(lines) if "the sum's read" in text)
    sum_reads = [e for e in events if e.name == "GetValue" and e.line == read_line]
    assert len(sets_to_aivs) == 2 and len(sum_reads) == 4
    # Each AIV's read of the sum starts after its own block's AIC set the flag.
    for read in sum_reads:
        (set_flag,) = [e for e in sets_to_aivs if e.core == read.core]
        assert read.start_cycle >= set_flag.end_cycle


def test_each_sub_core_answers_its_own_type_and_indices():
    seen = []

    @cann.kernel
    def kernel():
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
        seen.append(
            (
                cann.g_coreType,
                cann.GetBlockIdx(),
                cann.GetSubBlockIdx(),
                cann.GetSubBlockNum(),
                cann.GetBlockNum(),
            )
        )

    kernel[2]()
    assert seen == [
        ("AIC", 0, 0, 2, 2),
        ("AIV", 0, 0, 2, 2),
        ("AIV", 1, 1, 2, 2),
        ("AIC", 1, 0, 2, 2),
        ("AIV", 2, 0, 2, 2),
        ("AIV", 3, 1, 2, 2),
    ]


def test_a_wait_no_core_will_set_is_a_deadlock_naming_the_core_and_line():
    @cann.kernel
    def kernel(out):
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
        if cann.ASCEND_IS_AIV:
            cann.CrossCoreWaitFlag(3)  # the AIC never sets flag 3
            gm(out).SetValue(0, 1)

    with pytest.raises(errors.SyncError) as caught:
        kernel[1](np.zeros(8, np.int32))
    message = str(caught.value)
    assert "test_cross_core.py" in message
    assert "block 0 (AIV0)" in message
    assert "CrossCoreWaitFlag(3)" in message
    assert "deadlock" in message


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: cann.CrossCoreSetFlag[2, PIPE_FIX](11),
            r"CrossCoreSetFlag\(11\): flag ids are 0-10",
        ),
        (lambda: cann.CrossCoreWaitFlag(-1), r"CrossCoreWaitFlag\(-1\): flag ids are 0-10"),
        (lambda: cann.CrossCoreSetFlag[3, PIPE_FIX](0), r"modeId is 0, 1 or 2"),
        (lambda: cann.CrossCoreSetFlag[2, cann.PIPE_S](0), r"PIPE_S"),
        (lambda: cann.CrossCoreWaitFlag(1, 2), r"it takes one flag id"),
    ],
)
def test_out_of_range_flag_ids_modes_and_pipes_are_refused_at_the_line(call, match):
    @cann.kernel
    def kernel():
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
        call()

    with pytest.raises(errors.InstructionError, match=match) as caught:
        kernel[1]()
    assert "test_cross_core.py" in str(caught.value)


def test_mode_2_outside_a_mixed_kernel_is_refused():
    @cann.kernel
    def kernel():
        cann.CrossCoreSetFlag[2, PIPE_MTE3](0)

    with pytest.raises(errors.SyncError, match="KERNEL_TYPE_MIX_AIC_1_2"):
        kernel[1]()


def test_a_counter_holds_at_most_16_sets():
    @cann.kernel
    def kernel():
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_1)
        if cann.ASCEND_IS_AIC:
            for _ in range(17):
                cann.CrossCoreSetFlag[2, PIPE_FIX](0)

    with pytest.raises(errors.SyncError, match="holds at most 16"):
        kernel[1]()


def test_mode_0_makes_every_core_wait_for_all_the_others():
    @cann.kernel
    def kernel(slots, out):
        block, count = cann.GetBlockIdx(), cann.GetBlockNum()
        slotsGm = gm(slots)
        slotsGm.SetValue(block * 8, block + 100)
        cann.CrossCoreSetFlag[0, PIPE_MTE3](np.int32(5))
        cann.CrossCoreWaitFlag[0, PIPE_MTE3](5)
        gm(out).SetValue(block * 8, slotsGm.GetValue(((block + 1) % count) * 8))

    slots, out = np.zeros(8 * 3, np.int32), np.zeros(8 * 3, np.int32)
    kernel[3](slots, out)
    assert list(out[::8]) == [101, 102, 100]


def test_mode_1_orders_the_aivs_of_a_block_among_themselves():
    @cann.kernel
    def kernel(work, out):
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
        if cann.ASCEND_IS_AIV:
            sub, workGm = cann.GetSubBlockIdx(), gm(work)
            workGm.SetValue(sub * 8, sub + 7)
            cann.CrossCoreSetFlag[1, PIPE_MTE3](2)
            cann.CrossCoreWaitFlag(2)
            gm(out).SetValue(sub * 8, workGm.GetValue((1 - sub) * 8))

    work, out = np.zeros(16, np.int32), np.zeros(16, np.int32)
    kernel[1](work, out)
    assert list(out[::8]) == [8, 7]


@cann.kernel
def swap_through_sync_all(work, out, seen):
    """Each AIV writes its index to GM, meets every AIV at SyncAll, then reads the value of
    the same sub-core in the other block and signals its AIC; the AIC passes SyncAll at once
    and waits for that signal (were it held at the barrier, nothing could go on)."""
    cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
    workGm, outGm = gm(work), gm(out)
    if cann.ASCEND_IS_AIC:
        cann.SyncAll()
        seen.append(("AIC", cann.GetBlockIdx()))
        cann.CrossCoreWaitFlag(1)
    else:
        aiv = cann.GetBlockIdx()
        workGm.SetValue(aiv * 8, 100 + aiv)
        cann.SyncAll()
        seen.append(("AIV", aiv))
        outGm.SetValue(aiv * 8, workGm.GetValue(((aiv + 2) % 4) * 8))
        cann.CrossCoreSetFlag[2, PIPE_MTE3](1)


def test_sync_all_in_a_mixed_kernel_is_the_barrier_of_the_aivs_only():
    work, out, seen = np.zeros(32, np.int32), np.zeros(32, np.int32), []
    swap_through_sync_all[2](work, out, seen)
    assert list(out[::8]) == [102, 103, 100, 101]
    # Both AICs went past SyncAll before any AIV left it: only the four AIVs met there.
    assert seen[:2] == [("AIC", 0), ("AIC", 1)]
    assert sorted(seen[2:]) == [("AIV", 0), ("AIV", 1), ("AIV", 2), ("AIV", 3)]


def test_an_aiv_that_ends_before_sync_all_is_reported_at_the_line():
    @cann.kernel
    def kernel():
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
        if cann.ASCEND_IS_AIV and cann.GetBlockIdx() == 3:
            return
        cann.SyncAll()

    with pytest.raises(errors.SyncError) as caught:
        kernel[2]()
    message = str(caught.value)
    assert "SyncAll waits for all 4 AIV cores of the launch, but 1 of them ended" in message
    assert "test_cross_core.py" in message


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: cann.SyncAll[False](), r"SyncAll<false> .*every AIC and AIV core"),
        (
            lambda: cann.SyncAll(None, None, 2),
            r"SyncAll\(usedCores=2\) in a mixed launch of 4 AIV cores",
        ),
    ],
)
def test_sync_all_forms_the_mixed_model_does_not_cover_are_refused_at_the_line(call, match):
    @cann.kernel
    def kernel():
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
        if cann.ASCEND_IS_AIV:
            call()

    with pytest.raises(errors.SyncError, match=match) as caught:
        kernel[2]()
    assert "test_cross_core.py" in str(caught.value)
