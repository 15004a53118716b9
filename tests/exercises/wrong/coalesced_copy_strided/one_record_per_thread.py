"""Correct but slow: each thread reads its own record's 8 fields: 8 lines per warp load."""

# expect: the report says L2 bandwidth
# expect: thread t reads float k * 256 + t
from numba import float32

from cudalike import cuda


@cuda.jit
def aos_to_soa(x, out):
    records = cuda.shared.array((256, 9), float32)
    t = cuda.threadIdx.x
    i = cuda.blockIdx.x * 256 + t
    if i < x.shape[0]:
        for f in range(8):
            records[t, f] = x[i, f]
    cuda.syncthreads()
    if i < x.shape[0]:
        for f in range(8):
            out[f, i] = records[t, f]
