"""Instructor solution for histogram: one bin per thread (blocks of 256), a while-loop stride."""

from numba import int32

from cudalike import cuda


@cuda.jit
def histogram(x, out):
    local_counts = cuda.shared.array(256, int32)
    bin_index = cuda.threadIdx.x
    local_counts[bin_index] = 0
    cuda.syncthreads()

    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    step = cuda.blockDim.x * cuda.gridDim.x
    while i < x.size:
        cuda.atomic.add(local_counts, x[i], 1)
        i += step
    cuda.syncthreads()

    cuda.atomic.add(out, bin_index, local_counts[bin_index])
