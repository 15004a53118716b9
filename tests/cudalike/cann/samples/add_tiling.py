"""The vendor's vector add with a host tiling for any length, six dtypes and uneven cores.

Source: cannmirror/asc-devkit,
examples/00_introduction/11_vectoradd/add_tiling/vector_add_custom.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/00_introduction/11_vectoradd/add_tiling/vector_add_custom.asc)

The host splits the 32-byte-aligned length over 8 cores: evenly when it divides, else
`formerNum` cores take one 32-byte block more than the `tailNum` others. Each core walks tiles
of at most 100 blocks (two buffers); the last tile is shifted back so that it ends exactly at
the core's end. bfloat16 and int8 are added in float and half (Cast, Add, Cast back).

The host's rule holds only when a core's tile is an even number of 32-byte blocks (each
buffer takes half a tile): a core share of fewer than 100 blocks must be even, or DataCopy
would drop the half block (cudalike reports it). The cases keep to that rule.

Changed: nothing beyond Python spelling (template specialisations are classes named after
their type; `tiling.dataType` picks one as the kernel's if-chain does).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann

from ._common import Result, lacking, rng, sizeof


@dataclasses.dataclass
class AddCustomTilingData:
    totalLength: int = 0
    dataType: int = 0
    blockLength: int = 0
    tileNum: int = 0
    tileLength: int = 0
    lastTileLength: int = 0
    formerNum: int = 0
    formerLength: int = 0
    formerTileNum: int = 0
    formerTileLength: int = 0
    formerLastTileLength: int = 0
    tailNum: int = 0
    tailLength: int = 0
    tailTileNum: int = 0
    tailTileLength: int = 0
    tailLastTileLength: int = 0
    isEvenCore: int = 0


DATA_TYPE_SIZE = [2, 2, 4, 1, 2, 4]
BLOCK_SIZE = 32
BUFFER_NUM = 2
UB_BLOCK_NUM = 100  # the most UB blocks a tile may use
MAX_AVAILABLE_UB_BLOCK_NUM = UB_BLOCK_NUM // BUFFER_NUM * BUFFER_NUM


def TilingParamsCalc(length, alignNum):
    """Host: (tileNum, tileLength, lastTileLength) for one core's `length` elements."""
    assert alignNum != 0
    tileNum = length // (alignNum * MAX_AVAILABLE_UB_BLOCK_NUM)
    if (length // alignNum) % MAX_AVAILABLE_UB_BLOCK_NUM == 0 or tileNum == 0:
        if tileNum == 0:
            tileNum = 1
        if length < MAX_AVAILABLE_UB_BLOCK_NUM * alignNum:
            tileLength = (length + alignNum - 1) // alignNum * alignNum
            lastTileLength = tileLength
        else:
            tileLength = MAX_AVAILABLE_UB_BLOCK_NUM * alignNum
            lastTileLength = length - (tileNum - 1) * tileLength
    else:
        tileNum += 1
        tileLength = MAX_AVAILABLE_UB_BLOCK_NUM * alignNum
        lastTileLength = length - (tileNum - 1) * tileLength
    return tileNum, tileLength, lastTileLength


def GenerateTilingData(tiling: AddCustomTilingData, blockDim: int) -> None:
    totalLength = tiling.totalLength
    dataTypeSize = DATA_TYPE_SIZE[tiling.dataType]
    alignNum = BLOCK_SIZE // dataTypeSize
    assert alignNum != 0 and blockDim != 0
    # the length rounded up to 32 bytes when it is not aligned
    if totalLength % alignNum == 0:
        totalLengthAligned = totalLength
    else:
        totalLengthAligned = (totalLength + alignNum - 1) // alignNum * alignNum
    if (totalLengthAligned // alignNum) % blockDim == 0:  # even split over the cores
        blockLength = totalLengthAligned // blockDim
        tileNum, tileLength, lastTileLength = TilingParamsCalc(blockLength, alignNum)
        tiling.blockLength = blockLength
        tiling.tileNum = tileNum
        tiling.tileLength = tileLength
        tiling.lastTileLength = lastTileLength
        tiling.isEvenCore = 1
    else:  # uneven: formerNum cores take one block more
        formerNum = (totalLengthAligned // alignNum) % blockDim
        tailNum = blockDim - formerNum
        formerLength = (
            ((totalLengthAligned + blockDim - 1) // blockDim + alignNum - 1) // alignNum * alignNum
        )
        tailLength = (totalLengthAligned // blockDim // alignNum) * alignNum
        formerTileNum, formerTileLength, formerLastTileLength = TilingParamsCalc(
            formerLength, alignNum
        )
        tailTileNum, tailTileLength, tailLastTileLength = TilingParamsCalc(tailLength, alignNum)
        tiling.formerNum = formerNum
        tiling.formerLength = formerLength
        tiling.formerTileNum = formerTileNum
        tiling.formerTileLength = formerTileLength
        tiling.formerLastTileLength = formerLastTileLength
        tiling.tailNum = tailNum
        tiling.tailLength = tailLength
        tiling.tailTileNum = tailTileNum
        tiling.tailTileLength = tailTileLength
        tiling.tailLastTileLength = tailLastTileLength
        tiling.isEvenCore = 0


ADD_BFLOAT16, ADD_FLOAT16, ADD_FLOAT32, ADD_INT8, ADD_INT16, ADD_INT32 = range(6)
LAST_TWO_TILE = 2


class KernelAdd:
    """KernelAdd<dataType>: the generic kernel (half, float, int16, int32)."""

    def __init__(self, dataType):
        self.dataType = dataType

    def Init(self, x, y, z, tiling: AddCustomTilingData):
        T = self.dataType
        self.xGm = cann.GlobalTensor(T)
        self.yGm = cann.GlobalTensor(T)
        self.zGm = cann.GlobalTensor(T)
        if tiling.isEvenCore:
            self.blockLength = tiling.blockLength
            self.tileNum = tiling.tileNum
            self.tileLength = tiling.tileLength // BUFFER_NUM
            self.lastTileLength = tiling.lastTileLength
            self.xGm.SetGlobalBuffer(
                x.cast(T) + self.blockLength * cann.GetBlockIdx(), self.blockLength
            )
            self.yGm.SetGlobalBuffer(
                y.cast(T) + self.blockLength * cann.GetBlockIdx(), self.blockLength
            )
            self.zGm.SetGlobalBuffer(
                z.cast(T) + self.blockLength * cann.GetBlockIdx(), self.blockLength
            )
        elif cann.GetBlockIdx() < tiling.formerNum:
            self.tileNum = tiling.formerTileNum
            self.tileLength = tiling.formerTileLength // BUFFER_NUM
            self.lastTileLength = tiling.formerLastTileLength
            start = tiling.formerLength * cann.GetBlockIdx()
            self.xGm.SetGlobalBuffer(x.cast(T) + start, tiling.formerLength)
            self.yGm.SetGlobalBuffer(y.cast(T) + start, tiling.formerLength)
            self.zGm.SetGlobalBuffer(z.cast(T) + start, tiling.formerLength)
        else:
            self.tileNum = tiling.tailTileNum
            self.tileLength = tiling.tailTileLength // BUFFER_NUM
            self.lastTileLength = tiling.tailLastTileLength
            start = tiling.formerLength * tiling.formerNum + tiling.tailLength * (
                cann.GetBlockIdx() - tiling.formerNum
            )
            self.xGm.SetGlobalBuffer(x.cast(T) + start, tiling.tailLength)
            self.yGm.SetGlobalBuffer(y.cast(T) + start, tiling.tailLength)
            self.zGm.SetGlobalBuffer(z.cast(T) + start, tiling.tailLength)
        self.pipe = cann.TPipe()
        self.inQueueX = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.inQueueY = cann.TQue(cann.TPosition.VECIN, BUFFER_NUM)
        self.outQueueZ = cann.TQue(cann.TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * sizeof(T))
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, self.tileLength * sizeof(T))
        self.pipe.InitBuffer(self.outQueueZ, BUFFER_NUM, self.tileLength * sizeof(T))
        self.InitTmp()

    def InitTmp(self):
        """The specialisations that compute in a wider type add two VECCALC buffers."""

    def Process(self):
        loopCount = self.tileNum * BUFFER_NUM
        for i in range(loopCount):
            self.CopyIn(i)
            self.Compute(i)
            self.CopyOut(i)

    def CopyIn(self, progress):
        T = self.dataType
        xLocal = self.inQueueX.AllocTensor(T)
        yLocal = self.inQueueY.AllocTensor(T)
        if progress == self.tileNum * BUFFER_NUM - 1:
            offset = (progress - LAST_TWO_TILE) * self.tileLength + self.lastTileLength
            cann.DataCopy(xLocal, self.xGm[offset], self.tileLength)
            cann.DataCopy(yLocal, self.yGm[offset], self.tileLength)
        else:
            cann.DataCopy(xLocal, self.xGm[progress * self.tileLength], self.tileLength)
            cann.DataCopy(yLocal, self.yGm[progress * self.tileLength], self.tileLength)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self, progress):
        T = self.dataType
        xLocal = self.inQueueX.DeQue(T)
        yLocal = self.inQueueY.DeQue(T)
        zLocal = self.outQueueZ.AllocTensor(T)
        self.AddTile(zLocal, xLocal, yLocal)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def AddTile(self, zLocal, xLocal, yLocal):
        cann.Add(zLocal, xLocal, yLocal, self.tileLength)

    def CopyOut(self, progress):
        zLocal = self.outQueueZ.DeQue(self.dataType)
        if progress == self.tileNum * BUFFER_NUM - 1:
            offset = (progress - LAST_TWO_TILE) * self.tileLength + self.lastTileLength
            cann.DataCopy(self.zGm[offset], zLocal, self.tileLength)
        else:
            cann.DataCopy(self.zGm[progress * self.tileLength], zLocal, self.tileLength)
        self.outQueueZ.FreeTensor(zLocal)


class KernelAddWidened(KernelAdd):
    """KernelAdd<bfloat16_t> (in float, rounding back with CAST_RINT) and KernelAdd<int8_t>
    (in half, back with CAST_NONE): the two specialisations differ only in these types."""

    def __init__(self, dataType, computeType, roundBack):
        super().__init__(dataType)
        self.computeType = computeType
        self.roundBack = roundBack

    def InitTmp(self):
        self.tmpBuf0 = cann.TBuf(cann.TPosition.VECCALC)
        self.tmpBuf1 = cann.TBuf(cann.TPosition.VECCALC)
        self.pipe.InitBuffer(self.tmpBuf0, self.tileLength * sizeof(self.computeType))
        self.pipe.InitBuffer(self.tmpBuf1, self.tileLength * sizeof(self.computeType))

    def AddTile(self, zLocal, xLocal, yLocal):
        tmpTensor0 = self.tmpBuf0.Get(self.computeType)
        tmpTensor1 = self.tmpBuf1.Get(self.computeType)
        cann.Cast(tmpTensor0, xLocal, cann.RoundMode.CAST_NONE, self.tileLength)
        cann.Cast(tmpTensor1, yLocal, cann.RoundMode.CAST_NONE, self.tileLength)
        cann.Add(tmpTensor0, tmpTensor0, tmpTensor1, self.tileLength)
        cann.Cast(zLocal, tmpTensor0, self.roundBack, self.tileLength)


@cann.kernel
def add_custom(x, y, z, tiling: AddCustomTilingData):
    if tiling.dataType == ADD_BFLOAT16:
        op = KernelAddWidened(cann.bfloat16_t, cann.float, cann.RoundMode.CAST_RINT)
    elif tiling.dataType == ADD_FLOAT16:
        op = KernelAdd(cann.half)
    elif tiling.dataType == ADD_FLOAT32:
        op = KernelAdd(cann.float)
    elif tiling.dataType == ADD_INT8:
        op = KernelAddWidened(cann.int8, cann.half, cann.RoundMode.CAST_NONE)
    elif tiling.dataType == ADD_INT16:
        op = KernelAdd(cann.int16)
    elif tiling.dataType == ADD_INT32:
        op = KernelAdd(cann.int32)
    else:
        return
    op.Init(x, y, z, tiling)
    op.Process()


def main(x: np.ndarray, y: np.ndarray, dataType: int) -> np.ndarray:
    """The sample's host: tiling for 8 cores, exact-size aclrtMalloc, launch, copy back."""
    BLOCK_DIM = 8
    tiling = AddCustomTilingData(totalLength=x.size, dataType=dataType)
    GenerateTilingData(tiling, BLOCK_DIM)
    dataTypeSize = DATA_TYPE_SIZE[tiling.dataType]
    inputByteSize = tiling.totalLength * dataTypeSize
    outputByteSize = tiling.totalLength * dataTypeSize
    zHost = np.empty_like(x)
    xDevice = cann.aclrtMalloc(inputByteSize)
    yDevice = cann.aclrtMalloc(inputByteSize)
    zDevice = cann.aclrtMalloc(outputByteSize)
    cann.aclrtMemcpy(xDevice, inputByteSize, x, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cann.aclrtMemcpy(yDevice, inputByteSize, y, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    add_custom[BLOCK_DIM, None, None](xDevice, yDevice, zDevice, tiling)
    cann.aclrtMemcpy(zHost, outputByteSize, zDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    return zHost


# (numpy dtype, dataType code, length)
CASES = {
    "float_even_8x3200": (np.float32, ADD_FLOAT32, 8 * 3200),
    "half_uneven_cores": (np.float16, ADD_FLOAT16, 16 * 1203),
    "int16_one_tile": (np.int16, ADD_INT16, 8 * 64),
    "int32_uneven": (np.int32, ADD_INT32, 1203 * 8),
    "int8_in_half": (np.int8, ADD_INT8, 32 * 8 * 8),
    "half_ragged_length": (np.float16, ADD_FLOAT16, 19243),
    "bfloat16_in_float": (None, ADD_BFLOAT16, 2048),
}
LITERAL = True
MISSING: str | None = None
MISSING_CASES = {"bfloat16_in_float": lacking("the bfloat16_t element type", "bfloat16_t")}
BENCH_CASE = "float_even_8x3200"


def run(case: str) -> Result:
    dtype, code, length = CASES[case]
    gen = rng(case)
    if dtype is None:  # bfloat16: the raw bits of float32 values truncated to 16 bits
        x32 = gen.standard_normal(length).astype(np.float32)
        y32 = gen.standard_normal(length).astype(np.float32)
        x = (x32.view(np.uint32) >> 16).astype(np.uint16)
        y = (y32.view(np.uint32) >> 16).astype(np.uint16)
        got = main(x, y, code)
        xs = (x.astype(np.uint32) << 16).view(np.float32)
        ys = (y.astype(np.uint32) << 16).view(np.float32)
        got32 = (got.astype(np.uint32) << 16).view(np.float32)
        return Result(got32, xs + ys, rtol=2.0**-8)
    if np.issubdtype(dtype, np.integer):
        x = gen.integers(-60, 60, length).astype(dtype)
        y = gen.integers(-60, 60, length).astype(dtype)
    else:
        x = gen.standard_normal(length).astype(dtype)
        y = gen.standard_normal(length).astype(dtype)
    return Result(main(x, y, code), x + y)
