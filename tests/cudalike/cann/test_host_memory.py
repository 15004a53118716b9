"""Host allocations: aclrtMalloc pads as ACL does, so tilings that round lengths up run, and
accesses past the padding are still reported."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors

H = cann.half


def test_aclrtmalloc_rounds_up_to_32_bytes_and_adds_32():
    pointer = cann.aclrtMalloc(100)
    assert len(pointer.data) == 128 + 32 and pointer.size == 100
    assert len(cann.aclrtMallocAlign32(100).data) == 128
    x = np.arange(50, dtype=np.float16)
    cann.aclrtMemcpy(pointer, 100, x, 100, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    np.testing.assert_array_equal(cann.to_host(pointer.cast(H)), x)  # the requested bytes
    with pytest.raises(ValueError, match="aclrtMalloc size must be positive"):
        cann.aclrtMalloc(0)
    with pytest.raises(ValueError, match=r"source has 100 and the destination 160"):
        cann.aclrtMemcpy(pointer, 400, x, 200, cann.ACL_MEMCPY_HOST_TO_DEVICE)


def rounded_copy(length):
    """Copies `length` halves in and out, as a tiling that rounds 100 up to 112 (32 bytes)."""

    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x.cast(H), length)
        zGm.SetGlobalBuffer(z.cast(H), length)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 2 * length)
        t = que.AllocTensor(H)
        cann.DataCopy(t, xGm, length)
        que.EnQue(t)
        t = que.DeQue(H)
        cann.DataCopy(zGm, t, length)
        que.FreeTensor(t)

    return kernel


def test_a_tiling_rounded_up_into_the_padding_runs():
    x = np.arange(100, dtype=np.float16)
    xd, zd = cann.aclrtMalloc(200), cann.aclrtMalloc(200)
    cann.aclrtMemcpy(xd, 200, x, 200, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    rounded_copy(112)[1](xd, zd)
    np.testing.assert_array_equal(cann.to_host(zd.cast(H)), x)


def test_past_the_padding_is_still_out_of_bounds():
    xd, zd = cann.aclrtMalloc(200), cann.aclrtMalloc(200)  # 256 bytes each: 128 halves
    with pytest.raises(
        errors.GlobalOutOfBoundsError,
        match=r"(?s)test_host_memory\.py:\d+.*DataCopy touches elements \[0, 144\) of a "
        r"GlobalTensor of 144 elements, past the end of its allocation \(128 elements\)",
    ):
        rounded_copy(144)[1](xd, zd)


def test_numpy_arguments_get_exactly_their_size():
    x = np.arange(100, dtype=np.float16)
    with pytest.raises(errors.GlobalOutOfBoundsError, match=r"its allocation \(100 elements\)"):
        rounded_copy(112)[1](x, np.zeros_like(x))
