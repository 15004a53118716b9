"""Kernels as teaching material writes them: CUDA by Example's dot product, Julia set,
ripple, ray tracer and heat transfer; image kernels on uint8 pictures (grey scale, inversion,
Sobel, bilinear resize); Game of Life on a torus; an integer hash; stream compaction; loss and
normalisation rows; complex Mandelbrot; float classification (see survey_grids.py for the
`Case` type)."""

import math

import numpy as np
from numba import float32, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

THREADS = 64
DIM = 48
SPHERES = 6
SPHERE_DATA = np.random.default_rng(5).random((SPHERES, 7)).astype(np.float32)
SPHERE_DATA[:, 3] *= 10.0
SPHERE_DATA[:, :3] = SPHERE_DATA[:, :3] * DIM - DIM / 2


def dot_shared_cache(a, b, c):
    cache = cuda.shared.array(THREADS, float32)
    tid = cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x
    cache_index = cuda.threadIdx.x
    temp = 0
    while tid < a.size:
        temp += a[tid] * b[tid]
        tid += cuda.blockDim.x * cuda.gridDim.x
    cache[cache_index] = temp
    cuda.syncthreads()
    i = cuda.blockDim.x // 2
    while i != 0:
        if cache_index < i:
            cache[cache_index] += cache[cache_index + i]
        cuda.syncthreads()
        i //= 2
    if cache_index == 0:
        c[cuda.blockIdx.x] = cache[0]


@cuda.jit(device=True)
def julia(x, y):
    scale = 1.5
    jx = scale * (DIM / 2 - x) / (DIM / 2)
    jy = scale * (DIM / 2 - y) / (DIM / 2)
    cr, ci = -0.8, 0.156
    ar, ai = jx, jy
    for _ in range(200):
        ar, ai = ar * ar - ai * ai + cr, ai * ar + ar * ai + ci
        if ar * ar + ai * ai > 1000:
            return 0
    return 1


def julia_kernel(ptr):
    x = cuda.blockIdx.x
    y = cuda.blockIdx.y
    offset = x + y * cuda.gridDim.x
    value = julia(x, y)
    ptr[offset, 0] = 255 * value
    ptr[offset, 1] = 0
    ptr[offset, 2] = 0
    ptr[offset, 3] = 255


def ripple(ptr, ticks):
    x = cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x
    y = cuda.threadIdx.y + cuda.blockIdx.y * cuda.blockDim.y
    if x < DIM and y < DIM:
        offset = x + y * DIM
        fx = x - DIM / 2
        fy = y - DIM / 2
        d = math.sqrt(fx * fx + fy * fy)
        grey = int(128.0 + 127.0 * math.cos(d / 10.0 - ticks / 7.0) / (d / 10.0 + 1.0))
        ptr[offset, 0] = grey
        ptr[offset, 1] = grey
        ptr[offset, 2] = grey
        ptr[offset, 3] = 255


def ray_trace(spheres, ptr):
    x = cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x
    y = cuda.threadIdx.y + cuda.blockIdx.y * cuda.blockDim.y
    if x >= DIM or y >= DIM:
        return
    ox = x - DIM / 2
    oy = y - DIM / 2
    r = 0.0
    g = 0.0
    b = 0.0
    maxz = -1e30
    for i in range(spheres.shape[0]):
        dx = ox - spheres[i, 0]
        dy = oy - spheres[i, 1]
        radius = spheres[i, 3]
        if dx * dx + dy * dy < radius * radius:
            dz = math.sqrt(radius * radius - dx * dx - dy * dy)
            n = dz / math.sqrt(radius * radius)
            t = dz + spheres[i, 2]
            if t > maxz:
                r = spheres[i, 4] * n
                g = spheres[i, 5] * n
                b = spheres[i, 6] * n
                maxz = t
    offset = x + y * DIM
    ptr[offset, 0] = int(r * 255)
    ptr[offset, 1] = int(g * 255)
    ptr[offset, 2] = int(b * 255)
    ptr[offset, 3] = 255


def heat_blend(out, inp, speed):
    x = cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x
    y = cuda.threadIdx.y + cuda.blockIdx.y * cuda.blockDim.y
    if x >= DIM or y >= DIM:
        return
    offset = x + y * DIM
    left = offset - 1
    right = offset + 1
    if x == 0:
        left += 1
    if x == DIM - 1:
        right -= 1
    top = offset - DIM
    bottom = offset + DIM
    if y == 0:
        top += DIM
    if y == DIM - 1:
        bottom -= DIM
    out[offset] = inp[offset] + speed * (
        inp[top] + inp[bottom] + inp[left] + inp[right] - inp[offset] * 4
    )


