"""The vendor's compound-compute sample, scenarios 2 and 3: AddRelu, and Axpy after a UB copy.

Source: cannmirror/asc-devkit, examples/01_simd_cpp_api/02_features/03_basic_api/
02_memory_vector_compute/element_wise_compound_compute/element_wise_compound_compute.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/03_basic_api/02_memory_vector_compute/element_wise_compound_compute/element_wise_compound_compute.asc)

512 halves each: scenario 2 writes max(src0 + src1, 0) with AddRelu; scenario 3 copies src1
into the output tensor with a UB -> UB DataCopy, then Axpy adds src0 x 2.0 into it
(first-n form). Scenario 1 (CastDequant) is not ported.

Changed: nothing beyond Python spelling (the scenario is an argument).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, lacking, rng, sizeof

DATA_SIZE = 512


class KernelCompoundCompute:
    """KernelCompoundCompute<half, half> for scenarios 2 and 3."""

    def __init__(self, scenarioNum):
        self.scenarioNum = scenarioNum

    def Init(self, src0_gm, src1_gm, dst_gm, pipeIn):
        self.pipe = pipeIn
        self.src0_global, self.src1_global, self.dst_global = (
            cann.GlobalTensor(cann.half) for _ in range(3)
        )
        self.src0_global.SetGlobalBuffer(src0_gm.cast(cann.half))
        self.src1_global.SetGlobalBuffer(src1_gm.cast(cann.half))
        self.dst_global.SetGlobalBuffer(dst_gm.cast(cann.half))
        self.inQueueSrc0 = cann.TQue(cann.TPosition.VECIN, 1)
        self.inQueueSrc1 = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueue = cann.TQue(cann.TPosition.VECOUT, 1)
        self.pipe.InitBuffer(self.inQueueSrc0, 1, DATA_SIZE * sizeof(cann.half))
        self.pipe.InitBuffer(self.inQueueSrc1, 1, DATA_SIZE * sizeof(cann.half))
        self.pipe.InitBuffer(self.outQueue, 1, DATA_SIZE * sizeof(cann.half))

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        src0Local = self.inQueueSrc0.AllocTensor(cann.half)
        src1Local = self.inQueueSrc1.AllocTensor(cann.half)
        cann.DataCopy(src0Local, self.src0_global, DATA_SIZE)
        cann.DataCopy(src1Local, self.src1_global, DATA_SIZE)
        self.inQueueSrc0.EnQue(src0Local)
        self.inQueueSrc1.EnQue(src1Local)

    def Compute(self):
        dstLocal = self.outQueue.AllocTensor(cann.half)
        src0Local = self.inQueueSrc0.DeQue(cann.half)
        src1Local = self.inQueueSrc1.DeQue(cann.half)
        if self.scenarioNum == 2:
            # dst[i] = max(src0[i] + src1[i], 0)
            cann.AddRelu(dstLocal, src0Local, src1Local, DATA_SIZE)
        elif self.scenarioNum == 3:
            # src1 is the initial dst, then dst = dst + src0 x scalar
            cann.DataCopy(dstLocal, src1Local, DATA_SIZE)
            cann.PipeBarrier(cann.PIPE_V)
            scalar = cann.half(2.0)
            cann.Axpy(dstLocal, src0Local, scalar, DATA_SIZE)
        self.outQueue.EnQue(dstLocal)
        self.inQueueSrc0.FreeTensor(src0Local)
        self.inQueueSrc1.FreeTensor(src1Local)

    def CopyOut(self):
        dstLocal = self.outQueue.DeQue(cann.half)
        cann.DataCopy(self.dst_global, dstLocal, DATA_SIZE)
        self.outQueue.FreeTensor(dstLocal)


def compound_kernel(scenarioNum):
    @cann.kernel
    def element_wise_compound_compute_custom(src0_gm, src1_gm, dst_gm):
        pipe = cann.TPipe()
        op = KernelCompoundCompute(scenarioNum)
        op.Init(src0_gm, src1_gm, dst_gm, pipe)
        op.Process()

    return element_wise_compound_compute_custom


CASES = {"2_add_relu": 2, "3_axpy": 3}
LITERAL = True
MISSING: str | None = None
MISSING_CASES = {
    "2_add_relu": lacking("AddRelu", "AddRelu"),
    "3_axpy": lacking("Axpy (first-n form)", "Axpy"),
}
BENCH_CASE = "3_axpy"


def run(case: str) -> Result:
    scenarioNum = CASES[case]
    gen = rng(case)
    x0 = gen.standard_normal(DATA_SIZE).astype(np.float16)
    x1 = gen.standard_normal(DATA_SIZE).astype(np.float16)
    size = DATA_SIZE * sizeof(cann.half)
    out = np.empty(DATA_SIZE, np.float16)
    d0, d1, dOut = (cann.aclrtMalloc(size) for _ in range(3))
    cann.aclrtMemcpy(d0, size, x0, size, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cann.aclrtMemcpy(d1, size, x1, size, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    compound_kernel(scenarioNum)[1, None, None](d0, d1, dOut)
    cann.aclrtMemcpy(out, size, dOut, size, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    if scenarioNum == 2:
        return Result(out, np.maximum(x0 + x1, np.float16(0)).astype(np.float64))
    # Axpy computes in half: one rounding of the product, one of the sum
    want = (x1 + x0 * np.float16(2.0)).astype(np.float64)
    return Result(out, want, rtol=2e-3, atol=2e-3)
