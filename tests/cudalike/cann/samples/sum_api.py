"""The vendor's reduce sample: the Sum high-level API over the rows of a 7 x 2023 float matrix.

Source: cannmirror/asc-devkit, examples/00_introduction/06_reduce/reduce_custom.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/00_introduction/06_reduce/reduce_custom.asc)

Rows are padded to 2024 floats (32 bytes) on the host; one tile holds all 7, Sum reduces each
row's first 2023 elements into yLocal with a temporary buffer sized by GetSumMaxMinTmpSize.

Changed: nothing beyond Python spelling (`if ASCEND_IS_AIC return` is dropped: a vector
kernel never runs on the cube core here).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann

from ._common import Result, lacking, reduction_tolerance, rng, sizeof

PADDING_BYTE = 32


@dataclasses.dataclass
class SumCustomTilingData:
    inner: int = 0
    outter: int = 0
    n: int = 0
    tmpBufSize: int = 0
    out_inner: int = 0


def GenerateTilingData(M, N) -> SumCustomTilingData:
    maxValue, minValue = cann.GetSumMaxMinTmpSize(N, sizeof(cann.uint32), False)

    def paddingFunc(n, typeSize):
        return (
            0
            if typeSize == 0
            else (n * typeSize + PADDING_BYTE - 1) // PADDING_BYTE * (PADDING_BYTE // typeSize)
        )

    return SumCustomTilingData(
        inner=paddingFunc(N, sizeof(cann.uint32)),
        outter=M,
        n=N,
        tmpBufSize=minValue,
        out_inner=paddingFunc(M, sizeof(cann.uint32)),
    )


class KernelSum:
    def __init__(self, T):
        self.T = T

    def Init(self, x, y, tilingData, pipeIn):
        T = self.T
        self.inner = tilingData.inner
        self.outter = tilingData.outter
        self.n = tilingData.n
        self.tmpBufSize = tilingData.tmpBufSize
        self.out_inner = tilingData.out_inner
        self.params = cann.SumParams()
        self.params.inner = self.inner
        self.params.outter = self.outter
        self.params.n = self.n
        self.xGm = cann.GlobalTensor(T)
        self.yGm = cann.GlobalTensor(T)
        self.xGm.SetGlobalBuffer(x.cast(T))
        self.yGm.SetGlobalBuffer(y.cast(T))
        self.pipe = pipeIn
        self.inQueue = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueue = cann.TQue(cann.TPosition.VECOUT, 1)
        self.tmpBuf = cann.TBuf(cann.TPosition.VECCALC)
        self.pipe.InitBuffer(self.inQueue, 1, self.inner * self.outter * sizeof(T))
        self.pipe.InitBuffer(self.outQueue, 1, self.out_inner * sizeof(T))
        self.pipe.InitBuffer(self.tmpBuf, self.tmpBufSize * sizeof(cann.uint8))

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        xLocal = self.inQueue.AllocTensor(self.T)
        cann.DataCopy(xLocal, self.xGm, self.inner * self.outter)
        self.inQueue.EnQue(xLocal)

    def Compute(self):
        xLocal = self.inQueue.DeQue(self.T)
        yLocal = self.outQueue.AllocTensor(self.T)
        sharedTmpBuffer = self.tmpBuf.AllocTensor(cann.uint8)
        scalar = self.T(0)
        cann.Duplicate(yLocal, scalar, self.out_inner)
        cann.Sum(yLocal, xLocal, sharedTmpBuffer, self.params)
        self.outQueue.EnQue(yLocal)
        self.inQueue.FreeTensor(xLocal)
        self.tmpBuf.FreeTensor(sharedTmpBuffer)

    def CopyOut(self):
        yLocal = self.outQueue.DeQue(self.T)
        cann.DataCopy(self.yGm, yLocal, self.out_inner)
        self.outQueue.FreeTensor(yLocal)


@cann.kernel
def sum_custom(srcGm, dstGm, tiling):
    pipe = cann.TPipe()
    op = KernelSum(cann.float)
    op.Init(srcGm, dstGm, tiling, pipe)
    op.Process()


CASES = {"sample_7x2023": (7, 2023), "3x100": (3, 100)}
LITERAL = True
MISSING = lacking(
    "the Sum high-level API (SumParams, GetSumMaxMinTmpSize) and TBuf::AllocTensor",
    "Sum",
    "SumParams",
    "GetSumMaxMinTmpSize",
    "TBuf.AllocTensor",
)
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_7x2023"


def run(case: str) -> Result:
    M, N = CASES[case]
    tiling = GenerateTilingData(M, N)
    x = np.zeros((tiling.outter, tiling.inner), np.float32)
    x[:, :N] = rng(case).uniform(-1, 1, (M, N))
    y = np.zeros(tiling.out_inner, np.float32)
    sum_custom[1](x, y, tiling)
    rtol, atol = reduction_tolerance(np.float32, N, 1.0)
    return Result(y[:M], x[:, :N].astype(np.float64).sum(axis=1), rtol, atol)
