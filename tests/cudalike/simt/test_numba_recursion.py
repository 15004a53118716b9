"""Recursive device functions: each thread recurses to its own depth, as on a GPU."""

from __future__ import annotations

import numpy as np

from cudalike import cuda
from tests.cudalike.simt import kernels


@cuda.jit(device=True)
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@cuda.jit(device=True)
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@cuda.jit(device=True)
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def test_each_thread_recurses_to_its_own_depth() -> None:
    @cuda.jit
    def kernel(out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = fib(i)

    out = np.zeros(12, np.int64)
    kernel[1, 16](out)
    np.testing.assert_array_equal(out, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89])


def test_mutual_recursion_runs() -> None:
    @cuda.jit
    def kernel(out):
        i = cuda.grid(1)
        out[i] = is_even(i)

    out = np.zeros(7, np.bool_)
    kernel[1, 7](out)
    np.testing.assert_array_equal(out, [True, False, True, False, True, False, True])


def test_a_recursive_function_from_another_file_runs() -> None:
    out = np.zeros(6, np.int64)
    kernels.jit("recursive_kernels", "uses_recursion")[1, 6](out)
    np.testing.assert_array_equal(out, [1, 1, 2, 6, 24, 120])


def test_a_single_thread_recursion_ends() -> None:
    @cuda.jit
    def kernel(out, n):
        out[0] = fib(n[0])

    out = np.zeros(1, np.int64)
    kernel[1, 1](out, np.array([10]))
    assert out[0] == 55
