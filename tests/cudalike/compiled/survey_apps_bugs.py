"""Buggy twins of the fourth survey's application kernels (survey_apps.py), as learners port
them: a pathfinder pyramid without the barrier after copying the row back, a 2-D tile whose
right halo is loaded one column too far, a 1-D stencil tile with no room for its halo,
sobelFilter without clamped neighbours, backprop's tree reduction without its barrier,
Gaussian elimination's Fan2 guard one short, and cfd's neighbour read without the check for a
boundary marker."""

import numpy as np
from numba import float32, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_apps_solvers import dominant
from tests.cudalike.compiled.survey_grids import Case, f32

PF = 64
HS = 16
BLOCK = 64
BP = 16


def pathfinder_missing_barrier(iteration, wall, src, results, cols):
    prev = cuda.shared.array(PF, int32)
    result = cuda.shared.array(PF, int32)
    tx = cuda.threadIdx.x
    blk_x = (PF - iteration * 2) * cuda.blockIdx.x - iteration
    xidx = blk_x + tx
    w = max(tx - 1, 0)
    e = min(tx + 1, PF - 1)
    inside = xidx >= 0 and xidx < cols
    prev[tx] = src[xidx] if inside else 1 << 20
    cuda.syncthreads()
    for i in range(iteration):
        if tx >= i + 1 and tx <= PF - i - 2 and inside:
            result[tx] = min(min(prev[w], prev[tx]), prev[e]) + wall[cols * i + xidx]
        cuda.syncthreads()
        if tx >= i + 1 and tx <= PF - i - 2 and inside:
            prev[tx] = result[tx]
    if tx >= iteration and tx <= PF - iteration - 1 and inside:
        results[xidx] = prev[tx]


def hotspot_halo_off_by_one(temp, out):
    tile = cuda.shared.array((HS + 2, HS + 2), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    row = cuda.blockIdx.y * HS + ty
    col = cuda.blockIdx.x * HS + tx
    rows, cols = temp.shape
    tile[ty + 1, tx + 1] = temp[row, col]
    if tx == HS - 1:
        tile[ty + 1, HS + 1] = temp[row, col + 1] if col + 1 <= cols else temp[row, col]
    if tx == 0:
        tile[ty + 1, 0] = temp[row, col - 1] if col > 0 else temp[row, col]
    if ty == HS - 1:
        tile[HS + 1, tx + 1] = temp[row + 1, col] if row + 1 < rows else temp[row, col]
    if ty == 0:
        tile[0, tx + 1] = temp[row - 1, col] if row > 0 else temp[row, col]
    cuda.syncthreads()
    out[row, col] = 0.25 * (
        tile[ty, tx + 1] + tile[ty + 2, tx + 1] + tile[ty + 1, tx] + tile[ty + 1, tx + 2]
    )


def heat_tile_too_small(u, out):
    tile = cuda.shared.array(BLOCK, float32)
    tx = cuda.threadIdx.x
    i = cuda.grid(1)
    tile[tx + 1] = u[i]
    if tx == 0:
        tile[0] = u[i - 1] if i > 0 else u[i]
    if tx == cuda.blockDim.x - 1:
        tile[BLOCK + 1] = u[i + 1] if i + 1 < u.size else u[i]
    cuda.syncthreads()
    out[i] = tile[tx] - 2.0 * tile[tx + 1] + tile[tx + 2]


def sobel_no_clamp(img, out):
    x, y = cuda.grid(2)
    h, w = img.shape
    if y >= h or x >= w:
        return
    horz = img[y - 1, x + 1] + 2 * img[y, x + 1] + img[y + 1, x + 1]
    horz -= img[y - 1, x - 1] + 2 * img[y, x - 1] + img[y + 1, x - 1]
    vert = img[y - 1, x - 1] + 2 * img[y - 1, x] + img[y - 1, x + 1]
    vert -= img[y + 1, x - 1] + 2 * img[y + 1, x] + img[y + 1, x + 1]
    out[y, x] = min(abs(horz) + abs(vert), 255)


def bpnn_reduction_no_barrier(weights, partial):
    tile = cuda.shared.array((BP, BP), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    by = cuda.blockIdx.y
    tile[ty, tx] = weights[by * BP + ty, tx]
    cuda.syncthreads()
    power_two = 2
    while power_two <= BP:
        if ty % power_two == 0:
            tile[ty, tx] = tile[ty, tx] + tile[ty + power_two // 2, tx]
        power_two *= 2
    cuda.syncthreads()
    if ty == 0:
        partial[by, tx] = tile[0, tx]


def gaussian_fan2_off_by_one(m, a, b, size, t):
    xidx = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    yidx = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    if xidx > size - 1 - t:
        return
    if yidx >= size - t:
        return
    a[xidx + 1 + t, yidx + t] -= m[xidx + 1 + t, t] * a[t, yidx + t]
    if yidx == 0:
        b[xidx + 1 + t] -= m[xidx + 1 + t, yidx + t] * b[t]


def cfd_unchecked_neighbour(neighbours, density, out):
    i = cuda.grid(1)
    if i >= density.size:
        return
    total = 0.0
    for j in range(4):
        total += density[neighbours[i, j]] - density[i]
    out[i] = total


def _pathfinder(rng, rows: int = 5, cols: int = 150, pyramid: int = 4):
    wall = rng.integers(0, 10, (rows, cols), dtype=np.int32)
    return [pyramid, wall[1:].ravel(), wall[0].copy(), np.zeros(cols, np.int32), cols]


def _neighbours(rng, n: int = 100):
    neighbours = rng.integers(0, n, (n, 4)).astype(np.int32)
    neighbours[17, 2] = -1
    return [neighbours, 1.0 + rng.random(n), np.zeros(n)]


CASES = [
    Case("pathfinder_missing_barrier", pathfinder_missing_barrier, 3, PF, _pathfinder),
    Case(
        "hotspot_halo_off_by_one",
        hotspot_halo_off_by_one,
        (2, 2),
        (HS, HS),
        lambda r: [f32(r, 2 * HS, 2 * HS), np.zeros((2 * HS, 2 * HS), np.float32)],
    ),
    Case(
        "heat_tile_too_small",
        heat_tile_too_small,
        2,
        BLOCK,
        lambda r: [f32(r, 2 * BLOCK), np.zeros(2 * BLOCK, np.float32)],
    ),
    Case(
        "sobel_no_clamp",
        sobel_no_clamp,
        (2, 2),
        (16, 16),
        lambda r: [r.integers(0, 256, (30, 30), dtype=np.uint8), np.zeros((30, 30), np.uint8)],
    ),
    Case(
        "bpnn_reduction_no_barrier",
        bpnn_reduction_no_barrier,
        (1, 2),
        (BP, BP),
        lambda r: [f32(r, 2 * BP, BP), np.zeros((2, BP), np.float32)],
    ),
    Case(
        "gaussian_fan2_off_by_one",
        gaussian_fan2_off_by_one,
        (3, 3),
        (8, 8),
        lambda r: [f32(r, 20, 20), dominant(r, 20), f32(r, 20), 20, 3],
    ),
    Case("cfd_unchecked_neighbour", cfd_unchecked_neighbour, 2, 64, _neighbours),
]
