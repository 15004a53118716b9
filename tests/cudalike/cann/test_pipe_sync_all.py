"""SyncAll (all cores' barrier), GetSystemCycle and InitSocState."""

import numpy as np
import pytest

from cudalike import cann, profiler
from cudalike.cann import errors
from cudalike.cann.multicore import SyncAll
from cudalike.cann.system import GetSystemCycle, InitSocState

I32 = cann.int32


def exchange_kernel(blocks_calling=None):
    """Each block writes its index to GM, meets the others at SyncAll, then reads its
    neighbour's value: right only if every block wrote before any read."""

    @cann.kernel
    def kernel(slots, out):
        InitSocState()
        block, count = cann.GetBlockIdx(), cann.GetBlockNum()
        slotsGm, outGm = cann.GlobalTensor(I32), cann.GlobalTensor(I32)
        slotsGm.SetGlobalBuffer(slots)
        outGm.SetGlobalBuffer(out)
        slotsGm.SetValue(block * 8, block + 100)
        if blocks_calling is None or block in blocks_calling:
            SyncAll()
        outGm.SetValue(block * 8, slotsGm.GetValue(((block + 1) % count) * 8))

    return kernel


def test_blocks_see_what_others_wrote_before_the_barrier():
    slots, out = np.zeros(8 * 4, np.int32), np.zeros(8 * 4, np.int32)
    with profiler.profile() as prof:
        exchange_kernel()[4](slots, out)
    assert list(out[::8]) == [101, 102, 103, 100]
    record = prof.launches[0]
    reads = [e for e in record.events if e.name == "GetValue"]
    writes = [e for e in record.events if e.name == "SetValue"]
    # Every core's read starts after the last core's write before the barrier.
    assert min(r.start_cycle for r in reads) >= max(w.end_cycle for w in writes[::2])


@pytest.mark.parametrize("barrier", [True, False])
def test_writes_on_either_side_of_the_barrier_are_no_race(barrier):
    @cann.kernel
    def kernel(z):
        zGm = cann.GlobalTensor(I32)
        zGm.SetGlobalBuffer(z)
        if cann.GetBlockIdx() == 0:
            zGm.SetValue(0, 1)  # block 0 initialises
        if barrier:
            SyncAll()
        if cann.GetBlockIdx() == 1:
            zGm.SetValue(0, 2)  # block 1 overwrites after everyone initialised

    z = np.zeros(8, np.int32)
    if barrier:
        kernel[2](z)
        assert z[0] == 2
    else:
        with pytest.raises(errors.GlobalRaceError, match="block 0 also wrote"):
            kernel[2](z)


def test_a_block_that_skips_the_barrier_is_a_deadlock():
    slots, out = np.zeros(8 * 3, np.int32), np.zeros(8 * 3, np.int32)
    with pytest.raises(
        errors.SyncError, match=r"(?s)test_pipe_sync_all\.py:\d+.*1 of them ended without"
    ):
        exchange_kernel(blocks_calling={0, 1})[3](slots, out)


def test_sync_all_with_more_blocks_than_cores_is_a_deadlock():
    size = 8 * 49
    with pytest.raises(errors.SyncError, match=r"49 blocks on 48 cores"):
        exchange_kernel()[49](np.zeros(size, np.int32), np.zeros(size, np.int32))


def test_an_error_in_one_block_stops_the_parked_others():
    @cann.kernel
    def kernel():
        SyncAll()
        if cann.GetBlockIdx() == 2:
            raise ValueError("boom in block 2")

    with pytest.raises(ValueError, match="boom in block 2"):
        kernel[3]()
    kernel[1]()  # a later launch is unaffected


def test_system_cycle_counts_the_model_clock():
    seen = []

    @cann.kernel
    def kernel(x):
        xGm = cann.GlobalTensor(cann.half)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 4096)
        before = GetSystemCycle()
        cann.DataCopy(buf.Get(cann.half), xGm, 2048)
        cann.PipeBarrier(cann.PIPE_ALL)
        seen.append(GetSystemCycle() - before)

    kernel[1](np.ones(2048, np.float16))
    assert seen[0] > 4096 / 128  # at least the copy's bytes at MTE2's 128 B/cycle
