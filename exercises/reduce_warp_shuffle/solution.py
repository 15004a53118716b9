"""Instructor solution for reduce_warp_shuffle: butterfly shuffles (shfl_xor) in a for loop."""

from numba import float32

from cudalike import cuda


@cuda.jit
def block_sums(x, partials):
    per_warp = cuda.shared.array(8, float32)
    i = cuda.grid(1)
    lane = cuda.laneid
    total = x[i] if i < x.shape[0] else float32(0)
    for step in range(5):
        total += cuda.shfl_xor_sync(0xFFFFFFFF, total, 16 >> step)
    if lane == 0:
        per_warp[cuda.threadIdx.x // 32] = total
    cuda.syncthreads()
    if cuda.threadIdx.x < 32:
        total = per_warp[lane] if lane < 8 else float32(0)
        for step in range(3):
            total += cuda.shfl_xor_sync(0xFFFFFFFF, total, 4 >> step)
        if lane == 0:
            partials[cuda.blockIdx.x] = total
