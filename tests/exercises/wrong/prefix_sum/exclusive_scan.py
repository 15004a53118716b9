"""Writes an exclusive scan (the sum before x[i]) where the exercise asks for an inclusive one."""
# expect: you wrote an exclusive scan

from numba import cuda, int32


@cuda.jit
def scan_blocks(x, out, block_sums):
    temp = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    temp[t] = x[i] if i < x.size else int32(0)
    cuda.syncthreads()
    offset = 1
    while offset < 256:
        left = temp[t - offset] if t >= offset else int32(0)
        cuda.syncthreads()
        temp[t] += left
        cuda.syncthreads()
        offset *= 2
    if i < x.size:
        out[i] = temp[t] - x[i]
    if t == 255:
        block_sums[cuda.blockIdx.x] = temp[t]


@cuda.jit
def scan_block_sums(block_sums):
    if cuda.blockIdx.x != 0:
        return
    temp = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    carry = int32(0)
    for start in range(0, block_sums.size, 256):
        i = start + t
        temp[t] = block_sums[i] if i < block_sums.size else int32(0)
        cuda.syncthreads()
        offset = 1
        while offset < 256:
            left = temp[t - offset] if t >= offset else int32(0)
            cuda.syncthreads()
            temp[t] += left
            cuda.syncthreads()
            offset *= 2
        if i < block_sums.size:
            block_sums[i] = temp[t] + carry
        carry += temp[255]
        cuda.syncthreads()


@cuda.jit
def add_block_offsets(out, block_sums):
    i = cuda.grid(1)
    b = cuda.blockIdx.x
    if b > 0 and i < out.size:
        out[i] += block_sums[b - 1]
