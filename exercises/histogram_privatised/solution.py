"""Instructor solution for histogram_privatised: one bin per thread, a while-loop stride."""

from numba import int32

from cudalike import cuda


@cuda.jit
def histogram(x, out):
    private_bins = cuda.shared.array(256, int32)
    bin_index = cuda.threadIdx.x
    private_bins[bin_index] = 0
    cuda.syncthreads()

    i = cuda.grid(1)
    step = cuda.gridsize(1)
    while i < x.size:
        cuda.atomic.add(private_bins, x[i], 1)
        i += step
    cuda.syncthreads()

    if private_bins[bin_index] != 0:
        cuda.atomic.add(out, bin_index, private_bins[bin_index])
