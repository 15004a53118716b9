"""The vendor's Axpy sample: dst (float) += src (half) x 2.0 in repeat form, mixed precision.

Source: cannmirror/asc-devkit, examples/03_libraries/00_math/axpy_half_float/axpy_half_float.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/03_libraries/00_math/axpy_half_float/axpy_half_float.asc)

512 halves in; Duplicate zeroes the 512-float output, then Axpy(dst, src, 2.0, mask 64,
8 repeats, {dstBlkStride 1, srcBlkStride 1, dstRepStride 8, srcRepStride 4}): each repeat
reads 64 halves (4 blocks) and accumulates into 64 floats (8 blocks). The sample launches 8
blocks that all compute and write the same output (the same values: no race).

Changed: nothing beyond Python spelling.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, lacking, rng, sizeof


class KernelAxpy:
    def Init(self, srcGm, dstGm):
        self.srcGlobal = cann.GlobalTensor(cann.half)
        self.dstGlobal = cann.GlobalTensor(cann.float)
        self.srcGlobal.SetGlobalBuffer(srcGm.cast(cann.half))
        self.dstGlobal.SetGlobalBuffer(dstGm.cast(cann.float))
        self.pipe = cann.TPipe()
        self.inQueueSrc = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueueDst = cann.TQue(cann.TPosition.VECOUT, 1)
        self.pipe.InitBuffer(self.outQueueDst, 1, 512 * sizeof(cann.float))
        self.pipe.InitBuffer(self.inQueueSrc, 1, 512 * sizeof(cann.half))

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        srcLocal = self.inQueueSrc.AllocTensor(cann.half)
        cann.DataCopy(srcLocal, self.srcGlobal, 512)
        self.inQueueSrc.EnQue(srcLocal)

    def Compute(self):
        srcLocal = self.inQueueSrc.DeQue(cann.half)
        dstLocal = self.outQueueDst.AllocTensor(cann.float)
        cann.Duplicate(dstLocal, cann.float(0.0), 512)
        cann.Axpy(dstLocal, srcLocal, cann.half(2.0), 64, 8, cann.UnaryRepeatParams(1, 1, 8, 4))
        self.outQueueDst.EnQue(dstLocal)
        self.inQueueSrc.FreeTensor(srcLocal)

    def CopyOut(self):
        dstLocal = self.outQueueDst.DeQue(cann.float)
        cann.DataCopy(self.dstGlobal, dstLocal, 512)
        self.outQueueDst.FreeTensor(dstLocal)


@cann.kernel
def kernel_vec_ternary_scalar_Axpy_half_2_float(srcGm, dstGm):  # noqa: N802 - vendor name
    op = KernelAxpy()
    op.Init(srcGm, dstGm)
    op.Process()


CASES = {"sample_512_8_blocks": 8}
LITERAL = True
MISSING = lacking("Axpy (dst += src x scalar, half into float)", "Axpy")
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_512_8_blocks"


def run(case: str) -> Result:
    blockDim = CASES[case]
    inputByteSize = 4 * 128 * sizeof(cann.uint16)
    outputByteSize = 4 * 128 * sizeof(cann.uint32)
    xHost = rng(case).standard_normal(512).astype(np.float16)
    outHost = np.empty(512, np.float32)
    xDevice = cann.aclrtMalloc(inputByteSize)
    outDevice = cann.aclrtMalloc(outputByteSize)
    cann.aclrtMemcpy(xDevice, inputByteSize, xHost, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    kernel_vec_ternary_scalar_Axpy_half_2_float[blockDim, None, None](xDevice, outDevice)
    cann.aclrtMemcpy(
        outHost, outputByteSize, outDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST
    )
    return Result(outHost, xHost.astype(np.float64) * 2.0, rtol=1e-6)
