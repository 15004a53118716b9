"""Elementwise kernels: one thread per element, guarded, as in numba.cuda's documentation.

Kernels are left undecorated so a test can jit them with cudalike's or numba's `cuda.jit`
(see ../kernels.py); device functions carry `@cuda.jit(device=True)`, as numba requires.
"""

import math

from numba import float32, int32, uint32

from cudalike import cuda

SCALE = 3.0  # module-level globals are frozen when the kernel is compiled, as numba does
OFFSET = 7


def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]


def saxpy(alpha, x, y, out):
    i = cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x
    if i < x.shape[0]:
        out[i] = alpha * x[i] + y[i]


def map_2d(a, out, factor):
    x, y = cuda.grid(2)
    if x < out.shape[0] and y < out.shape[1]:
        out[x, y] = a[x, y] * factor + x - y


def dim3_values(out):
    # numba types cuda.threadIdx and friends as dim3 values that can be stored and passed on.
    t, b, d = cuda.threadIdx, cuda.blockIdx, cuda.blockDim
    i = b.x * d.x + t.x
    if i < out.size:
        out[i] = i + d.y + d.z


def grid_stride_scale(a, out, factor):
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for i in range(start, a.size, stride):
        out[i] = a[i] * factor


@cuda.jit(device=True)
def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def clamp_kernel(a, out, lo, hi):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = clamp(a[i], lo, hi)


def use_globals(out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = i * SCALE + OFFSET


def math_functions(a, out):
    i = cuda.grid(1)
    if i < a.size:
        x = a[i]
        out[i, 0] = math.sqrt(x)
        out[i, 1] = math.exp(-x)
        out[i, 2] = math.sin(x)
        out[i, 3] = math.floor(x)
        out[i, 4] = math.erf(x)


def builtins_kernel(a, out, lo, hi):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = min(max(a[i], lo), hi) + abs(a[i])


def float32_accumulate(a, out):
    i = cuda.grid(1)
    if i < a.size:
        acc = float32(0)
        for _ in range(100):
            acc += a[i] * float32(0.1)
        out[i] = acc


def int32_wrap(a, out):
    i = cuda.grid(1)
    if i < a.size:
        x = int32(a[i])
        out[i] = int32(x * int32(65536) + int32(1))


def fnv_hash(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        h = uint32(2166136261)
        for k in range(a.shape[1]):
            h = uint32((h ^ uint32(a[i, k])) * uint32(16777619))
        out[i] = h


def print_coordinates():
    print(cuda.threadIdx, (cuda.blockIdx.x,))


def print_kernel(n):
    i = cuda.grid(1)
    if i < n and i % 2 == 0:
        print("thread", i, "of", n)
