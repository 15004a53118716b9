"""The vendor's Cast sample, scenario 1: half to int32 rounding up (CAST_CEIL).

Source: cannmirror/asc-devkit,
examples/01_simd_cpp_api/02_features/03_basic_api/02_memory_vector_compute/cast/cast.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/03_basic_api/02_memory_vector_compute/cast/cast.asc)

Changed: nothing beyond Python spelling (`KernelCast<T, U>` takes its types as arguments).
Scenario 2 (half to int4b_t through ReinterpretCast) needs a 4-bit type and is not ported.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

USE_CORE_NUM = 1  # num of core used
TILE_NUM = 1
BUFFER_NUM = 1


class KernelCast:
    """KernelCast<T, U>: convert from T to U with CAST_CEIL."""

    def __init__(self, T, U, totalLength):
        self.T, self.U = T, U
        self.BLOCK_LENGTH = totalLength // USE_CORE_NUM
        self.TILE_LENGTH = self.BLOCK_LENGTH // TILE_NUM // BUFFER_NUM

    def Init(self, x, out, pipeIn):
        self.pipe = pipeIn
        self.blockLength = self.BLOCK_LENGTH
        self.tileNum = TILE_NUM
        self.tileLength = self.TILE_LENGTH
        self.xGm = cann.GlobalTensor(self.T)
        self.outGm = cann.GlobalTensor(self.U)
        self.xGm.SetGlobalBuffer(
            x.cast(self.T) + self.blockLength * cann.GetBlockIdx(), self.blockLength
        )
        self.outGm.SetGlobalBuffer(
            out.cast(self.U) + self.blockLength * cann.GetBlockIdx(), self.blockLength
        )
        self.inQueueX = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.outQueueOUT = cann.TQue(cann.TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * sizeof(self.T))
        self.pipe.InitBuffer(self.outQueueOUT, BUFFER_NUM, self.tileLength * sizeof(self.U))

    def Process(self):
        loopCount = self.tileNum * BUFFER_NUM
        for i in range(loopCount):
            self.CopyIn(i)
            self.Compute(i)
            self.CopyOut(i)

    def CopyIn(self, progress):
        xLocal = self.inQueueX.AllocTensor(self.T)
        cann.DataCopy(xLocal, self.xGm[progress * self.tileLength], self.tileLength)
        self.inQueueX.EnQue(xLocal)

    def Compute(self, progress):
        xLocal = self.inQueueX.DeQue(self.T)
        outLocal = self.outQueueOUT.AllocTensor(self.U)
        cann.Cast(outLocal, xLocal, cann.RoundMode.CAST_CEIL, self.tileLength)
        self.outQueueOUT.EnQue(outLocal)
        self.inQueueX.FreeTensor(xLocal)

    def CopyOut(self, progress):
        outLocal = self.outQueueOUT.DeQue(self.U)
        cann.DataCopy(self.outGm[progress * self.tileLength], outLocal, self.tileLength)
        self.outQueueOUT.FreeTensor(outLocal)


def cast_kernel(totalLength):
    @cann.kernel
    def cast_custom(x, out):
        pipe = cann.TPipe()
        op = KernelCast(cann.half, cann.int32, totalLength)  # SCENARIO == 1
        op.Init(x, out, pipe)
        op.Process()

    return cast_custom


CASES = {"sample_512": 512, "4096": 4096, "16": 16}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_512"


def run(case: str) -> Result:
    TOTAL_LENGTH = CASES[case]
    x = (rng(case).standard_normal(TOTAL_LENGTH) * 100).astype(np.float16)
    inputByteSize = TOTAL_LENGTH * sizeof(cann.half)
    outputByteSize = TOTAL_LENGTH * sizeof(cann.int32)
    outHost = np.empty(TOTAL_LENGTH, np.int32)
    xDevice = cann.aclrtMalloc(inputByteSize)
    outDevice = cann.aclrtMalloc(outputByteSize)
    cann.aclrtMemcpy(xDevice, inputByteSize, x, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cast_kernel(TOTAL_LENGTH)[USE_CORE_NUM, None, None](xDevice, outDevice)
    cann.aclrtMemcpy(
        outHost, outputByteSize, outDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST
    )
    return Result(outHost, np.ceil(x.astype(np.float64)).astype(np.int32))
