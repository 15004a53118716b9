"""The vendor's introductory vector add with TPipe/TQue double buffering (fp32, 8 cores).

Source: cannmirror/asc-devkit, examples/00_introduction/01_add/basic_api_tque_add/add.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/00_introduction/01_add/basic_api_tque_add/add.asc)

Changed: nothing beyond Python spelling. The sample's sizes must divide evenly (8 blocks x 8
tiles x 2 buffers x a multiple of 8 floats), so the cases vary the length within that rule.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

BUFFER_NUM = 2  # tensor num for each queue


@dataclasses.dataclass
class AddCustomTilingData:
    totalLength: int
    tileNum: int


class KernelAdd:
    def Init(self, x, y, z, totalLength, tileNum):
        self.blockLength = totalLength // cann.GetBlockNum()
        self.tileNum = tileNum
        self.tileLength = self.blockLength // tileNum // BUFFER_NUM
        self.xGm = cann.GlobalTensor(cann.float)
        self.yGm = cann.GlobalTensor(cann.float)
        self.zGm = cann.GlobalTensor(cann.float)
        self.xGm.SetGlobalBuffer(
            x.cast(cann.float) + self.blockLength * cann.GetBlockIdx(), self.blockLength
        )
        self.yGm.SetGlobalBuffer(
            y.cast(cann.float) + self.blockLength * cann.GetBlockIdx(), self.blockLength
        )
        self.zGm.SetGlobalBuffer(
            z.cast(cann.float) + self.blockLength * cann.GetBlockIdx(), self.blockLength
        )
        self.pipe = cann.TPipe()
        self.inQueueX = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.inQueueY = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.outQueueZ = cann.TQue(cann.TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, self.tileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.outQueueZ, BUFFER_NUM, self.tileLength * sizeof(cann.float))

    def Process(self):
        loopCount = self.tileNum * BUFFER_NUM
        for i in range(loopCount):
            self.CopyIn(i)
            self.Compute(i)
            self.CopyOut(i)

    def CopyIn(self, progress):
        xLocal = self.inQueueX.AllocTensor(cann.float)
        yLocal = self.inQueueY.AllocTensor(cann.float)
        cann.DataCopy(xLocal, self.xGm[progress * self.tileLength], self.tileLength)
        cann.DataCopy(yLocal, self.yGm[progress * self.tileLength], self.tileLength)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self, progress):
        xLocal = self.inQueueX.DeQue(cann.float)
        yLocal = self.inQueueY.DeQue(cann.float)
        zLocal = self.outQueueZ.AllocTensor(cann.float)
        cann.Add(zLocal, xLocal, yLocal, self.tileLength)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self, progress):
        zLocal = self.outQueueZ.DeQue(cann.float)
        cann.DataCopy(self.zGm[progress * self.tileLength], zLocal, self.tileLength)
        self.outQueueZ.FreeTensor(zLocal)


@cann.kernel
def add_custom(x, y, z, tiling: AddCustomTilingData):
    op = KernelAdd()
    op.Init(x, y, z, tiling.totalLength, tiling.tileNum)
    op.Process()


def kernel_add(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The sample's host function: allocate, copy in, launch on 8 cores, copy back."""
    blockDim = 8
    totalLength = x.size
    totalByteSize = totalLength * sizeof(cann.float)
    tiling = AddCustomTilingData(totalLength, 8)
    zHost = np.empty(totalLength, np.float32)
    xDevice = cann.aclrtMalloc(totalByteSize)
    yDevice = cann.aclrtMalloc(totalByteSize)
    zDevice = cann.aclrtMalloc(totalByteSize)
    cann.aclrtMemcpy(xDevice, totalByteSize, x, totalByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cann.aclrtMemcpy(yDevice, totalByteSize, y, totalByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    add_custom[blockDim, None, None](xDevice, yDevice, zDevice, tiling)
    cann.aclrtMemcpy(zHost, totalByteSize, zDevice, totalByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    for pointer in (xDevice, yDevice, zDevice):
        cann.aclrtFree(pointer)
    return zHost


# The sample's own size (8 x 2048) and two others that keep its divisibility rule.
CASES = {"sample_8x2048": 8 * 2048, "8x256": 8 * 256, "8x4096": 8 * 4096}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_8x2048"


def run(case: str) -> Result:
    gen = rng(case)
    x = gen.standard_normal(CASES[case]).astype(np.float32)
    y = gen.standard_normal(CASES[case]).astype(np.float32)
    return Result(kernel_add(x, y), x + y)
