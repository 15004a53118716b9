"""Block-cooperative kernels: tree reduction, histogram, block scan and a stencil with a halo.

Each works for any block size up to MAX_TPB (powers of two for the reduction), and for sizes
that are not multiples of the block size.
"""

from numba import float32, int32

from cudalike import cuda

MAX_TPB = 1024
NBINS = 16
RADIUS = 3


def block_sum(a, partial):
    # Harris's "sequential addressing": the active half shrinks, the barrier stays uniform.
    s = cuda.shared.array(MAX_TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i] if i < a.size else float32(0)
    cuda.syncthreads()
    stride = cuda.blockDim.x // 2
    while stride > 0:
        if t < stride:
            s[t] += s[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        partial[cuda.blockIdx.x] = s[0]


def histogram(data, hist):
    # Privatised histogram: shared-memory bins per block, then one atomic per bin to global.
    local_hist = cuda.shared.array(NBINS, int32)
    t = cuda.threadIdx.x
    for b in range(t, NBINS, cuda.blockDim.x):
        local_hist[b] = 0
    cuda.syncthreads()
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for k in range(start, data.size, stride):
        cuda.atomic.add(local_hist, data[k] % NBINS, 1)
    cuda.syncthreads()
    for b in range(t, NBINS, cuda.blockDim.x):
        cuda.atomic.add(hist, b, local_hist[b])


def block_inclusive_scan(a, out):
    # Hillis-Steele: read, barrier, write, barrier, so no thread overwrites a value still needed.
    s = cuda.shared.array(MAX_TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i] if i < a.size else float32(0)
    cuda.syncthreads()
    offset = 1
    while offset < cuda.blockDim.x:
        v = s[t]
        if t >= offset:
            v += s[t - offset]
        cuda.syncthreads()
        s[t] = v
        cuda.syncthreads()
        offset *= 2
    if i < a.size:
        out[i] = s[t]


def stencil_1d(a, out):
    # out[i] = sum of a[i - RADIUS .. i + RADIUS], zero outside the array; needs blockDim >= RADIUS.
    s = cuda.shared.array(MAX_TPB + 2 * RADIUS, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    n = a.size
    s[t + RADIUS] = a[i] if i < n else 0.0
    if t < RADIUS:
        left = i - RADIUS
        s[t] = a[left] if left >= 0 else 0.0
        right = i + cuda.blockDim.x
        s[t + cuda.blockDim.x + RADIUS] = a[right] if right < n else 0.0
    cuda.syncthreads()
    if i < n:
        acc = float32(0)
        for k in range(-RADIUS, RADIUS + 1):
            acc += s[t + RADIUS + k]
        out[i] = acc
