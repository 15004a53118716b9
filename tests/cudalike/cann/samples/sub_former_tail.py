"""The vendor's sub sample: former and tail cores get different lengths (fp32, 8 cores).

Source: cannmirror/asc-devkit, examples/00_introduction/07_sub/sub_custom.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/00_introduction/07_sub/sub_custom.asc)

Changed: nothing beyond Python spelling. The sample launches {8, 0, 2048, 0, 0}; the other
cases give the tail cores a shorter share (formerNum cores of formerLength, then tailNum of
tailLength), which the kernel supports as written.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

BUFFER_NUM = 2  # tensor num for each queue


@dataclasses.dataclass
class SubCustomTilingData:
    formerNum: int
    tailNum: int
    formerLength: int
    tailLength: int
    alignNum: int


class KernelSub:
    def Init(self, x, y, z, formerNum, tailNum, formerLength, tailLength, alignNum):
        self.xGm = cann.GlobalTensor(cann.float)
        self.yGm = cann.GlobalTensor(cann.float)
        self.zGm = cann.GlobalTensor(cann.float)
        if cann.GetBlockIdx() < formerNum:
            self.tileLength = formerLength
            self.xGm.SetGlobalBuffer(
                x.cast(cann.float) + formerLength * cann.GetBlockIdx(), formerLength
            )
            self.yGm.SetGlobalBuffer(
                y.cast(cann.float) + formerLength * cann.GetBlockIdx(), formerLength
            )
            self.zGm.SetGlobalBuffer(
                z.cast(cann.float) + formerLength * cann.GetBlockIdx(), formerLength
            )
        else:
            self.tileLength = tailLength
            start = formerLength * formerNum + tailLength * (cann.GetBlockIdx() - formerNum)
            self.xGm.SetGlobalBuffer(x.cast(cann.float) + start, tailLength)
            self.yGm.SetGlobalBuffer(y.cast(cann.float) + start, tailLength)
            self.zGm.SetGlobalBuffer(z.cast(cann.float) + start, tailLength)
        self.pipe = cann.TPipe()
        self.inQueueX = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.inQueueY = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.outQueueZ = cann.TQue(cann.TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, self.tileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.outQueueZ, BUFFER_NUM, self.tileLength * sizeof(cann.float))

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        xLocal = self.inQueueX.AllocTensor(cann.float)
        yLocal = self.inQueueY.AllocTensor(cann.float)
        cann.DataCopy(xLocal, self.xGm, self.tileLength)
        cann.DataCopy(yLocal, self.yGm, self.tileLength)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self):
        xLocal = self.inQueueX.DeQue(cann.float)
        yLocal = self.inQueueY.DeQue(cann.float)
        zLocal = self.outQueueZ.AllocTensor(cann.float)
        cann.Sub(zLocal, xLocal, yLocal, self.tileLength)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self):
        zLocal = self.outQueueZ.DeQue(cann.float)
        cann.DataCopy(self.zGm, zLocal, self.tileLength)
        self.outQueueZ.FreeTensor(zLocal)


@cann.kernel
def sub_custom(x, y, z, tiling: SubCustomTilingData):
    op = KernelSub()
    op.Init(
        x,
        y,
        z,
        tiling.formerNum,
        tiling.tailNum,
        tiling.formerLength,
        tiling.tailLength,
        tiling.alignNum,
    )
    op.Process()


def kernel_sub(x: np.ndarray, y: np.ndarray, tiling: SubCustomTilingData) -> np.ndarray:
    """The sample's host function, with the tiling as an argument."""
    blockDim = tiling.formerNum + tiling.tailNum
    totalLength = x.size
    totalByteSize = totalLength * sizeof(cann.float)
    zHost = np.empty(totalLength, np.float32)
    xDevice = cann.aclrtMalloc(totalByteSize)
    yDevice = cann.aclrtMalloc(totalByteSize)
    zDevice = cann.aclrtMalloc(totalByteSize)
    cann.aclrtMemcpy(xDevice, totalByteSize, x, totalByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cann.aclrtMemcpy(yDevice, totalByteSize, y, totalByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    sub_custom[blockDim, None, None](xDevice, yDevice, zDevice, tiling)
    cann.aclrtMemcpy(zHost, totalByteSize, zDevice, totalByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    return zHost


CASES = {
    "sample_8x2048": SubCustomTilingData(8, 0, 2048, 0, 0),
    "3_former_5_tail": SubCustomTilingData(3, 5, 2048, 1024, 8),
    "7_former_1_short_tail": SubCustomTilingData(7, 1, 512, 8, 8),
}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_8x2048"


def run(case: str) -> Result:
    tiling = CASES[case]
    total = tiling.formerNum * tiling.formerLength + tiling.tailNum * tiling.tailLength
    gen = rng(case)
    x = gen.standard_normal(total).astype(np.float32)
    y = gen.standard_normal(total).astype(np.float32)
    return Result(kernel_sub(x, y, tiling), x - y)
