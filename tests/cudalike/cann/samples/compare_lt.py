"""The vendor's Compare sample: x < y per element into a bit mask (three API forms, float).

Source: cannmirror/asc-devkit, examples/01_simd_cpp_api/02_features/03_basic_api/
02_memory_vector_compute/compare/compare.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/03_basic_api/02_memory_vector_compute/compare/compare.asc)

Scenario 1: Compare(dst, x, y, LT, 256) writes 256 bits (32 bytes). Scenario 2: the form
without dst, one repeat of 64 floats into the CMPMASK register, read with GetCmpMask.
Scenario 3: y[0] read on the scalar unit (MTE2_S and S_V flags from FetchEventID), then
Compares(dst, x, scalar, LT, 256). Bit i of byte i // 8 is element i.

Changed: nothing beyond Python spelling (the scenario is an argument).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, lacking, rng, sizeof


class KernelCmp:
    """KernelCmp<T, INPUT_SIZE, INPUT_Y_SIZE, OUTPUT_SIZE>."""

    def __init__(self, SCENARIO_NUM, T, INPUT_SIZE, INPUT_Y_SIZE, OUTPUT_SIZE):
        self.SCENARIO_NUM, self.T = SCENARIO_NUM, T
        self.INPUT_SIZE, self.INPUT_Y_SIZE, self.OUTPUT_SIZE = (
            INPUT_SIZE,
            INPUT_Y_SIZE,
            OUTPUT_SIZE,
        )

    def Init(self, src0Gm, src1Gm, dstGm, mode, pipeIn):
        T = self.T
        self.pipe = pipeIn
        self.cmpMode = mode
        self.src0Global = cann.GlobalTensor(T)
        self.src1Global = cann.GlobalTensor(T)
        self.dstGlobal = cann.GlobalTensor(cann.uint8)
        self.src0Global.SetGlobalBuffer(src0Gm.cast(T))
        self.src1Global.SetGlobalBuffer(src1Gm.cast(T))
        self.dstGlobal.SetGlobalBuffer(dstGm.cast(cann.uint8))
        self.inQueueSrc0 = cann.TQue(cann.TPosition.VECIN, 1)
        self.inQueueSrc1 = cann.TQue(cann.TPosition.VECIN, 1)
        self.outQueueDst = cann.TQue(cann.TPosition.VECOUT, 1)
        self.pipe.InitBuffer(self.inQueueSrc0, 1, self.INPUT_SIZE * sizeof(T))
        self.pipe.InitBuffer(self.inQueueSrc1, 1, self.INPUT_Y_SIZE * sizeof(T))
        self.pipe.InitBuffer(self.outQueueDst, 1, self.OUTPUT_SIZE * sizeof(cann.uint8))

    def Process(self):
        src0Local = self.inQueueSrc0.AllocTensor(self.T)
        src1Local = self.inQueueSrc1.AllocTensor(self.T)
        cann.DataCopy(src0Local, self.src0Global, self.INPUT_SIZE)
        cann.DataCopy(src1Local, self.src1Global, self.INPUT_Y_SIZE)
        self.inQueueSrc0.EnQue(src0Local)
        self.inQueueSrc1.EnQue(src1Local)
        self.Compute()
        dstLocal = self.outQueueDst.DeQue(cann.uint8)
        cann.DataCopy(self.dstGlobal, dstLocal, self.OUTPUT_SIZE)
        self.outQueueDst.FreeTensor(dstLocal)

    def Compute(self):
        T = self.T
        src0Local = self.inQueueSrc0.DeQue(T)
        src1Local = self.inQueueSrc1.DeQue(T)
        dstLocal = self.outQueueDst.AllocTensor(cann.uint8)
        if self.SCENARIO_NUM == 1:
            cann.Compare(dstLocal, src0Local, src1Local, self.cmpMode, self.INPUT_SIZE)
        elif self.SCENARIO_NUM == 2:
            cann.Duplicate(dstLocal.ReinterpretCast(cann.float), cann.float(0), 8)
            repeatParams = cann.BinaryRepeatParams()
            mask = 256 // sizeof(T)  # 256 bytes per repeat
            cann.Compare(src0Local, src1Local, self.cmpMode, mask, repeatParams)
            cann.PipeBarrier(cann.PIPE_V)
            cann.GetCmpMask(dstLocal)
        elif self.SCENARIO_NUM == 3:
            eventID = cann.GetTPipePtr().FetchEventID(cann.HardEvent.MTE2_S)
            cann.SetFlag(cann.HardEvent.MTE2_S, eventID)
            cann.WaitFlag(cann.HardEvent.MTE2_S, eventID)
            src1Scalar = src1Local.GetValue(0)
            eventID = cann.GetTPipePtr().FetchEventID(cann.HardEvent.S_V)
            cann.SetFlag(cann.HardEvent.S_V, eventID)
            cann.WaitFlag(cann.HardEvent.S_V, eventID)
            cann.Compares(dstLocal, src0Local, T(src1Scalar), self.cmpMode, self.INPUT_SIZE)
        self.outQueueDst.EnQue(dstLocal)
        self.inQueueSrc0.FreeTensor(src0Local)
        self.inQueueSrc1.FreeTensor(src1Local)


def compare_kernel(SCENARIO_NUM, T, INPUT_SIZE, INPUT_Y_SIZE, OUTPUT_SIZE):
    @cann.kernel
    def compare_custom(x, y, z):
        pipe = cann.TPipe()
        op = KernelCmp(SCENARIO_NUM, T, INPUT_SIZE, INPUT_Y_SIZE, OUTPUT_SIZE)
        op.Init(x, y, z, cann.CMPMODE.LT, pipe)
        op.Process()

    return compare_custom


# scenario -> (INPUT_SIZE, INPUT_Y_SIZE)
CASES = {
    "1_tensor_tensor": (1, 256, 256),
    "2_cmpmask_register": (2, 64, 64),
    "3_tensor_scalar": (3, 256, 16),
}
LITERAL = True
MISSING: str | None = None
MISSING_CASES = {
    "2_cmpmask_register": lacking(
        "Compare(src0, src1, mode, mask, repeatParams) into the CMPMASK register, GetCmpMask",
        "GetCmpMask",
    ),
    "3_tensor_scalar": lacking(
        "Compares (the vendor's name for CompareScalar) and GetTPipePtr()->FetchEventID",
        "Compares",
        "GetTPipePtr",
    ),
}
BENCH_CASE = "1_tensor_tensor"


def run(case: str) -> Result:
    SCENARIO_NUM, INPUT_SIZE, INPUT_Y_SIZE = CASES[case]
    OUTPUT_SIZE = 32
    gen = rng(case)
    x = gen.standard_normal(INPUT_SIZE).astype(np.float32)
    y = gen.standard_normal(INPUT_Y_SIZE).astype(np.float32)
    zHost = np.zeros(OUTPUT_SIZE, np.uint8)
    xDevice = cann.aclrtMalloc(x.nbytes)
    yDevice = cann.aclrtMalloc(y.nbytes)
    zDevice = cann.aclrtMalloc(OUTPUT_SIZE)
    cann.aclrtMemcpy(xDevice, x.nbytes, x, x.nbytes, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    cann.aclrtMemcpy(yDevice, y.nbytes, y, y.nbytes, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    compare_kernel(SCENARIO_NUM, np.float32, INPUT_SIZE, INPUT_Y_SIZE, OUTPUT_SIZE)[1](
        xDevice, yDevice, zDevice
    )
    cann.aclrtMemcpy(zHost, OUTPUT_SIZE, zDevice, OUTPUT_SIZE, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    other = y if SCENARIO_NUM != 3 else y[0]
    bits = np.packbits(x < other, bitorder="little")
    want = np.zeros(OUTPUT_SIZE, np.uint8)
    want[: bits.size] = bits
    return Result(zHost, want)
