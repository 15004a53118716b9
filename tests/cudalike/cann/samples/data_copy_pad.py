"""The vendor's DataCopyPad sample: unaligned rows padded in UB, then copied back out.

Source: cannmirror/asc-devkit, examples/01_simd_cpp_api/02_features/03_basic_api/
00_data_movement/data_copy_pad_gm2ub_ub2gm/data_copy_pad.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/03_basic_api/00_data_movement/data_copy_pad_gm2ub_ub2gm/data_copy_pad.asc)

Scenario 1: one row of 20 halves padded to 32 with the value set by SetPadValue (isPad false).
Scenario 2: 32 rows of 59 floats padded to 64 with zeros (isPad true). UB comes from a
LocalMemAllocator; MTE2 -> MTE3 is ordered by SetFlag/WaitFlag; the whole padded tile is
written back with one DataCopyPad row. (Scenarios 3-5 are for the Ascend 950 only.)

Changed: nothing beyond Python spelling (the scenario is an argument).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import EVENT_ID0, Result, lacking, rng, sizeof


class KernelDataCopyPad:
    """KernelDataCopyPad<T, srcRows, srcCols, dstCols, dstTotalLength>."""

    def __init__(self, scenarioNum, T, srcRows, srcCols, dstCols, dstTotalLength):
        self.scenarioNum, self.T = scenarioNum, T
        self.srcRows, self.srcCols = srcRows, srcCols
        self.dstCols, self.dstTotalLength = dstCols, dstTotalLength

    def Init(self, x, z):
        self.srcGlobal = cann.GlobalTensor(self.T)
        self.dstGlobal = cann.GlobalTensor(self.T)
        self.srcGlobal.SetGlobalBuffer(x.cast(self.T))
        self.dstGlobal.SetGlobalBuffer(z.cast(self.T))

    def Process(self):
        ubAllocator = cann.LocalMemAllocator(cann.Hardware.UB)
        srcLocal = ubAllocator.Alloc(self.T, self.dstTotalLength)
        self.CopyIn(srcLocal)
        cann.SetFlag(cann.HardEvent.MTE2_MTE3, EVENT_ID0)
        cann.WaitFlag(cann.HardEvent.MTE2_MTE3, EVENT_ID0)
        self.CopyOut(srcLocal)

    def CopyIn(self, srcLocal):
        T = self.T
        if self.scenarioNum == 1:
            # one row of 20 halves; rightPadding 12 filled with SetPadValue's 1 (isPad false)
            copyParams = cann.DataCopyExtParams(1, self.srcCols * sizeof(T), 0, 0, 0)
            padParams = cann.DataCopyPadExtParams()
            padParams.isPad = False
            padParams.leftPadding = 0
            padParams.rightPadding = self.dstCols - self.srcCols
            cann.SetPadValue(T(1))
            cann.DataCopyPad(srcLocal, self.srcGlobal, copyParams, padParams)
        elif self.scenarioNum == 2:
            # 32 rows of 59 floats; rightPadding 5 filled with zeros (isPad true)
            copyParams = cann.DataCopyExtParams(
                self.srcRows, self.srcCols * sizeof(cann.float), 0, 0, 0
            )
            padParams = cann.DataCopyPadExtParams()
            padParams.isPad = True
            padParams.leftPadding = 0
            padParams.rightPadding = self.dstCols - self.srcCols
            cann.DataCopyPad(srcLocal, self.srcGlobal, copyParams, padParams)

    def CopyOut(self, srcLocal):
        copyParams = cann.DataCopyExtParams(1, self.dstTotalLength * sizeof(self.T), 0, 0, 0)
        cann.DataCopyPad(self.dstGlobal, srcLocal, copyParams)


def data_copy_pad_kernel(scenarioNum, T, srcRows, srcCols, dstCols, dstTotalLength):
    @cann.kernel
    def data_copy_pad_custom(x, z):
        cann.InitSocState()
        op = KernelDataCopyPad(scenarioNum, T, srcRows, srcCols, dstCols, dstTotalLength)
        op.Init(x, z)
        op.Process()
        cann.PipeBarrier(cann.PIPE_ALL)

    return data_copy_pad_custom


# scenario -> (T, SRC_ROWS, SRC_COLS, DST_COLS)
CASES = {
    "1_pad_value_1x20": (1, np.float16, 1, 20, 32),
    "2_zero_pad_32x59": (2, np.float32, 32, 59, 64),
}
LITERAL = True
MISSING = lacking(
    "LocalMemAllocator<Hardware::UB> (UB without a TPipe), InitSocState, SetPadValue",
    "LocalMemAllocator",
    "Hardware",
    "InitSocState",
    "SetPadValue",
)
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "2_zero_pad_32x59"


def run(case: str) -> Result:
    scenarioNum, T, SRC_ROWS, SRC_COLS, DST_COLS = CASES[case]
    DST_TOTAL_LENGTH = SRC_ROWS * DST_COLS
    x = rng(case).standard_normal((SRC_ROWS, SRC_COLS)).astype(T)
    inputByteSize = x.nbytes
    outputByteSize = DST_TOTAL_LENGTH * sizeof(T)
    zHost = np.empty((SRC_ROWS, DST_COLS), T)
    xDevice = cann.aclrtMalloc(inputByteSize)
    zDevice = cann.aclrtMalloc(outputByteSize)
    cann.aclrtMemcpy(xDevice, inputByteSize, x, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    kernel = data_copy_pad_kernel(scenarioNum, T, SRC_ROWS, SRC_COLS, DST_COLS, DST_TOTAL_LENGTH)
    kernel[1, None, None](xDevice, zDevice)
    cann.aclrtMemcpy(zHost, outputByteSize, zDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    pad = 1 if scenarioNum == 1 else 0
    want = np.full((SRC_ROWS, DST_COLS), pad, np.float64)
    want[:, :SRC_COLS] = x
    return Result(zHost, want)
