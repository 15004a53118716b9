"""The vendor's PairReduceSum sample: 128 halves summed in adjacent pairs (bit-mask form).

Source: cannmirror/asc-devkit, examples/01_simd_cpp_api/02_features/03_basic_api/
02_memory_vector_compute/pair_reduce_sum/pair_reduce_sum.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/03_basic_api/02_memory_vector_compute/pair_reduce_sum/pair_reduce_sum.asc)

Changed: nothing beyond Python spelling (the sizes are constructor arguments).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

UINT64_MAX = (1 << 64) - 1


class KernelReduce:
    def __init__(self, srcDataSize=128, dstDataSize=64):
        self.srcDataSize, self.dstDataSize = srcDataSize, dstDataSize

    def Init(self, src, dstGm, pipeIn):
        self.pipe = pipeIn
        self.srcGlobal = cann.GlobalTensor(cann.half)
        self.dstGlobal = cann.GlobalTensor(cann.half)
        self.srcGlobal.SetGlobalBuffer(src.cast(cann.half))
        self.dstGlobal.SetGlobalBuffer(dstGm.cast(cann.half))
        self.inQueueSrc = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueueDst = cann.TQue(cann.TPosition.VECOUT, 1)
        self.pipe.InitBuffer(self.inQueueSrc, 1, self.srcDataSize * sizeof(cann.half))
        self.pipe.InitBuffer(self.outQueueDst, 1, self.dstDataSize * sizeof(cann.half))

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        srcLocal = self.inQueueSrc.AllocTensor(cann.half)
        cann.DataCopy(srcLocal, self.srcGlobal, self.srcDataSize)
        self.inQueueSrc.EnQue(srcLocal)

    def Compute(self):
        srcLocal = self.inQueueSrc.DeQue(cann.half)
        dstLocal = self.outQueueDst.AllocTensor(cann.half)
        zero = cann.half(0)
        cann.Duplicate(dstLocal, zero, self.dstDataSize)
        # bit mask: all 128 bits set, every half of the repeat takes part
        mask = [UINT64_MAX, UINT64_MAX]
        repeat = self.srcDataSize // 128
        # srcBlkStride 1, dstRepStride 1, srcRepStride 8: no gaps
        cann.PairReduceSum(dstLocal, srcLocal, repeat, mask, 1, 1, 8)
        self.outQueueDst.EnQue(dstLocal)
        self.inQueueSrc.FreeTensor(srcLocal)

    def CopyOut(self):
        dstLocal = self.outQueueDst.DeQue(cann.half)
        cann.DataCopy(self.dstGlobal, dstLocal, self.dstDataSize)
        self.outQueueDst.FreeTensor(dstLocal)


def pair_reduce_sum_kernel(srcDataSize, dstDataSize):
    @cann.kernel
    def pair_reduce_sum_custom(x, z):
        pipe = cann.TPipe()
        op = KernelReduce(srcDataSize, dstDataSize)
        op.Init(x, z, pipe)
        op.Process()

    return pair_reduce_sum_custom


CASES = {"sample_128": 128}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_128"


def run(case: str) -> Result:
    n = CASES[case]
    x = rng(case).uniform(-4, 4, n).astype(np.float16)
    inputByteSize, outputByteSize = n * 2, n // 2 * 2
    zHost = np.empty(n // 2, np.float16)
    xDevice = cann.aclrtMalloc(inputByteSize)
    zDevice = cann.aclrtMalloc(outputByteSize)
    cann.aclrtMemcpy(xDevice, inputByteSize, x, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    pair_reduce_sum_kernel(n, n // 2)[1, None, None](xDevice, zDevice)
    cann.aclrtMemcpy(zHost, outputByteSize, zDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    return Result(zHost, (x[0::2] + x[1::2]).astype(np.float64))
