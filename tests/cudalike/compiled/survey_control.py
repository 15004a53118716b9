"""Classic numba.cuda kernels for a second tier survey, integers and control flow: hashes and
a linear congruential generator in wrapping integer types, stream compaction, a 3-D stencil,
grid-stride sums, an early return, data-dependent `while` loops, nested device functions, a
per-thread local histogram and a threadIdx.y-major tile indexed `tile[ty][tx]` (see
survey_classics.py)."""

import numpy as np
from numba import float32, int32, uint32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32


def xorshift32(seeds, out, rounds):
    i = cuda.grid(1)
    if i < seeds.size:
        s = uint32(seeds[i])
        for _ in range(rounds):
            s ^= s << uint32(13)
            s ^= s >> uint32(17)
            s ^= s << uint32(5)
        out[i] = s


def murmur_fmix32(keys, out):
    i = cuda.grid(1)
    if i < keys.size:
        h = keys[i]
        h ^= h >> 16
        h *= uint32(0x85EBCA6B)
        h ^= h >> 13
        h *= uint32(0xC2B2AE35)
        h ^= h >> 16
        out[i] = h & uint32(0xFFFF)


def laplacian_3d(u, out):
    i, j, k = cuda.grid(3)
    nx, ny, nz = u.shape
    if 0 < i < nx - 1 and 0 < j < ny - 1 and 0 < k < nz - 1:
        out[i, j, k] = (
            u[i - 1, j, k]
            + u[i + 1, j, k]
            + u[i, j - 1, k]
            + u[i, j + 1, k]
            + u[i, j, k - 1]
            + u[i, j, k + 1]
            - 6.0 * u[i, j, k]
        )


def int_sum_gridsize(a, total):
    start = cuda.grid(1)
    step = cuda.gridsize(1)
    s = 0
    for k in range(start, a.size, step):
        s += a[k]
    cuda.atomic.add(total, 0, s)


def horner_early_return(coeffs, x, out):
    i = cuda.grid(1)
    if i >= x.size:
        return
    acc = 0.0
    for k in range(coeffs.size):
        acc = acc * x[i] + coeffs[k]
    out[i] = acc


@cuda.jit(device=True)
def collatz_steps(n):
    steps = 0
    while n > 1:
        if n & 1:
            n = 3 * n + 1
        else:
            n = n >> 1
        steps += 1
    return steps


def collatz_device(start, out):
    i = cuda.grid(1)
    if i < start.size:
        out[i] = collatz_steps(start[i])


