"""Correct, but the max, the sum and the write each read the row from global memory."""
# expect: reads each element of x from global memory more than once
# expect: Copy the row into a cuda.shared.array(1024, float32)

import math

from numba import cuda, float32


@cuda.jit
def softmax(x, out):
    shared = cuda.shared.array(256, float32)
    row = cuda.blockIdx.x
    tid = cuda.threadIdx.x
    cols = x.shape[1]

    largest = float32(-math.inf)
    for j in range(tid, cols, 256):
        largest = max(largest, x[row, j])
    shared[tid] = largest
    cuda.syncthreads()
    stride = 256 // 2
    while stride > 0:
        if tid < stride:
            shared[tid] = max(shared[tid], shared[tid + stride])
        cuda.syncthreads()
        stride //= 2
    largest = shared[0]
    cuda.syncthreads()  # every thread has read the max before shared is reused

    total = float32(0)
    for j in range(tid, cols, 256):
        total += math.exp(x[row, j] - largest)
    shared[tid] = total
    cuda.syncthreads()
    stride = 256 // 2
    while stride > 0:
        if tid < stride:
            shared[tid] += shared[tid + stride]
        cuda.syncthreads()
        stride //= 2
    total = shared[0]

    for j in range(tid, cols, 256):
        out[row, j] = math.exp(x[row, j] - largest) / total
