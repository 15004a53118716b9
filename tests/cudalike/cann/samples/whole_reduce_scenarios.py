"""The vendor's reduction sample: WholeReduceMax / Min (with index) / Sum and RepeatReduceSum.

Source: cannmirror/asc-devkit, examples/01_simd_cpp_api/02_features/03_basic_api/
02_memory_vector_compute/whole_reduce_min_max_sum/whole_reduce_min_max_sum.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/03_basic_api/02_memory_vector_compute/whole_reduce_min_max_sum/whole_reduce_min_max_sum.asc)

Scenarios (the sample's SCENARIO_NUM, one per case): 1 WholeReduceMax of 1024 halves, value
only; 2 WholeReduceMin with the lane index of each minimum; 3 WholeReduceSum of 2048 floats;
4 RepeatReduceSum (the same sums, older API); 6 WholeReduceSum of the rows of a 13 x 57 float
matrix (unaligned rows padded by DataCopyPad, mask = 57).

Changed: nothing beyond Python spelling (the scenario is an argument instead of a compile-time
constant). Scenario 5 (GetReduceRepeatMaxMinSpr) is not ported.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, reduction_tolerance, rng, sizeof


class KernelReduce:
    """KernelReduce<T, srcTotalLength, srcRow, srcCol, dstTotalLength> for one scenario."""

    def __init__(self, scenarioNum, T, srcTotalLength, srcRow, srcCol, dstTotalLength):
        self.scenarioNum = scenarioNum
        self.T = T
        self.srcTotalLength, self.srcRow, self.srcCol = srcTotalLength, srcRow, srcCol
        self.dstTotalLength = dstTotalLength
        isFloat = scenarioNum in (3, 4, 6)
        self.MASK = 64 if isFloat else 128
        self.BYTE_ALIGN = 32
        self.COL_ALIGN_BYTES = (
            (srcCol * sizeof(T) + self.BYTE_ALIGN - 1) // self.BYTE_ALIGN * self.BYTE_ALIGN
        )
        self.SRC_BUFFER_LENGTH = srcRow * (self.COL_ALIGN_BYTES // sizeof(T))

    def Init(self, src, dstGm, pipeIn):
        T = self.T
        self.pipe = pipeIn
        self.srcGlobal = cann.GlobalTensor(T)
        self.dstGlobal = cann.GlobalTensor(T)
        self.srcGlobal.SetGlobalBuffer(src.cast(T))
        self.dstGlobal.SetGlobalBuffer(dstGm.cast(T))
        self.repeat = self.srcTotalLength // self.MASK
        self.inQueueSrc = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueueDst = cann.TQue(cann.TPosition.VECOUT, 1)
        self.pipe.InitBuffer(self.inQueueSrc, 1, self.SRC_BUFFER_LENGTH * sizeof(T))
        self.pipe.InitBuffer(self.outQueueDst, 1, self.dstTotalLength * sizeof(T))

    def Process(self):
        self.CopyIn()
        self.Compute()
        self.CopyOut()

    def CopyIn(self):
        T = self.T
        srcLocal = self.inQueueSrc.AllocTensor(T)
        colBytes = self.srcCol * sizeof(T)
        copyParams = cann.DataCopyExtParams(self.srcRow, colBytes, 0, 0, 0)
        rpad = (self.COL_ALIGN_BYTES - colBytes) // sizeof(T)
        padParams = cann.DataCopyPadExtParams(False, 0, rpad, 0)
        cann.DataCopyPad(srcLocal, self.srcGlobal, copyParams, padParams)
        self.inQueueSrc.EnQue(srcLocal)

    def Compute(self):
        T = self.T
        srcLocal = self.inQueueSrc.DeQue(T)
        dstLocal = self.outQueueDst.AllocTensor(T)
        if self.scenarioNum == 1:
            cann.WholeReduceMax(
                dstLocal,
                srcLocal,
                self.MASK,
                self.repeat,
                1,
                1,
                8,
                cann.ReduceOrder.ORDER_ONLY_VALUE,
            )
        elif self.scenarioNum == 2:
            cann.WholeReduceMin(dstLocal, srcLocal, self.MASK, self.repeat, 1, 1, 8)
        elif self.scenarioNum == 3:
            cann.WholeReduceSum(dstLocal, srcLocal, self.MASK, self.repeat, 1, 1, 8)
        elif self.scenarioNum == 4:
            zero = T(0)
            cann.Duplicate(dstLocal, zero, self.dstTotalLength)
            cann.PipeBarrier(cann.PIPE_V)
            cann.RepeatReduceSum(dstLocal, srcLocal, self.repeat, self.MASK, 0, 1, 1, 8)
        elif self.scenarioNum == 6:
            srcStride = self.COL_ALIGN_BYTES // self.BYTE_ALIGN
            cann.WholeReduceSum(dstLocal, srcLocal, self.srcCol, self.srcRow, 1, 1, srcStride)
        self.outQueueDst.EnQue(dstLocal)
        self.inQueueSrc.FreeTensor(srcLocal)

    def CopyOut(self):
        T = self.T
        dstLocal = self.outQueueDst.DeQue(T)
        outBytes = self.dstTotalLength * sizeof(T)
        copyParams = cann.DataCopyExtParams(1, outBytes, 0, 0, 0)
        cann.DataCopyPad(self.dstGlobal, dstLocal, copyParams)
        self.outQueueDst.FreeTensor(dstLocal)


def reduce_kernel(scenarioNum, T, srcTotalLength, srcRow, srcCol, dstTotalLength):
    @cann.kernel
    def reduce_custom(x, z):
        pipe = cann.TPipe()
        op = KernelReduce(scenarioNum, T, srcTotalLength, srcRow, srcCol, dstTotalLength)
        op.Init(x, z, pipe)
        op.Process()

    return reduce_custom


# scenario -> (T, SRC_ROW, SRC_COL, DST_TOTAL_LENGTH)
CASES = {
    "1_max_value_only": (1, np.float16, 1, 1024, 8),
    "2_min_with_index": (2, np.float16, 1, 1024, 16),
    "3_sum_float": (3, np.float32, 1, 2048, 32),
    "4_repeat_reduce_sum": (4, np.float32, 1, 2048, 32),
    "6_sum_unaligned_rows": (6, np.float32, 13, 57, 13),
}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "3_sum_float"


def run(case: str) -> Result:
    scenarioNum, T, SRC_ROW, SRC_COL, DST_TOTAL_LENGTH = CASES[case]
    SRC_TOTAL_LENGTH = SRC_ROW * SRC_COL
    x = rng(case).uniform(-4, 4, SRC_TOTAL_LENGTH).astype(T)
    inputByteSize = SRC_TOTAL_LENGTH * sizeof(T)
    outputByteSize = DST_TOTAL_LENGTH * sizeof(T)
    zHost = np.empty(DST_TOTAL_LENGTH, T)
    xDevice = cann.aclrtMalloc(inputByteSize)
    zDevice = cann.aclrtMalloc(outputByteSize)
    cann.aclrtMemcpy(xDevice, inputByteSize, x, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    kernel = reduce_kernel(scenarioNum, T, SRC_TOTAL_LENGTH, SRC_ROW, SRC_COL, DST_TOTAL_LENGTH)
    kernel[1, None, None](xDevice, zDevice)
    cann.aclrtMemcpy(zHost, outputByteSize, zDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    if scenarioNum == 1:
        return Result(zHost, x.reshape(-1, 128).max(axis=1))
    if scenarioNum == 2:
        rows = x.reshape(-1, 128)
        got = np.stack([zHost[0::2].astype(np.float64), zHost[1::2].view(np.uint16)], axis=1)
        want = np.stack([rows.min(axis=1), rows.argmin(axis=1)], axis=1).astype(np.float64)
        return Result(got, want)
    per_row = x.reshape(-1, 64 if scenarioNum != 6 else SRC_COL)
    rtol, atol = reduction_tolerance(T, per_row.shape[1], 4.0)
    return Result(zHost, per_row.astype(np.float64).sum(axis=1), rtol, atol)
