"""Reference for cann_matmul_cube: C = A @ B on the cube with the high-level Matmul object, one
singleCoreM x singleCoreN tile of C per core, as the library's matmul kernel (and the vendor's
matmul_custom sample) does, without bias; and its tiling."""

import math

from cudalike import cann
from cudalike.cann.matmul import REGIST_MATMUL_OBJ, Matmul, TCubeTiling, matmul_tiling

__all__ = ["TCubeTiling", "matmul_cube_custom", "matmul_cube_tiling"]


@cann.kernel
def matmul_cube_custom(a, b, c, tiling):
    mBlocks = math.ceil(tiling.M / tiling.singleCoreM)
    offsetM = cann.GetBlockIdx() % mBlocks * tiling.singleCoreM
    offsetN = cann.GetBlockIdx() // mBlocks * tiling.singleCoreN
    aGm = cann.GlobalTensor(cann.half)
    bGm = cann.GlobalTensor(cann.half)
    cGm = cann.GlobalTensor(cann.float32)
    aGm.SetGlobalBuffer(a, tiling.M * tiling.Ka)
    bGm.SetGlobalBuffer(b, tiling.Kb * tiling.N)
    cGm.SetGlobalBuffer(c, tiling.M * tiling.N)
    pipe = cann.TPipe()
    mm = Matmul(cann.half, cann.half, cann.float32, cann.float32)
    REGIST_MATMUL_OBJ(pipe, None, mm, tiling)
    mm.SetTensorA(aGm[offsetM * tiling.Ka])
    mm.SetTensorB(bGm[offsetN])
    mm.SetTail(
        min(tiling.singleCoreM, tiling.M - offsetM), min(tiling.singleCoreN, tiling.N - offsetN)
    )
    mm.IterateAll(cGm[offsetM * tiling.N + offsetN])
    mm.End()


def matmul_cube_tiling(m: int, n: int, k: int, num_cores: int) -> tuple[int, TCubeTiling]:
    """C split over up to `num_cores` cube cores in tiles of whole 16 x 16 fractals."""
    return matmul_tiling(m, n, k, num_cores)
