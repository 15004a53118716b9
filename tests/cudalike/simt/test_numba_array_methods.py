"""`a.copy()` and `a.view(dtype)` in kernels."""

from __future__ import annotations

import numpy as np

from cudalike import cuda

REVERSED = np.array([1, 2, 3])[::-1]


def test_a_copy_of_a_module_level_array_is_each_threads_own() -> None:
    @cuda.jit
    def kernel(out):
        q = REVERSED.copy()
        q[0] = q[0] + cuda.threadIdx.x
        out[cuda.threadIdx.x] = q[0] * 10 + q[2]

    out = np.zeros(4)
    kernel[1, 4](out)
    np.testing.assert_array_equal(out, [31, 41, 51, 61])


def test_bytes_are_reinterpreted_as_int32() -> None:
    @cuda.jit
    def kernel(data, start, stop, out):
        out[0] = data[start:stop].view(np.int32)[0]

    data = np.arange(256, dtype=np.uint8)
    out = np.zeros(1, np.int32)
    for start in (0, 4, 252):
        kernel[1, 1](data, start, start + 4, out)
        assert out[0] == data[start : start + 4].view(np.int32)[0]
