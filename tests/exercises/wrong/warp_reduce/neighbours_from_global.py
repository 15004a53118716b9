"""Lane 0 reads its 31 neighbours from global memory again instead of shuffling."""
# expect: Get the other lanes' values with cuda.shfl_down_sync

from numba import cuda, float32


@cuda.jit
def warp_reduce(x, out):
    i = cuda.grid(1)
    if i % 32 == 0 and i < x.size:
        total = float32(0)
        for k in range(i, min(i + 32, x.size)):
            total += x[k]
        out[i // 32] = total
