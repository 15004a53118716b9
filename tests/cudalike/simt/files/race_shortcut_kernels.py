"""Kernels that exercise the race checker's shortcuts (read log, epoch bookkeeping)."""

from numba import float32

from cudalike import cuda


def war_after_exited_block(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    if cuda.blockIdx.x == 0:
        return
    s[t] = a[t]
    cuda.syncthreads()
    x = s[63 - t]
    s[t] = 2 * x  # BUG: war
    out[cuda.grid(1)] = x


def raw_after_two_barriers(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[t]
    cuda.syncthreads()
    y = s[63 - t]
    cuda.syncthreads()
    s[t] = y + 1
    out[cuda.grid(1)] = s[63 - t]  # BUG: raw


def reads_then_barrier_then_write(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[t]
    cuda.syncthreads()
    y = s[63 - t]
    cuda.syncthreads()
    s[t] = y + 1
    cuda.syncthreads()
    out[cuda.grid(1)] = s[63 - t]
