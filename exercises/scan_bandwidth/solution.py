"""Instructor solution for scan_bandwidth: the same three passes, each scan with two arrays."""

from numba import int32

from cudalike import cuda


@cuda.jit
def block_totals(x, block_sums):
    sums = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    own = int32(0)
    i = cuda.blockIdx.x * 2048 + t
    for _ in range(8):
        if i < x.size:
            own += x[i]
        i += 256
    sums[t] = own
    cuda.syncthreads()
    half = 128
    while half > 0:
        if t < half:
            sums[t] += sums[t + half]
        cuda.syncthreads()
        half //= 2
    if t == 0:
        block_sums[cuda.blockIdx.x] = sums[0]


@cuda.jit
def scan_totals(block_sums):
    ping = cuda.shared.array(256, int32)
    pong = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    running = int32(0)
    if cuda.blockIdx.x == 0:
        for start in range(0, block_sums.size, 256):
            ping[t] = block_sums[start + t] if start + t < block_sums.size else int32(0)
            cuda.syncthreads()
            step = 1
            while step < 256:
                if t >= step:
                    pong[t] = ping[t] + ping[t - step]
                else:
                    pong[t] = ping[t]
                cuda.syncthreads()
                ping[t] = pong[t]
                cuda.syncthreads()
                step *= 2
            if start + t < block_sums.size:
                block_sums[start + t] = ping[t] + running
            running += ping[255]
            cuda.syncthreads()


@cuda.jit
def scan_chunks(x, block_sums, out):
    ping = cuda.shared.array(256, int32)
    pong = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    b = cuda.blockIdx.x
    running = int32(0)
    if b > 0:
        running = block_sums[b - 1]
    for j in range(8):
        i = b * 2048 + j * 256 + t
        ping[t] = x[i] if i < x.size else int32(0)
        cuda.syncthreads()
        step = 1
        while step < 256:
            if t >= step:
                pong[t] = ping[t] + ping[t - step]
            else:
                pong[t] = ping[t]
            cuda.syncthreads()
            ping[t] = pong[t]
            cuda.syncthreads()
            step *= 2
        if i < x.size:
            out[i] = ping[t] + running
        running += ping[255]
        cuda.syncthreads()
