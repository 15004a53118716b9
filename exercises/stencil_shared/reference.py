"""Reference for stencil_shared: the block's elements and a halo of 3 on each side in shared
memory, one barrier, then seven reads of shared memory per output."""

from numba import float32

from cudalike import cuda

RADIUS = 3
THREADS = 128


@cuda.jit
def stencil_shared(x, out):
    tile = cuda.shared.array(THREADS + 2 * RADIUS, float32)
    i = cuda.grid(1)
    t = cuda.threadIdx.x
    n = x.size
    tile[t + RADIUS] = x[i] if i < n else 0.0
    if t < RADIUS:
        left = i - RADIUS
        tile[t] = x[left] if left >= 0 else 0.0
        right = i + THREADS
        tile[t + THREADS + RADIUS] = x[right] if right < n else 0.0
    cuda.syncthreads()
    if i < n:
        total = 0.0
        for k in range(2 * RADIUS + 1):
            total += tile[t + k]
        out[i] = total
