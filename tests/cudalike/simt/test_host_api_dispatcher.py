"""numba's dispatcher API on a cudalike kernel: specialize, configure, overloads, extensions,
cuda.In/Out/InOut argument wrappers and debug=True exceptions."""

import numpy as np
import pytest
from numba import float32, int32

from cudalike import cuda
from cudalike.errors import KernelRuntimeError
from cudalike.simt.overloads import In, InOut, Out


def add_one(x, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = x[i] + 1


def shape_from_end(ary):
    x = cuda.threadIdx.x
    if x == 2:
        ary[0] = ary.shape[-x]  # thread 2 reads shape[-2] of a 1-d array: an IndexError


def test_configure_launches_like_brackets():
    kernel = cuda.jit(add_one)
    out = np.zeros(8, np.float32)
    kernel.configure(1, 8)(np.arange(8, dtype=np.float32), out)
    np.testing.assert_array_equal(out, np.arange(1, 9))


def test_specialize_caches_by_types_and_refuses_twice():
    kernel = cuda.jit(add_one)
    assert not kernel.specialized and kernel.specializations == {}
    first = kernel.specialize(float32[::1], float32[::1])
    again = kernel.specialize(float32[::1], float32[::1])
    other = kernel.specialize(int32[::1], int32[::1])
    assert first is again and first is not other and len(kernel.specializations) == 2
    assert first.specialized
    with pytest.raises(RuntimeError, match="Dispatcher already specialized"):
        first.specialize(float32[::1], float32[::1])
    with pytest.raises(RuntimeError, match="Dispatcher already specialized"):
        cuda.jit("void(float32[::1], float32[::1])")(add_one).specialize(float32[::1])
    out = np.zeros(4, np.float32)
    first[1, 4](np.ones(4, np.float32), out)
    np.testing.assert_array_equal(out, 2)


def test_specialize_takes_example_arguments():
    kernel = cuda.jit(add_one)
    x = np.ones(4, np.float32)
    assert kernel.specialize(x, x) is kernel.specialize(float32[::1], float32[::1])


def test_overloads_keyed_by_signature_and_by_launched_types():
    declared = cuda.jit((float32[::1], float32[::1]))(add_one)
    assert list(declared.overloads) == [(float32[::1], float32[::1])]
    lazy = cuda.jit(add_one)
    assert lazy.overloads == {}
    lazy[1, 4](np.ones(4, np.float32), np.zeros(4, np.float32))
    lazy[1, 4](cuda.to_device(np.ones(4, np.float32)), cuda.device_array(4, np.float32))
    (key,) = lazy.overloads
    assert key == (float32[::1], float32[::1])
    overload = lazy.overloads[key]
    assert overload.py_func is add_one and overload.cooperative is False


def test_extensions_prepare_arguments_and_write_back():
    seen = []

    class Doubling:
        def prepare_args(self, ty, val, **kwargs):
            if isinstance(val, np.ndarray) and val.dtype == np.float64:
                device = cuda.to_device(val * 2)
                kwargs["retr"].append(lambda: seen.append(device.copy_to_host()))
                return ty, device
            return ty, val

    kernel = cuda.jit(extensions=[Doubling()])(add_one)
    assert len(kernel.extensions) == 1
    out = np.zeros(3, np.float64)
    kernel[1, 3](np.arange(3.0), out)
    np.testing.assert_array_equal(seen[-1], [1, 3, 5])  # (2x) + 1, on the device copy


def test_in_is_not_copied_back_and_out_is_not_copied_in():
    @cuda.jit
    def scale(a, out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = a[i] * 2
            a[i] = -1

    a = np.arange(4, dtype=np.float32)
    out = np.full(4, 7, np.float32)
    scale[1, 4](In(a), Out(out))
    np.testing.assert_array_equal(a, np.arange(4))  # In: the kernel's write stays on the device
    np.testing.assert_array_equal(out, [0, 2, 4, 6])
    scale[1, 4](InOut(a), out)
    np.testing.assert_array_equal(a, -1)


def test_out_starts_uninitialised():
    @cuda.jit
    def copy_self(out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = out[i] + 0

    out = np.zeros(2, np.float32)
    copy_self[1, 2](Out(out))
    assert np.isnan(out).all()


def test_debug_raises_the_kernels_exception_on_the_host():
    safe = cuda.jit(debug=True, opt=False)(shape_from_end)
    with pytest.raises(IndexError, match="tuple index out of range") as caught:
        safe[1, 3](np.array([0, 1]))
    assert isinstance(caught.value, KernelRuntimeError)
    assert caught.value.kernel == "shape_from_end" and caught.value.line
    assert "ary[0] = ary.shape[-x]" in str(caught.value)
    with pytest.raises(KernelRuntimeError) as plain:
        cuda.jit(shape_from_end)[1, 3](np.array([0, 1]))
    assert not isinstance(plain.value, IndexError)


def test_a_fault_under_the_profiler_names_its_line():
    # The profiling variant of a program has other line numbers than the plain one.
    from cudalike import profiler

    kernel = cuda.jit(shape_from_end)
    kernel[1, 1](np.array([0, 1]))  # lowers the plain variant first
    with profiler.profile(), pytest.raises(KernelRuntimeError) as caught:
        kernel[1, 3](np.array([0, 1]))
    assert "ary[0] = ary.shape[-x]" in str(caught.value) and caught.value.line
