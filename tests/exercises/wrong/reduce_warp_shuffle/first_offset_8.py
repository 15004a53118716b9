"""The warp shuffles start at offset 8: lane 0 misses lanes 16 to 31 of its warp."""

# expect: offsets 16, 8, 4, 2, 1
from numba import float32

from cudalike import cuda

FULL_MASK = 0xFFFFFFFF
WARPS = 8  # 256 threads per block


@cuda.jit
def block_sums(x, partials):
    warp_totals = cuda.shared.array(WARPS, float32)
    i = cuda.grid(1)
    lane = cuda.threadIdx.x % 32
    warp = cuda.threadIdx.x // 32
    value = x[i] if i < x.size else float32(0)
    offset = 8
    while offset > 0:
        value += cuda.shfl_down_sync(FULL_MASK, value, offset)
        offset //= 2
    if lane == 0:
        warp_totals[warp] = value
    cuda.syncthreads()
    if warp == 0:
        value = warp_totals[lane] if lane < WARPS else float32(0)
        offset = 4
        while offset > 0:
            value += cuda.shfl_down_sync(FULL_MASK, value, offset)
            offset //= 2
        if lane == 0:
            partials[cuda.blockIdx.x] = value
