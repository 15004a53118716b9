"""Instructor solution for prefix_sum: a double-buffered Hillis-Steele scan (two shared arrays)."""

from numba import int32

from cudalike import cuda


@cuda.jit(device=True)
def double_buffered_scan(ping, pong, t):
    """Scan ping, alternating with pong: each step reads one array and writes the other."""
    offset = 1
    source_is_ping = True
    while offset < 256:
        if source_is_ping:
            pong[t] = ping[t] + ping[t - offset] if t >= offset else ping[t]
        else:
            ping[t] = pong[t] + pong[t - offset] if t >= offset else pong[t]
        cuda.syncthreads()
        source_is_ping = not source_is_ping
        offset *= 2
    # eight steps: the result is back in ping


@cuda.jit
def scan_blocks(x, out, block_sums):
    ping = cuda.shared.array(256, int32)
    pong = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    i = cuda.blockIdx.x * 256 + t
    ping[t] = int32(0)
    if i < x.shape[0]:
        ping[t] = x[i]
    cuda.syncthreads()
    double_buffered_scan(ping, pong, t)
    if i < x.shape[0]:
        out[i] = ping[t]
    if t == 255:
        block_sums[cuda.blockIdx.x] = ping[255]


@cuda.jit
def scan_block_sums(block_sums):
    ping = cuda.shared.array(256, int32)
    pong = cuda.shared.array(256, int32)
    if cuda.blockIdx.x > 0:
        return
    t = cuda.threadIdx.x
    count = block_sums.shape[0]
    carry = int32(0)
    start = 0
    while start < count:
        ping[t] = block_sums[start + t] if start + t < count else int32(0)
        cuda.syncthreads()
        double_buffered_scan(ping, pong, t)
        if start + t < count:
            block_sums[start + t] = ping[t] + carry
        carry = carry + ping[255]
        cuda.syncthreads()
        start += 256


@cuda.jit
def add_block_offsets(out, block_sums):
    b = cuda.blockIdx.x
    i = b * 256 + cuda.threadIdx.x
    if i < out.shape[0] and b >= 1:
        out[i] = out[i] + block_sums[b - 1]
