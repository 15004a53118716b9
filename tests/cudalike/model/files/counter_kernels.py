"""Small kernels whose counters are known by hand (gpu-hardware.md's rules)."""

from numba import float32

from cudalike import cuda


def copy_stride(a, out, stride):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i * stride]


def shared_column_unpadded(out):
    tile = cuda.shared.array((32, 32), float32)
    x = cuda.threadIdx.x
    for row in range(32):
        tile[row, x] = row
    cuda.syncthreads()
    out[x] = tile[x, 0]


def shared_column_padded(out):
    tile = cuda.shared.array((32, 33), float32)
    x = cuda.threadIdx.x
    for row in range(32):
        tile[row, x] = row
    cuda.syncthreads()
    out[x] = tile[x, 0]


def shared_broadcast(out):
    tile = cuda.shared.array(32, float32)
    x = cuda.threadIdx.x
    tile[x] = x
    cuda.syncthreads()
    out[x] = tile[5]


def divergent(out):
    i = cuda.grid(1)
    if cuda.threadIdx.x % 2 == 0:
        out[i] = out[i] * 2.0
    else:
        out[i] = out[i] + 1.0


def uniform(out):
    i = cuda.grid(1)
    if (cuda.threadIdx.x // 32) % 2 == 0:
        out[i] = out[i] * 2.0
    else:
        out[i] = out[i] + 1.0


def fma_loop(a, b, out):
    i = cuda.grid(1)
    acc = float32(0)
    for _ in range(8):
        acc += a[i] * b[i]
    out[i] = acc


def big_shared(out):
    block = cuda.shared.array(12288, float32)  # 48 KiB
    t = cuda.threadIdx.x
    block[t] = t
    cuda.syncthreads()
    out[cuda.grid(1)] = block[t]


def same_address_atomics(counter):
    cuda.atomic.add(counter, 0, 1)
