"""Reference for softmax_rows: one block per row; a max and a sum, each a tree in shared memory."""

import math

from numba import float32

from cudalike import cuda

THREADS = 256


@cuda.jit
def softmax_rows(x, out):
    shared = cuda.shared.array(THREADS, float32)
    row = cuda.blockIdx.x
    tid = cuda.threadIdx.x
    cols = x.shape[1]

    largest = float32(-math.inf)
    for j in range(tid, cols, THREADS):
        largest = max(largest, x[row, j])
    shared[tid] = largest
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if tid < stride:
            shared[tid] = max(shared[tid], shared[tid + stride])
        cuda.syncthreads()
        stride //= 2
    largest = shared[0]
    cuda.syncthreads()  # every thread has read the max before shared is reused

    total = float32(0)
    for j in range(tid, cols, THREADS):
        total += math.exp(x[row, j] - largest)
    shared[tid] = total
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if tid < stride:
            shared[tid] += shared[tid + stride]
        cuda.syncthreads()
        stride //= 2
    total = shared[0]

    for j in range(tid, cols, THREADS):
        out[row, j] = math.exp(x[row, j] - largest) / total
