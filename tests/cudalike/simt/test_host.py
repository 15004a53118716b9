"""Tests of cudalike/simt/host.py: allocation, transfers, pinned/mapped/managed memory."""

import numpy as np
import pytest

from cudalike.simt import host
from cudalike.simt.host import (
    DeviceNDArray,
    as_cuda_array,
    device_array,
    device_array_like,
    is_cuda_array,
    managed_array,
    mapped,
    mapped_array,
    mapped_array_like,
    pinned,
    pinned_array,
    pinned_array_like,
    stream,
    to_device,
)


def test_to_device_round_trip_keeps_values_dtype_and_layout():
    for values in (np.arange(10, dtype=np.int16), np.arange(6.0).reshape(2, 3), np.float32(2.5)):
        d = to_device(values)
        assert isinstance(d, DeviceNDArray)
        back = d.copy_to_host()
        assert back.dtype == np.asarray(values).dtype and np.array_equal(back, values)
    fortran = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    assert to_device(fortran).is_f_contiguous()


def test_to_device_copies_so_host_changes_do_not_leak():
    values = np.zeros(3)
    d = to_device(values, stream=stream())
    values[0] = 1.0
    assert d[0] == 0.0


def test_to_device_accepts_sequences_and_returns_device_arrays_as_is():
    assert to_device([1, 2, 3]).copy_to_host().tolist() == [1, 2, 3]
    d = to_device(np.arange(3))
    assert to_device(d) is d


def test_to_device_without_copy_is_poisoned():
    d = to_device(np.zeros(3), copy=False)
    assert np.isnan(d.copy_to_host()).all()


def test_to_device_into_an_existing_array():
    target = device_array(3, dtype=np.int64)
    assert to_device(np.arange(3), to=target) is target
    assert target.copy_to_host().tolist() == [0, 1, 2]
    with pytest.raises(TypeError, match=r"incompatible dtype: copying float64 into int64"):
        to_device(np.zeros(3), to=target)


def test_to_device_refuses_non_contiguous_and_object_arrays():
    with pytest.raises(ValueError, match=r"non-contiguous buffer.*ascontiguousarray"):
        to_device(np.zeros((4, 4))[:, ::2])
    with pytest.raises(TypeError, match=r"cannot live in GPU memory"):
        to_device(np.array([object()]))


def test_to_device_of_a_broadcast_array_stores_the_core_once():
    d = to_device(np.broadcast_to(np.arange(3.0), (4, 3)))
    assert d.strides == (0, 8)
    assert d.copy_to_host().tolist() == [[0.0, 1.0, 2.0]] * 4


def test_device_array_is_poisoned_deterministically():
    assert np.isnan(device_array((2, 2)).copy_to_host()).all()
    ints = device_array(4, dtype=np.int32).copy_to_host()
    assert (ints == np.int32(-559038737)).all()  # 0xDEADBEEF
    assert device_array(3, dtype=bool).copy_to_host().all()


def test_device_array_accepts_every_dtype_spelling_order_and_strides():
    numba = pytest.importorskip("numba", reason="numba's types need numba")
    for spelling in (np.float32, "float32", numba.float32):
        assert device_array(2, dtype=spelling).dtype == np.float32
    assert device_array((2, 3), order="F").is_f_contiguous()
    assert device_array((2, 3), strides=(8, 16)).strides == (8, 16)


def test_device_array_errors_name_the_problem():
    with pytest.raises(TypeError, match=r"shape elements must be integers, got str"):
        device_array(("3",))
    with pytest.raises(TypeError, match=r"not an element type"):
        device_array(3, dtype="floaty")
    with pytest.raises(TypeError, match=r"stream must be a stream from cuda.stream\(\) or 0"):
        device_array(3, stream="fast")


def test_device_array_like_copies_shape_dtype_and_axis_order():
    like = device_array_like(np.zeros((3, 4), dtype=np.int8, order="F"))
    assert (like.shape, like.dtype, like.is_f_contiguous()) == ((3, 4), np.int8, True)
    transposed = np.zeros((2, 3, 4)).transpose(1, 0, 2)  # neither C nor F contiguous
    assert device_array_like(transposed).strides == np.empty_like(transposed).strides
    from_device = device_array_like(to_device(np.zeros(5, np.float32)))
    assert from_device.shape == (5,) and np.isnan(from_device.copy_to_host()).all()


def test_pinned_and_managed_arrays_are_plain_poisoned_numpy_arrays():
    for array in (
        pinned_array((2, 2), np.float32),
        managed_array(3),
        pinned_array_like(np.ones(4)),
    ):
        assert type(array) is np.ndarray and np.isnan(array).all()
    assert pinned_array(2, dtype=np.int32, order="F").dtype == np.int32


def test_mapped_arrays_are_device_arrays_as_in_numbas_simulator():
    assert isinstance(mapped_array((2, 2), portable=True, wc=True), DeviceNDArray)
    like = mapped_array_like(np.zeros(3, np.int16))
    assert isinstance(like, DeviceNDArray) and like.dtype == np.int16


def test_pinned_context_manager_checks_its_arguments():
    with pinned(np.zeros(3), np.ones(2)):
        pass
    with pytest.raises(TypeError, match=r"cuda.pinned takes numpy arrays, got list"):
        with pinned([1, 2]):
            pass


def test_mapped_yields_device_views_of_the_host_arrays():
    a, b = np.zeros(3), np.zeros(2)
    with mapped(a) as d_a:
        d_a._array[1] = 5.0  # a kernel writing to mapped memory writes the host array
    assert a[1] == 5.0
    with mapped(a, b, stream=stream()) as views:
        assert [v.shape for v in views] == [(3,), (2,)]


class CupyLike:
    __cuda_array_interface__ = {"shape": (3,), "typestr": "<f4", "data": (0, False)}


def test_is_cuda_array():
    assert is_cuda_array(to_device(np.zeros(2)))
    assert is_cuda_array(CupyLike())
    assert not is_cuda_array(np.zeros(2))


def test_as_cuda_array_views_device_arrays_and_refuses_the_rest():
    d = to_device(np.zeros(3))
    view = as_cuda_array(d)
    view._array[0] = 1.0
    assert view is not d and d[0] == 1.0
    with pytest.raises(NotImplementedError, match=r"real GPU's memory.*cuda.to_device"):
        as_cuda_array(CupyLike())
    with pytest.raises(TypeError, match=r"doesn't implement the cuda array interface"):
        as_cuda_array(np.zeros(3))


def test_host_re_exports_what_cudalike_cuda_imports():
    for name in host.__all__:
        assert hasattr(host, name), name
