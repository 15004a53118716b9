"""Run by test_numba_backend.py in a subprocess: the same kernels through numba.cuda."""

import sys

import numpy as np

import cudalike
from cudalike import cuda

TPB = 32


@cuda.jit(device=True)
def twice(x):
    return 2 * x


@cuda.jit
def scaled_reverse(a, out):
    s = cuda.shared.array(TPB, np.float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i]
    cuda.syncthreads()
    out[i] = twice(s[TPB - 1 - t])


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "use":
        cudalike.use("numba-cuda")
    a = np.arange(2 * TPB, dtype=np.float32)
    out = cuda.to_device(np.zeros_like(a))
    scaled_reverse[2, TPB](a, out)
    expected = 2 * a.reshape(2, TPB)[:, ::-1].ravel()
    assert np.array_equal(out.copy_to_host(), expected), out.copy_to_host()
    ran_on = type(scaled_reverse._numba).__module__ if scaled_reverse._numba else "cudalike"
    print("backend:", cudalike.config.get().backend, "ran on:", ran_on)
