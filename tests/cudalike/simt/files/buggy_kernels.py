"""Kernels with the bugs learners write; each `# BUG: <name>` line is where the report must point.

The tests find those lines with kernels.line_of("buggy_kernels", "<name>").
"""

from numba import float32

from cudalike import cuda

TPB = 16


def fill_missing_guard(out, value):
    i = cuda.grid(1)
    out[i] = value * i  # BUG: oob-write


def scale_missing_guard(a, out):
    i = cuda.grid(1)
    out[i] = 2 * a[i]  # BUG: oob-read


def map_2d_missing_row_guard(a, out):
    x, y = cuda.grid(2)
    if y < out.shape[1]:
        out[x, y] = a[x, y] * 2  # BUG: oob-2d


def stencil_missing_left_guard(a, out):
    i = cuda.grid(1)
    if i < a.size - 1:
        out[i] = a[i - 1] + a[i] + a[i + 1]  # BUG: negative-index


def reverse_no_sync(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i]
    out[i] = s[63 - t]  # BUG: reverse-race


def matmul_missing_second_sync(A, B, C):
    sA = cuda.shared.array(shape=(TPB, TPB), dtype=float32)
    sB = cuda.shared.array(shape=(TPB, TPB), dtype=float32)
    col, row = cuda.grid(2)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    acc = float32(0)
    for tile in range(A.shape[1] // TPB):
        sA[ty, tx] = A[row, tile * TPB + tx]  # BUG: war-race
        sB[ty, tx] = B[tile * TPB + ty, col]
        cuda.syncthreads()
        for k in range(TPB):
            acc += sA[ty, k] * sB[k, tx]
    C[row, col] = acc


def reduction_missing_sync(a, partial):
    s = cuda.shared.array(128, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncthreads()
    stride = cuda.blockDim.x // 2
    while stride > 0:
        if t < stride:
            s[t] += s[t + stride]  # BUG: reduction-race
        stride //= 2
    if t == 0:
        partial[cuda.blockIdx.x] = s[0]


def warp_tail_no_syncwarp(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncthreads()
    if t < 32:
        s[t] += s[t + 32]
        s[t] += s[t + 16]  # BUG: warp-race
        s[t] += s[t + 8]
        s[t] += s[t + 4]
        s[t] += s[t + 2]
        s[t] += s[t + 1]
    if t == 0:
        out[cuda.blockIdx.x] = s[0]


def blocks_share_output(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[cuda.threadIdx.x] = a[i]  # BUG: global-race


def histogram_without_atomics(values, counts):
    i = cuda.grid(1)
    if i < values.size:
        counts[values[i]] += 1  # BUG: block-global-race


def neighbour_before_barrier(a, out):
    i = cuda.grid(1)
    out[i] = a[i]
    if i > 0:
        a[i] = out[i - 1] + out[(i + 32) % out.size]  # BUG: block-global-raw


def barrier_in_branch(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[t]
    if t < 16:
        cuda.syncthreads()  # BUG: divergent-barrier
        out[t] = s[t + 16]


def shared_half_initialised(out):
    s = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    if t % 2 == 0:
        s[t] = t
    cuda.syncthreads()
    out[t] = s[t]  # BUG: uninit-shared


def local_partly_written(a, out):
    i = cuda.grid(1)
    if i < a.size:
        tmp = cuda.local.array(4, float32)
        for k in range(3):
            tmp[k] = a[i] * k
        acc = float32(0)
        for k in range(4):
            acc += tmp[k]  # BUG: uninit-local
        out[i] = acc


def endless_loop(out):
    i = cuda.grid(1)
    k = 0
    while True:  # BUG: endless-while-true
        k += 1
    out[i] = k


def odd_threads_never_stop(out):
    i = cuda.grid(1)
    x = i
    while x != 0:  # BUG: endless-odd
        x -= 2
    out[i] = x


def row_neighbour_sum(a, out):
    row, col = cuda.grid(2)
    if row < a.shape[0] and col < a.shape[1]:
        out[row, col] = a[row, col] + a[row, col + 1]  # BUG: oob-column


def shared_shift_past_end(a, out):
    s = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    s[t] = a[t]
    cuda.syncthreads()
    out[t] = s[t + 1]  # BUG: oob-shared


def continue_skips_barrier(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    acc = float32(0)
    for k in range(4):
        if t % 2 == 1 and k == 2:
            continue
        s[t] = a[t] * k
        cuda.syncthreads()  # BUG: barrier-skipped
        acc += s[(t + 1) % 64]
        cuda.syncthreads()
    out[t] = acc


def read_other_block_output(a, tmp, out):
    i = cuda.grid(1)
    tmp[i] = 2 * a[i]
    if cuda.blockIdx.x > 0:
        out[i] = tmp[i - cuda.blockDim.x]  # BUG: global-raw


def huge_uniform_loop(out):
    acc = 0
    for k in range(10**12):  # BUG: long-for
        acc += k
    out[cuda.grid(1)] = acc
