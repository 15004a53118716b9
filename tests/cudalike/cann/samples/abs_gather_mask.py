"""The vendor's unaligned Abs: 18-half rows written back with GatherMask and an overlap.

Source: cannmirror/asc-devkit, examples/00_introduction/08_unaligned_abs/abs_duplicate_custom.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/00_introduction/08_unaligned_abs/abs_duplicate_custom.asc)

Each tile is 18 halves (36 bytes). The kernel copies in a whole 32-half block (reading 14
halves past the tile, and past its core's share on the last tile: the host allocates 2318
halves for 2304), takes Abs, writes the first 16 results with DataCopy and the last 16 (two
overlapping) picked by GatherMask with a bit pattern.

Changed: GatherMask's rsvdCnt out-parameter is its return value.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

BLOCK_BYTE_SIZE = 36  # copy 18 elements for each row in a tensor
BLOCKLEN_CEIL = (BLOCK_BYTE_SIZE + 32 - 1) // 32 * 32 // 2  # round up to 32 bytes, in halves
BLOCK_ELEMENT_NUM = BLOCK_BYTE_SIZE // 2
USE_CORE_NUM = 8  # num of core used
TILE_NUM = 8
BUFFER_NUM = 2  # tensor num for each queue
TOTAL_LENGTH = USE_CORE_NUM * TILE_NUM * BUFFER_NUM * BLOCK_ELEMENT_NUM
BLOCK_LENGTH = TOTAL_LENGTH // USE_CORE_NUM
TILE_LENGTH = BLOCK_LENGTH // TILE_NUM // BUFFER_NUM


class KernelAbsGatherMask:
    def Init(self, inputGM, outputGM):
        self.srcGlobal = cann.GlobalTensor(cann.half)
        self.dstGlobal = cann.GlobalTensor(cann.half)
        self.srcGlobal.SetGlobalBuffer(
            inputGM.cast(cann.half) + BLOCK_LENGTH * cann.GetBlockIdx(), BLOCK_LENGTH
        )
        self.dstGlobal.SetGlobalBuffer(
            outputGM.cast(cann.half) + BLOCK_LENGTH * cann.GetBlockIdx(), BLOCK_LENGTH
        )
        self.pipe = cann.TPipe()
        self.inQueue = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.outQueue = cann.TQue(cann.TPosition.VECOUT, BUFFER_NUM)
        self.outQueueTail = cann.TQue(cann.TPosition.VECOUT, BUFFER_NUM)
        self.tmpPattern = cann.TBuf(cann.TPosition.VECCALC)
        self.pipe.InitBuffer(self.inQueue, BUFFER_NUM, BLOCKLEN_CEIL * sizeof(cann.half))
        self.pipe.InitBuffer(self.outQueue, BUFFER_NUM, BLOCKLEN_CEIL * sizeof(cann.half))
        self.pipe.InitBuffer(self.outQueueTail, BUFFER_NUM, 32)
        self.pipe.InitBuffer(self.tmpPattern, 32)

    def Process(self):
        loopCount = TILE_NUM * BUFFER_NUM
        for i in range(loopCount):
            self.CopyIn(i)
            self.Compute(i)
            self.CopyOut(i)

    def CopyIn(self, progress):  # GM->UB
        inputLocal = self.inQueue.AllocTensor(cann.half)
        # each time copy 32 half elements to UB
        cann.DataCopy(inputLocal, self.srcGlobal[progress * TILE_LENGTH], BLOCKLEN_CEIL)
        self.inQueue.EnQue(inputLocal)

    def Compute(self, progress):
        outputLocal = self.outQueue.AllocTensor(cann.half)
        inputLocal = self.inQueue.DeQue(cann.half)
        cann.Abs(outputLocal, inputLocal, BLOCKLEN_CEIL)  # main calculation
        bufPattern = self.tmpPattern.Get(cann.uint16)
        tmpValue = cann.uint16(0)
        cann.Duplicate(bufPattern, tmpValue, 16)
        bufPattern.SetValue(0, 0b1111111111111100)  # the last 14 of the first 16 positions
        bufPattern.SetValue(1, 0b0000000000000011)  # the first 2 of the next 16 positions
        mask = 32
        tailLocal = self.outQueueTail.AllocTensor(cann.half)
        rsvdCnt = cann.GatherMask(  # noqa: F841 - the count of elements gathered
            tailLocal, outputLocal, bufPattern, True, mask, cann.GatherMaskParams(1, 1, 8, 8)
        )
        self.outQueue.EnQue(outputLocal)
        self.outQueueTail.EnQue(tailLocal)
        self.inQueue.FreeTensor(inputLocal)

    def CopyOut(self, progress):
        outputLocal = self.outQueue.DeQue(cann.half)
        tailLocal = self.outQueueTail.DeQue(cann.half)
        copyLenMain = TILE_LENGTH * sizeof(cann.half) // 32 * 32 // sizeof(cann.half)
        offsetMain = progress * TILE_LENGTH
        cann.DataCopy(self.dstGlobal[offsetMain], outputLocal, copyLenMain)
        cann.PipeBarrier(cann.PIPE_MTE3)
        tailLen = 32 // sizeof(cann.half)
        offsetTail = offsetMain + (TILE_LENGTH - tailLen)
        cann.DataCopy(self.dstGlobal[offsetTail], tailLocal, tailLen)
        self.outQueue.FreeTensor(outputLocal)
        self.outQueueTail.FreeTensor(tailLocal)


@cann.kernel
def abs_gather_mask_custom(inputGM, outputGM):
    op = KernelAbsGatherMask()
    op.Init(inputGM, outputGM)
    op.Process()


CASES = {"sample_2304": 2304}
LITERAL = True
# Duplicate (V) then SetValue (S) then GatherMask (V) on the pattern with no flags: the
# vendor's build orders them (BiSheng --cce-auto-sync, on by default), and so does cudalike.
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_2304"


def run(case: str) -> Result:
    blockDim = 8
    inputByteSize = 2318 * sizeof(cann.int16)  # 2318 = 2304 + 32 - 18
    outputByteSize = 2304 * sizeof(cann.int16)
    xHost = rng(case).standard_normal(2318).astype(np.float16)
    zHost = np.empty(2304, np.float16)
    xDevice = cann.aclrtMalloc(inputByteSize)
    zDevice = cann.aclrtMalloc(outputByteSize)
    cann.aclrtMemcpy(xDevice, inputByteSize, xHost, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    abs_gather_mask_custom[blockDim, None, None](xDevice, zDevice)
    cann.aclrtMemcpy(zHost, outputByteSize, zDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    return Result(zHost, np.abs(xHost[:2304]))
