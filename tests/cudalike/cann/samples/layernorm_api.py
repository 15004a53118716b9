"""The vendor's LayerNorm sample: the LayerNorm high-level API over a [2, 32, 16] float tensor.

Source: cannmirror/asc-devkit, examples/03_libraries/03_normalization/layernorm/layernorm.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/03_libraries/03_normalization/layernorm/layernorm.asc)

One tile holds the whole [B, S, H] tensor; LayerNorm normalises each of the B x S rows of H
with gamma and beta and writes the row means and variances. The sample launches 40 blocks that
all compute and write the same result.

Changed: nothing beyond Python spelling (BEGIN_TILING_DATA_DEF is a TilingData subclass,
`*ptr = *(tiling32 + i)` is `ptr[i] = tiling32[i]`, the host tiling functions fill the struct
passed as their last argument as in C++ and return the tmp sizes).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof


class LayernormCustomTilingData(cann.TilingData):  # BEGIN_TILING_DATA_DEF
    layernormTilingData: cann.LayerNormTiling
    epsilon: cann.float


cann.REGISTER_TILING_DATA_CLASS("LayernormCustom", LayernormCustomTilingData)


def ComputeTiling(bLength, sLength, hLength, tiling: LayernormCustomTilingData) -> None:
    geShape = (bLength, sLength, hLength, hLength)
    isReuseSource = False
    maxTmpSize, minTmpSize = cann.GetLayerNormMaxMinTmpSize(
        geShape, sizeof(cann.float), isReuseSource
    )
    localWorkspaceSize = minTmpSize
    # get layernorm Tiling
    cann.GetLayerNormNDTilingInfo(
        geShape, localWorkspaceSize, sizeof(cann.float), isReuseSource, tiling.layernormTilingData
    )
    tiling.set_epsilon(0.0001)


def GetTilingBuf(tilingData: LayernormCustomTilingData) -> np.ndarray:
    tilingSize = cann.sizeof(LayernormCustomTilingData)
    buf = np.zeros(tilingSize, np.uint8)
    tilingData.SaveToBuffer(buf, tilingSize)
    return buf


def GenerateTiling(bLength, sLength, hLength) -> np.ndarray:
    tiling = LayernormCustomTilingData()
    ComputeTiling(bLength, sLength, hLength, tiling)
    return GetTilingBuf(tiling)


class VecTiling(cann.TilingData):
    layernormTilingData: cann.LayerNormTiling
    epsilon: cann.float = 0


class KernelLayernorm:
    """KernelLayernorm<isReuseSource = false>."""

    isReuseSource = False

    def Init(
        self, inputXGm, gammGm, betaGm, outputGm, outputMeanGm, outputVarianceGm, tilingData, pipe
    ):
        self.pipe = pipe
        self.epsilon = cann.float(tilingData.epsilon)
        self.tiling_ = tilingData.layernormTilingData
        self.bLength = self.tiling_.bLength
        self.sLength = self.tiling_.sLength
        self.hLength = self.tiling_.hLength
        self.bshLength = self.bLength * self.sLength * self.hLength
        self.bsLength = self.bLength * self.sLength
        gm = {name: cann.GlobalTensor(cann.float) for name in ("x", "g", "b", "o", "m", "v")}
        self.inputXGlobal, self.gammGlobal, self.betaGlobal = gm["x"], gm["g"], gm["b"]
        self.outputGlobal, self.outputMeanGlobal, self.outputVarianceGlobal = (
            gm["o"],
            gm["m"],
            gm["v"],
        )
        self.inputXGlobal.SetGlobalBuffer(inputXGm.cast(cann.float), self.bshLength)
        self.gammGlobal.SetGlobalBuffer(gammGm.cast(cann.float), self.hLength)
        self.betaGlobal.SetGlobalBuffer(betaGm.cast(cann.float), self.hLength)
        self.outputGlobal.SetGlobalBuffer(outputGm.cast(cann.float), self.bshLength)
        self.outputMeanGlobal.SetGlobalBuffer(outputMeanGm.cast(cann.float), self.bsLength)
        self.outputVarianceGlobal.SetGlobalBuffer(outputVarianceGm.cast(cann.float), self.bsLength)
        self.inQueueX = cann.TQue(cann.TPosition.VECIN, 1)
        self.inQueueGamma = cann.TQue(cann.TPosition.VECIN, 1)
        self.inQueueBeta = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueue = cann.TQue(cann.TPosition.VECOUT, 1)
        self.outQueueMean = cann.TQue(cann.TPosition.VECOUT, 1)
        self.outQueueVariance = cann.TQue(cann.TPosition.VECOUT, 1)
        self.pipe.InitBuffer(self.inQueueX, 1, sizeof(cann.float) * self.bshLength)
        self.pipe.InitBuffer(self.inQueueGamma, 1, sizeof(cann.float) * self.hLength)
        self.pipe.InitBuffer(self.inQueueBeta, 1, sizeof(cann.float) * self.hLength)
        self.pipe.InitBuffer(self.outQueue, 1, sizeof(cann.float) * self.bshLength)
        self.pipe.InitBuffer(self.outQueueMean, 1, sizeof(cann.float) * self.bsLength)
        self.pipe.InitBuffer(self.outQueueVariance, 1, sizeof(cann.float) * self.bsLength)

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        inputXLocal = self.inQueueX.AllocTensor(cann.float)
        gammaLocal = self.inQueueGamma.AllocTensor(cann.float)
        betaLocal = self.inQueueBeta.AllocTensor(cann.float)
        cann.DataCopy(inputXLocal, self.inputXGlobal, self.bshLength)
        cann.DataCopy(gammaLocal, self.gammGlobal, self.hLength)
        cann.DataCopy(betaLocal, self.betaGlobal, self.hLength)
        self.inQueueX.EnQue(inputXLocal)
        self.inQueueGamma.EnQue(gammaLocal)
        self.inQueueBeta.EnQue(betaLocal)

    def Compute(self):
        inputXLocal = self.inQueueX.DeQue(cann.float)
        gammaLocal = self.inQueueGamma.DeQue(cann.float)
        betaLocal = self.inQueueBeta.DeQue(cann.float)
        outputLocal = self.outQueue.AllocTensor(cann.float)
        meanLocal = self.outQueueMean.AllocTensor(cann.float)
        varianceLocal = self.outQueueVariance.AllocTensor(cann.float)
        cann.LayerNorm[cann.float, self.isReuseSource](
            outputLocal,
            meanLocal,
            varianceLocal,
            inputXLocal,
            gammaLocal,
            betaLocal,
            self.epsilon,
            self.tiling_,
        )
        self.outQueue.EnQue(outputLocal)
        self.outQueueMean.EnQue(meanLocal)
        self.outQueueVariance.EnQue(varianceLocal)
        self.inQueueX.FreeTensor(inputXLocal)
        self.inQueueGamma.FreeTensor(gammaLocal)
        self.inQueueBeta.FreeTensor(betaLocal)

    def CopyOut(self):
        outputLocal = self.outQueue.DeQue(cann.float)
        meanLocal = self.outQueueMean.DeQue(cann.float)
        varianceLocal = self.outQueueVariance.DeQue(cann.float)
        cann.DataCopy(self.outputGlobal, outputLocal, self.bshLength)
        cann.DataCopy(self.outputMeanGlobal, meanLocal, self.bsLength)
        cann.DataCopy(self.outputVarianceGlobal, varianceLocal, self.bsLength)
        self.outQueue.FreeTensor(outputLocal)
        self.outQueueMean.FreeTensor(meanLocal)
        self.outQueueVariance.FreeTensor(varianceLocal)


def CopyTiling(tiling: VecTiling, tilingGM) -> None:
    ptr = cann.reinterpret_cast(cann.uint32, tiling)
    tiling32 = tilingGM.cast(cann.uint32)
    for i in range(cann.sizeof(VecTiling) // sizeof(cann.uint32)):
        ptr[i] = tiling32[i]


@cann.kernel
def layernorm_custom(
    inputXGm, gammaGm, betaGm, outputGm, outputMeanGm, outputVarianceGm, workspace, tiling
):
    pipe = cann.TPipe()
    tilingData = VecTiling()
    CopyTiling(tilingData, tiling)
    op = KernelLayernorm()
    op.Init(inputXGm, gammaGm, betaGm, outputGm, outputMeanGm, outputVarianceGm, tilingData, pipe)
    op.Process()


TILINGDATA_SIZE = 27
WORKSPACE_SIZE = 1024
CASES = {"sample_2x32x16_40_blocks": (2, 32, 16, 40), "4x8x64_2_blocks": (4, 8, 64, 2)}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_2x32x16_40_blocks"


def run(case: str) -> Result:
    B, S, H, blockDim = CASES[case]
    gen = rng(case)
    x = gen.standard_normal((B, S, H)).astype(np.float32)
    gamma = gen.uniform(0.5, 1.5, H).astype(np.float32)
    beta = gen.uniform(-0.5, 0.5, H).astype(np.float32)
    out = np.empty_like(x)
    mean = np.empty((B, S), np.float32)
    variance = np.empty((B, S), np.float32)
    tilingBuf = GenerateTiling(B, S, H)
    tilingFileSize = TILINGDATA_SIZE * sizeof(cann.uint32)
    tilingDevice = cann.aclrtMalloc(tilingFileSize)
    cann.aclrtMemcpy(
        tilingDevice, tilingFileSize, tilingBuf, tilingFileSize, cann.ACL_MEMCPY_HOST_TO_DEVICE
    )
    workspace = np.zeros(WORKSPACE_SIZE, np.float32)
    layernorm_custom[blockDim](x, gamma, beta, out, mean, variance, workspace, tilingDevice)
    x64 = x.astype(np.float64)
    mu = x64.mean(axis=2)
    var = x64.var(axis=2)
    y = (x64 - mu[..., None]) / np.sqrt(var[..., None] + 1e-4) * gamma + beta
    got = np.concatenate([out.ravel(), mean.ravel(), variance.ravel()])
    want = np.concatenate([y.ravel(), mu.ravel(), var.ravel()])
    return Result(got, want, rtol=1e-4, atol=1e-5)
