"""The vendor's softmax sample: rows split over 40 cores, the SoftMax high-level API per tile.

Source: cannmirror/asc-devkit, examples/03_libraries/02_activation/softmax/softmax.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/03_libraries/02_activation/softmax/softmax.asc)

The host gives each core ceil(rows / 40) rows and picks rows per tile from the row length
(SLICE_TABLE); each tile runs SoftMax in place with a 60 KB shared temporary buffer and writes
the row max and row sum, each broadcast over one 32-byte block (8 floats) per row.

Changed: nothing beyond Python spelling (BEGIN_TILING_DATA_DEF is a TilingData subclass,
`*ptr = *(tiling32 + i)` is `ptr[i] = tiling32[i]`, SoftMaxTilingFunc fills the struct passed
as its last argument as in C++).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

SHARED_TMP_BUFFER_SIZE = 61440  # reserved tmpbuffer 60K for softmax compute
SLICE_TABLE = [(8192, 1), (4096, 2), (2048, 4), (1024, 8), (512, 16), (256, 32), (0, 64)]
BUFFER_NUM = 2
FLOAT_NUM_OF_SINGEL_BLOCK = 8
BASIC_BLOCK_ROW_FACTOR = 8
BASIC_BLOCK_COLUMN_FACTOR = 64
BASIC_BLOCK_MAX_COLUMN_LENGTH = 2048
WORKSPACE_SIZE = 1024
TILINGDATA_SIZE = 28  # Element count of struct SoftmaxCustomTilingData


class SoftmaxCustomTilingData(cann.TilingData):  # BEGIN_TILING_DATA_DEF
    columnLength: cann.uint32
    rowLength: cann.uint32
    sharedTmpBufferSize: cann.uint32
    usedBlockDim: cann.uint32
    coreRowNum: cann.uint32
    tailCoreRowNum: cann.uint32
    singleLoopCoreRowNum: cann.uint32
    singleCoreLoopCount: cann.uint32
    singleCoreLoopTail: cann.uint32
    tailCoreSingleLoopCoreRowNum: cann.uint32
    tailCoreSingleCoreLoopCount: cann.uint32
    tailCoreSingleCoreLoopTail: cann.uint32
    softmaxTilingData: cann.SoftMaxTiling


class VecTiling(cann.TilingData):
    columnLength: cann.uint32 = 0
    rowLength: cann.uint32 = 0
    sharedTmpBufferSize: cann.uint32 = 0
    usedBlockDim: cann.uint32 = 0
    coreRowNum: cann.uint32 = 0
    tailCoreRowNum: cann.uint32 = 0
    singleLoopCoreRowNum: cann.uint32 = 0
    singleCoreLoopCount: cann.uint32 = 0
    singleCoreLoopTail: cann.uint32 = 0
    tailCoreSingleLoopCoreRowNum: cann.uint32 = 0
    tailCoreSingleCoreLoopCount: cann.uint32 = 0
    tailCoreSingleCoreLoopTail: cann.uint32 = 0
    softmaxTilingData: cann.SoftMaxTiling


def GetSingleCoreLoopParam(colNum, coreRowNum):
    for first, second in SLICE_TABLE:
        if colNum >= first:
            return second, coreRowNum // second, coreRowNum % second
    return 0, 0, 0


def ComputeTiling(rowNum, colNum, coreNum, tiling: SoftmaxCustomTilingData) -> None:
    localworkspaceSize = SHARED_TMP_BUFFER_SIZE
    alignedRowNum = (rowNum + coreNum - 1) // coreNum * coreNum
    coreRowNum = alignedRowNum // coreNum  # each core equal distribution
    tailCoreRowNum = rowNum % coreRowNum  # last core process the tail rownum
    usedBlockDim = rowNum // coreRowNum  # the core num used actually
    mainCoreLoopParam = GetSingleCoreLoopParam(colNum, coreRowNum)
    if usedBlockDim == coreNum and tailCoreRowNum == 0:
        tailCoreLoopParam = GetSingleCoreLoopParam(colNum, coreRowNum)
    else:
        tailCoreLoopParam = GetSingleCoreLoopParam(colNum, tailCoreRowNum)
    tiling.set_columnLength(colNum)
    tiling.set_rowLength(rowNum)
    tiling.set_sharedTmpBufferSize(localworkspaceSize)
    tiling.set_usedBlockDim(usedBlockDim)
    tiling.set_coreRowNum(coreRowNum)
    tiling.set_tailCoreRowNum(tailCoreRowNum)
    tiling.set_singleLoopCoreRowNum(mainCoreLoopParam[0])
    tiling.set_singleCoreLoopCount(mainCoreLoopParam[1])
    tiling.set_singleCoreLoopTail(mainCoreLoopParam[2])
    tiling.set_tailCoreSingleLoopCoreRowNum(tailCoreLoopParam[0])
    tiling.set_tailCoreSingleCoreLoopCount(tailCoreLoopParam[1])
    tiling.set_tailCoreSingleCoreLoopTail(tailCoreLoopParam[2])
    # get SoftMax Tiling
    softmaxComputeShape = (mainCoreLoopParam[0], colNum)
    cann.SoftMaxTilingFunc(
        softmaxComputeShape, sizeof(cann.float), localworkspaceSize, tiling.softmaxTilingData
    )


def GenerateTiling(rowNum, colNum, coreNum, tilingSize, tilingBuffer) -> None:
    tiling = SoftmaxCustomTilingData()
    ComputeTiling(rowNum, colNum, coreNum, tiling)
    # Copy tiling to tilingBuffer
    tiling.SaveToBuffer(tilingBuffer, tilingSize)


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
        if (
            rowNum % BASIC_BLOCK_ROW_FACTOR == 0
            and self.columnLength % BASIC_BLOCK_COLUMN_FACTOR == 0
            and self.columnLength < BASIC_BLOCK_MAX_COLUMN_LENGTH
        ):
            cann.SoftMax[cann.float, True, True](
                xLocal, sumLocal, maxLocal, xLocal, tmpBuffer, self.softmaxTiling, srcShape
            )
        else:
            cann.SoftMax[cann.float, True](
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


def CopyTiling(tiling: VecTiling, tilingGM) -> None:
    ptr = cann.reinterpret_cast(cann.uint32, tiling)
    tiling32 = tilingGM.cast(cann.uint32)
    for i in range(cann.sizeof(VecTiling) // sizeof(cann.uint32)):
        ptr[i] = tiling32[i]


@cann.kernel
def softmax_custom(x, max, sum, z, workspace, tiling):  # noqa: A002 - the vendor's names
    pipe = cann.TPipe()
    tilingData = VecTiling()
    CopyTiling(tilingData, tiling)
    op = KernelSoftmax()
    op.Init(x, max, sum, z, tilingData, pipe)
    op.Process()


# (ROW_NUM, COLUMN_NUM, USED_CORE_NUM)
# With a remainder (100 rows over 8 cores: 7 of 13, a tail core of 9), the tail core's
# SetGlobalBuffer spans coreRowNum rows, past the end of x; it reads only its own rows.
CASES = {
    "sample_960x960_40_cores": (960, 960, 40),
    "96x64_8_cores": (96, 64, 8),
    "100x64_8_cores_uneven_tail": (100, 64, 8),
}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_960x960_40_cores"


def run(case: str) -> Result:
    ROW_NUM, COLUMN_NUM, USED_CORE_NUM = CASES[case]
    x = rng(case).standard_normal((ROW_NUM, COLUMN_NUM)).astype(np.float32)
    z = np.empty_like(x)
    rowMax = np.empty((ROW_NUM, 8), np.float32)
    rowSum = np.empty((ROW_NUM, 8), np.float32)
    tilingSize = TILINGDATA_SIZE * sizeof(cann.uint32)
    tilingHost = np.zeros(tilingSize, np.uint8)
    GenerateTiling(ROW_NUM, COLUMN_NUM, USED_CORE_NUM, tilingSize, tilingHost)
    workspace = np.zeros(WORKSPACE_SIZE, np.float32)
    softmax_custom[USED_CORE_NUM](x, rowMax, rowSum, z, workspace, tilingHost)
    x64 = x.astype(np.float64)
    m = x64.max(axis=1, keepdims=True)
    e = np.exp(x64 - m)
    s = e.sum(axis=1, keepdims=True)
    got = np.concatenate([z.ravel(), rowMax.ravel(), rowSum.ravel()])
    want = np.concatenate([(e / s).ravel(), np.repeat(m, 8), np.repeat(s, 8)])
    return Result(got, want, rtol=1e-5, atol=1e-6)
