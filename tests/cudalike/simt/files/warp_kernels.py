"""Warp-level kernels: shuffles, votes, lane masks, bit intrinsics and barrier votes.

numba's simulator has no shuffles, votes or masks, so only cudalike (and a GPU) runs most of
these. Launch them with whole warps (block sizes that are multiples of 32).
"""

from numba import float32

from cudalike import cuda

FULL_MASK = 0xFFFFFFFF


def shuffle_block_sum(a, out):
    # Each warp reduces with shfl_down_sync, warp sums meet in shared memory, warp 0 finishes.
    warp_sums = cuda.shared.array(32, float32)
    i = cuda.grid(1)
    lane = cuda.laneid
    warp = cuda.threadIdx.x // 32
    v = a[i]
    offset = 16
    while offset > 0:
        v += cuda.shfl_down_sync(FULL_MASK, v, offset)
        offset //= 2
    if lane == 0:
        warp_sums[warp] = v
    cuda.syncthreads()
    if warp == 0:
        nwarps = cuda.blockDim.x // 32
        v = warp_sums[lane] if lane < nwarps else float32(0)
        offset = 16
        while offset > 0:
            v += cuda.shfl_down_sync(FULL_MASK, v, offset)
            offset //= 2
        if lane == 0:
            cuda.atomic.add(out, 0, v)


def butterfly_sum(a, out):
    # After the xor butterfly every lane holds the sum of its warp.
    i = cuda.grid(1)
    v = a[i]
    for k in range(4, -1, -1):
        v += cuda.shfl_xor_sync(FULL_MASK, v, 1 << k)
    out[i] = v


def warp_scan(a, scan, total):
    i = cuda.grid(1)
    lane = cuda.laneid
    v = a[i]
    delta = 1
    while delta < 32:
        up = cuda.shfl_up_sync(FULL_MASK, v, delta)
        if lane >= delta:
            v += up
        delta *= 2
    scan[i] = v
    total[i] = cuda.shfl_sync(FULL_MASK, v, 31)


def votes(a, ballots, alls, anys, eqs):
    i = cuda.grid(1)
    p = a[i] > 0
    b = cuda.ballot_sync(FULL_MASK, p)
    all_p = cuda.all_sync(FULL_MASK, p)
    any_p = cuda.any_sync(FULL_MASK, p)
    eq_p = cuda.eq_sync(FULL_MASK, p)
    if cuda.laneid == 0:
        w = i // 32
        ballots[w] = b
        alls[w] = 1 if all_p else 0
        anys[w] = 1 if any_p else 0
        eqs[w] = 1 if eq_p else 0


def lane_masks(active, lower, rank):
    i = cuda.grid(1)
    if i % 2 == 0:
        m = cuda.activemask()
        lt = cuda.lanemask_lt()
        active[i] = m
        lower[i] = lt
        rank[i] = cuda.popc(m & lt)


def bit_ops(a, popc_out, brev_out, clz_out, ffs_out):
    i = cuda.grid(1)
    if i < a.size:
        x = a[i]
        popc_out[i] = cuda.popc(x)
        brev_out[i] = cuda.brev(x)
        clz_out[i] = cuda.clz(x)
        ffs_out[i] = cuda.ffs(x)


def fma_selp(a, b, c, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = cuda.selp(a[i] > b[i], cuda.fma(a[i], b[i], c[i]), c[i])


def barrier_votes(a, counts, ands, ors):
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    p = a[i] > 0
    c = cuda.syncthreads_count(p)
    all_p = cuda.syncthreads_and(p)
    any_p = cuda.syncthreads_or(p)
    if t == 0:
        counts[cuda.blockIdx.x] = c
        ands[cuda.blockIdx.x] = 1 if all_p else 0
        ors[cuda.blockIdx.x] = 1 if any_p else 0


def warp_sync_sum(a, out):
    # Warp-synchronous tail of a reduction, done right: syncwarp between each write and read.
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncthreads()
    if t < 32:
        v = s[t] + s[t + 32]
        offset = 16
        while offset > 0:
            s[t] = v
            cuda.syncwarp(FULL_MASK)
            v += s[t + offset] if t + offset < 32 else float32(0)
            cuda.syncwarp(FULL_MASK)
            offset //= 2
        if t == 0:
            out[cuda.blockIdx.x] = v
