"""The vendor's Matmul high-level API sample: C = A x B over cores, tails via SetTail.

Source: cannmirror/asc-devkit,
examples/01_utilities/00_printf/KernelLaunch/MatmulInvocationNeo/matmul_custom.cpp
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_utilities/00_printf/KernelLaunch/MatmulInvocationNeo/matmul_custom.cpp)

Each core finds its singleCoreM x singleCoreN tile of C from its block index (CalcGMOffset),
shortens it at the matrix edge (tailM, tailN) and runs SetTensorA / SetTensorB / SetTail /
IterateAll / End of a Matmul<half, half, float> object.

Changed:
- CopyTiling copies TCubeTiling from GM; here the struct is the argument, and the host builds
  it with cudalike's matmul_tiling instead of the tiling library's MultiCoreMatmulTiling. Its
  printf of the host-side struct pointer goes with it; the other AscendC::printf calls stay
  and print after the launch under each core's DumpHead.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng


def Ceiling(a, b):
    return (a + b - 1) // b


def CalcGMOffset(blockIdx, tiling, isTransA, isTransB):
    """(offsetA, offsetB, offsetC, tailM, tailN) of this core's tile."""
    # char and bool printing:
    cann.printf("printf %s is %d, %s is %d.\n", "isTransA", isTransA, "isTransB", isTransB)
    mSingleBlocks = Ceiling(tiling.M, tiling.singleCoreM)
    mCoreIndx = blockIdx % mSingleBlocks
    nCoreIndx = blockIdx // mSingleBlocks
    # unsigned integer printing:
    cann.printf(
        "printf mSingleBlocks is %u, mCoreIndx is %u, nCoreIndx is %u.\n",
        mSingleBlocks,
        mCoreIndx,
        nCoreIndx,
    )
    offsetA = mCoreIndx * tiling.Ka * tiling.singleCoreM
    if isTransA:
        offsetA = mCoreIndx * tiling.singleCoreM
    offsetB = nCoreIndx * tiling.singleCoreN
    if isTransB:
        offsetB = nCoreIndx * tiling.Kb * tiling.singleCoreN
    offsetC = mCoreIndx * tiling.N * tiling.singleCoreM + nCoreIndx * tiling.singleCoreN
    tailM = tiling.M - mCoreIndx * tiling.singleCoreM
    tailM = tailM if tailM < tiling.singleCoreM else tiling.singleCoreM
    tailN = tiling.N - nCoreIndx * tiling.singleCoreN
    tailN = tailN if tailN < tiling.singleCoreN else tiling.singleCoreN
    # integer printing:
    cann.printf("printf tailM is %d, tailN is %x.\n", tailM, tailN)
    return offsetA, offsetB, offsetC, tailM, tailN


@cann.kernel
def matmul_custom(a, b, c, workspace, tilingGm):
    A_T = cann.half
    B_T = cann.half
    C_T = cann.float
    pipe = cann.TPipe()
    tiling = tilingGm  # CopyTiling(&tiling, tilingGm)
    aGlobal = cann.GlobalTensor(A_T)
    bGlobal = cann.GlobalTensor(B_T)
    cGlobal = cann.GlobalTensor(C_T)
    aGlobal.SetGlobalBuffer(a.cast(A_T), tiling.M * tiling.Ka)
    bGlobal.SetGlobalBuffer(b.cast(B_T), tiling.Ka * tiling.N)
    cGlobal.SetGlobalBuffer(c.cast(C_T), tiling.M * tiling.N)
    # half and float printing:
    cann.printf("printf half %f, float %f.\n", aGlobal.GetValue(0), cGlobal.GetValue(0))
    isTransA = False
    isTransB = False
    offsetA, offsetB, offsetC, tailM, tailN = CalcGMOffset(
        cann.GetBlockIdx(), tiling, isTransA, isTransB
    )
    gmA = aGlobal[offsetA]
    gmB = bGlobal[offsetB]
    gmC = cGlobal[offsetC]
    mm = cann.Matmul(A_T, B_T, C_T)
    cann.REGIST_MATMUL_OBJ(pipe, None, mm, tiling)  # Initialize the matmul object.
    mm.SetTensorA(gmA, isTransA)
    mm.SetTensorB(gmB, isTransB)
    mm.SetTail(tailM, tailN)
    mm.IterateAll(gmC)
    mm.End()


# (M, N, K, cores)
CASES = {
    "256x256x128_4_cores": (256, 256, 128, 4),
    "100x70x64_ragged_2_cores": (100, 70, 64, 2),
    "512x512x256_8_cores": (512, 512, 256, 8),
}
LITERAL = False
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "512x512x256_8_cores"
SLOW_CASES = {"512x512x256_8_cores"}  # about 7 s of emulation


def run(case: str) -> Result:
    M, N, K, cores = CASES[case]
    gen = rng(case)
    a = gen.uniform(-1, 1, (M, K)).astype(np.float16)
    b = gen.uniform(-1, 1, (K, N)).astype(np.float16)
    c = np.zeros((M, N), np.float32)
    blockDim, tiling = cann.matmul_tiling(M, N, K, cores)
    matmul_custom[blockDim](a, b, c, None, tiling)
    want = a.astype(np.float64) @ b.astype(np.float64)
    return Result(c, want, rtol=1e-5, atol=1e-5 * K)
