"""Reference matmul on the cube: C = A @ B (+ bias), half inputs, fp32 accumulation.

Each block computes one singleCoreM x singleCoreN tile of C with the high-level Matmul object,
as the vendor's matmul_custom sample does: block b takes tile row b % mBlocks and tile column
b // mBlocks; the last row and column of tiles may be short (SetTail). Any M, N, K work: the
ND -> NZ copies pad each block to whole fractals with zeros.

    c = matmul(a, b)                       # host side: tiling, launch, result
    blocks, tiling = matmul_tiling(M, N, K)
    matmul_custom[blocks](a, b, bias_or_None, c, tiling)
"""

from __future__ import annotations

import math

import numpy as np

from cudalike import cann
from cudalike.cann.matmul import REGIST_MATMUL_OBJ, Matmul, TCubeTiling, matmul_tiling


@cann.kernel
def matmul_custom(a, b, bias, c, tiling: TCubeTiling):
    m_blocks = math.ceil(tiling.M / tiling.singleCoreM)
    m_index = cann.GetBlockIdx() % m_blocks
    n_index = cann.GetBlockIdx() // m_blocks
    offset_m = m_index * tiling.singleCoreM
    offset_n = n_index * tiling.singleCoreN
    tailM = min(tiling.singleCoreM, tiling.M - offset_m)
    tailN = min(tiling.singleCoreN, tiling.N - offset_n)

    aGm = cann.GlobalTensor(cann.half)
    bGm = cann.GlobalTensor(cann.half)
    cGm = cann.GlobalTensor(c.dtype)
    aGm.SetGlobalBuffer(a.cast(cann.half), tiling.M * tiling.Ka)
    bGm.SetGlobalBuffer(b.cast(cann.half), tiling.Kb * tiling.N)
    cGm.SetGlobalBuffer(c.cast(c.dtype), tiling.M * tiling.N)

    pipe = cann.TPipe()
    mm = Matmul(cann.half, cann.half, c.dtype, cann.float32)
    REGIST_MATMUL_OBJ(pipe, None, mm, tiling)
    mm.SetTensorA(aGm[offset_m * tiling.Ka])
    if tiling.isTransposeB:
        mm.SetTensorB(bGm[offset_n * tiling.Kb], isTransposeB=True)
    else:
        mm.SetTensorB(bGm[offset_n])
    if tiling.isBias:
        biasGm = cann.GlobalTensor(cann.float32)
        biasGm.SetGlobalBuffer(bias.cast(cann.float32), tiling.N)
        mm.SetBias(biasGm[offset_n])
    mm.SetTail(tailM, tailN)
    mm.IterateAll(cGm[offset_m * tiling.N + offset_n])
    mm.End()


def matmul(
    a: np.ndarray,
    b: np.ndarray,
    bias: np.ndarray | None = None,
    out_dtype=np.float16,
    num_cores: int = 24,
    transpose_b: bool = False,
    **base,
) -> np.ndarray:
    """Host side: C = A @ B (+ bias) on the modelled cube, A and B cast to half.

    Args:
        a: M x K.
        b: K x N (N x K with transpose_b).
        bias: N floats, or None.
        out_dtype: float16 or float32.
        num_cores: cores to spread C over (the profile has 24 cube cores).
        transpose_b: b is stored N x K.
        **base: base_m, base_n, base_k for `matmul_tiling`.

    Returns:
        The M x N result.

    Example:
        >>> c = matmul(np.ones((20, 30)), np.ones((30, 40)))
        >>> float(c[0, 0])
        30.0
    """
    m, k = a.shape
    n = b.shape[0] if transpose_b else b.shape[1]
    blocks, tiling = matmul_tiling(
        m, n, k, num_cores, bias=bias is not None, transpose_b=transpose_b, **base
    )
    c = np.zeros((m, n), out_dtype)
    bias_arg = np.zeros(1, np.float32) if bias is None else bias.astype(np.float32)
    matmul_custom[blocks](a.astype(np.float16), b.astype(np.float16), bias_arg, c, tiling)
    return c
