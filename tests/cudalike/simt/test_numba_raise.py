"""`raise` in kernels: with debug=True the kernel's exception reaches the host, as in numba."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError, UnsupportedConstructError


class MyError(Exception):
    pass


def test_a_raise_in_a_debug_kernel_is_the_kernels_exception_on_the_host() -> None:
    @cuda.jit("void(int32)", debug=True, opt=False)
    def kernel(x):
        if x == 1:
            raise MyError
        elif x == 2:
            raise MyError("foo")

    kernel[1, 1](0)
    with pytest.raises(MyError, match=r"tid=\[0, 0, 0\] ctaid=\[0, 0, 0\]"):
        kernel[1, 1](1)
    with pytest.raises(MyError, match=r"tid=\[0, 0, 0\] ctaid=\[0, 0, 0\]: foo"):
        kernel[1, 1](2)


def test_the_first_thread_that_raises_is_named() -> None:
    @cuda.jit(debug=True)
    def kernel(x):
        i = cuda.grid(1)
        if x[i] > 0:
            raise ValueError(x[i])

    x = np.zeros(64, np.int64)
    x[37] = 5
    with pytest.raises(ValueError, match=r"tid=\[5, 0, 0\] ctaid=\[1, 0, 0\]: 5"):
        kernel[2, 32](x)


def test_a_raise_in_a_device_function_with_a_message_from_a_closure() -> None:
    message = "Device Function Error"

    @cuda.jit(device=True)
    def check():
        raise ValueError(message)

    @cuda.jit(debug=True)
    def kernel():
        check()

    with pytest.raises(ValueError, match=message):
        kernel[1, 1]()


def test_without_debug_a_raise_is_a_report_naming_the_exception() -> None:
    @cuda.jit
    def kernel(out):
        if cuda.threadIdx.x == 3:
            raise IndexError("too far")
        out[cuda.threadIdx.x] = 1

    with pytest.raises(KernelRuntimeError, match=r"raised IndexError\(too far\)") as caught:
        kernel[1, 8](np.zeros(8))
    assert caught.value.thread == (3, 0, 0)


def test_raising_something_that_is_not_an_exception_is_refused() -> None:
    def kernel(x):
        raise x

    with pytest.raises(UnsupportedConstructError, match="raise x"):
        cuda.jit(kernel)[1, 1](1)
