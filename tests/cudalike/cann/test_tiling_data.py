"""Tiling structs: C layout, SaveToBuffer on the host, GET_TILING_DATA and word copies in the
kernel, GM pointer reads."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors


class Inner(cann.TilingData):
    a: cann.uint16
    b: cann.uint32


class Outer(cann.TilingData):
    total: cann.uint32 = 7
    inner: Inner
    slope: cann.float = 0.5


cann.REGISTER_TILING_DATA_CLASS("ReadTiling", Outer)


def test_fields_sit_at_c_offsets():
    assert cann.sizeof(Inner) == 8  # uint16 then uint32 aligned to 4
    assert cann.sizeof(Outer) == 16
    t = Outer()
    assert (t.total, t.slope, t.inner.a) == (7, 0.5, 0)
    t.set_total(9)
    t.inner.b = 2**32 - 1
    words = cann.reinterpret_cast(cann.uint32, t)
    assert list(words) == [9, 0, 2**32 - 1, np.float32(0.5).view(np.uint32)]
    words[0] = 3  # writes through, as *(ptr + 0) = 3
    assert t.total == 3 and t.get_total() == 3


def test_save_to_buffer_then_get_tiling_data_in_the_kernel():
    host = Outer(total=12)
    host.inner.a = 5
    buffer = np.zeros(cann.sizeof(Outer), np.uint8)
    host.SaveToBuffer(buffer, buffer.nbytes)
    seen = {}

    @cann.kernel
    def read_tiling(tiling):
        data = cann.GET_TILING_DATA(tiling)
        seen["values"] = (data.total, data.inner.a, data.slope)

    read_tiling[1](buffer)
    assert seen["values"] == (12, 5, 0.5)


def test_word_by_word_copy_from_a_gm_pointer():
    buffer = np.zeros(4, np.uint32)
    Outer(total=4).SaveToBuffer(buffer, buffer.nbytes)
    seen = {}

    @cann.kernel
    def copy_tiling(tilingGM):
        tiling = Outer()
        ptr = cann.reinterpret_cast(cann.uint32, tiling)
        tiling32 = tilingGM.cast(cann.uint32)
        for i in range(cann.sizeof(Outer) // cann.sizeof(cann.uint32)):
            ptr[i] = tiling32[i]
        seen["total"] = tiling.total

    copy_tiling[1](buffer)
    assert seen["total"] == 4


def test_unregistered_struct_and_short_gm_are_reported():
    @cann.kernel
    def other_kernel(tiling):
        cann.GET_TILING_DATA(tiling)

    with pytest.raises(errors.InstructionError, match="no tiling struct is registered for"):
        other_kernel[1](np.zeros(16, np.uint8))

    @cann.kernel
    def read_tiling(tiling):
        cann.GET_TILING_DATA(tiling)

    with pytest.raises(errors.GlobalOutOfBoundsError, match=r"reads bytes \[0, 16\)"):
        read_tiling[1](np.zeros(8, np.uint8))

    @cann.kernel
    def past_end(tilingGM):
        tilingGM.cast(cann.uint32)[2]

    with pytest.raises(errors.GlobalOutOfBoundsError, match="GM_ADDR read"):
        past_end[1](np.zeros(8, np.uint8))


def test_save_to_buffer_too_small_is_a_value_error():
    with pytest.raises(ValueError, match="takes 16 bytes"):
        Outer().SaveToBuffer(np.zeros(8, np.uint8), 8)


def test_register_tiling_default_in_the_kernel():
    buffer = np.zeros(cann.sizeof(Inner), np.uint8)
    Inner(a=3, b=4).SaveToBuffer(buffer, buffer.nbytes)
    seen = {}

    @cann.kernel
    def inner_kernel(tiling):
        cann.REGISTER_TILING_DEFAULT(Inner)
        data = cann.GET_TILING_DATA(tiling)
        seen["ab"] = (data.a, data.b)

    inner_kernel[1](buffer)
    assert seen["ab"] == (3, 4)


def test_core_type_guards_follow_the_kernel_type():
    seen = []

    @cann.kernel
    def vector_kernel():
        seen.append((cann.g_coreType, cann.ASCEND_IS_AIV, cann.ASCEND_IS_AIC))

    @cann.kernel
    def cube_kernel():
        cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_AIC_ONLY)
        if cann.ASCEND_IS_AIV:
            return
        seen.append(cann.g_coreType)

    vector_kernel[1]()
    cube_kernel[1]()
    assert seen == [(cann.AIV, True, False), cann.AIC]


def test_ascendc_assert_stops_the_kernel_with_its_message():
    @cann.kernel
    def checked(n):
        cann.ascendc_assert(n != 0, "tileNum can not be zero.\n")

    checked[1](1)
    with pytest.raises(errors.InstructionError, match="ascendc_assert failed: tileNum can not"):
        checked[1](0)