def gcd_euclid(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        x = a[i]
        y = b[i]
        while y != 0:
            x, y = y, x % y
        out[i] = x


@cuda.jit(device=True)
def lerp(a, b, t):
    return a + (b - a) * t


@cuda.jit(device=True)
def bilinear(v00, v01, v10, v11, fy, fx):
    return lerp(lerp(v00, v01, fx), lerp(v10, v11, fx), fy)


def resize_bilinear(img, out):
    y, x = cuda.grid(2)
    if y < out.shape[0] and x < out.shape[1]:
        sy = y * (img.shape[0] - 1) / (out.shape[0] - 1)
        sx = x * (img.shape[1] - 1) / (out.shape[1] - 1)
        y0 = int(sy)
        x0 = int(sx)
        y1 = min(y0 + 1, img.shape[0] - 1)
        x1 = min(x0 + 1, img.shape[1] - 1)
        out[y, x] = bilinear(img[y0, x0], img[y0, x1], img[y1, x0], img[y1, x1], sy - y0, sx - x0)


@cuda.jit(device=True)
def escape_time(cr, ci, max_iter):
    zr = 0.0
    zi = 0.0
    for n in range(max_iter):
        if zr * zr + zi * zi > 4.0:
            return n
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
    return max_iter


def mandelbrot_ymajor(out, max_iter):
    row = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    col = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    h, w = out.shape
    if row < h and col < w:
        out[row, col] = escape_time(-2.0 + 3.0 * col / w, -1.5 + 3.0 * row / h, max_iter)


def fnv1a_rows(data, out):
    i = cuda.grid(1)
    if i < data.shape[0]:
        h = uint32(2166136261)
        for k in range(data.shape[1]):
            h ^= uint32(data[i, k])
            h *= uint32(16777619)
        out[i] = h


def lcg_int32(seeds, out):
    i = cuda.grid(1)
    if i < seeds.size:
        s = seeds[i]
        for _ in range(10):
            s = s * 1103515245 + 12345
        out[i] = (s >> 16) & 0x7FFF


def stream_compact(a, out, counter):
    i = cuda.grid(1)
    if i < a.size and a[i] > 0:
        pos = cuda.atomic.add(counter, 0, 1)
        out[pos] = a[i]


def positives_per_block(a, out):
    i = cuda.grid(1)
    n = cuda.syncthreads_count(a[i] > 0)
    if cuda.threadIdx.x == 0:
        out[cuda.blockIdx.x] = n


def local_histogram(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        h = cuda.local.array(4, int32)
        for b in range(4):
            h[b] = 0
        for k in range(a.shape[1]):
            h[a[i, k] & 3] += 1
        for b in range(4):
            out[i, b] = h[b]


@cuda.jit(device=True)
def first_negative(a, row):
    for k in range(a.shape[1]):
        if a[row, k] < 0:
            return k
    return -1


def first_negative_rows(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        out[i] = first_negative(a, i)


def mirror_tile_chained(a, out):
    tile = cuda.shared.array((8, 33), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    row = cuda.blockIdx.y * 8 + ty
    col = cuda.blockIdx.x * 32 + tx
    if row < a.shape[0] and col < a.shape[1]:
        tile[ty][tx] = a[row][col]
    else:
        tile[ty][tx] = 0.0
    cuda.syncthreads()
    if row < a.shape[0] and col < a.shape[1]:
        out[row][col] = tile[ty][31 - tx] + tile[7 - ty][tx]


def _ints(rng, n: int, high: int, dtype=np.int32) -> np.ndarray:
    return rng.integers(1, high, n, dtype=dtype)


CASES = [
    Case(
        "xorshift32",
        xorshift32,
        4,
        64,
        lambda r: [_ints(r, 250, 2**31, np.int64), np.zeros(250, np.uint32), 7],
    ),
    Case(
        "murmur_fmix32",
        murmur_fmix32,
        4,
        64,
        lambda r: [_ints(r, 250, 2**32 - 1, np.uint32), np.zeros(250, np.uint32)],
    ),
    Case(
        "laplacian_3d",
        laplacian_3d,
        (2, 2, 3),
        (4, 4, 4),
        lambda r: [r.random((7, 8, 10)), np.zeros((7, 8, 10))],
    ),
    Case(
        "int_sum_gridsize",
        int_sum_gridsize,
        3,
        32,
        lambda r: [_ints(r, 500, 100, np.int64), np.zeros(1, np.int64)],
    ),
    Case(
        "horner_early_return",
        horner_early_return,
        4,
        64,
        lambda r: [r.standard_normal(6), r.standard_normal(250), np.zeros(250)],
    ),
    Case(
        "collatz_device_while",
        collatz_device,
        2,
        64,
        lambda r: [_ints(r, 100, 10_000, np.int64), np.zeros(100, np.int32)],
    ),
    Case(
        "gcd_euclid",
        gcd_euclid,
        2,
        64,
        lambda r: [_ints(r, 100, 10_000), _ints(r, 100, 10_000), np.zeros(100, np.int32)],
    ),
    Case(
        "resize_bilinear_nested_device",
        resize_bilinear,
        (2, 3),
        (16, 16),
        lambda r: [f32(r, 12, 15), np.zeros((30, 40), np.float32)],
    ),
    Case(
        "mandelbrot_ymajor",
        mandelbrot_ymajor,
        (3, 2),
        (16, 16),
        lambda r: [np.zeros((30, 40), np.int32), 50],
    ),
    Case(
        "fnv1a_rows",
        fnv1a_rows,
        2,
        64,
        lambda r: [r.integers(0, 256, (100, 9), dtype=np.uint8), np.zeros(100, np.uint32)],
    ),
    Case(
        "lcg_int32",
        lcg_int32,
        2,
        64,
        lambda r: [_ints(r, 100, 2**31), np.zeros(100, np.int32)],
    ),
    Case(
        "stream_compact",
        stream_compact,
        2,
        64,
        lambda r: [f32(r, 100), np.zeros(100, np.float32), np.zeros(1, np.int32)],
    ),
    Case(
        "syncthreads_count",
        positives_per_block,
        3,
        64,
        lambda r: [f32(r, 192), np.zeros(3, np.int32)],
    ),
    Case(
        "local_histogram",
        local_histogram,
        2,
        64,
        lambda r: [r.integers(0, 99, (100, 13), dtype=np.int32), np.zeros((100, 4), np.int32)],
    ),
    Case(
        "first_negative_device_return",
        first_negative_rows,
        2,
        64,
        lambda r: [f32(r, 100, 5), np.zeros(100, np.int32)],
    ),
    Case(
        "mirror_tile_chained",
        mirror_tile_chained,
        (2, 5),
        (32, 8),
        lambda r: [f32(r, 37, 50), np.zeros((37, 50), np.float32)],
    ),
]
