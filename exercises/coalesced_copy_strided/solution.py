"""Instructor solution for coalesced_copy_strided: a flat shared array, records 9 words apart,
record and field from shifts and masks."""

from numba import float32

from cudalike import cuda

THREADS = 256
FIELDS = 8
PADDED = FIELDS + 1


@cuda.jit
def aos_to_soa(x, out):
    tile = cuda.shared.array(THREADS * PADDED, float32)
    t = cuda.threadIdx.x
    first = cuda.blockIdx.x * THREADS  # the block's first record
    n = x.shape[0]
    for k in range(FIELDS):
        local = k * THREADS + t  # neighbouring threads read neighbouring floats of x
        r = local >> 3
        f = local & 7
        if first + r < n:
            tile[r * PADDED + f] = x[first + r, f]
    cuda.syncthreads()
    i = first + t
    if i < n:
        for f in range(FIELDS):
            out[f, i] = tile[t * PADDED + f]
