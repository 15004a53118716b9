"""Functions passed as values to device functions, as numba.cuda's own tests write them.

cuda.atomic.add, a device function, a scalar type or operator.add given to a device function
and called there; operator functions held in a global.
"""

from __future__ import annotations

import operator

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError, RaceError, UnsupportedConstructError


@cuda.jit(device=True)
def _as_int(value):
    return int(value)


@cuda.jit(device=True)
def _apply_to_shared(out, op, dtype, size, cast):
    tid = cuda.threadIdx.x
    counts = cuda.shared.array(size, dtype)
    counts[tid] = 0
    cuda.syncthreads()
    op(counts, cast(tid % 4), 1)
    cuda.syncthreads()
    out[tid] = counts[tid]


def test_atomic_function_dtype_and_device_function_passed_to_a_device_function() -> None:
    @cuda.jit
    def kernel(out):
        _apply_to_shared(out, cuda.atomic.add, np.int32, 16, _as_int)

    out = np.zeros(16, np.int32)
    kernel[1, 16](out)
    np.testing.assert_array_equal(out, [4, 4, 4, 4] + [0] * 12)


def test_the_same_device_function_takes_different_atomics() -> None:
    @cuda.jit(device=True)
    def combine(op, ary, value):
        op(ary, 0, value)

    @cuda.jit
    def kernel(maximum, total):
        i = cuda.threadIdx.x
        combine(cuda.atomic.max, maximum, i)
        combine(cuda.atomic.add, total, i)

    maximum, total = np.zeros(1, np.int64), np.zeros(1, np.int64)
    kernel[1, 32](maximum, total)
    assert maximum[0] == 31 and total[0] == sum(range(32))


@pytest.mark.parametrize(
    "op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv]
)
def test_operator_functions_from_a_global(op) -> None:
    @cuda.jit
    def kernel(a, b):
        i = cuda.grid(1)
        if i < a.size:
            a[i] = op(a[i], b[i])

    a, b = np.arange(1.0, 5.0), np.full(4, 2.0)
    expected = op(a, b)
    kernel[1, 4](a, b)
    np.testing.assert_array_equal(a, expected)


def test_a_passed_atomic_keeps_race_checks_on_plain_stores() -> None:
    @cuda.jit(device=True)
    def store_with(op, ary):
        op(ary, 0, 1)
        ary[1] = cuda.threadIdx.x

    @cuda.jit
    def kernel(ary):
        store_with(cuda.atomic.add, ary)

    with pytest.raises(RaceError):
        kernel[2, 32](np.zeros(2, np.int64))


def test_calling_a_number_is_a_runtime_error_naming_the_kernel() -> None:
    @cuda.jit(device=True)
    def call(f, x):
        return f(x)

    @cuda.jit
    def kernel(out):
        out[0] = call(3, 1.0)

    with pytest.raises(KernelRuntimeError, match="not a function"):
        kernel[1, 1](np.zeros(1))


def test_a_python_function_as_a_value_is_refused_naming_the_line() -> None:
    def helper(x):
        return x

    @cuda.jit
    def kernel(out):
        out[0] = helper

    with pytest.raises(UnsupportedConstructError, match="helper"):
        kernel[1, 1](np.zeros(1))
