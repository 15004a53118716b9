"""The tile is read before the other warps have loaded their part: no cuda.syncthreads()."""

# expect: call cuda.syncthreads() after the loading loop
from numba import float32

from cudalike import cuda


@cuda.jit
def aos_to_soa(x, out):
    records = cuda.shared.array((256, 9), float32)
    t = cuda.threadIdx.x
    first = cuda.blockIdx.x * 256
    for flat in range(t, 256 * 8, 256):
        r = flat // 8
        f = flat % 8
        if first + r < x.shape[0]:
            records[r, f] = x[first + r, f]
    if first + t < x.shape[0]:
        for f in range(8):
            out[f, first + t] = records[t, f]