def grey_scale(rgb, grey):
    row, col = cuda.grid(2)
    if row < rgb.shape[0] and col < rgb.shape[1]:
        r = rgb[row, col, 0]
        g = rgb[row, col, 1]
        b = rgb[row, col, 2]
        grey[row, col] = 0.299 * r + 0.587 * g + 0.114 * b


def invert(img, out):
    row, col = cuda.grid(2)
    if row < img.shape[0] and col < img.shape[1]:
        out[row, col] = 255 - img[row, col]


def sobel(img, out):
    row, col = cuda.grid(2)
    h, w = img.shape
    if 0 < row < h - 1 and 0 < col < w - 1:
        gx = (
            -int32(img[row - 1, col - 1])
            + img[row - 1, col + 1]
            - 2 * int32(img[row, col - 1])
            + 2 * int32(img[row, col + 1])
            - img[row + 1, col - 1]
            + img[row + 1, col + 1]
        )
        gy = (
            -int32(img[row - 1, col - 1])
            - 2 * int32(img[row - 1, col])
            - img[row - 1, col + 1]
            + img[row + 1, col - 1]
            + 2 * int32(img[row + 1, col])
            + img[row + 1, col + 1]
        )
        magnitude = math.sqrt(gx * gx + gy * gy)
        out[row, col] = min(255, int(magnitude))


def resize_bilinear(src, dst):
    row, col = cuda.grid(2)
    if row < dst.shape[0] and col < dst.shape[1]:
        sy = (row + 0.5) * src.shape[0] / dst.shape[0] - 0.5
        sx = (col + 0.5) * src.shape[1] / dst.shape[1] - 0.5
        y0 = max(0, int(math.floor(sy)))
        x0 = max(0, int(math.floor(sx)))
        y1 = min(y0 + 1, src.shape[0] - 1)
        x1 = min(x0 + 1, src.shape[1] - 1)
        fy = sy - math.floor(sy)
        fx = sx - math.floor(sx)
        top = src[y0, x0] * (1 - fx) + src[y0, x1] * fx
        bottom = src[y1, x0] * (1 - fx) + src[y1, x1] * fx
        dst[row, col] = top * (1 - fy) + bottom * fy


def life_torus(board, out):
    row, col = cuda.grid(2)
    n, m = board.shape
    if row < n and col < m:
        alive = 0
        for dr in range(-1, 2):
            for dc in range(-1, 2):
                if dr != 0 or dc != 0:
                    alive += board[(row + dr) % n, (col + dc) % m]
        if board[row, col] == 1:
            out[row, col] = 1 if alive == 2 or alive == 3 else 0
        else:
            out[row, col] = 1 if alive == 3 else 0


def pcg_hash(seeds, out):
    i = cuda.grid(1)
    if i < seeds.size:
        state = seeds[i] * np.uint32(747796405) + np.uint32(2891336453)
        word = ((state >> ((state >> np.uint32(28)) + np.uint32(4))) ^ state) * np.uint32(277803737)
        out[i] = (word >> np.uint32(22)) ^ word


def compact_positive(x, out, count):
    i = cuda.grid(1)
    if i < x.size and x[i] > 0:
        slot = cuda.atomic.add(count, 0, 1)
        out[slot] = x[i]


def cross_entropy(logits, labels, loss):
    row = cuda.grid(1)
    if row < logits.shape[0]:
        biggest = logits[row, 0]
        for j in range(1, logits.shape[1]):
            biggest = max(biggest, logits[row, j])
        total = 0.0
        for j in range(logits.shape[1]):
            total += math.exp(logits[row, j] - biggest)
        cuda.atomic.add(loss, 0, biggest + math.log(total) - logits[row, labels[row]])


def layer_norm(x, gamma, beta, out, eps):
    row = cuda.grid(1)
    if row >= x.shape[0]:
        return
    n = x.shape[1]
    mean = float32(0)
    for j in range(n):
        mean += x[row, j]
    mean /= n
    var = float32(0)
    for j in range(n):
        d = x[row, j] - mean
        var += d * d
    var /= n
    inv = 1.0 / math.sqrt(var + eps)
    for j in range(n):
        out[row, j] = (x[row, j] - mean) * inv * gamma[j] + beta[j]


