"""numba CPU functions called from kernels, and CUDA C sources that cannot be linked."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from cudalike import cuda


@njit
def add(a, b):
    return a + b


def test_a_numba_cpu_function_is_called_as_a_device_function() -> None:
    @cuda.jit
    def kernel(values):
        i = cuda.grid(1)
        if i < values.size:
            values[i] = add(values[i], 1)

    values = np.arange(10)
    kernel[1, 16](values)
    np.testing.assert_array_equal(values, np.arange(1, 11))


def test_cuda_c_sources_are_kept_and_declaring_their_functions_is_refused() -> None:
    source = cuda.CUSource('extern "C" __device__ int times2(int *out, int a);')
    assert "times2" in source.data
    with pytest.raises(NotImplementedError, match="cannot link CUDA C"):
        cuda.declare_device("times2", "int32(int32)", link=source)
