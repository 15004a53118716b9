"""The vendor's cube-only Mmad: C (fp32) = A x B with hand-written L1 -> L0 moves, one core.

Source: cannmirror/asc-devkit, examples/01_utilities/02_dumptensor/KernelLaunch/
DumpTensorKernelInvocationCube/mmad_custom_cube_only.h (kernel) and mmad_custom.cpp (entry)
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_utilities/02_dumptensor/KernelLaunch/DumpTensorKernelInvocationCube/mmad_custom_cube_only.h)

A and B go GM -> L1 with DataCopy(Nd2NzParams) (ND to NZ), then L1 -> L0A row of fractals by
row of fractals with LoadData2DParams (NZ -> ZZ), and L1 -> L0B with ifTranspose (NZ -> ZN);
Mmad accumulates into L0C and Fixpipe (FixpipeParamsV220) writes C row-major to GM.

Changed: nothing beyond Python spelling (the class members `uint16_t m = 32, k = 32, n = 32`
are class attributes; the test's other shapes subclass KernelMmad with other values). The
DumpTensor / DumpAccChkPoint lines print after the launch, under the core's DumpHead.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

CUBE_BLOCK = 16  # half type, cube block: [16, 16]
CUBE_BLOCK_SIZE = 16 * 16
OFFSET_LENGTH = 32  # offset length for DumpAccChkPoint
DUMP_LENGTH = 32  # dump length


class KernelMmad:
    m, k, n = 32, 32, 32

    def __init__(self):
        self.aSize = self.m * self.k
        self.bSize = self.k * self.n
        self.cSize = self.m * self.n

    def Init(self, a, b, c):
        # set cube only
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_AIC_ONLY)
        self.aGM = cann.GlobalTensor(cann.half)
        self.bGM = cann.GlobalTensor(cann.half)
        self.cGM = cann.GlobalTensor(cann.float)
        self.aGM.SetGlobalBuffer(a.cast(cann.half))
        self.bGM.SetGlobalBuffer(b.cast(cann.half))
        self.cGM.SetGlobalBuffer(c.cast(cann.float))
        self.pipe = cann.TPipe()
        self.inQueueA1 = cann.TQue(cann.TPosition.A1, 1)
        self.inQueueA2 = cann.TQue(cann.TPosition.A2, 1)
        self.inQueueB1 = cann.TQue(cann.TPosition.B1, 1)
        self.inQueueB2 = cann.TQue(cann.TPosition.B2, 1)
        self.outQueueCO1 = cann.TQue(cann.TPosition.CO1, 1)
        self.pipe.InitBuffer(self.inQueueA1, 1, self.aSize * sizeof(cann.half))
        self.pipe.InitBuffer(self.inQueueA2, 1, self.aSize * sizeof(cann.half))
        self.pipe.InitBuffer(self.inQueueB1, 1, self.bSize * sizeof(cann.half))
        self.pipe.InitBuffer(self.inQueueB2, 1, self.bSize * sizeof(cann.half))
        self.pipe.InitBuffer(self.outQueueCO1, 1, self.cSize * sizeof(cann.float))

    def Process(self):
        self.CopyIn()
        self.SplitA()
        self.SplitB()
        self.Compute()
        self.CopyOut()

    def CeilCubeBlock(self, length):
        return (length + CUBE_BLOCK - 1) // CUBE_BLOCK

    def CopyIn(self):
        m, k, n = self.m, self.k, self.n
        a1Local = self.inQueueA1.AllocTensor(cann.half)
        b1Local = self.inQueueB1.AllocTensor(cann.half)
        nd2nzA1Params = cann.Nd2NzParams()
        nd2nzA1Params.ndNum = 1
        nd2nzA1Params.nValue = m
        nd2nzA1Params.dValue = k
        nd2nzA1Params.srcNdMatrixStride = 0
        nd2nzA1Params.srcDValue = k
        nd2nzA1Params.dstNzC0Stride = self.CeilCubeBlock(m) * CUBE_BLOCK
        nd2nzA1Params.dstNzNStride = 1
        nd2nzA1Params.dstNzMatrixStride = 0
        cann.DataCopy(a1Local, self.aGM, nd2nzA1Params)
        # print GM without a tensor shape, with extra info 0
        cann.DumpTensor(self.aGM, 0, DUMP_LENGTH)
        nd2nzB1Params = cann.Nd2NzParams()
        nd2nzB1Params.ndNum = 1
        nd2nzB1Params.nValue = k
        nd2nzB1Params.dValue = n
        nd2nzB1Params.srcNdMatrixStride = 0
        nd2nzB1Params.srcDValue = n
        nd2nzB1Params.dstNzC0Stride = self.CeilCubeBlock(k) * CUBE_BLOCK
        nd2nzB1Params.dstNzNStride = 1
        nd2nzB1Params.dstNzMatrixStride = 0
        cann.DataCopy(b1Local, self.bGM, nd2nzB1Params)
        self.inQueueA1.EnQue(a1Local)
        self.inQueueB1.EnQue(b1Local)

    def SplitA(self):
        a1Local = self.inQueueA1.DeQue(cann.half)
        a2Local = self.inQueueA2.AllocTensor(cann.half)
        dstOffset = self.CeilCubeBlock(self.k) * CUBE_BLOCK_SIZE
        srcOffset = CUBE_BLOCK_SIZE
        # Nz -> Zz
        loadDataParams = cann.LoadData2DParams()
        loadDataParams.repeatTimes = self.CeilCubeBlock(self.k)
        loadDataParams.srcStride = self.CeilCubeBlock(self.m)
        loadDataParams.dstGap = 0
        loadDataParams.ifTranspose = False
        for i in range(self.CeilCubeBlock(self.m)):
            cann.LoadData(a2Local[i * dstOffset], a1Local[i * srcOffset], loadDataParams)
        # print L1 with a tensor shape, with extra info 1
        array = [8, 8]
        shapeInfo = cann.ShapeInfo(2, array)  # dim 2, shape (8, 8)
        cann.DumpTensor(a1Local, 1, 64, shapeInfo)  # 64 elements of a1Local, read as (8, 8)
        self.inQueueA2.EnQue(a2Local)
        self.inQueueA1.FreeTensor(a1Local)

    def SplitB(self):
        b1Local = self.inQueueB1.DeQue(cann.half)
        b2Local = self.inQueueB2.AllocTensor(cann.half)
        dstOffset = self.CeilCubeBlock(self.n) * CUBE_BLOCK_SIZE
        srcOffset = CUBE_BLOCK_SIZE
        # Nz -> Zn
        loadDataParams = cann.LoadData2DParams()
        loadDataParams.repeatTimes = self.CeilCubeBlock(self.n)
        loadDataParams.srcStride = self.CeilCubeBlock(self.k)
        loadDataParams.dstGap = 0
        loadDataParams.ifTranspose = True
        for i in range(self.CeilCubeBlock(self.k)):
            cann.LoadData(b2Local[i * dstOffset], b1Local[i * srcOffset], loadDataParams)
        self.inQueueB1.FreeTensor(b1Local)
        self.inQueueB2.EnQue(b2Local)

    def Compute(self):
        a2Local = self.inQueueA2.DeQue(cann.half)
        b2Local = self.inQueueB2.DeQue(cann.half)
        c1Local = self.outQueueCO1.AllocTensor(cann.float)
        mmadParams = cann.MmadParams()
        mmadParams.m = self.m
        mmadParams.n = self.n
        mmadParams.k = self.k
        cann.Mmad(c1Local, a2Local, b2Local, mmadParams)
        # DumpAccChkPoint with an offset
        cann.DumpAccChkPoint(c1Local, 2, OFFSET_LENGTH, DUMP_LENGTH)  # extra info 2
        self.outQueueCO1.EnQue(c1Local)
        self.inQueueA2.FreeTensor(a2Local)
        self.inQueueB2.FreeTensor(b2Local)

    def CopyOut(self):
        c1Local = self.outQueueCO1.DeQue(cann.float)
        fixpipeParams = cann.FixpipeParamsV220()
        fixpipeParams.nSize = self.n
        fixpipeParams.mSize = self.m
        fixpipeParams.srcStride = self.m
        fixpipeParams.dstStride = self.n
        fixpipeParams.ndNum = 1
        fixpipeParams.srcNdStride = 0
        fixpipeParams.dstNdStride = 0
        cann.Fixpipe(self.cGM, c1Local, fixpipeParams)
        self.outQueueCO1.FreeTensor(c1Local)


def mmad_kernel(m, k, n):
    """The sample's entry, over a KernelMmad whose m, k, n are the case's."""
    Kernel = type("KernelMmad", (KernelMmad,), {"m": m, "k": k, "n": n})

    @cann.kernel
    def mmad_custom(a, b, c):
        op = Kernel()
        op.Init(a, b, c)
        op.Process()

    return mmad_custom


# (m, k, n): the sample's 32^3 and non-square shapes in whole fractals.
CASES = {"sample_32x32x32": (32, 32, 32), "64x32x48": (64, 32, 48), "16x128x80": (16, 128, 80)}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_32x32x32"


def run(case: str) -> Result:
    m, k, n = CASES[case]
    gen = rng(case)
    a = gen.uniform(-1, 1, (m, k)).astype(np.float16)
    b = gen.uniform(-1, 1, (k, n)).astype(np.float16)
    c = np.zeros((m, n), np.float32)
    mmad_kernel(m, k, n)[1](a, b, c)
    want = a.astype(np.float64) @ b.astype(np.float64)
    return Result(c, want, rtol=1e-5, atol=1e-5 * k)
