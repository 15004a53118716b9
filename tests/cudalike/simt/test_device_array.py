"""Tests of cudalike/simt/device_array.py: views, copies, reshaping and poisoned memory."""

import numpy as np
import pytest

from cudalike.simt.device_array import DeviceNDArray, allocate, fill_poison, wrap_array


def device(values) -> DeviceNDArray:
    return wrap_array(np.array(values))


def test_properties_mirror_the_memory():
    d = device(np.zeros((3, 4), dtype=np.float32))
    assert (d.shape, d.size, d.ndim, d.dtype) == ((3, 4), 12, 2, np.float32)
    assert (d.strides, d.nbytes, len(d)) == ((16, 4), 48, 3)
    assert d.is_c_contiguous() and not d.is_f_contiguous()


def test_len_of_a_0d_array_is_an_error():
    with pytest.raises(TypeError, match=r"len\(\) of a 0-d device array"):
        len(device(1.0))


def test_constructor_allocates_poisoned_memory():
    d = DeviceNDArray((2, 3), dtype=np.float32)
    assert d.shape == (2, 3) and np.isnan(d.copy_to_host()).all()


def test_slices_are_views_sharing_memory_with_the_parent():
    d = device(np.arange(12.0).reshape(3, 4))
    row, column = d[1], d[:, 2]
    assert isinstance(row, DeviceNDArray) and row.shape == (4,)
    row._array[:] = -1.0  # what a kernel writing through the view does
    column._array[0] = 99.0
    host = d.copy_to_host()
    assert (host[1] == -1.0).all() and host[0, 2] == 99.0
    assert d[::2, ...].shape == (2, 4) and d[None, 0].shape == (1, 4)


def test_full_integer_index_returns_the_value():
    d = device(np.arange(6, dtype=np.int32).reshape(2, 3))
    value = d[1, 2]
    assert value == 5 and isinstance(value, np.int32)
    assert d[-1, 0] == 3


def test_out_of_range_index_raises_index_error():
    with pytest.raises(IndexError, match=r"index 5 is out of bounds"):
        device(np.arange(5))[5]


def test_fancy_indexing_is_refused_with_the_alternative():
    d = device(np.arange(5))
    with pytest.raises(NotImplementedError, match=r"integers and slices.*copy_to_host\(\)"):
        d[np.array([0, 2])]
    with pytest.raises(NotImplementedError, match=r"not list"):
        d[[0, 1]] = 3


def test_setitem_assigns_scalars_arrays_and_device_arrays():
    d = device(np.zeros((2, 3)))
    d[0] = 7.0
    d[1, :2] = np.array([1.0, 2.0])
    d[1, 2:] = device(np.array([5.0]))
    assert d.copy_to_host().tolist() == [[7.0, 7.0, 7.0], [1.0, 2.0, 5.0]]


def test_numpy_conversion_copies_to_the_host_as_numba_does():
    d = device([1.0, 2.0])
    host = np.asarray(d)
    host[0] = 9.0
    assert host.tolist() == [9.0, 2.0] and d.copy_to_host().tolist() == [1.0, 2.0]


def test_repr_says_device_memory_and_how_to_see_values():
    text = repr(device(np.zeros(3, np.float32)))
    assert "device memory" in text and "copy_to_host()" in text and "float32" in text


def test_copy_to_host_returns_a_new_array():
    d = device(np.arange(4.0))
    host = d.copy_to_host()
    host[0] = 100.0
    assert d[0] == 0.0


def test_copy_to_host_fills_a_given_array():
    out = np.empty((1, 3), dtype=np.int64)  # length-1 dimensions are ignored, as in numba
    assert device(np.arange(3)).copy_to_host(out) is out
    assert out.tolist() == [[0, 1, 2]]


def test_copy_to_host_checks_dtype_and_shape():
    d = device(np.arange(3.0))
    with pytest.raises(TypeError, match=r"copying float64 into float32.*dtype=np.float64"):
        d.copy_to_host(np.empty(3, np.float32))
    with pytest.raises(
        ValueError, match=r"incompatible shape: copying shape \(3,\) into shape \(4,\)"
    ):
        d.copy_to_host(np.empty(4))
    with pytest.raises(TypeError, match=r"needs a numpy array, got list"):
        d.copy_to_host([0, 0, 0])
    read_only = np.empty(3)
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match=r"read-only"):
        d.copy_to_host(read_only)


