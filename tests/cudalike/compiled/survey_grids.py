"""Tutorial-style kernels for the tier survey: grids, indexing, images and stencils.

Each `Case` names a kernel, its launch and a function making its arguments from a random
generator; test_survey_kernels.py runs every case under both tiers. Kernels are left
undecorated (device functions carry `@cuda.jit(device=True)`), as the SIMT test library's are.
"""

import dataclasses
import math
from collections.abc import Callable

import numba
import numpy as np
from numba import float32, int32, uint8

from cudalike import cuda

CONV_MASK = np.array([0.0625, 0.25, 0.375, 0.25, 0.0625], np.float32)
TILE = 16
HALO_TILE = 18  # TILE plus a one-element halo on each side


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    kernel: Callable
    griddim: object
    blockdim: object
    make_args: Callable


def f32(rng, *shape) -> np.ndarray:
    """Standard normal float32 values of `shape`."""
    return rng.standard_normal(shape).astype(np.float32)


def grid_stride_for(a, out):
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for i in range(start, a.size, stride):
        out[i] = a[i] * 2.0 + 1.0


def grid_stride_while(a, out):
    i = cuda.grid(1)
    while i < a.size:
        out[i] = a[i] * a[i]
        i += cuda.blockDim.x * cuda.gridDim.x


def add_2d(a, b, out):
    x, y = cuda.grid(2)
    if x < out.shape[0] and y < out.shape[1]:
        out[x, y] = a[x, y] + b[x, y]


def fill_3d(out):
    x, y, z = cuda.grid(3)
    if x < out.shape[0] and y < out.shape[1] and z < out.shape[2]:
        out[x, y, z] = x * 100 + y * 10 + z


def stride_2d(a, out):
    x0, y0 = cuda.grid(2)
    sx, sy = cuda.gridsize(2)
    for x in range(x0, a.shape[0], sx):
        for y in range(y0, a.shape[1], sy):
            out[x, y] = 2 * a[x, y]


def saxpy_indices(alpha, x, y):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < x.shape[0]:
        y[i] = alpha * x[i] + y[i]


def reverse_block(a, out):
    buf = cuda.shared.array(64, int32)
    t = cuda.threadIdx.x
    base = cuda.blockIdx.x * cuda.blockDim.x
    buf[t] = a[base + t]
    cuda.syncthreads()
    out[base + t] = buf[cuda.blockDim.x - 1 - t]


def conv1d_const(a, out):
    mask = cuda.const.array_like(CONV_MASK)
    i = cuda.grid(1)
    if i < out.size:
        r = mask.size // 2
        acc = float32(0.0)
        for k in range(mask.size):
            j = i + k - r
            if j >= 0 and j < a.size:
                acc += a[j] * mask[k]
        out[i] = acc


def grayscale(rgb, gray):
    y, x = cuda.grid(2)
    if y < gray.shape[0] and x < gray.shape[1]:
        r = rgb[y, x, 0]
        g = rgb[y, x, 1]
        b = rgb[y, x, 2]
        gray[y, x] = uint8(0.299 * r + 0.587 * g + 0.114 * b)


def threshold(img, out, level):
    y, x = cuda.grid(2)
    if y < img.shape[0] and x < img.shape[1]:
        if img[y, x] > level:
            out[y, x] = 255
        else:
            out[y, x] = 0


def box_blur(img, out):
    y, x = cuda.grid(2)
    h, w = img.shape
    if y >= h or x >= w:
        return
    total = float32(0.0)
    count = 0
    for dy in range(-1, 2):
        for dx in range(-1, 2):
            yy = y + dy
            xx = x + dx
            if yy >= 0 and yy < h and xx >= 0 and xx < w:
                total += img[yy, xx]
                count += 1
    out[y, x] = total / count


def box_blur_uint8(img, out):
    y, x = cuda.grid(2)
    if y >= 1 and y < img.shape[0] - 1 and x >= 1 and x < img.shape[1] - 1:
        total = 0
        for dy in range(-1, 2):
            for dx in range(-1, 2):
                total += int32(img[y + dy, x + dx])
        out[y, x] = total // 9


