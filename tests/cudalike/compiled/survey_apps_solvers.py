"""Rodinia's linear solvers for the fourth tier survey (survey_apps.py), ported to numba.cuda as
their CUDA sources are written: Gaussian elimination's Fan1 and Fan2 (one thread per row, and
per element of the trailing matrix) and lud's diagonal block (a shared tile, factored with a
barrier per column) and internal blocks (two shared tiles, a dot product per thread)."""

import numpy as np
from numba import float32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

BS = 16  # lud's block


def dominant(rng, n: int) -> np.ndarray:
    """An n x n float32 matrix with a dominant diagonal (no pivoting needed)."""
    return (rng.random((n, n)) + n * np.eye(n)).astype(np.float32)


def gaussian_fan1(m, a, size, t):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i >= size - 1 - t:
        return
    m[i + t + 1, t] = a[i + t + 1, t] / a[t, t]


def gaussian_fan2(m, a, b, size, t):
    xidx = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    yidx = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    if xidx >= size - 1 - t:
        return
    if yidx >= size - t:
        return
    a[xidx + 1 + t, yidx + t] -= m[xidx + 1 + t, t] * a[t, yidx + t]
    if yidx == 0:
        b[xidx + 1 + t] -= m[xidx + 1 + t, yidx + t] * b[t]


def lud_diagonal(m, matrix_dim, offset):
    shadow = cuda.shared.array((BS, BS), float32)
    tx = cuda.threadIdx.x
    array_offset = offset * matrix_dim + offset
    for i in range(BS):
        shadow[i, tx] = m[array_offset + tx]
        array_offset += matrix_dim
    cuda.syncthreads()
    for i in range(BS - 1):
        if tx > i:
            for j in range(i):
                shadow[tx, i] -= shadow[tx, j] * shadow[j, i]
            shadow[tx, i] /= shadow[i, i]
        cuda.syncthreads()
        if tx > i:
            for j in range(i + 1):
                shadow[i + 1, tx] -= shadow[i + 1, j] * shadow[j, tx]
        cuda.syncthreads()
    array_offset = (offset + 1) * matrix_dim + offset
    for i in range(1, BS):
        m[array_offset + tx] = shadow[i, tx]
        array_offset += matrix_dim


def lud_internal(m, matrix_dim, offset):
    peri_row = cuda.shared.array((BS, BS), float32)
    peri_col = cuda.shared.array((BS, BS), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    global_row_id = offset + (cuda.blockIdx.y + 1) * BS
    global_col_id = offset + (cuda.blockIdx.x + 1) * BS
    peri_row[ty, tx] = m[(offset + ty) * matrix_dim + global_col_id + tx]
    peri_col[ty, tx] = m[(global_row_id + ty) * matrix_dim + offset + tx]
    cuda.syncthreads()
    acc = float32(0.0)
    for i in range(BS):
        acc += peri_col[ty, i] * peri_row[i, tx]
    m[(global_row_id + ty) * matrix_dim + global_col_id + tx] -= acc


CASES = [
    Case(
        "gaussian_fan1",
        gaussian_fan1,
        3,
        8,
        lambda r: [np.zeros((20, 20), np.float32), dominant(r, 20), 20, 3],
    ),
    Case(
        "gaussian_fan2",
        gaussian_fan2,
        (3, 3),
        (8, 8),
        lambda r: [f32(r, 20, 20), dominant(r, 20), f32(r, 20), 20, 3],
    ),
    Case(
        "lud_diagonal",
        lud_diagonal,
        1,
        BS,
        lambda r: [dominant(r, 3 * BS).ravel(), 3 * BS, BS],
    ),
    Case(
        "lud_internal",
        lud_internal,
        (2, 2),
        (BS, BS),
        lambda r: [dominant(r, 3 * BS).ravel(), 3 * BS, 0],
    ),
]
