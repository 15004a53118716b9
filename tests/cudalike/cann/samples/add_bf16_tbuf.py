"""The vendor's bfloat16 add through float TBuf scratch: Cast up, Add, Cast down (CAST_RINT).

Source: cannmirror/asc-devkit, examples/00_introduction/11_vectoradd/add_tbuf/vector_add_custom.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/00_introduction/11_vectoradd/add_tbuf/vector_add_custom.asc);
the same kernel is examples/00_introduction/04_simple_operator/tmp_buffer/vector_add_custom.asc.

Changed: nothing beyond Python spelling.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, lacking, rng, sizeof

TOTAL_LENGTH = 2048


class KernelAdd:
    def Init(self, x, y, z):
        self.xGm = cann.GlobalTensor(cann.bfloat16_t)
        self.yGm = cann.GlobalTensor(cann.bfloat16_t)
        self.zGm = cann.GlobalTensor(cann.bfloat16_t)
        self.xGm.SetGlobalBuffer(x.cast(cann.bfloat16_t), TOTAL_LENGTH)
        self.yGm.SetGlobalBuffer(y.cast(cann.bfloat16_t), TOTAL_LENGTH)
        self.zGm.SetGlobalBuffer(z.cast(cann.bfloat16_t), TOTAL_LENGTH)
        self.pipe = cann.TPipe()
        self.inQueueX = cann.TQue(cann.TPosition.VECIN, 1)
        self.inQueueY = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueueZ = cann.TQue(cann.TPosition.VECOUT, 1)
        self.tmpBuf0 = cann.TBuf(cann.TPosition.VECCALC)
        self.tmpBuf1 = cann.TBuf(cann.TPosition.VECCALC)
        self.pipe.InitBuffer(self.inQueueX, 1, TOTAL_LENGTH * sizeof(cann.bfloat16_t))
        self.pipe.InitBuffer(self.inQueueY, 1, TOTAL_LENGTH * sizeof(cann.bfloat16_t))
        self.pipe.InitBuffer(self.outQueueZ, 1, TOTAL_LENGTH * sizeof(cann.bfloat16_t))
        self.pipe.InitBuffer(self.tmpBuf0, TOTAL_LENGTH * sizeof(cann.float))
        self.pipe.InitBuffer(self.tmpBuf1, TOTAL_LENGTH * sizeof(cann.float))

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        xLocal = self.inQueueX.AllocTensor(cann.bfloat16_t)
        yLocal = self.inQueueY.AllocTensor(cann.bfloat16_t)
        cann.DataCopy(xLocal, self.xGm, TOTAL_LENGTH)
        cann.DataCopy(yLocal, self.yGm, TOTAL_LENGTH)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self):
        xLocal = self.inQueueX.DeQue(cann.bfloat16_t)
        yLocal = self.inQueueY.DeQue(cann.bfloat16_t)
        zLocal = self.outQueueZ.AllocTensor(cann.bfloat16_t)
        tmpTensor0 = self.tmpBuf0.Get(cann.float)
        tmpTensor1 = self.tmpBuf1.Get(cann.float)
        cann.Cast(tmpTensor0, xLocal, cann.RoundMode.CAST_NONE, TOTAL_LENGTH)
        cann.Cast(tmpTensor1, yLocal, cann.RoundMode.CAST_NONE, TOTAL_LENGTH)
        cann.Add(tmpTensor0, tmpTensor0, tmpTensor1, TOTAL_LENGTH)
        cann.Cast(zLocal, tmpTensor0, cann.RoundMode.CAST_RINT, TOTAL_LENGTH)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self):
        zLocal = self.outQueueZ.DeQue(cann.bfloat16_t)
        cann.DataCopy(self.zGm, zLocal, TOTAL_LENGTH)
        self.outQueueZ.FreeTensor(zLocal)


@cann.kernel
def add_custom(x, y, z):
    op = KernelAdd()
    op.Init(x, y, z)
    op.Process()


CASES = {"sample_2048": TOTAL_LENGTH}
LITERAL = True
MISSING = lacking("the bfloat16_t element type", "bfloat16_t")
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_2048"


def bf16_bits(values: np.ndarray) -> np.ndarray:
    """float32 values rounded to nearest-even bfloat16, as raw uint16 bits."""
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def bf16_values(bits: np.ndarray) -> np.ndarray:
    return (bits.astype(np.uint32) << 16).view(np.float32)


def run(case: str) -> Result:
    gen = rng(case)
    xHost = bf16_bits(gen.standard_normal(TOTAL_LENGTH))
    yHost = bf16_bits(gen.standard_normal(TOTAL_LENGTH))
    byteSize = TOTAL_LENGTH * sizeof(np.uint16)
    zHost = np.empty(TOTAL_LENGTH, np.uint16)
    xDevice, yDevice, zDevice = (cann.aclrtMalloc(byteSize) for _ in range(3))
    cann.aclrtMemcpy(xDevice, byteSize, xHost, byteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cann.aclrtMemcpy(yDevice, byteSize, yHost, byteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    add_custom[1, None, None](xDevice, yDevice, zDevice)
    cann.aclrtMemcpy(zHost, byteSize, zDevice, byteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    want = bf16_values(bf16_bits(bf16_values(xHost) + bf16_values(yHost)))
    return Result(bf16_values(zHost), want)
