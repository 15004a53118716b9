"""Kernels from "Programming Massively Parallel Processors" (Kirk and Hwu) for a third tier
survey, written as the book's chapters write them: Brent-Kung, double-buffered Kogge-Stone
and coarsened three-phase scans, a convergent reduction in global memory and a coarsened one,
privatized and aggregated histograms, ELL and COO sparse matrix-vector products,
level-synchronous BFS, merge path with co-rank and a block-local radix split (see
survey_grids.py for the `Case` type; grid and tile kernels are in survey_pmpp_grids.py,
numeric ones in survey_pmpp_math.py, buggy twins in survey_pmpp_bugs.py)."""

import numpy as np
from numba import float32, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

SECTION = 128  # a Brent-Kung block of 64 threads scans two elements each
KS = 64
RADIX = 64
BLOCK = 64
COARSE = 4
NUM_BINS = 7  # the letters a to z in bins of four


def brent_kung_scan(x, y):
    xy = cuda.shared.array(SECTION, float32)
    tid = cuda.threadIdx.x
    i = 2 * cuda.blockIdx.x * cuda.blockDim.x + tid
    n = x.size
    if i < n:
        xy[tid] = x[i]
    else:
        xy[tid] = 0.0
    if i + cuda.blockDim.x < n:
        xy[tid + cuda.blockDim.x] = x[i + cuda.blockDim.x]
    else:
        xy[tid + cuda.blockDim.x] = 0.0
    stride = 1
    while stride <= cuda.blockDim.x:
        cuda.syncthreads()
        index = (tid + 1) * 2 * stride - 1
        if index < SECTION:
            xy[index] += xy[index - stride]
        stride *= 2
    stride = SECTION // 4
    while stride > 0:
        cuda.syncthreads()
        index = (tid + 1) * stride * 2 - 1
        if index + stride < SECTION:
            xy[index + stride] += xy[index]
        stride //= 2
    cuda.syncthreads()
    if i < n:
        y[i] = xy[tid]
    if i + cuda.blockDim.x < n:
        y[i + cuda.blockDim.x] = xy[tid + cuda.blockDim.x]


