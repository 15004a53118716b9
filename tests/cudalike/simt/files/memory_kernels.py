"""Memory spaces and atomics: dynamic shared, local and constant arrays; atomics' old values."""

import numpy as np
from numba import float32

from cudalike import cuda

WEIGHTS = np.array([0.25, 0.5, 0.25], dtype=np.float32)


def dynamic_shared_reverse(a, out):
    # Launched as kernel[blocks, threads, 0, threads * 4]: the 4th launch argument sizes `s`.
    s = cuda.shared.array(0, dtype=float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    n = cuda.blockDim.x
    s[t] = a[i]
    cuda.syncthreads()
    out[i] = s[n - 1 - t]


def local_sort4(a, out):
    # Each thread insertion-sorts its row of 4 in local memory; `j >= 0 and ...` guards buf[-1].
    i = cuda.grid(1)
    if i < out.shape[0]:
        buf = cuda.local.array(4, float32)
        for k in range(4):
            buf[k] = a[i, k]
        for k in range(1, 4):
            v = buf[k]
            j = k - 1
            while j >= 0 and buf[j] > v:
                buf[j + 1] = buf[j]
                j -= 1
            buf[j + 1] = v
        for k in range(4):
            out[i, k] = buf[k]


def weighted_blur(a, out):
    w = cuda.const.array_like(WEIGHTS)
    i = cuda.grid(1)
    if 0 < i < a.size - 1:
        out[i] = w[0] * a[i - 1] + w[1] * a[i] + w[2] * a[i + 1]


def compact_positive(a, out, counter):
    # atomic.add returns the old value: each positive element gets a slot of its own.
    i = cuda.grid(1)
    if i < a.size and a[i] > 0:
        slot = cuda.atomic.add(counter, 0, 1)
        out[slot] = a[i]


def atomic_ops(vals, ires, ures, flag, cas_old, swap_flag, swap_old):
    i = cuda.grid(1)
    if i < vals.size:
        v = vals[i]
        cuda.atomic.max(ires, 0, v)
        cuda.atomic.min(ires, 1, v)
        cuda.atomic.sub(ires, 2, v)
        cuda.atomic.and_(ires, 3, v)
        cuda.atomic.or_(ires, 4, v)
        cuda.atomic.xor(ires, 5, v)
        cuda.atomic.exch(ires, 6, v)
        cuda.atomic.inc(ures, 0, 5)  # counts 0, 1, ..., 5, 0, 1, ...
        cuda.atomic.dec(ures, 1, 5)
        cas_old[i] = cuda.atomic.cas(flag, 0, 0, i + 1)  # only the first thread finds 0
        swap_old[i] = cuda.atomic.compare_and_swap(swap_flag, 0, i + 1)  # on swap_flag[0]
