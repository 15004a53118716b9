"""Reference for blocks: the global index from block and thread indices, guarded."""

from cudalike import cuda


@cuda.jit
def blocks(x, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < out.size:
        out[i] = 2 * x[i] + 1
