"""Correct kernels at the edges of the kernel language, where a lane-vector engine can slip.

Barriers under block-uniform control flow, variables whose type widens in a branch, array views,
tuple-returning device functions, Python integer semantics, 3-D grids, 2-D atomics.
"""

import math

import numpy as np
from numba import float32, int32

from cudalike import cuda

LUT = np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int64)  # a global array: frozen as a constant


def barriers_per_block(out):
    # The trip count differs between blocks but not inside one: every barrier is legal.
    s = cuda.shared.array(64, int32)
    t = cuda.threadIdx.x
    s[t] = 0
    cuda.syncthreads()
    for k in range(cuda.blockIdx.x):
        if t == k % cuda.blockDim.x:
            s[0] += 1
        cuda.syncthreads()
    out[cuda.grid(1)] = s[0]


def barrier_in_block_uniform_branch(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    if cuda.blockIdx.x % 2 == 0:
        s[t] = a[i]
        cuda.syncthreads()
        out[i] = s[cuda.blockDim.x - 1 - t]
    else:
        out[i] = a[i]


def whole_blocks_return_before_barrier(a, out, used_blocks):
    if cuda.blockIdx.x >= used_blocks:
        return
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i]
    cuda.syncthreads()
    out[i] = s[cuda.blockDim.x - 1 - t]


def read_only_what_was_written(out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    if t % 2 == 0:
        s[t] = t
    cuda.syncthreads()
    out[t] = s[t] if t % 2 == 0 else -1.0
    if t % 2 == 0 and s[t] >= 0:
        out[t] += 1


def type_widens_in_branch(a, out):
    i = cuda.grid(1)
    if i < a.size:
        x = 0
        if a[i] > 0:
            x = a[i] * 0.5  # numba unifies x to float64: an int start must not truncate this
        out[i] = x


def int_accumulator_takes_floats(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        acc = 0
        for j in range(a.shape[1]):
            acc += a[i, j] * 0.5
        out[i] = acc


@cuda.jit(device=True)
def div_mod(a, b):
    return a // b, a % b


@cuda.jit(device=True)
def digit_sum(x):
    total = 0
    while x > 0:
        q, r = div_mod(x, 10)
        total += r
        x = q
    return total


def digit_sums(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = digit_sum(a[i])


def python_integer_division(a, b, q, r, f):
    # numba keeps Python's semantics: // floors, % takes the divisor's sign, / gives a float.
    i = cuda.grid(1)
    if i < a.size:
        q[i] = a[i] // b[i]
        r[i] = a[i] % b[i]
        f[i] = a[i] / b[i]


def row_views(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        row = a[i]
        acc = 0.0
        for j in range(len(row)):
            acc += row[j]
        out[i] = acc


def fill_3d(out):
    x, y, z = cuda.grid(3)
    if x < out.shape[0] and y < out.shape[1] and z < out.shape[2]:
        out[x, y, z] = x * 100 + y * 10 + z


def grid_stride_2d(out):
    x0, y0 = cuda.grid(2)
    sx, sy = cuda.gridsize(2)
    for x in range(x0, out.shape[0], sx):
        for y in range(y0, out.shape[1], sy):
            out[x, y] += x - y


def histogram_2d(xs, ys, hist):
    i = cuda.grid(1)
    if i < xs.size:
        cuda.atomic.add(hist, (xs[i], ys[i]), 1)


def local_matrix(a, out):
    # Each thread squares its own 2 x 2 matrix in a 2-D local array.
    i = cuda.grid(1)
    if i < a.shape[0]:
        m = cuda.local.array((2, 2), float32)
        for r in range(2):
            for c in range(2):
                m[r, c] = a[i, 2 * r + c]
        for r in range(2):
            for c in range(2):
                out[i, 2 * r + c] = m[r, 0] * m[0, c] + m[r, 1] * m[1, c]


def global_lookup(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = LUT[a[i] % 8]


def nested_break_and_loop_variable(a, out, found):
    # Break leaves the inner loop only; the loop variable survives the loop, as in Python.
    i = cuda.grid(1)
    if i < a.shape[0]:
        count = 0
        for j in range(a.shape[1]):
            for k in range(j, a.shape[1]):
                if a[i, k] < 0:
                    break
                count += 1
        out[i] = count
        k = 0
        while k < a.shape[1] and a[i, k] >= 0:
            k += 1
        found[i] = k


def special_floats(a, out):
    i = cuda.grid(1)
    if i < a.size:
        x = a[i]
        if math.isnan(x):
            out[i] = -1.0
        elif math.isinf(x):
            out[i] = -2.0
        else:
            out[i] = x**2 + 2**3 + max(x, 0.0, -x)


def rebinding_parameters(out, n, flag):
    i = cuda.grid(1)
    n = n - 1
    if i <= n:
        out[i] = 1 if flag else 2