def sobel(img, out):
    y, x = cuda.grid(2)
    if 0 < y < img.shape[0] - 1 and 0 < x < img.shape[1] - 1:
        gx = (img[y - 1, x + 1] + 2 * img[y, x + 1] + img[y + 1, x + 1]) - (
            img[y - 1, x - 1] + 2 * img[y, x - 1] + img[y + 1, x - 1]
        )
        gy = (img[y + 1, x - 1] + 2 * img[y + 1, x] + img[y + 1, x + 1]) - (
            img[y - 1, x - 1] + 2 * img[y - 1, x] + img[y - 1, x + 1]
        )
        out[y, x] = math.sqrt(gx * gx + gy * gy)


def blur_shared_2d(a, out):
    tile = cuda.shared.array((HALO_TILE, HALO_TILE), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    x, y = cuda.grid(2)
    n, m = a.shape
    for dx in range(tx, HALO_TILE, TILE):
        for dy in range(ty, HALO_TILE, TILE):
            gx = min(max(cuda.blockIdx.x * TILE + dx - 1, 0), n - 1)
            gy = min(max(cuda.blockIdx.y * TILE + dy - 1, 0), m - 1)
            tile[dx, dy] = a[gx, gy]
    cuda.syncthreads()
    if x < n and y < m:
        c = tile[tx + 1, ty + 1]
        around = tile[tx, ty + 1] + tile[tx + 2, ty + 1] + tile[tx + 1, ty] + tile[tx + 1, ty + 2]
        out[x, y] = (c + around) / 5


def jacobi_poisson(u, f, unew, h2):
    i, j = cuda.grid(2)
    n, m = u.shape
    if i >= 1 and i < n - 1 and j >= 1 and j < m - 1:
        unew[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - h2 * f[i, j])


def transpose_tile(a, out):
    tile = cuda.shared.array((TILE, TILE + 1), float32)
    x = cuda.blockIdx.x * TILE + cuda.threadIdx.x
    y = cuda.blockIdx.y * TILE + cuda.threadIdx.y
    if y < a.shape[0] and x < a.shape[1]:
        tile[cuda.threadIdx.y, cuda.threadIdx.x] = a[y, x]
    cuda.syncthreads()
    x = cuda.blockIdx.y * TILE + cuda.threadIdx.x
    y = cuda.blockIdx.x * TILE + cuda.threadIdx.y
    if y < out.shape[0] and x < out.shape[1]:
        out[y, x] = tile[cuda.threadIdx.x, cuda.threadIdx.y]


def shared_keywords(a, out):
    buf = cuda.shared.array(shape=64, dtype=numba.float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    buf[t] = a[i]
    cuda.syncthreads()
    out[i] = buf[(t + 1) % 64]


def first_thread_writes(out):
    if cuda.threadIdx.x == 0:
        out[cuda.blockIdx.x] = cuda.blockIdx.x * 2


@cuda.jit(device=True)
def live_neighbours(grid, i, j):
    n, m = grid.shape
    count = 0
    for di in range(-1, 2):
        for dj in range(-1, 2):
            if di != 0 or dj != 0:
                count += grid[(i + di) % n, (j + dj) % m]
    return count


def game_of_life(grid, out):
    i, j = cuda.grid(2)
    if i < grid.shape[0] and j < grid.shape[1]:
        alive = live_neighbours(grid, i, j)
        if alive == 3 or (alive == 2 and grid[i, j] == 1):
            out[i, j] = 1
        else:
            out[i, j] = 0


def matmul_chained(A, B, C):
    row, col = cuda.grid(2)
    if row < C.shape[0] and col < C.shape[1]:
        tmp = 0.0
        for k in range(A.shape[1]):
            tmp += A[row][k] * B[k][col]
        C[row][col] = tmp


CASES = [
    Case(
        "grid_stride_for",
        grid_stride_for,
        4,
        64,
        lambda r: [f32(r, 1000), np.zeros(1000, np.float32)],
    ),
    Case(
        "grid_stride_while",
        grid_stride_while,
        4,
        64,
        lambda r: [f32(r, 1000), np.zeros(1000, np.float32)],
    ),
    Case(
        "add_2d",
        add_2d,
        (3, 5),
        (16, 8),
        lambda r: [f32(r, 40, 37), f32(r, 40, 37), np.zeros((40, 37), np.float32)],
    ),
    Case("fill_3d", fill_3d, (2, 2, 3), (4, 4, 4), lambda r: [np.zeros((7, 6, 9), np.int64)]),
    Case(
        "stride_2d",
        stride_2d,
        (2, 2),
        (8, 8),
        lambda r: [f32(r, 50, 41), np.zeros((50, 41), np.float32)],
    ),
    Case(
        "saxpy_indices",
        saxpy_indices,
        4,
        128,
        lambda r: [np.float32(1.5), f32(r, 500), f32(r, 500)],
    ),
    Case(
        "reverse_block",
        reverse_block,
        4,
        64,
        lambda r: [r.integers(0, 99, 256, dtype=np.int32), np.zeros(256, np.int32)],
    ),
    Case("conv1d_const", conv1d_const, 4, 128, lambda r: [f32(r, 500), np.zeros(500, np.float32)]),
    Case(
        "grayscale_uint8",
        grayscale,
        (3, 4),
        (16, 16),
        lambda r: [r.integers(0, 256, (40, 60, 3), dtype=np.uint8), np.zeros((40, 60), np.uint8)],
    ),
    Case(
        "threshold_uint8",
        threshold,
        (3, 4),
        (16, 16),
        lambda r: [r.integers(0, 256, (40, 60), dtype=np.uint8), np.zeros((40, 60), np.uint8), 128],
    ),
    Case(
        "box_blur_float32",
        box_blur,
        (3, 4),
        (16, 16),
        lambda r: [f32(r, 40, 60), np.zeros((40, 60), np.float32)],
    ),
    Case(
        "box_blur_uint8",
        box_blur_uint8,
        (3, 4),
        (16, 16),
        lambda r: [r.integers(0, 256, (40, 60), dtype=np.uint8), np.zeros((40, 60), np.uint8)],
    ),
    Case(
        "sobel",
        sobel,
        (3, 4),
        (16, 16),
        lambda r: [f32(r, 40, 60), np.zeros((40, 60), np.float32)],
    ),
    Case(
        "blur_shared_2d",
        blur_shared_2d,
        (3, 4),
        (TILE, TILE),
        lambda r: [f32(r, 40, 60), np.zeros((40, 60), np.float32)],
    ),
    Case(
        "jacobi_poisson",
        jacobi_poisson,
        (3, 4),
        (16, 16),
        lambda r: [r.random((40, 60)), r.random((40, 60)), np.zeros((40, 60)), 0.01],
    ),
    Case(
        "transpose_tile",
        transpose_tile,
        (3, 4),
        (TILE, TILE),
        lambda r: [f32(r, 60, 40), np.zeros((40, 60), np.float32)],
    ),
    Case(
        "shared_keywords",
        shared_keywords,
        2,
        64,
        lambda r: [f32(r, 128), np.zeros(128, np.float32)],
    ),
    Case("first_thread_writes", first_thread_writes, 4, 64, lambda r: [np.zeros(4, np.int32)]),
    Case(
        "game_of_life",
        game_of_life,
        (3, 3),
        (8, 8),
        lambda r: [r.integers(0, 2, (20, 24), dtype=np.int32), np.zeros((20, 24), np.int32)],
    ),
    Case(
        "matmul_chained_indexing",
        matmul_chained,
        (2, 2),
        (16, 16),
        lambda r: [r.random((20, 17)), r.random((17, 24)), np.zeros((20, 24))],
    ),
]