def mandelbrot_complex(out, max_iter):
    row, col = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        c = complex(-2.0 + 3.0 * col / out.shape[1], -1.5 + 3.0 * row / out.shape[0])
        z = 0j
        n = 0
        while n < max_iter and abs(z) <= 2.0:
            z = z * z + c
            n += 1
        out[row, col] = n


def classify_floats(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        if math.isnan(v):
            out[i] = 0
        elif math.isinf(v):
            out[i] = int(math.copysign(1.0, v)) * 2
        else:
            out[i] = int(math.floor(math.fabs(v)))


def leaky_relu(x, out, slope):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i] if x[i] > 0 else slope * x[i]


def _special(rng):
    x = f32(rng, 300) * 10
    x[::17] = np.nan
    x[5::23] = np.inf
    x[9::29] = -np.inf
    return [x, np.zeros(300, np.int32)]


def _image(rng, h=37, w=45):
    return rng.integers(0, 256, (h, w)).astype(np.uint8)


CASES = [
    Case(
        "dot_shared_cache",
        dot_shared_cache,
        8,
        THREADS,
        lambda r: [f32(r, 3000), f32(r, 3000), np.zeros(8, np.float32)],
    ),
    Case("julia_set", julia_kernel, (DIM, DIM), 1, lambda r: [np.zeros((DIM * DIM, 4), np.uint8)]),
    Case("ripple", ripple, (3, 3), (16, 16), lambda r: [np.zeros((DIM * DIM, 4), np.uint8), 17]),
    Case(
        "ray_trace",
        ray_trace,
        (3, 3),
        (16, 16),
        lambda r: [SPHERE_DATA.copy(), np.zeros((DIM * DIM, 4), np.uint8)],
    ),
    Case(
        "heat_blend",
        heat_blend,
        (3, 3),
        (16, 16),
        lambda r: [np.zeros(DIM * DIM, np.float32), r.random(DIM * DIM).astype(np.float32), 0.25],
    ),
    Case(
        "grey_scale",
        grey_scale,
        (3, 4),
        (16, 16),
        lambda r: [r.integers(0, 256, (37, 45, 3)).astype(np.uint8), np.zeros((37, 45), np.uint8)],
    ),
    Case("invert", invert, (3, 4), (16, 16), lambda r: [_image(r), np.zeros((37, 45), np.uint8)]),
    Case("sobel", sobel, (3, 4), (16, 16), lambda r: [_image(r), np.zeros((37, 45), np.uint8)]),
    Case(
        "resize_bilinear",
        resize_bilinear,
        (4, 4),
        (16, 16),
        lambda r: [f32(r, 29, 31), np.zeros((60, 50), np.float32)],
    ),
    Case(
        "life_torus",
        life_torus,
        (3, 3),
        (16, 16),
        lambda r: [r.integers(0, 2, (40, 41)).astype(np.int32), np.zeros((40, 41), np.int32)],
    ),
    Case(
        "pcg_hash",
        pcg_hash,
        4,
        64,
        lambda r: [r.integers(0, 2**32, 250, dtype=np.uint32), np.zeros(250, np.uint32)],
    ),
    Case(
        "compact_positive",
        compact_positive,
        4,
        64,
        lambda r: [f32(r, 250), np.zeros(250, np.float32), np.zeros(1, np.int32)],
    ),
    Case(
        "cross_entropy",
        cross_entropy,
        2,
        64,
        lambda r: [
            f32(r, 100, 10),
            r.integers(0, 10, 100).astype(np.int32),
            np.zeros(1, np.float32),
        ],
    ),
    Case(
        "layer_norm",
        layer_norm,
        2,
        64,
        lambda r: [f32(r, 100, 24), f32(r, 24), f32(r, 24), np.zeros((100, 24), np.float32), 1e-5],
    ),
    Case(
        "mandelbrot_complex",
        mandelbrot_complex,
        (3, 3),
        (16, 16),
        lambda r: [np.zeros((40, 44), np.int32), 60],
    ),
    Case("classify_floats", classify_floats, 5, 64, _special),
    Case("leaky_relu", leaky_relu, 5, 64, lambda r: [f32(r, 300), np.zeros(300, np.float32), 0.01]),
]
