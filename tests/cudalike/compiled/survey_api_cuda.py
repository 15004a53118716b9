"""The numba.cuda intrinsics of the device API cudalike supports: cuda.fma, selp, cbrt and the
bit intrinsics, the launch geometry, fences, atomics, block and warp votes, shuffles and the
kinds of arrays, one small kernel per function or group (see survey_api.py for the math and
number part, survey_grids.py for the `Case` type). test_survey_api.py runs every case."""

import numpy as np
from numba import float32, float64, int32, int64

from cudalike import cuda
from tests.cudalike.compiled.survey_api import N, floats, integers
from tests.cudalike.compiled.survey_grids import Case

WEIGHTS = np.array([0.25, -1.5, 3.0, np.inf, -0.0, 7.5, 1e-30, 2.0], np.float32)


def cuda_float_intrinsics(a, b, c, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = cuda.fma(a[i], b[i], c[i])
        out[i, 1] = cuda.selp(a[i] > b[i], a[i], b[i])
        out[i, 2] = cuda.fma(a[i], float32(2.0), float32(-1.0))


def cuda_cbrt(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = cuda.cbrt(a[i])


def bit_intrinsics(a, b, counts, reversed_bits, reversed_wide):
    i = cuda.grid(1)
    if i < a.size:
        counts[i, 0] = cuda.popc(a[i])
        counts[i, 1] = cuda.clz(a[i])
        counts[i, 2] = cuda.ffs(a[i])
        counts[i, 3] = cuda.popc(b[i]) + cuda.clz(b[i]) + cuda.ffs(b[i])
        reversed_bits[i] = cuda.brev(a[i])
        reversed_wide[i] = cuda.brev(b[i])


def launch_geometry(out):
    x, y = cuda.grid(2)
    wx, wy = cuda.gridsize(2)
    i = y * wx + x
    if i < out.shape[0]:
        out[i, 0] = cuda.laneid
        out[i, 1] = cuda.warpsize
        out[i, 2] = wx * 1000 + wy
        out[i, 3] = cuda.threadIdx.x + cuda.threadIdx.y * cuda.blockDim.x
        out[i, 4] = cuda.blockIdx.x + cuda.blockIdx.y * cuda.gridDim.x
        out[i, 5] = cuda.grid(1) if False else x
        out[i, 6] = cuda.lanemask_lt()


def fences(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] * 2
        cuda.threadfence()
        cuda.threadfence_block()
        cuda.threadfence_system()
        out[i] += 1


def integer_atomics(a, totals, hist, slot, first):
    i = cuda.grid(1)
    if i < a.size:
        v = a[i]
        cuda.atomic.add(totals, 0, v)
        cuda.atomic.sub(totals, 1, v)
        cuda.atomic.max(totals, 2, v)
        cuda.atomic.min(totals, 3, v)
        cuda.atomic.and_(totals, 4, v | 0x10)
        cuda.atomic.or_(totals, 5, v & 0x7)
        cuda.atomic.xor(totals, 6, v)
        cuda.atomic.add(hist, v & 15, 1)
        first[i] = cuda.atomic.exch(slot, 0, i)


def atomics_sharing_an_array(a, totals, first):
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.add(totals, 0, a[i])
        first[i] = cuda.atomic.exch(totals, 1, i)


def float_atomics(x, sums, maxima, minima, old):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(sums, i % 4, x[i])
        cuda.atomic.max(maxima, i % 4, x[i])
        old[i] = cuda.atomic.min(minima, i % 4, x[i])


def float_nan_atomics(x, nanmaxima, nanminima):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.nanmax(nanmaxima, i % 4, x[i])
        cuda.atomic.nanmin(nanminima, i % 4, x[i])


def counter_atomics(up, down, cas, swapped, old):
    i = cuda.grid(1)
    if i < old.shape[0]:
        old[i, 0] = cuda.atomic.inc(up, 0, 9)
        old[i, 1] = cuda.atomic.dec(down, i % 2, 5)
        old[i, 2] = cuda.atomic.cas(cas, 0, i % 7, i)
        old[i, 3] = cuda.atomic.compare_and_swap(swapped, i % 5, i)


def shared_atomics(a, out):
    counts = cuda.shared.array(16, int32)
    tid = cuda.threadIdx.x
    if tid < 16:
        counts[tid] = 0
    cuda.syncthreads()
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.add(counts, a[i] & 15, 1)
    cuda.syncthreads()
    if tid < 16:
        cuda.atomic.add(out, tid, counts[tid])


def arrays(a, out):
    static = cuda.shared.array(64, float32)
    local = cuda.local.array(4, float64)
    weights = cuda.const.array_like(WEIGHTS)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    static[tid] = a[i]
    for k in range(4):
        local[k] = float64(weights[(tid + k) % 8]) * k
    cuda.syncthreads()
    out[i, 0] = static[63 - tid] + static[(tid + 1) % 64] * 2.0
    out[i, 1] = local[0] + local[1] + local[2] + local[3]


def block_votes(a, out):
    i = cuda.grid(1)
    p = a[i] > 0
    count = cuda.syncthreads_count(p)
    every = cuda.syncthreads_and(p)
    some = cuda.syncthreads_or(a[i] > 3)
    out[i, 0] = count
    out[i, 1] = every
    out[i, 2] = some


def shuffles(a, out, wide):
    i = cuda.grid(1)
    v = a[i]
    out[i, 0] = cuda.shfl_sync(0xFFFFFFFF, v, 3)
    out[i, 1] = cuda.shfl_up_sync(0xFFFFFFFF, v, 1)
    out[i, 2] = cuda.shfl_down_sync(0xFFFFFFFF, v, 5)
    out[i, 3] = cuda.shfl_xor_sync(0xFFFFFFFF, v, 16)
    out[i, 4] = cuda.shfl_sync(0xFFFFFFFF, v, (cuda.laneid + 7) % 32)
    w = float64(v) * 3.0
    out[i, 5] = cuda.shfl_down_sync(0xFFFFFFFF, w, 1)
    k = int64(i) * 4000000000
    wide[i] = cuda.shfl_xor_sync(0xFFFFFFFF, k, 3)
    positive = v > 0.0
    out[i, 6] = cuda.shfl_xor_sync(0xFFFFFFFF, positive, 1)


def warp_votes(a, out):
    i = cuda.grid(1)
    p = a[i] > 0
    out[i, 0] = cuda.ballot_sync(0xFFFFFFFF, p)
    out[i, 1] = cuda.any_sync(0xFFFFFFFF, a[i] > 6)
    out[i, 2] = cuda.all_sync(0xFFFFFFFF, a[i] > -9)
    out[i, 3] = cuda.eq_sync(0xFFFFFFFF, p)
    out[i, 4] = cuda.activemask()
    out[i, 5] = cuda.ballot_sync(0x0000FFFF, p)
    out[i, 6] = cuda.all_sync(0xFFFF0000, a[i] > 0)


def warp_match_any(a, out):
    i = cuda.grid(1)
    out[i] = cuda.match_any_sync(0xFFFFFFFF, a[i] & 3)


def warp_match_all(a, out, agree):
    i = cuda.grid(1)
    mask, pred = cuda.match_all_sync(0xFFFFFFFF, a[i] // 64)
    out[i] = mask
    agree[i] = pred


CASES = [
    Case(
        "cuda_float_intrinsics",
        cuda_float_intrinsics,
        2,
        128,
        lambda r: [floats(r), floats(r)[::-1].copy(), floats(r), np.zeros((N, 3), np.float32)],
    ),
    Case("cuda_cbrt", cuda_cbrt, 2, 128, lambda r: [floats(r), np.zeros(N, np.float32)]),
    Case(
        "bit_intrinsics",
        bit_intrinsics,
        2,
        128,
        lambda r: [
            integers(r, np.uint32),
            integers(r, np.int64),
            np.zeros((N, 4), np.int32),
            np.zeros(N, np.uint32),
            np.zeros(N, np.uint64),
        ],
    ),
    Case(
        "launch_geometry",
        launch_geometry,
        (2, 3),
        (16, 4),
        lambda r: [np.zeros((300, 7), np.int64)],
    ),
    Case(
        "fences",
        fences,
        2,
        128,
        lambda r: [integers(r, np.int32), np.zeros(N, np.int32)],
    ),
    Case(
        "integer_atomics",
        integer_atomics,
        2,
        128,
        lambda r: [
            r.integers(-50, 50, N).astype(np.int32),
            np.array([0, 0, -(2**31), 2**31 - 1, -1, 0, 0], np.int32),
            np.zeros(16, np.int32),
            np.zeros(1, np.int32),
            np.zeros(N, np.int32),
        ],
    ),
    Case(
        "atomics_sharing_an_array",
        atomics_sharing_an_array,
        2,
        128,
        lambda r: [integers(r, np.int32), np.zeros(2, np.int32), np.zeros(N, np.int32)],
    ),
    Case(
        "float_atomics",
        float_atomics,
        2,
        128,
        lambda r: [
            floats(r),
            np.zeros(4, np.float32),
            np.full(4, -np.inf, np.float32),
            np.full(4, np.inf, np.float32),
            np.zeros(N, np.float32),
        ],
    ),
    Case(
        "float_nan_atomics",
        float_nan_atomics,
        2,
        128,
        lambda r: [floats(r), np.full(4, np.nan, np.float32), np.zeros(4, np.float32)],
    ),
    Case(
        "counter_atomics",
        counter_atomics,
        2,
        128,
        lambda r: [
            np.zeros(1, np.uint32),
            np.array([3, 0], np.uint32),
            np.zeros(1, np.int32),
            np.zeros(1, np.uint64),
            np.zeros((N, 4), np.int64),
        ],
    ),
    Case(
        "shared_atomics",
        shared_atomics,
        2,
        128,
        lambda r: [integers(r, np.int32), np.zeros(16, np.int32)],
    ),
    Case(
        "arrays",
        arrays,
        4,
        64,
        lambda r: [floats(r), np.zeros((N, 2), np.float32)],
    ),
    Case(
        "block_votes",
        block_votes,
        2,
        128,
        lambda r: [r.integers(-10, 10, N).astype(np.int32), np.zeros((N, 3), np.int32)],
    ),
    Case(
        "shuffles",
        shuffles,
        2,
        96,
        lambda r: [floats(r, n=192), np.zeros((192, 7), np.float32), np.zeros(192, np.int64)],
    ),
    Case(
        "warp_votes",
        warp_votes,
        2,
        96,
        lambda r: [r.integers(-10, 10, 192).astype(np.int32), np.zeros((192, 7), np.int64)],
    ),
    Case(
        "warp_match_any",
        warp_match_any,
        2,
        96,
        lambda r: [integers(r, np.int32, 192), np.zeros(192, np.int64)],
    ),
    Case(
        "warp_match_all",
        warp_match_all,
        2,
        96,
        lambda r: [
            np.arange(192, dtype=np.int32),
            np.zeros(192, np.int64),
            np.zeros(192, np.int32),
        ],
    ),
]
