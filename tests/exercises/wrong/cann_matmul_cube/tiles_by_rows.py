"""Numbers the tiles along the rows (column = b % nBlocks) with the column count of M."""

# expect: takes tile row GetBlockIdx() % mBlocks and column GetBlockIdx() // mBlocks
import math

from cudalike import cann
from cudalike.cann import REGIST_MATMUL_OBJ, GetBlockIdx, GlobalTensor, Matmul, TPipe


class TileOfC:
    def Init(self, tiling):
        mBlocks = math.ceil(tiling.M / tiling.singleCoreM)
        self.offsetM = GetBlockIdx() // mBlocks * tiling.singleCoreM
        self.offsetN = GetBlockIdx() % mBlocks * tiling.singleCoreN
        self.tailM = min(tiling.singleCoreM, tiling.M - self.offsetM)
        self.tailN = min(tiling.singleCoreN, tiling.N - self.offsetN)


@cann.kernel
def matmul_cube_custom(a, b, c, tiling):
    tile = TileOfC()
    tile.Init(tiling)
    aGm = GlobalTensor(cann.half)
    bGm = GlobalTensor(cann.half)
    cGm = GlobalTensor(cann.float32)
    aGm.SetGlobalBuffer(a, tiling.M * tiling.Ka)
    bGm.SetGlobalBuffer(b, tiling.Kb * tiling.N)
    cGm.SetGlobalBuffer(c, tiling.M * tiling.N)
    pipe = TPipe()
    mm = Matmul(cann.half, cann.half, cann.float32, cann.float32)
    REGIST_MATMUL_OBJ(pipe, None, mm, tiling)
    mm.SetTensorA(aGm[tile.offsetM * tiling.Ka])
    mm.SetTensorB(bGm[tile.offsetN])
    mm.SetTail(tile.tailM, tile.tailN)
    cTile = cGm[tile.offsetM * tiling.N + tile.offsetN]
    while mm.Iterate():
        mm.GetTensorC(cTile)
    mm.End()
