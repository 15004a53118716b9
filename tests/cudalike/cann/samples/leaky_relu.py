"""The vendor's LeakyRelu custom operator, built from Maxs, Mins, Muls and Add (fp32).

Source: cannmirror/asc-devkit, examples/01_simd_cpp_api/02_features/00_compilation/
parallel_ops_package/leaky_relu_custom/op_kernel/leaky_relu_custom/leaky_relu_custom_kernel.cpp
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/00_compilation/parallel_ops_package/leaky_relu_custom/op_kernel/leaky_relu_custom/leaky_relu_custom_kernel.cpp)

The tiling struct (leaky_relu_custom_tiling.h: totalLength, tileNum, negativeSlope) is packed
by the test, standing in for the operator's host tiling, and passed as the GM tiling bytes.

Changed: nothing beyond Python spelling (`GET_TILING_DATA(tiling_data, tiling)` is
`tiling_data = cann.GET_TILING_DATA(tiling)`).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

BUFFER_NUM = 2  # tensor num for each queue


class LeakyReluCustomTilingData(cann.TilingData):
    totalLength: cann.uint32
    tileNum: cann.uint32
    negativeSlope: cann.float


class KernelLeakyRelu:
    def Init(self, x, y, totalLength, tileNum, negativeSlope, pipeIn):
        cann.ascendc_assert(tileNum != 0, "tileNum can not be zero.\n")
        self.pipe = pipeIn
        self.blockLength = totalLength // cann.GetBlockNum()
        self.tileNum = tileNum
        self.negativeSlope = cann.float(negativeSlope)
        self.tileLength = self.blockLength // tileNum // BUFFER_NUM
        # get start index for current core, core parallel
        self.xGm = cann.GlobalTensor(cann.float)
        self.yGm = cann.GlobalTensor(cann.float)
        self.xGm.SetGlobalBuffer(
            x.cast(cann.float) + self.blockLength * cann.GetBlockIdx(), self.blockLength
        )
        self.yGm.SetGlobalBuffer(
            y.cast(cann.float) + self.blockLength * cann.GetBlockIdx(), self.blockLength
        )
        # pipe alloc memory to queue, the unit is Bytes
        self.tmpBuffer1 = cann.TBuf(cann.TPosition.VECCALC)
        self.tmpBuffer2 = cann.TBuf(cann.TPosition.VECCALC)
        self.inQueueX = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.outQueueY = cann.TQue(cann.TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, self.tileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.tmpBuffer1, self.tileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.tmpBuffer2, self.tileLength * sizeof(cann.float))

    def Process(self):
        # loop count need to be doubled, due to double buffer
        loopCount = self.tileNum * BUFFER_NUM
        # tiling strategy, pipeline parallel
        for i in range(loopCount):
            self.CopyIn(i)
            self.Compute(i)
            self.CopyOut(i)

    def CopyIn(self, progress):
        xLocal = self.inQueueX.AllocTensor(cann.float)
        cann.DataCopy(xLocal, self.xGm[progress * self.tileLength], self.tileLength)
        self.inQueueX.EnQue(xLocal)

    def Compute(self, progress):
        xLocal = self.inQueueX.DeQue(cann.float)
        yLocal = self.outQueueY.AllocTensor(cann.float)
        tmpTensor1 = self.tmpBuffer1.Get(cann.float)
        tmpTensor2 = self.tmpBuffer2.Get(cann.float)
        inputVal = cann.float(0.0)
        cann.Maxs(tmpTensor1, xLocal, inputVal, self.tileLength)
        cann.Mins(tmpTensor2, xLocal, inputVal, self.tileLength)
        cann.Muls(tmpTensor2, tmpTensor2, self.negativeSlope, self.tileLength)
        cann.Add(yLocal, tmpTensor1, tmpTensor2, self.tileLength)
        self.outQueueY.EnQue(yLocal)
        self.inQueueX.FreeTensor(xLocal)

    def CopyOut(self, progress):
        yLocal = self.outQueueY.DeQue(cann.float)
        cann.DataCopy(self.yGm[progress * self.tileLength], yLocal, self.tileLength)
        self.outQueueY.FreeTensor(yLocal)


@cann.kernel
def leaky_relu_custom(x, y, workspace, tiling):
    cann.REGISTER_TILING_DEFAULT(LeakyReluCustomTilingData)
    tiling_data = cann.GET_TILING_DATA(tiling)
    pipe = cann.TPipe()
    op = KernelLeakyRelu()
    op.Init(x, y, tiling_data.totalLength, tiling_data.tileNum, tiling_data.negativeSlope, pipe)
    op.Process()


# (blockDim, totalLength, tileNum, negativeSlope): the host's BLOCK_DIM 8 / TILE_NUM 16 style.
CASES = {
    "8x16_tiles": (8, 8 * 16 * 2 * 64, 16, 0.1),
    "1_core_2_tiles": (1, 2 * 2 * 8, 2, 0.01),
    "48_cores": (48, 48 * 4 * 2 * 256, 4, 0.2),
}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "48_cores"


def run(case: str) -> Result:
    blockDim, totalLength, tileNum, slope = CASES[case]
    x = rng(case).standard_normal(totalLength).astype(np.float32)
    y = np.empty_like(x)
    tiling = LeakyReluCustomTilingData(totalLength=totalLength, tileNum=tileNum)
    tiling.set_negativeSlope(slope)
    tilingBuf = np.zeros(cann.sizeof(LeakyReluCustomTilingData), np.uint8)
    tiling.SaveToBuffer(tilingBuf, tilingBuf.nbytes)
    leaky_relu_custom[blockDim](x, y, None, tilingBuf)
    s = np.float32(slope)
    want = np.maximum(x, np.float32(0)) + np.minimum(x, np.float32(0)) * s
    return Result(y, want)
