"""The vendor's unaligned WholeReduceSum: the sum of each row of a 13 x 123 half matrix.

Source: cannmirror/asc-devkit,
examples/00_introduction/10_unaligned_wholereduces/whole_reduce_sum_custom.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/00_introduction/10_unaligned_wholereduces/whole_reduce_sum_custom.asc)

Rows of 123 halves (246 bytes) come in with DataCopyPad, each padded to 256 bytes in UB; one
WholeReduceSum repeat per row (mask = 123 lanes, repeat stride = the padded row in blocks)
leaves the 13 sums, which DataCopyPad writes out (26 bytes).

Changed: nothing beyond Python spelling (the struct is a TilingData subclass, CopyTiling's
`*ptr = *(tiling32 + i)` is `ptr[i] = tiling32[i]`).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, reduction_tolerance, rng, sizeof

byteAlign = 32


class WholeReduceSumCustomTilingData(cann.TilingData):
    totalLength: cann.uint32
    rows: cann.uint32
    cols: cann.uint32


def ceil_div(a, b):
    if b == 0:
        return a
    return (a + b - 1) // b


class KernelWholeReduceSum:
    def __init__(self, datatype):
        self.datatype = datatype

    def Init(self, x, y, tilingData: WholeReduceSumCustomTilingData):
        T = self.datatype
        self.rows = tilingData.rows
        self.cols = tilingData.cols
        self.totalLength = tilingData.totalLength
        self.colAligned = ceil_div(self.cols * sizeof(T), byteAlign) * byteAlign
        self.totalSizeAligned = self.colAligned * self.rows
        reducedSizeAligned = ceil_div(self.rows * sizeof(T), byteAlign) * byteAlign
        self.xGm = cann.GlobalTensor(T)
        self.yGm = cann.GlobalTensor(T)
        self.xGm.SetGlobalBuffer(x.cast(T), self.totalLength)
        self.yGm.SetGlobalBuffer(y.cast(T), self.rows)
        self.pipe = cann.TPipe()
        self.inQueueX = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueueY = cann.TQue(cann.TPosition.VECOUT, 1)
        self.pipe.InitBuffer(self.inQueueX, 1, self.totalSizeAligned)
        self.pipe.InitBuffer(self.outQueueY, 1, reducedSizeAligned)

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        T = self.datatype
        xLocal = self.inQueueX.AllocTensor(T)
        colBytes = self.cols * sizeof(T)
        copyParams = cann.DataCopyExtParams(self.rows, colBytes, 0, 0, 0)
        rpad = (self.colAligned - self.cols * sizeof(T)) // sizeof(T)
        padParams = cann.DataCopyPadExtParams(False, 0, rpad, 0)
        cann.DataCopyPad(xLocal, self.xGm, copyParams, padParams)
        self.inQueueX.EnQue(xLocal)

    def Compute(self):
        T = self.datatype
        xLocal = self.inQueueX.DeQue(T)
        yLocal = self.outQueueY.AllocTensor(T)
        srcStride = self.colAligned // byteAlign
        cann.WholeReduceSum(yLocal, xLocal, self.cols, self.rows, 1, 1, srcStride)
        self.outQueueY.EnQue(yLocal)
        self.inQueueX.FreeTensor(xLocal)

    def CopyOut(self):
        T = self.datatype
        yLocal = self.outQueueY.DeQue(T)
        reducedBytes = self.rows * sizeof(T)
        copyParams = cann.DataCopyExtParams(1, reducedBytes, 0, 0, 0)
        cann.DataCopyPad(self.yGm, yLocal, copyParams)
        self.outQueueY.FreeTensor(yLocal)


def CopyTiling(tiling: WholeReduceSumCustomTilingData, tilingGM) -> None:
    ptr = cann.reinterpret_cast(cann.uint32, tiling)
    tiling32 = tilingGM.cast(cann.uint32)
    for i in range(cann.sizeof(WholeReduceSumCustomTilingData) // sizeof(cann.uint32)):
        ptr[i] = tiling32[i]


@cann.kernel
def whole_reduce_sum_custom(x, y, tiling):
    cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_AIV_ONLY)
    op = KernelWholeReduceSum(cann.half)
    tilingData = WholeReduceSumCustomTilingData()
    CopyTiling(tilingData, tiling)
    op.Init(x, y, tilingData)
    op.Process()


# (ROWS, COLS): the sample's 13 x 123, a full-mask row and a short one.
CASES = {"sample_13x123": (13, 123), "8x128": (8, 128), "40x17": (40, 17)}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_13x123"


def run(case: str) -> Result:
    ROWS, COLS = CASES[case]
    x = rng(case).uniform(-1, 1, (ROWS, COLS)).astype(np.float16)
    tilingHost = np.array([ROWS * COLS, ROWS, COLS], np.uint32)
    inputByteSize = ROWS * COLS * sizeof(cann.half)
    outputByteSize = ROWS * sizeof(cann.half)
    yHost = np.empty(ROWS, np.float16)
    xDevice = cann.aclrtMalloc(inputByteSize)
    yDevice = cann.aclrtMalloc(outputByteSize)
    tilingDevice = cann.aclrtMalloc(12)
    cann.aclrtMemcpy(xDevice, inputByteSize, x, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cann.aclrtMemcpy(tilingDevice, 12, tilingHost, 12, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    whole_reduce_sum_custom[1, None, None](xDevice, yDevice, tilingDevice)
    cann.aclrtMemcpy(yHost, outputByteSize, yDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    rtol, atol = reduction_tolerance(np.float16, COLS, 1.0)
    return Result(yHost, x.astype(np.float64).sum(axis=1), rtol, atol)
