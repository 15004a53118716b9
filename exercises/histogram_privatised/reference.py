"""Reference for histogram_privatised: shared-memory bins per block, one global atomic per bin."""

from numba import int32

from cudalike import cuda

BINS = 256


@cuda.jit
def histogram(x, out):
    counts = cuda.shared.array(BINS, int32)
    tid = cuda.threadIdx.x
    for b in range(tid, BINS, cuda.blockDim.x):
        counts[b] = 0
    cuda.syncthreads()
    for i in range(cuda.grid(1), x.shape[0], cuda.gridsize(1)):
        cuda.atomic.add(counts, x[i], 1)
    cuda.syncthreads()
    for b in range(tid, BINS, cuda.blockDim.x):
        cuda.atomic.add(out, b, counts[b])
