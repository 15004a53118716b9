"""The vendor's unaligned ReduceMin: four 4-half groups per core, results atomically added.

Source: cannmirror/asc-devkit, examples/00_introduction/09_unaligned_reducemin/reduce_min_custom.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/00_introduction/09_unaligned_reducemin/reduce_min_custom.asc)

Each of 4 cores zeroes its output with InitGlobalMemory, waits for every core (SyncAll), copies
four groups of 4 halves each into their own 32-byte block, takes ReduceMin of each group with a
bit mask of the first 4 lanes, and adds its results into GM with SetAtomicAdd (the padding
zeros it writes past each group add nothing). The host allocates 76 halves for 64 so that the
copies may borrow 12 halves past the end.

Changed: nothing beyond Python spelling.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

BLOCK_BYTE_SIZE = 8  # blockLen of DataCopyPad
BLOCK_GROUP_NUM = 4  # blockCount of DataCopyPad
BLOCK_ELEMENT_NUM = BLOCK_BYTE_SIZE // 2
BLOCKLEN_CEIL = 32 // 2  # since BLOCK_BYTE_SIZE < 32
USE_CORE_NUM = 4
TILE_NUM = 1
BUFFER_NUM = 1
DEFAULT_SYNCALL_NEED_SIZE = 8
TOTAL_LENGTH = USE_CORE_NUM * TILE_NUM * BUFFER_NUM * BLOCK_GROUP_NUM * BLOCK_ELEMENT_NUM
BLOCK_LENGTH = TOTAL_LENGTH // USE_CORE_NUM  # length computed of each core
TAIL_LENGTH = BLOCKLEN_CEIL - BLOCK_ELEMENT_NUM  # length of tail block in the last core


class KernelReduceMin:
    def Init(self, inputGM, outputGM, syncGM):
        blockLength = BLOCK_LENGTH
        if cann.GetBlockIdx() == USE_CORE_NUM - 1:
            blockLength = TAIL_LENGTH + BLOCK_LENGTH
        self.srcGlobal = cann.GlobalTensor(cann.half)
        self.dstGlobal = cann.GlobalTensor(cann.half)
        self.syncGlobal = cann.GlobalTensor(cann.int32)
        self.srcGlobal.SetGlobalBuffer(
            inputGM.cast(cann.half) + BLOCK_LENGTH * cann.GetBlockIdx(), BLOCK_LENGTH
        )
        self.dstGlobal.SetGlobalBuffer(
            outputGM.cast(cann.half) + BLOCK_LENGTH * cann.GetBlockIdx(), blockLength
        )
        self.syncGlobal.SetGlobalBuffer(
            syncGM.cast(cann.int32), USE_CORE_NUM * DEFAULT_SYNCALL_NEED_SIZE
        )
        # clear dstGm before doing calculations
        cann.InitGlobalMemory(self.dstGlobal, blockLength, cann.half(0))
        self.pipe = cann.TPipe()
        self.inQueue = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.outQueue = cann.TQue(cann.TPosition.VECOUT, BUFFER_NUM)
        self.workLocalTbuf = cann.TBuf()
        self.syncLocalTbuf = cann.TBuf()
        self.pipe.InitBuffer(
            self.inQueue, BUFFER_NUM, BLOCK_GROUP_NUM * BLOCKLEN_CEIL * sizeof(cann.half)
        )
        self.pipe.InitBuffer(
            self.outQueue, BUFFER_NUM, BLOCK_GROUP_NUM * BLOCKLEN_CEIL * sizeof(cann.half)
        )
        self.pipe.InitBuffer(self.workLocalTbuf, BLOCKLEN_CEIL * sizeof(cann.half))
        self.pipe.InitBuffer(
            self.syncLocalTbuf, USE_CORE_NUM * DEFAULT_SYNCALL_NEED_SIZE * sizeof(cann.int32)
        )
        SyncLocal = self.syncLocalTbuf.Get(cann.int32)
        cann.SyncAll(self.syncGlobal, SyncLocal)

    def Process(self):
        loopCount = TILE_NUM * BUFFER_NUM
        for i in range(loopCount):
            self.CopyIn(i)
            self.Compute(i)
            self.CopyOut(i)

    def CopyIn(self, progress):
        inputLocal = self.inQueue.AllocTensor(cann.half)
        for i in range(BLOCK_GROUP_NUM):
            # each time copy 16 half elements to UB
            cann.DataCopy(
                inputLocal[i * BLOCKLEN_CEIL], self.srcGlobal[i * BLOCK_ELEMENT_NUM], BLOCKLEN_CEIL
            )
        self.inQueue.EnQue(inputLocal)

    def Compute(self, progress):
        outputLocal = self.outQueue.AllocTensor(cann.half)
        workLocal = self.workLocalTbuf.Get(cann.half)
        inputLocal = self.inQueue.DeQue(cann.half)
        cann.Duplicate(outputLocal, cann.half(0), BLOCK_GROUP_NUM * BLOCKLEN_CEIL)
        cann.Duplicate(workLocal, cann.half(0), BLOCKLEN_CEIL)
        # mask mode: only the first 4 elements take part in ReduceMin
        Mask0 = (1 << BLOCK_ELEMENT_NUM) - 1
        Mask = [Mask0, 0]
        for i in range(BLOCK_GROUP_NUM):
            cann.ReduceMin(
                outputLocal[i * BLOCKLEN_CEIL],
                inputLocal[i * BLOCKLEN_CEIL],
                workLocal,
                Mask,
                1,
                8,
                False,
            )
        self.outQueue.EnQue(outputLocal)
        self.inQueue.FreeTensor(inputLocal)

    def CopyOut(self, progress):
        outputLocal = self.outQueue.DeQue(cann.half)
        cann.SetAtomicAdd(cann.half)
        for i in range(BLOCK_GROUP_NUM):
            cann.DataCopy(
                self.dstGlobal[i * BLOCK_ELEMENT_NUM], outputLocal[i * BLOCKLEN_CEIL], BLOCKLEN_CEIL
            )
        cann.SetAtomicNone()
        self.outQueue.FreeTensor(outputLocal)


@cann.kernel
def reduce_min_custom(inputGM, outputGM, syncGM):
    op = KernelReduceMin()
    op.Init(inputGM, outputGM, syncGM)
    op.Process()


CASES = {"sample_64": 64}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_64"


def run(case: str) -> Result:
    blockDim = 4
    # copy-in borrows the next 12 halves; copy-out atomically adds 12 zeros past the end
    inputByteSize = 76 * sizeof(cann.int16)
    outputByteSize = 76 * sizeof(cann.int16)
    syncByteSize = blockDim * 32  # 32 bytes for SyncAll per core
    xHost = rng(case).uniform(-8, 8, 76).astype(np.float16)
    syncHost = np.zeros(blockDim * 8, np.int32)
    zHost = np.empty(76, np.float16)
    xDevice = cann.aclrtMalloc(inputByteSize)
    zDevice = cann.aclrtMalloc(outputByteSize)
    syncDevice = cann.aclrtMalloc(syncByteSize)
    cann.aclrtMemcpy(xDevice, inputByteSize, xHost, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cann.aclrtMemcpy(
        syncDevice, syncByteSize, syncHost, syncByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE
    )
    reduce_min_custom[blockDim, None, None](xDevice, zDevice, syncDevice)
    cann.aclrtMemcpy(zHost, outputByteSize, zDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    # every group of 4 leaves its minimum at the group's first element, zeros elsewhere
    want = np.zeros(64, np.float64)
    want[0::4] = xHost[:64].reshape(-1, 4).min(axis=1)
    return Result(zHost[:64], want)
