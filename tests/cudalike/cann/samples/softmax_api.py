"""The vendor's softmax sample: rows split over 40 cores, the SoftMax high-level API per tile.

Source: cannmirror/asc-devkit, examples/03_libraries/02_activation/softmax/softmax.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/03_libraries/02_activation/softmax/softmax.asc)

The host gives each core ceil(rows / 40) rows and picks rows per tile from the row length
(SLICE_TABLE); each tile runs SoftMax in place with a 60 KB shared temporary buffer and writes
the row max and row sum, each broadcast over one 32-byte block (8 floats) per row.

Changed:
- CopyTiling copies the tiling words from GM into the VecTiling struct; here the struct is
  passed as the argument (a GM_ADDR cannot be dereferenced in Python).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann

from ._common import Result, lacking, rng, sizeof

SHARED_TMP_BUFFER_SIZE = 61440  # reserved tmpbuffer 60K for softmax compute
SLICE_TABLE = [(8192, 1), (4096, 2), (2048, 4), (1024, 8), (512, 16), (256, 32), (0, 64)]
BUFFER_NUM = 2
FLOAT_NUM_OF_SINGEL_BLOCK = 8
BASIC_BLOCK_ROW_FACTOR = 8
BASIC_BLOCK_COLUMN_FACTOR = 64
BASIC_BLOCK_MAX_COLUMN_LENGTH = 2048


@dataclasses.dataclass
class VecTiling:
    columnLength: int = 0
    rowLength: int = 0
    sharedTmpBufferSize: int = 0
    usedBlockDim: int = 0
    coreRowNum: int = 0
    tailCoreRowNum: int = 0
    singleLoopCoreRowNum: int = 0
    singleCoreLoopCount: int = 0
    singleCoreLoopTail: int = 0
    tailCoreSingleLoopCoreRowNum: int = 0
    tailCoreSingleCoreLoopCount: int = 0
    tailCoreSingleCoreLoopTail: int = 0
    softmaxTilingData: object = None


def GetSingleCoreLoopParam(colNum, coreRowNum):
    for first, second in SLICE_TABLE:
        if colNum >= first:
            return second, coreRowNum // second, coreRowNum % second
    return 0, 0, 0


def ComputeTiling(rowNum, colNum, coreNum) -> VecTiling:
    alignedRowNum = (rowNum + coreNum - 1) // coreNum * coreNum
    coreRowNum = alignedRowNum // coreNum  # each core equal distribution
    tailCoreRowNum = rowNum % coreRowNum  # last core process the tail rownum
    usedBlockDim = rowNum // coreRowNum  # the core num used actually
    main = GetSingleCoreLoopParam(colNum, coreRowNum)
    if usedBlockDim == coreNum and tailCoreRowNum == 0:
        tail = GetSingleCoreLoopParam(colNum, coreRowNum)
    else:
        tail = GetSingleCoreLoopParam(colNum, tailCoreRowNum)
    tiling = VecTiling(colNum, rowNum, SHARED_TMP_BUFFER_SIZE, usedBlockDim, coreRowNum)
    tiling.tailCoreRowNum = tailCoreRowNum
    tiling.singleLoopCoreRowNum, tiling.singleCoreLoopCount, tiling.singleCoreLoopTail = main
    (
        tiling.tailCoreSingleLoopCoreRowNum,
        tiling.tailCoreSingleCoreLoopCount,
        tiling.tailCoreSingleCoreLoopTail,
    ) = tail
    softmaxComputeShape = (main[0], colNum)
    tiling.softmaxTilingData = cann.SoftMaxTilingFunc(
        softmaxComputeShape, sizeof(cann.float), SHARED_TMP_BUFFER_SIZE
    )
    return tiling


class KernelSoftmax:
    def InitTiling(self, tilingData: VecTiling):
        self.rowLength = tilingData.rowLength
        self.sharedTmpBufferSize = tilingData.sharedTmpBufferSize
        self.columnLength = tilingData.columnLength
        self.usedBlockDim = tilingData.usedBlockDim
        self.coreRowNum = tilingData.coreRowNum
        self.softmaxTiling = tilingData.softmaxTilingData
        self.singleLoopCoreRowNum = tilingData.singleLoopCoreRowNum
        self.singleCoreLoopCount = tilingData.singleCoreLoopCount
        self.leftRow = tilingData.singleCoreLoopTail
        self.tailCoreSingleLoopCoreRowNum = tilingData.tailCoreSingleLoopCoreRowNum
        self.tailCoreSingleCoreLoopCount = tilingData.tailCoreSingleCoreLoopCount
        self.tailCoreSingleCoreLoopTail = tilingData.tailCoreSingleCoreLoopTail

    def Init(self, x, max, sum, z, tilingData: VecTiling, pipeIn):  # noqa: A002 - vendor names
        self.pipe = pipeIn
        self.InitTiling(tilingData)
        if cann.GetBlockIdx() == self.usedBlockDim:  # tail core
            self.singleLoopCoreRowNum = self.tailCoreSingleLoopCoreRowNum
            self.singleCoreLoopCount = self.tailCoreSingleCoreLoopCount
            self.leftRow = self.tailCoreSingleCoreLoopTail
        self.blockLength = self.coreRowNum * self.columnLength
        self.msLength = self.coreRowNum * FLOAT_NUM_OF_SINGEL_BLOCK
        offset1 = self.blockLength * cann.GetBlockIdx()
        offset2 = self.msLength * cann.GetBlockIdx()
        self.xGm = cann.GlobalTensor(cann.float)
        self.zGm = cann.GlobalTensor(cann.float)
        self.maxGm = cann.GlobalTensor(cann.float)
        self.sumGm = cann.GlobalTensor(cann.float)
        self.xGm.SetGlobalBuffer(x.cast(cann.float) + offset1, self.blockLength)
        self.zGm.SetGlobalBuffer(z.cast(cann.float) + offset1, self.blockLength)
        self.maxGm.SetGlobalBuffer(max.cast(cann.float) + offset2, self.msLength)
        self.sumGm.SetGlobalBuffer(sum.cast(cann.float) + offset2, self.msLength)
        self.queueX = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.queueMax = cann.TQue(cann.TPosition.VECOUT, 1)
        self.queueSum = cann.TQue(cann.TPosition.VECOUT, 1)
        self.sharedTmpBuffer = cann.TBuf(cann.TPosition.VECCALC)
        self.tileLength = self.singleLoopCoreRowNum * self.columnLength
        self.pipe.InitBuffer(self.queueX, BUFFER_NUM, self.tileLength * sizeof(cann.float))
        self.msTileLength = self.singleLoopCoreRowNum * FLOAT_NUM_OF_SINGEL_BLOCK
        self.pipe.InitBuffer(self.queueMax, 1, self.msTileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.queueSum, 1, self.msTileLength * sizeof(cann.float))
        self.pipe.InitBuffer(self.sharedTmpBuffer, self.sharedTmpBufferSize)  # 60K tmpbuffer

    def Process(self):
        if cann.GetBlockIdx() > self.usedBlockDim:
            return
        for i in range(self.singleCoreLoopCount):
            self.CopyIn(i, self.singleLoopCoreRowNum)
            self.Compute(i, self.singleLoopCoreRowNum)
            self.CopyOut(i, self.singleLoopCoreRowNum)
        if self.leftRow > 0:
            self.CopyIn(self.singleCoreLoopCount, self.leftRow)
            self.Compute(self.singleCoreLoopCount, self.leftRow)
            self.CopyOut(self.singleCoreLoopCount, self.leftRow)

    def CopyIn(self, progress, rowNum):
        xLocal = self.queueX.AllocTensor(cann.float)
        cann.DataCopy(xLocal, self.xGm[progress * self.tileLength], rowNum * self.columnLength)
        self.queueX.EnQue(xLocal)

    def Compute(self, progress, rowNum):
        xLocal = self.queueX.DeQue(cann.float)
        maxLocal = self.queueMax.AllocTensor(cann.float)
        sumLocal = self.queueSum.AllocTensor(cann.float)
        tmpBuffer = self.sharedTmpBuffer.Get(cann.uint8)
        srcShape = cann.SoftMaxShapeInfo(rowNum, self.columnLength, rowNum, self.columnLength)
        isBasicBlock = (
            rowNum % BASIC_BLOCK_ROW_FACTOR == 0
            and self.columnLength % BASIC_BLOCK_COLUMN_FACTOR == 0
            and self.columnLength < BASIC_BLOCK_MAX_COLUMN_LENGTH
        )
        cann.SoftMax[cann.float, True, isBasicBlock](
            xLocal, sumLocal, maxLocal, xLocal, tmpBuffer, self.softmaxTiling, srcShape
        )
        self.queueX.EnQue(xLocal)
        self.queueMax.EnQue(maxLocal)
        self.queueSum.EnQue(sumLocal)

    def CopyOut(self, progress, rowNum):
        zLocal = self.queueX.DeQue(cann.float)
        maxLocal = self.queueMax.DeQue(cann.float)
        sumLocal = self.queueSum.DeQue(cann.float)
        cann.DataCopy(self.zGm[progress * self.tileLength], zLocal, rowNum * self.columnLength)
        cann.DataCopy(
            self.maxGm[progress * self.msTileLength], maxLocal, rowNum * FLOAT_NUM_OF_SINGEL_BLOCK
        )
        cann.DataCopy(
            self.sumGm[progress * self.msTileLength], sumLocal, rowNum * FLOAT_NUM_OF_SINGEL_BLOCK
        )
        self.queueX.FreeTensor(zLocal)
        self.queueMax.FreeTensor(maxLocal)
        self.queueSum.FreeTensor(sumLocal)


@cann.kernel
def softmax_custom(x, max, sum, z, workspace, tiling):  # noqa: A002 - the vendor's names
    pipe = cann.TPipe()
    tilingData = tiling  # CopyTiling(&tilingData, tiling)
    op = KernelSoftmax()
    op.Init(x, max, sum, z, tilingData, pipe)
    op.Process()


# (ROW_NUM, COLUMN_NUM, USED_CORE_NUM)
CASES = {"sample_960x960_40_cores": (960, 960, 40), "100x64_8_cores": (100, 64, 8)}
LITERAL = False
MISSING = lacking(
    "the SoftMax high-level API (SoftMax<T, isReuseSource, isBasicBlock>, SoftMaxShapeInfo) "
    "and its host tiling SoftMaxTilingFunc",
    "SoftMax",
    "SoftMaxShapeInfo",
    "SoftMaxTilingFunc",
)
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_960x960_40_cores"


def run(case: str) -> Result:
    ROW_NUM, COLUMN_NUM, USED_CORE_NUM = CASES[case]
    x = rng(case).standard_normal((ROW_NUM, COLUMN_NUM)).astype(np.float32)
    z = np.empty_like(x)
    rowMax = np.empty((ROW_NUM, 8), np.float32)
    rowSum = np.empty((ROW_NUM, 8), np.float32)
    tiling = ComputeTiling(ROW_NUM, COLUMN_NUM, USED_CORE_NUM)
    softmax_custom[USED_CORE_NUM](x, rowMax, rowSum, z, None, tiling)
    x64 = x.astype(np.float64)
    m = x64.max(axis=1, keepdims=True)
    e = np.exp(x64 - m)
    s = e.sum(axis=1, keepdims=True)
    got = np.concatenate([z.ravel(), rowMax.ravel(), rowSum.ravel()])
    want = np.concatenate([(e / s).ravel(), np.repeat(m, 8), np.repeat(s, 8)])
    return Result(got, want, rtol=1e-5, atol=1e-6)
