"""Reference for coalesced_copy_strided: a block copies its 256 records (2048 floats) into a
(256, 9) shared tile in flat order, so that a warp reads 32 neighbouring floats of x, then writes
each field's 256 values as one run of out. The 9th column keeps the 32 lanes that read one field
of 32 records in 32 different banks."""

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
    cuda.syncthreads()
    if first + t < x.shape[0]:
        for f in range(8):
            out[f, first + t] = records[t, f]
