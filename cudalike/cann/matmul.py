"""The high-level Matmul object and its host tiling (TCubeTiling), built on the cube path.

    mm = Matmul(half, half, float32)          # Matmul<MatmulType<GM, ND, half>, ...> mm;
    REGIST_MATMUL_OBJ(pipe, None, mm, tiling)  # or mm.Init(tiling, pipe)
    mm.SetTensorA(aGm[offsetA]); mm.SetTensorB(bGm[offsetB]); mm.SetBias(biasGm[offsetN])
    mm.SetTail(tailM, tailN)                   # a ragged core tile
    mm.IterateAll(cGm[offsetC])                # or: while mm.Iterate(): mm.GetTensorC(...)

Inside, each baseM x baseN block of the core's singleCoreM x singleCoreN tile walks K in
steps of baseK: DataCopy GM -> L1 (ND -> NZ), LoadData L1 -> L0A (zZ, one call per fractal
row) and L0B (nZ, one call per fractal row of K), Mmad accumulating in L0C (NZ); then Fixpipe
writes the block to GM as ND (fp32 -> fp16 for a half C).
Every queue is double-buffered, so copies of step k + 1 overlap the Mmad of step k.
The instructions are those a learner can write by hand (`cudalike.cann.cube`); the timeline
charges them to the learner's IterateAll / GetTensorC line.

Differences: A and B are half (fp32 inputs need another fractal shape: use Mmad directly);
only B may be transposed; L1 holds one base block per buffer, not the vendor's stepKa/stepKb
prefetch of several.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from cudalike.cann.buffers import TPipe, TPosition, TQue
from cudalike.cann.copy import DataCopy, DataCopyExtParams, DataCopyPad
from cudalike.cann.cube import (
    FRACTAL,
    FixpipeParamsV220,
    LoadData,
    LoadData2DParams,
    Mmad,
    MmadParams,
    Nd2NzParams,
    QuantMode_t,
    ceil_to,
)
from cudalike.cann.dtypes import dtype_of
from cudalike.cann.fixpipe import Fixpipe
from cudalike.cann.gm import GlobalTensor


@dataclasses.dataclass
class TCubeTiling:
    """The host's matmul tiling (the vendor's TCubeTiling fields that this model reads).

    Attributes:
        M, N, Ka, Kb: shapes of A (M x Ka) and B (Kb x N); Ka == Kb.
        singleCoreM, singleCoreN, singleCoreK: one core's tile of C and its K extent.
        baseM, baseN, baseK: the block one Mmad sequence computes, and its K step.
        usedCoreNum: blocks to launch.
        isBias: whether a bias is added.
        isTransposeB: B is stored N x K.
    """

    M: int
    N: int
    Ka: int
    Kb: int
    singleCoreM: int
    singleCoreN: int
    singleCoreK: int
    baseM: int
    baseN: int
    baseK: int
    usedCoreNum: int
    isBias: bool = False
    isTransposeB: bool = False


def matmul_tiling(
    m: int,
    n: int,
    k: int,
    num_cores: int = 24,
    base_m: int = 128,
    base_n: int = 128,
    base_k: int = 64,
    bias: bool = False,
    transpose_b: bool = False,
) -> tuple[int, TCubeTiling]:
    """Host tiling: split C over up to `num_cores` cores; (blocks to launch, TCubeTiling).

    Picks the split of M and N that gives the smallest per-core tile (in 16 x 16 fractals),
    preferring fewer cores on ties. Base blocks default to 128 x 128 with K steps of 64:
    A and B blocks of 16 KB each (two buffers of each fit L0A/L0B's 64 KB) and a 64 KB fp32
    C block (two fit L0C's 128 KB).

    Example:
        >>> blocks, tiling = matmul_tiling(100, 200, 300, num_cores=4)
        >>> blocks, tiling.singleCoreM, tiling.singleCoreN
        (4, 64, 112)
    """
    best = None
    for m_cores in range(1, num_cores + 1):
        n_cores = num_cores // m_cores
        single_m = ceil_to(math.ceil(m / m_cores), FRACTAL)
        single_n = ceil_to(math.ceil(n / n_cores), FRACTAL)
        used = math.ceil(m / single_m) * math.ceil(n / single_n)
        work = (single_m // FRACTAL) * (single_n // FRACTAL)
        if best is None or (work, used) < best[0]:
            best = ((work, used), single_m, single_n, used)
    _, single_m, single_n, used = best
    tiling = TCubeTiling(
        M=m,
        N=n,
        Ka=k,
        Kb=k,
        singleCoreM=single_m,
        singleCoreN=single_n,
        singleCoreK=k,
        baseM=min(base_m, single_m),
        baseN=min(base_n, single_n),
        baseK=min(base_k, ceil_to(k, FRACTAL)),
        usedCoreNum=used,
        isBias=bias,
        isTransposeB=transpose_b,
    )
    return used, tiling


class Matmul:
    """A matmul of one core's tile of C on the cube (Ascend C's high-level Matmul).

    Created as `Matmul(aType, bType, cType, biasType)`; C may be half or float.
    """

    def __init__(self, aType=np.float16, bType=np.float16, cType=np.float32, biasType=None):
        if dtype_of(aType) != np.float16 or dtype_of(bType) != np.float16:
            raise NotImplementedError("Matmul takes half A and B here; use Mmad for float")
        self.cType = dtype_of(cType)
        self.tiling: TCubeTiling | None = None
        self._blocks: list[tuple[int, int]] = []

    def Init(self, tiling: TCubeTiling, pipe: TPipe | None = None) -> None:
        """Take the tiling and carve the L1/L0 queues out of the core's memory."""
        pipe = pipe or TPipe()
        self.tiling = tiling
        base_m, base_n = ceil_to(tiling.baseM, FRACTAL), ceil_to(tiling.baseN, FRACTAL)
        base_k = ceil_to(tiling.baseK, FRACTAL)
        self.qA1, self.qB1 = TQue(TPosition.A1, 2), TQue(TPosition.B1, 2)
        self.qA2, self.qB2 = TQue(TPosition.A2, 2), TQue(TPosition.B2, 2)
        self.qBias = TQue(TPosition.A1, 1)
        self.qC = TQue(TPosition.CO1, 1)
        pipe.InitBuffer(self.qA1, 2, base_m * base_k * 2)
        pipe.InitBuffer(self.qB1, 2, base_k * base_n * 2)
        pipe.InitBuffer(self.qA2, 2, base_m * base_k * 2)
        pipe.InitBuffer(self.qB2, 2, base_k * base_n * 2)
        pipe.InitBuffer(self.qBias, 1, base_n * 4)
        pipe.InitBuffer(self.qC, 2, base_m * base_n * 4)  # Fixpipe overlaps the next block
        self.bias = None
        self.SetTail()

    def SetTensorA(self, gm: GlobalTensor, isTransposeA: bool = False) -> None:
        """A's top-left element for this core (row pitch Ka)."""
        if isTransposeA:
            raise NotImplementedError("isTransposeA is not supported; transpose B instead")
        self.a = gm

    def SetTensorB(self, gm: GlobalTensor, isTransposeB: bool = False) -> None:
        """B's first element for this core (row pitch N, or Kb when stored N x K)."""
        self.b = gm
        self.transpose_b = isTransposeB or self.tiling.isTransposeB

    def SetBias(self, gm: GlobalTensor) -> None:
        """A float bias of N elements added to every row of C."""
        self.bias = gm

    def SetTail(self, tailM: int = -1, tailN: int = -1, tailK: int = -1) -> None:
        """Shrink this core's tile (a ragged last core); -1 keeps the tiling's size."""
        tiling = self.tiling
        self.single = (
            tiling.singleCoreM if tailM < 0 else tailM,
            tiling.singleCoreN if tailN < 0 else tailN,
            tiling.singleCoreK if tailK < 0 else tailK,
        )
        single_m, single_n, _ = self.single
        self._blocks = [
            (row, col)
            for row in range(0, single_m, tiling.baseM)
            for col in range(0, single_n, tiling.baseN)
        ]
        self._block = None
        self._c = None

    def Iterate(self) -> bool:
        """Compute the next baseM x baseN block of C into L0C; False when all are done."""
        if self._c is not None:  # the previous block was never fetched: drop it
            self.qC.FreeTensor(self.qC.DeQue(np.float32))
            self._c = None
        if not self._blocks:
            return False
        self._block = self._blocks.pop(0)
        self._c = self._compute(*self._block)
        return True

    def GetTensorC(self, gm: GlobalTensor) -> None:
        """Write the block computed by the last Iterate into C (gm is this core's C tile)."""
        row, col = self._block
        rows, cols = self._block_shape(row, col)
        c = self.qC.DeQue(np.float32)
        quant = QuantMode_t.F322F16 if gm.dtype == np.float16 else QuantMode_t.NoQuant
        params = FixpipeParamsV220(cols, rows, ceil_to(rows, FRACTAL), self.tiling.N, False, quant)
        Fixpipe(gm[row * self.tiling.N + col], c, params)
        self.qC.FreeTensor(c)
        self._c = None

    def IterateAll(self, gm: GlobalTensor) -> None:
        """Compute this core's whole tile of C and write it to `gm`."""
        while self.Iterate():
            self.GetTensorC(gm)

    def End(self) -> None:
        """Release the object (nothing left to do)."""

    def _block_shape(self, row: int, col: int) -> tuple[int, int]:
        single_m, single_n, _ = self.single
        return min(self.tiling.baseM, single_m - row), min(self.tiling.baseN, single_n - col)

    def _compute(self, row: int, col: int):
        tiling = self.tiling
        rows, cols = self._block_shape(row, col)
        m16, n16 = ceil_to(rows, FRACTAL), ceil_to(cols, FRACTAL)
        bias = self._load_bias(col, cols) if self.bias is not None else None
        c = self.qC.AllocTensor(np.float32)
        depth = self.single[2]
        for step, k0 in enumerate(range(0, depth, tiling.baseK)):
            width = min(tiling.baseK, depth - k0)
            k16 = ceil_to(width, FRACTAL)
            a2 = self._load_a(row, k0, rows, width, m16, k16)
            b2 = self._load_b(col, k0, cols, width, n16, k16)
            params = MmadParams(rows, cols, width, cmatrixInitVal=step == 0)
            if step == 0 and bias is not None:
                Mmad(c, a2, b2, bias, params)
                self.qBias.FreeTensor(bias)
            else:
                Mmad(c, a2, b2, params)
            self.qA2.FreeTensor(a2)
            self.qB2.FreeTensor(b2)
        self.qC.EnQue(c)
        return c

    def _load_a(self, row, k0, rows, width, m16, k16):
        """A's block: ND -> NZ into L1, then NZ -> zZ into L0A, one fractal row per LoadData."""
        a1 = self.qA1.AllocTensor(np.float16)
        source = self.a[row * self.tiling.Ka + k0]
        DataCopy(a1, source, Nd2NzParams(1, rows, width, 0, self.tiling.Ka, m16, 1, 0))
        self.qA1.EnQue(a1)
        a1 = self.qA1.DeQue(np.float16)
        a2 = self.qA2.AllocTensor(np.float16)
        m_blocks, k_blocks = m16 // FRACTAL, k16 // FRACTAL
        for i in range(m_blocks):
            LoadData(a2[i * k16 * FRACTAL], a1, LoadData2DParams(i, k_blocks, m_blocks))
        self.qA1.FreeTensor(a1)
        self.qA2.EnQue(a2)
        return self.qA2.DeQue(np.float16)

    def _load_b(self, col, k0, cols, width, n16, k16):
        """B's block into L0B in nZ order: from K x N each fractal is transposed; from N x K
        (transposed B) the fractals are already n-major and only change order."""
        b1 = self.qB1.AllocTensor(np.float16)
        n_blocks, k_blocks = n16 // FRACTAL, k16 // FRACTAL
        if self.transpose_b:
            source = self.b[col * self.tiling.Kb + k0]
            DataCopy(b1, source, Nd2NzParams(1, cols, width, 0, self.tiling.Kb, n16, 1, 0))
            loads = [LoadData2DParams(i * n_blocks, n_blocks, 1) for i in range(k_blocks)]
        else:
            source = self.b[k0 * self.tiling.N + col]
            DataCopy(b1, source, Nd2NzParams(1, width, cols, 0, self.tiling.N, k16, 1, 0))
            loads = [LoadData2DParams(i, n_blocks, k_blocks, 0, 0, True) for i in range(k_blocks)]
        self.qB1.EnQue(b1)
        b1 = self.qB1.DeQue(np.float16)
        b2 = self.qB2.AllocTensor(np.float16)
        for i, params in enumerate(loads):
            LoadData(b2[i * n16 * FRACTAL], b1, params)
        self.qB1.FreeTensor(b1)
        self.qB2.EnQue(b2)
        return self.qB2.DeQue(np.float16)

    def _load_bias(self, col, cols):
        bias = self.qBias.AllocTensor(np.float32)
        DataCopyPad(bias, self.bias[col], DataCopyExtParams(1, cols * 4, 0, 0, 0))
        self.qBias.EnQue(bias)
        return self.qBias.DeQue(np.float32)


def REGIST_MATMUL_OBJ(pipe: TPipe, workspace, mm: Matmul, tiling: TCubeTiling) -> None:  # noqa: N802
    """Ascend C's registration macro: `mm.Init(tiling, pipe)` (the workspace is unused)."""
    mm.Init(tiling, pipe)
