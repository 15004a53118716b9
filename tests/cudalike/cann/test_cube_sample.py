"""The vendor's mmad sample kernel (KernelMmad of mmad_custom.h) ported as literally as the API
allows: CopyND2NZ by strided DataCopy, SplitA (NZ -> zZ, one LoadData per fractal row), SplitB
(NZ -> nZ with ifTranspose, B split in two column halves), Mmad of n / 2 columns, and the
copy-out of the Fixpipe-based samples. The cube path must compute the right product on
square and non-square shapes, and a port that drops the transpose must not."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.tolerances import assert_close_reduction

H, F = cann.half, cann.float32
P = cann.TPosition


class KernelMmad:
    def __init__(self, m, n, k, transpose_b=True):
        self.m, self.n, self.k = m, n, k
        self.aSize, self.bSize, self.cSize = m * k, k * n, m * n
        self.mBlocks, self.nBlocks, self.kBlocks = m // 16, n // 16, k // 16
        self.transpose_b = transpose_b

    def Init(self, a, b, c):
        self.aGM, self.bGM, self.cGM = (
            cann.GlobalTensor(H),
            cann.GlobalTensor(H),
            cann.GlobalTensor(F),
        )
        self.aGM.SetGlobalBuffer(a.cast(H))
        self.bGM.SetGlobalBuffer(b.cast(H))
        self.cGM.SetGlobalBuffer(c.cast(F))
        self.pipe = cann.TPipe()
        self.inQueueA1, self.inQueueA2 = cann.TQue(P.A1, 1), cann.TQue(P.A2, 1)
        self.inQueueB1, self.inQueueB2 = cann.TQue(P.B1, 1), cann.TQue(P.B2, 2)
        self.outQueueCO1 = cann.TQue(P.CO1, 2)
        self.pipe.InitBuffer(self.inQueueA1, 1, self.aSize * 2)
        self.pipe.InitBuffer(self.inQueueA2, 1, self.aSize * 2)
        self.pipe.InitBuffer(self.inQueueB1, 1, self.bSize * 2)
        self.pipe.InitBuffer(self.inQueueB2, 2, self.bSize * 2 // 2)
        self.pipe.InitBuffer(self.outQueueCO1, 2, self.cSize * 4 // 2)

    def Process(self):
        self.CopyIn()
        self.SplitA()
        b1Local = self.inQueueB1.DeQue(H)
        a2Local = self.inQueueA2.DeQue(H)
        for i in range(2):  # split matrix b into 2 column halves
            self.SplitB(b1Local, i)
            self.Compute(a2Local)
            self.CopyOut(i)
        self.inQueueB1.FreeTensor(b1Local)
        self.inQueueA2.FreeTensor(a2Local)

    def CopyND2NZ(self, dst, src, height, width):
        for i in range(width // 16):
            srcOffset = i * 16
            dstOffset = i * 16 * height
            cann.DataCopy(
                dst[dstOffset], src[srcOffset], cann.DataCopyParams(height, 1, width // 16 - 1, 0)
            )

    def CopyIn(self):
        a1Local = self.inQueueA1.AllocTensor(H)
        b1Local = self.inQueueB1.AllocTensor(H)
        self.CopyND2NZ(a1Local, self.aGM, self.m, self.k)
        self.CopyND2NZ(b1Local, self.bGM, self.k, self.n)
        self.inQueueA1.EnQue(a1Local)
        self.inQueueB1.EnQue(b1Local)

    def SplitA(self):
        srcOffset = 0
        dstOffset = 0
        a1Local = self.inQueueA1.DeQue(H)
        a2Local = self.inQueueA2.AllocTensor(H)
        for _ in range(self.mBlocks):  # transform nz to zz
            loadDataParams = cann.LoadData2DParams()
            loadDataParams.repeatTimes = self.kBlocks
            loadDataParams.srcStride = self.mBlocks
            loadDataParams.ifTranspose = False
            cann.LoadData(a2Local[dstOffset], a1Local[srcOffset], loadDataParams)
            srcOffset += 16 * 16
            dstOffset += self.k * 16
        self.inQueueA2.EnQue(a2Local)
        self.inQueueA1.FreeTensor(a1Local)

    def SplitB(self, b1Local, bSplitIdx):
        b2Local = self.inQueueB2.AllocTensor(H)
        # transform nz to zn: per k fractal row, the n / 2 columns of this half
        half_blocks = self.nBlocks // 2
        for kb in range(self.kBlocks):
            loadDataParams = cann.LoadData2DParams()
            loadDataParams.startIndex = bSplitIdx * half_blocks * self.kBlocks + kb
            loadDataParams.repeatTimes = half_blocks
            loadDataParams.srcStride = self.kBlocks
            loadDataParams.ifTranspose = self.transpose_b
            cann.LoadData(b2Local[kb * half_blocks * 256], b1Local, loadDataParams)
        self.inQueueB2.EnQue(b2Local)

    def Compute(self, a2Local):
        b2Local = self.inQueueB2.DeQue(H)
        c1Local = self.outQueueCO1.AllocTensor(F)
        mmadParams = cann.MmadParams()
        mmadParams.m = self.m
        mmadParams.n = self.n // 2
        mmadParams.k = self.k
        cann.Mmad(c1Local, a2Local, b2Local, mmadParams)
        self.outQueueCO1.EnQue(c1Local)
        self.inQueueB2.FreeTensor(b2Local)

    def CopyOut(self, bSplitIdx):
        c1Local = self.outQueueCO1.DeQue(F)
        fixpipeParams = cann.FixpipeParamsV220()
        fixpipeParams.nSize = self.n // 2
        fixpipeParams.mSize = self.m
        fixpipeParams.srcStride = self.m
        fixpipeParams.dstStride = self.n
        fixpipeParams.ndNum = 1
        cann.Fixpipe(self.cGM[bSplitIdx * self.n // 2], c1Local, fixpipeParams)
        self.outQueueCO1.FreeTensor(c1Local)


def mmad_custom(m, n, k, transpose_b=True, atomic=False):
    @cann.kernel
    def kernel(a, b, c):
        op = KernelMmad(m, n, k, transpose_b)
        op.Init(a, b, c)
        if atomic:
            cann.SetAtomicAdd(F)
        op.Process()
        if atomic:
            cann.SetAtomicNone()

    return kernel


def operands(m, n, k, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, k)).astype(np.float16)
    b = rng.standard_normal((k, n)).astype(np.float16)
    return a, b, a.astype(np.float32) @ b.astype(np.float32)


@pytest.mark.parametrize(("m", "n", "k"), [(32, 32, 32), (32, 64, 48), (48, 32, 80)])
def test_vendor_mmad_sample_computes_the_product(m, n, k):
    a, b, expected = operands(m, n, k, seed=m + n + k)
    c = np.zeros((m, n), np.float32)
    mmad_custom(m, n, k)[1](a, b, c)
    scale = np.abs(a.astype(np.float32)) @ np.abs(b.astype(np.float32))
    assert_close_reduction(c, expected, np.float32, k, scale=scale)


def test_fixpipe_accumulates_under_set_atomic_add():
    a, b, expected = operands(32, 32, 32)
    c = np.ones((32, 32), np.float32)
    mmad_custom(32, 32, 32, atomic=True)[3](a, b, c)  # three blocks add the same product
    scale = 3 * np.abs(a.astype(np.float32)) @ np.abs(b.astype(np.float32))
    assert_close_reduction(c, 1 + 3 * expected, np.float32, 3 * 32, scale=scale)


def test_dropping_the_per_fractal_transpose_gives_the_wrong_product():
    a, b, expected = operands(32, 32, 32)
    c = np.zeros((32, 32), np.float32)
    mmad_custom(32, 32, 32, transpose_b=False)[1](a, b, c)
    # Each 16 x 16 fractal of B is used transposed: a product with blockwise-transposed B.
    blocks = b.reshape(2, 16, 2, 16).transpose(0, 2, 3, 1).transpose(0, 2, 1, 3).reshape(32, 32)
    np.testing.assert_allclose(
        c, a.astype(np.float32) @ blocks.astype(np.float32), rtol=1e-5, atol=1e-4
    )
    assert not np.allclose(c, expected, atol=1e-2)


def test_fixpipe_src_stride_is_the_l0c_height():
    @cann.kernel
    def kernel(c):
        cGm = cann.GlobalTensor(F)
        cGm.SetGlobalBuffer(c)
        pipe = cann.TPipe()
        que = cann.TQue(P.CO1, 1)
        pipe.InitBuffer(que, 1, 4 * 32 * 48)
        c1 = que.AllocTensor(F)
        cann.Fixpipe(cGm, c1, cann.FixpipeParamsV220(48, 20, 20, 48))  # m, not m rounded up

    with pytest.raises(
        errors.InstructionError, match=r"srcStride=20 with mSize=20.*multiple of 16.*here 32"
    ):
        kernel[1](np.zeros((20, 48), np.float32))