def test_copy_to_device_from_host_and_device():
    d = device(np.zeros(3))
    d.copy_to_device(np.array([1.0, 2.0, 3.0]))
    assert d.copy_to_host().tolist() == [1.0, 2.0, 3.0]
    d.copy_to_device(device(np.array([4.0, 5.0, 6.0])))
    assert d.copy_to_host().tolist() == [4.0, 5.0, 6.0]
    d.copy_to_device(np.empty(0))  # nothing to copy
    assert d.copy_to_host().tolist() == [4.0, 5.0, 6.0]


def test_copy_to_device_checks_dtype_shape_and_contiguity():
    d = device(np.zeros((2, 3)))
    with pytest.raises(TypeError, match=r"copying int64 into float64.*astype\(np.float64\)"):
        d.copy_to_device(np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(ValueError, match=r"copying shape \(3, 2\) into shape \(2, 3\)"):
        d.copy_to_device(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"contiguous destination.*d_view\[\.\.\.\] = values"):
        d[:, ::2].copy_to_device(np.zeros((2, 2)))


def test_reshape_and_ravel_are_views():
    d = device(np.arange(6.0))
    grid = d.reshape(2, 3)
    assert grid.shape == (2, 3) and d.reshape((3, 2)).shape == (3, 2)
    assert d.reshape(3, 2, order="F").shape == (3, 2)
    grid._array[1, 1] = -5.0
    assert d[4] == -5.0
    assert grid.ravel().shape == (6,)


def test_reshape_that_needs_a_copy_is_refused():
    d = device(np.zeros((4, 6)))
    with pytest.raises(NotImplementedError, match=r"ravel of this device array requires copying"):
        d[:, ::4].ravel()
    with pytest.raises(NotImplementedError, match=r"reshape of this device array requires copying"):
        d[:, :3].reshape(12)


def test_split_yields_views_of_section_elements():
    d = device(np.arange(5))
    parts = list(d.split(2))
    assert [p.copy_to_host().tolist() for p in parts] == [[0, 1], [2, 3], [4]]
    parts[0]._array[0] = 42
    assert d[0] == 42
    with pytest.raises(ValueError, match=r"only supports 1-D arrays"):
        list(device(np.zeros((2, 2))).split(1))
    with pytest.raises(ValueError, match=r"only supports unit stride"):
        list(d[::2].split(1))


def test_fill_poison_patterns():
    floats, ints = np.zeros(2, np.float32), np.zeros(2, np.int32)
    fill_poison(floats)
    fill_poison(ints)
    assert np.isnan(floats).all() and (ints.view(np.uint32) == 0xDEADBEEF).all()
    longs, bytes_, flags = np.zeros(1, np.int64), np.zeros(1, np.uint8), np.zeros(1, bool)
    for array in (longs, bytes_, flags):
        fill_poison(array)
    assert longs.view(np.uint64)[0] == 0xDEADBEEFDEADBEEF and bytes_[0] == 0xEF and flags[0]


def test_allocate_with_strides_and_order():
    array = allocate((2, 3), np.float64, (8, 16), "C")
    assert array.strides == (8, 16) and np.isnan(array).all()
    assert allocate((2, 3), "f4", None, "F").flags.f_contiguous
    assert allocate((0, 3), np.int32, (12, 4), "C").size == 0


@pytest.mark.parametrize(
    ("shape", "strides", "order", "error", "pattern"),
    [
        ((2.5,), None, "C", TypeError, r"shape elements must be integers, got float"),
        (2.5, None, "C", TypeError, r"shape must be an int or a tuple of ints, got float"),
        ((-1, 2), None, "C", ValueError, r"negative dimension"),
        ((2, 3), (8,), "C", ValueError, r"strides \(8,\) do not match the 2 dimensions"),
        ((2, 3), (-8, 8), "C", ValueError, r"strides \(-8, 8\) are negative"),
        ((2, 3), None, "K", ValueError, r"order must be 'C' or 'F', got 'K'"),
    ],
)
def test_allocate_errors(shape, strides, order, error, pattern):
    with pytest.raises(error, match=pattern):
        allocate(shape, np.float64, strides, order)
