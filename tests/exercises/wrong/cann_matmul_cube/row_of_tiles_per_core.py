"""Correct, but one core per row of tiles, walking its columns: the other cores stay idle."""

# expect: Each core should compute only its own tile of C
import math

from cudalike import cann
from cudalike.cann import REGIST_MATMUL_OBJ, GetBlockIdx, GlobalTensor, Matmul, TPipe


@cann.kernel
def matmul_cube_custom(a, b, c, tiling):
    mBlocks = math.ceil(tiling.M / tiling.singleCoreM)
    nBlocks = math.ceil(tiling.N / tiling.singleCoreN)
    aGm = GlobalTensor(cann.half)
    bGm = GlobalTensor(cann.half)
    cGm = GlobalTensor(cann.float32)
    aGm.SetGlobalBuffer(a, tiling.M * tiling.Ka)
    bGm.SetGlobalBuffer(b, tiling.Kb * tiling.N)
    cGm.SetGlobalBuffer(c, tiling.M * tiling.N)
    pipe = TPipe()
    mm = Matmul(cann.half, cann.half, cann.float32, cann.float32)
    REGIST_MATMUL_OBJ(pipe, None, mm, tiling)
    if GetBlockIdx() < mBlocks:
        offsetM = GetBlockIdx() * tiling.singleCoreM
        for column in range(nBlocks):
            offsetN = column * tiling.singleCoreN
            mm.SetTensorA(aGm[offsetM * tiling.Ka])
            mm.SetTensorB(bGm[offsetN])
            mm.SetTail(
                min(tiling.singleCoreM, tiling.M - offsetM),
                min(tiling.singleCoreN, tiling.N - offsetN),
            )
            mm.IterateAll(cGm[offsetM * tiling.N + offsetN])
    mm.End()