def kogge_stone_double_buffer(x, y):
    buf_a = cuda.shared.array(KS, float32)
    buf_b = cuda.shared.array(KS, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    buf_a[tid] = x[i] if i < x.size else 0.0
    ping = 0
    stride = 1
    while stride < cuda.blockDim.x:
        cuda.syncthreads()
        if ping == 0:
            if tid >= stride:
                buf_b[tid] = buf_a[tid] + buf_a[tid - stride]
            else:
                buf_b[tid] = buf_a[tid]
        else:
            if tid >= stride:
                buf_a[tid] = buf_b[tid] + buf_b[tid - stride]
            else:
                buf_a[tid] = buf_b[tid]
        ping = 1 - ping
        stride *= 2
    cuda.syncthreads()
    if i < x.size:
        y[i] = buf_a[tid] if ping == 0 else buf_b[tid]


def three_phase_scan(x, y):
    sec = cuda.shared.array(BLOCK * COARSE, float32)
    tid = cuda.threadIdx.x
    base = cuda.blockIdx.x * BLOCK * COARSE
    for k in range(COARSE):
        sec[k * BLOCK + tid] = x[base + k * BLOCK + tid]
    cuda.syncthreads()
    for k in range(1, COARSE):
        sec[tid * COARSE + k] += sec[tid * COARSE + k - 1]
    stride = 1
    while stride < BLOCK:
        cuda.syncthreads()
        v = float32(0.0)
        if tid >= stride:
            v = sec[(tid - stride) * COARSE + COARSE - 1]
        cuda.syncthreads()
        if tid >= stride:
            sec[tid * COARSE + COARSE - 1] += v
        stride *= 2
    cuda.syncthreads()
    if tid > 0:
        for k in range(COARSE - 1):
            sec[tid * COARSE + k] += sec[(tid - 1) * COARSE + COARSE - 1]
    cuda.syncthreads()
    for k in range(COARSE):
        y[base + k * BLOCK + tid] = sec[k * BLOCK + tid]


def convergent_sum_global(data, sums):
    i = 2 * cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    stride = cuda.blockDim.x
    while stride >= 1:
        if cuda.threadIdx.x < stride:
            data[i] += data[i + stride]
        cuda.syncthreads()
        stride //= 2
    if cuda.threadIdx.x == 0:
        sums[cuda.blockIdx.x] = data[i]


def coarsened_sum(data, total):
    sh = cuda.shared.array(BLOCK, float32)
    segment = COARSE * 2 * cuda.blockDim.x * cuda.blockIdx.x
    i = segment + cuda.threadIdx.x
    t = cuda.threadIdx.x
    s = data[i]
    for tile in range(1, COARSE * 2):
        s += data[i + tile * BLOCK]
    sh[t] = s
    stride = cuda.blockDim.x // 2
    while stride >= 1:
        cuda.syncthreads()
        if t < stride:
            sh[t] += sh[t + stride]
        stride //= 2
    if t == 0:
        cuda.atomic.add(total, 0, sh[0])


def histogram_privatized(text, histo):
    histo_s = cuda.shared.array(NUM_BINS, int32)
    for b in range(cuda.threadIdx.x, NUM_BINS, cuda.blockDim.x):
        histo_s[b] = 0
    cuda.syncthreads()
    for i in range(cuda.grid(1), text.size, cuda.gridsize(1)):
        pos = text[i] - 97
        if 0 <= pos < 26:
            cuda.atomic.add(histo_s, pos // 4, 1)
    cuda.syncthreads()
    for b in range(cuda.threadIdx.x, NUM_BINS, cuda.blockDim.x):
        v = histo_s[b]
        if v > 0:
            cuda.atomic.add(histo, b, v)


def histogram_aggregated(text, histo):
    histo_s = cuda.shared.array(NUM_BINS, int32)
    for b in range(cuda.threadIdx.x, NUM_BINS, cuda.blockDim.x):
        histo_s[b] = 0
    cuda.syncthreads()
    accumulator = 0
    prev_bin = -1
    tid = cuda.grid(1)
    for i in range(tid * COARSE, min((tid + 1) * COARSE, text.size)):
        pos = text[i] - 97
        if 0 <= pos < 26:
            b = pos // 4
            if b == prev_bin:
                accumulator += 1
            else:
                if accumulator > 0:
                    cuda.atomic.add(histo_s, prev_bin, accumulator)
                accumulator = 1
                prev_bin = b
    if accumulator > 0:
        cuda.atomic.add(histo_s, prev_bin, accumulator)
    cuda.syncthreads()
    for b in range(cuda.threadIdx.x, NUM_BINS, cuda.blockDim.x):
        v = histo_s[b]
        if v > 0:
            cuda.atomic.add(histo, b, v)


def spmv_ell(data, col_index, num_elem, x, y):
    row = cuda.grid(1)
    num_rows = y.size
    if row < num_rows:
        dot = float32(0.0)
        for k in range(num_elem):
            dot += data[row + k * num_rows] * x[col_index[row + k * num_rows]]
        y[row] = dot


def spmv_coo(rows, cols, vals, x, y):
    i = cuda.grid(1)
    if i < vals.size:
        cuda.atomic.add(y, rows[i], vals[i] * x[cols[i]])


def spmv_coo_grid_stride(rows, cols, vals, x, y):
    for i in range(cuda.grid(1), vals.size, cuda.gridsize(1)):
        cuda.atomic.add(y, rows[i], vals[i] * x[cols[i]])


def bfs_bottom_up(row_ptr, col_idx, level, new_level, changed, curr_level):
    v = cuda.grid(1)
    if v < level.size:
        new_level[v] = level[v]
        if level[v] == -1:
            for e in range(row_ptr[v], row_ptr[v + 1]):
                if level[col_idx[e]] == curr_level:
                    new_level[v] = curr_level + 1
                    cuda.atomic.max(changed, 0, 1)
                    break


def bfs_frontier(row_ptr, col_idx, frontier, level, next_frontier, next_size, curr_level):
    i = cuda.grid(1)
    if i < frontier.size:
        v = frontier[i]
        for e in range(row_ptr[v], row_ptr[v + 1]):
            nb = col_idx[e]
            if cuda.atomic.cas(level, nb, -1, curr_level + 1) == -1:
                slot = cuda.atomic.add(next_size, 0, 1)
                next_frontier[slot] = nb


@cuda.jit(device=True)
def co_rank(k, a, m, b, n):
    i = min(k, m)
    j = k - i
    i_low = max(0, k - n)
    j_low = max(0, k - m)
    active = True
    while active:
        if i > 0 and j < n and a[i - 1] > b[j]:
            delta = (i - i_low + 1) // 2
            j_low = j
            j += delta
            i -= delta
        elif j > 0 and i < m and b[j - 1] >= a[i]:
            delta = (j - j_low + 1) // 2
            i_low = i
            i += delta
            j -= delta
        else:
            active = False
    return i


def merge_path(a, b, c):
    tid = cuda.grid(1)
    m = a.size
    n = b.size
    per_thread = (m + n + cuda.gridsize(1) - 1) // cuda.gridsize(1)
    k_curr = min(tid * per_thread, m + n)
    k_next = min(k_curr + per_thread, m + n)
    i_curr = co_rank(k_curr, a, m, b, n)
    i_next = co_rank(k_next, a, m, b, n)
    i = i_curr
    j = k_curr - i_curr
    j_next = k_next - i_next
    k = k_curr
    while i < i_next and j < j_next:
        if a[i] <= b[j]:
            c[k] = a[i]
            i += 1
        else:
            c[k] = b[j]
            j += 1
        k += 1
    while i < i_next:
        c[k] = a[i]
        i += 1
        k += 1
    while j < j_next:
        c[k] = b[j]
        j += 1
        k += 1


def radix_split_block(keys, out, bit):
    bits = cuda.shared.array(RADIX, int32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    key = keys[i]
    b = (key >> bit) & 1
    bits[tid] = b
    cuda.syncthreads()
    offset = 1
    while offset < cuda.blockDim.x:
        t = bits[tid]
        if tid >= offset:
            t += bits[tid - offset]
        cuda.syncthreads()
        bits[tid] = t
        cuda.syncthreads()
        offset *= 2
    ones_before = bits[tid] - b
    total_ones = bits[cuda.blockDim.x - 1]
    if b == 0:
        dst = tid - ones_before
    else:
        dst = cuda.blockDim.x - total_ones + ones_before
    out[cuda.blockIdx.x * cuda.blockDim.x + dst] = key


def _ell(rng, rows: int = 70, width: int = 5):
    data = np.zeros((width, rows), np.float32)
    cols = np.zeros((width, rows), np.int32)
    for r in range(rows):
        k = int(rng.integers(1, width + 1))
        data[:k, r] = rng.standard_normal(k)
        cols[:k, r] = rng.choice(rows, k, replace=False)
    return [data.ravel(), cols.ravel(), width, f32(rng, rows), np.zeros(rows, np.float32)]


def _coo(rng, n: int = 60, nnz: int = 300):
    rows = np.sort(rng.integers(0, n, nnz)).astype(np.int32)
    cols = rng.integers(0, n, nnz, dtype=np.int32)
    return [rows, cols, f32(rng, nnz), f32(rng, n), np.zeros(n, np.float32)]


def _graph(rng, n: int = 90, edges: int = 160):
    """A random undirected graph in CSR form."""
    pairs = rng.integers(0, n, (edges, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    both = np.concatenate([pairs, pairs[:, ::-1]])
    both = both[np.lexsort((both[:, 1], both[:, 0]))]
    row_ptr = np.searchsorted(both[:, 0], np.arange(n + 1)).astype(np.int32)
    return row_ptr, both[:, 1].astype(np.int32)


def _bfs_bottom_up(rng):
    row_ptr, col_idx = _graph(rng)
    level = np.full(row_ptr.size - 1, -1, np.int32)
    level[col_idx[row_ptr[0] : row_ptr[1]]] = 1
    level[0] = 0
    return [row_ptr, col_idx, level, np.zeros_like(level), np.zeros(1, np.int32), 1]


def _bfs_frontier(rng):
    row_ptr, col_idx = _graph(rng)
    level = np.full(row_ptr.size - 1, -1, np.int32)
    frontier = np.array([0, 7, 30], np.int32)
    level[frontier] = 0
    next_frontier = np.full(level.size, -1, np.int32)
    return [row_ptr, col_idx, frontier, level, next_frontier, np.zeros(1, np.int32), 0]


def _sorted_pair(rng):
    a = np.sort(rng.integers(-50, 50, 70)).astype(np.int32)
    b = np.sort(rng.integers(-50, 50, 45)).astype(np.int32)
    return [a, b, np.zeros(a.size + b.size, np.int32)]


def _text(rng, n=1000):
    return [rng.integers(90, 125, n).astype(np.uint8), np.zeros(NUM_BINS, np.int32)]


CASES = [
    Case(
        "brent_kung_scan",
        brent_kung_scan,
        3,
        SECTION // 2,
        lambda r: [f32(r, 350), np.zeros(350, np.float32)],
    ),
    Case(
        "kogge_stone_double_buffer",
        kogge_stone_double_buffer,
        4,
        KS,
        lambda r: [f32(r, 230), np.zeros(230, np.float32)],
    ),
    Case(
        "three_phase_scan",
        three_phase_scan,
        2,
        BLOCK,
        lambda r: [f32(r, 2 * COARSE * BLOCK), np.zeros(2 * COARSE * BLOCK, np.float32)],
    ),
    Case(
        "convergent_sum_global",
        convergent_sum_global,
        3,
        BLOCK,
        lambda r: [f32(r, 6 * BLOCK), np.zeros(3, np.float32)],
    ),
    Case(
        "coarsened_sum",
        coarsened_sum,
        3,
        BLOCK,
        lambda r: [f32(r, 3 * 2 * COARSE * BLOCK), np.zeros(1, np.float32)],
    ),
    Case("histogram_privatized", histogram_privatized, 3, BLOCK, _text),
    Case("histogram_aggregated", histogram_aggregated, 4, BLOCK, _text),
    Case("spmv_ell", spmv_ell, 2, 64, _ell),
    Case("spmv_coo", spmv_coo, 5, 64, _coo),
    Case("spmv_coo_grid_stride", spmv_coo_grid_stride, 2, 64, _coo),
    Case("bfs_bottom_up", bfs_bottom_up, 2, 64, _bfs_bottom_up),
    Case("bfs_frontier", bfs_frontier, 1, 32, _bfs_frontier),
    Case("merge_path", merge_path, 2, 16, _sorted_pair),
    Case(
        "radix_split_block",
        radix_split_block,
        3,
        RADIX,
        lambda r: [
            r.integers(0, 1 << 12, 3 * RADIX, dtype=np.int32),
            np.zeros(3 * RADIX, np.int32),
            3,
        ],
    ),
]
