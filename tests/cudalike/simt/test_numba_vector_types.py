"""CUDA vector types in kernels: constructors, aliases, element access."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError


def test_vectors_are_built_and_read_by_element() -> None:
    @cuda.jit
    def kernel(out):
        v = cuda.float64x4(1.0, 3.0, 5.0, 7.0)
        s = cuda.short2(10, 11)
        out[0], out[1], out[2], out[3] = v.x, v.y, v.z, v.w
        out[4], out[5] = s.x, s.y

    out = np.zeros(6)
    kernel[1, 1](out)
    np.testing.assert_array_equal(out, [1, 3, 5, 7, 10, 11])


def test_smaller_vectors_flatten_into_a_larger_one_cast_to_its_base_type() -> None:
    @cuda.jit
    def kernel(out):
        i = cuda.grid(1)
        pair = cuda.float32x2(i, 2.5)
        v = cuda.int32x4(pair, cuda.int32x1(7), 9.9)
        out[i, 0], out[i, 1], out[i, 2], out[i, 3] = v.x, v.y, v.z, v.w

    out = np.zeros((4, 4))
    kernel[1, 4](out)
    np.testing.assert_array_equal(out[:, 0], [0, 1, 2, 3])
    np.testing.assert_array_equal(out[0, 1:], [2, 7, 9])  # 2.5 and 9.9 truncated to int32


def test_a_wrong_number_of_elements_is_a_runtime_error_naming_the_line() -> None:
    @cuda.jit
    def kernel(out):
        v = cuda.float32x3(1.0, 2.0)
        out[0] = v.x

    with pytest.raises(
        KernelRuntimeError, match=r"(?s)test_numba_vector_types\.py:\d+.*3 elements"
    ):
        kernel[1, 1](np.zeros(1))


def test_every_name_and_alias_is_in_the_cuda_namespace() -> None:
    for name in ("int8x1", "uint64x4", "float32x3", "float4", "double2", "ulonglong1"):
        assert getattr(cuda, name) is not None
    with pytest.raises(AttributeError):
        cuda.float32x5  # noqa: B018
