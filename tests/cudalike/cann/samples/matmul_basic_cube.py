"""The vendor's static-tensor matmul: L1/L0 from LocalMemAllocator, flags between the pipes.

Source: cannmirror/asc-devkit, examples/01_simd_cpp_api/00_introduction/02_matrix/
matmul_basic_api/matmul_basic_api.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/00_introduction/02_matrix/matmul_basic_api/matmul_basic_api.asc)

C (256 x 256, half) = A (256 x 64) x B (64 x 256) on 2 cube cores, 128 rows each: DataCopy
with Nd2NzParams into L1, SetFlag/WaitFlag MTE2_MTE1, LoadData2DParams into L0A (per row of
fractals) and L0B (transposed), MTE1_M, one Mmad, M_FIX, Fixpipe with F322F16 to GM. The
__NPU_ARCH__ == 2201 branch (Atlas A2) is the one ported.

Changed: nothing beyond Python spelling (M, K, N and the base sizes are arguments instead of
template parameters).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import EVENT_ID0, Result, lacking, rng

CUBE_BLOCK = 16  # half type, cube block: [16, 16]


def mmad_kernel(M, K, N, singleCoreM, baseM, baseK, baseN):
    @cann.kernel
    def mmad_custom(a, b, c):
        cann.InitSocState()
        aGM = cann.GlobalTensor(cann.half)
        bGM = cann.GlobalTensor(cann.half)
        cGM = cann.GlobalTensor(cann.half)
        mIterIdx = cann.GetBlockIdx() % (M // singleCoreM)
        aGM.SetGlobalBuffer(a.cast(cann.half) + mIterIdx * singleCoreM * K)
        bGM.SetGlobalBuffer(b.cast(cann.half))
        cGM.SetGlobalBuffer(c.cast(cann.half) + mIterIdx * singleCoreM * N)
        l1Allocator = cann.LocalMemAllocator(cann.Hardware.L1)
        l0aAllocator = cann.LocalMemAllocator(cann.Hardware.L0A)
        l0bAllocator = cann.LocalMemAllocator(cann.Hardware.L0B)
        l0cAllocator = cann.LocalMemAllocator(cann.Hardware.L0C)
        a1Local = l1Allocator.Alloc(cann.TPosition.A1, cann.half, baseM * baseK)
        b1Local = l1Allocator.Alloc(cann.TPosition.B1, cann.half, baseK * baseN)
        a2Local = l0aAllocator.Alloc(cann.TPosition.A2, cann.half, baseM * baseK)
        b2Local = l0bAllocator.Alloc(cann.TPosition.B2, cann.half, baseK * baseN)
        cLocal = l0cAllocator.Alloc(cann.TPosition.CO1, cann.float, baseM * baseN)
        cann.DataCopy(a1Local, aGM, cann.Nd2NzParams(1, baseM, baseK, 0, K, baseM, 1, 0))
        cann.DataCopy(b1Local, bGM, cann.Nd2NzParams(1, baseK, baseN, 0, N, baseK, 1, 0))
        cann.SetFlag(cann.HardEvent.MTE2_MTE1, EVENT_ID0)
        cann.WaitFlag(cann.HardEvent.MTE2_MTE1, EVENT_ID0)
        for i in range(baseM // CUBE_BLOCK):  # A: Nz -> Zz
            cann.LoadData(
                a2Local[i * baseK * CUBE_BLOCK],
                a1Local[i * 512 // 2],
                cann.LoadData2DParams(0, baseK // CUBE_BLOCK, baseM // CUBE_BLOCK, 0, 0, False, 0),
            )
        for i in range(baseK // CUBE_BLOCK):  # B: Nz -> Zn
            cann.LoadData(
                b2Local[i * baseN * CUBE_BLOCK],
                b1Local[i * 512 // 2],
                cann.LoadData2DParams(0, baseN // CUBE_BLOCK, baseK // CUBE_BLOCK, 0, 0, True, 0),
            )
        cann.SetFlag(cann.HardEvent.MTE1_M, EVENT_ID0)
        cann.WaitFlag(cann.HardEvent.MTE1_M, EVENT_ID0)
        cann.Mmad(cLocal, a2Local, b2Local, cann.MmadParams(baseM, baseN, baseK, 0, False, True))
        cann.SetFlag(cann.HardEvent.M_FIX, EVENT_ID0)
        cann.WaitFlag(cann.HardEvent.M_FIX, EVENT_ID0)
        cann.Fixpipe(
            cGM,
            cLocal,
            cann.FixpipeParamsV220(
                baseN, baseM, baseM, N, False, cann.QuantMode_t.F322F16, 0, 1, 0, 0, 0
            ),
        )
        cann.PipeBarrier(cann.PIPE_ALL)

    return mmad_custom


# (M, K, N, singleCoreM, baseM, baseK, baseN, numBlocks)
CASES = {"sample_256x64x256": (256, 64, 256, 128, 128, 64, 256, 2)}
LITERAL = True
MISSING = lacking(
    "LocalMemAllocator<Hardware::L1/L0A/L0B/L0C> (on-chip memory without a TPipe), InitSocState",
    "LocalMemAllocator",
    "Hardware",
    "InitSocState",
)
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_256x64x256"


def run(case: str) -> Result:
    M, K, N, singleCoreM, baseM, baseK, baseN, numBlocks = CASES[case]
    gen = rng(case)
    a = gen.uniform(-1, 1, (M, K)).astype(np.float16)
    b = gen.uniform(-1, 1, (K, N)).astype(np.float16)
    c = np.zeros((M, N), np.float16)
    mmad_kernel(M, K, N, singleCoreM, baseM, baseK, baseN)[numBlocks, 0, None](a, b, c)
    want = (a.astype(np.float32) @ b.astype(np.float32)).astype(np.float16)
    return Result(c, want.astype(np.float64), rtol=2e-3, atol=2e-3)
