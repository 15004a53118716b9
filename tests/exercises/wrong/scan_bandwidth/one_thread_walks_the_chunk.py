"""Correct, but in scan_chunks one thread per block walks its 2048 elements one by one."""
# expect: one thread walks elements one after another
# expect: Scan each round with all 256 threads

from numba import cuda, int32


@cuda.jit
def block_totals(x, block_sums):
    partial = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    base = cuda.blockIdx.x * 2048
    total = int32(0)
    for j in range(8):
        i = base + j * 256 + t
        if i < x.shape[0]:
            total += x[i]
    partial[t] = total
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] += partial[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        block_sums[cuda.blockIdx.x] = partial[0]


@cuda.jit
def scan_totals(block_sums):
    if cuda.blockIdx.x != 0:
        return
    temp = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    carry = int32(0)
    for start in range(0, block_sums.shape[0], 256):
        i = start + t
        temp[t] = block_sums[i] if i < block_sums.shape[0] else int32(0)
        cuda.syncthreads()
        offset = 1
        while offset < 256:
            left = temp[t - offset] if t >= offset else int32(0)
            cuda.syncthreads()
            temp[t] += left
            cuda.syncthreads()
            offset *= 2
        if i < block_sums.shape[0]:
            block_sums[i] = temp[t] + carry
        carry += temp[255]
        cuda.syncthreads()


@cuda.jit
def scan_chunks(x, block_sums, out):
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        running = block_sums[b - 1] if b > 0 else int32(0)
        for i in range(b * 2048, min((b + 1) * 2048, x.shape[0])):
            running += x[i]
            out[i] = running
