"""Idioms a course's exercises use: a last-block sum published with a fence and an atomic
ticket, loops running backwards or `while True` with a `break`, floor division and modulo of
negative integers, lane and warp numbers and bit counts, a float atomic max in a grid-stride
loop, an early return from a loop, math constants, an inlined device function, block votes,
integer sums of bytes, float64 accumulators and a local 2x2 matrix power (see
survey_grids.py for the `Case` type)."""

import math

import numpy as np
from numba import float32, float64, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

BLOCK = 64


def last_block_sum(x, partial, count, total):
    cache = cuda.shared.array(BLOCK, float32)
    is_last = cuda.shared.array(1, int32)
    i = cuda.grid(1)
    t = cuda.threadIdx.x
    cache[t] = x[i] if i < x.size else float32(0)
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if t < s:
            cache[t] += cache[t + s]
        cuda.syncthreads()
        s //= 2
    if t == 0:
        partial[cuda.blockIdx.x] = cache[0]
        cuda.threadfence()
        ticket = cuda.atomic.inc(count, 0, cuda.gridDim.x)
        is_last[0] = ticket == cuda.gridDim.x - 1
    cuda.syncthreads()
    if is_last[0]:
        if t == 0:
            acc = float32(0)
            for b in range(cuda.gridDim.x):
                acc += partial[b]
            total[0] = acc


def reverse_loop(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        acc = 0
        for j in range(a.shape[1] - 1, -1, -1):
            acc = acc * 3 + a[i, j]
        out[i] = acc


def while_true_search(sorted_keys, queries, out):
    i = cuda.grid(1)
    if i >= queries.size:
        return
    lo = 0
    hi = sorted_keys.size
    q = queries[i]
    while True:
        if lo >= hi:
            break
        mid = (lo + hi) // 2
        if sorted_keys[mid] < q:
            lo = mid + 1
        else:
            hi = mid
    out[i] = lo


def negative_div_mod(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = a[i] // b[i]
        out[i, 1] = a[i] % b[i]
        out[i, 2] = -a[i] // 3
        out[i, 3] = -a[i] % 3


def lane_warp_ids(out):
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i, 0] = cuda.laneid
        out[i, 1] = cuda.threadIdx.x // cuda.warpsize
        out[i, 2] = cuda.popc(i) + cuda.clz(np.int32(i)) + cuda.ffs(np.int32(i))


def float_max_atomic_loop(x, best):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.max(best, 0, x[i])


def early_exit_in_loop(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        for j in range(a.shape[1]):
            if a[i, j] < 0:
                out[i] = j
                return
        out[i] = -1


def pi_constants(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = math.sin(x[i] * math.pi) + np.float32(math.pi) * x[i] + math.e


@cuda.jit(device=True, inline=True)
def smoothstep(e0, e1, x):
    t = min(max((x - e0) / (e1 - e0), 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def smooth(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = smoothstep(float32(-1.0), float32(1.0), x[i])


def count_votes(x, out):
    i = cuda.grid(1)
    positive = i < x.size and x[i] > 0
    n = cuda.syncthreads_count(positive)
    any_big = cuda.syncthreads_or(i < x.size and x[i] > 2)
    if i < x.size:
        out[i, 0] = n
        out[i, 1] = any_big


def int_sum_of_bytes(img, out):
    row = cuda.grid(1)
    if row < img.shape[0]:
        s = 0
        for j in range(img.shape[1]):
            s += img[row, j]
        out[row] = s


def float64_accumulate(x, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        acc = float64(0.0)
        for j in range(x.shape[1]):
            acc += x[i, j] * x[i, j]
        out[i] = math.sqrt(acc)


def matrix_power_local(m, out):
    i = cuda.grid(1)
    if i < m.shape[0]:
        a = cuda.local.array((2, 2), float32)
        r = cuda.local.array((2, 2), float32)
        for p in range(2):
            for q in range(2):
                a[p, q] = m[i, p * 2 + q]
                r[p, q] = float32(1.0) if p == q else float32(0.0)
        for _ in range(5):
            r00 = r[0, 0] * a[0, 0] + r[0, 1] * a[1, 0]
            r01 = r[0, 0] * a[0, 1] + r[0, 1] * a[1, 1]
            r10 = r[1, 0] * a[0, 0] + r[1, 1] * a[1, 0]
            r11 = r[1, 0] * a[0, 1] + r[1, 1] * a[1, 1]
            r[0, 0] = r00
            r[0, 1] = r01
            r[1, 0] = r10
            r[1, 1] = r11
        for p in range(2):
            for q in range(2):
                out[i, p * 2 + q] = r[p, q]


CASES = [
    Case(
        "last_block_sum",
        last_block_sum,
        6,
        BLOCK,
        lambda r: [
            f32(r, 350),
            np.zeros(6, np.float32),
            np.zeros(1, np.uint32),
            np.zeros(1, np.float32),
        ],
    ),
    Case(
        "reverse_loop",
        reverse_loop,
        2,
        64,
        lambda r: [r.integers(-3, 3, (100, 7)).astype(np.int32), np.zeros(100, np.int64)],
    ),
    Case(
        "while_true_search",
        while_true_search,
        2,
        64,
        lambda r: [
            np.sort(r.integers(0, 100, 50)).astype(np.int32),
            r.integers(-5, 105, 100).astype(np.int32),
            np.zeros(100, np.int32),
        ],
    ),
    Case(
        "negative_div_mod",
        negative_div_mod,
        2,
        64,
        lambda r: [
            r.integers(-50, 50, 100).astype(np.int32),
            (r.integers(1, 7, 100) * r.choice([-1, 1], 100)).astype(np.int32),
            np.zeros((100, 4), np.int32),
        ],
    ),
    Case("lane_warp_ids", lane_warp_ids, 2, 96, lambda r: [np.zeros((150, 3), np.int32)]),
    Case(
        "float_max_atomic_loop",
        float_max_atomic_loop,
        3,
        64,
        lambda r: [f32(r, 1000), np.full(1, -np.inf, np.float32)],
    ),
    Case(
        "early_exit_in_loop",
        early_exit_in_loop,
        2,
        64,
        lambda r: [f32(r, 100, 9) + 1.5, np.zeros(100, np.int32)],
    ),
    Case("pi_constants", pi_constants, 2, 64, lambda r: [f32(r, 100), np.zeros(100, np.float32)]),
    Case("smooth", smooth, 2, 64, lambda r: [f32(r, 100), np.zeros(100, np.float32)]),
    Case("count_votes", count_votes, 2, 64, lambda r: [f32(r, 100), np.zeros((100, 2), np.int32)]),
    Case(
        "int_sum_of_bytes",
        int_sum_of_bytes,
        2,
        64,
        lambda r: [r.integers(0, 256, (100, 30)).astype(np.uint8), np.zeros(100, np.int64)],
    ),
    Case(
        "float64_accumulate",
        float64_accumulate,
        2,
        64,
        lambda r: [f32(r, 100, 13), np.zeros(100, np.float64)],
    ),
    Case(
        "matrix_power_local",
        matrix_power_local,
        2,
        64,
        lambda r: [f32(r, 100, 4), np.zeros((100, 4), np.float32)],
    ),
]
