"""Instructor solution for cann_matmul_cube: one tile of C per core with the Matmul object.

Core b takes tile row b % mBlocks and tile column b // mBlocks of C, as the vendor's
matmul_custom sample does (CalcGMOffset). A row-major A tile starts offsetM rows down (offsetM
* Ka halves), a B tile offsetN columns across (offsetN halves), the C tile at offsetM * N +
offsetN. SetTail shortens the last row and column of tiles. The base blocks are walked with
Iterate and written with GetTensorC, the loop IterateAll hides.
"""

import math

from cudalike import cann
from cudalike.cann import REGIST_MATMUL_OBJ, GetBlockIdx, GlobalTensor, Matmul, TPipe


class TileOfC:
    def Init(self, tiling):
        mBlocks = math.ceil(tiling.M / tiling.singleCoreM)
        self.offsetM = GetBlockIdx() % mBlocks * tiling.singleCoreM
        self.offsetN = GetBlockIdx() // mBlocks * tiling.singleCoreN
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
