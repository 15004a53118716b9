"""Launch: block indices, argument handling, launch errors, calls outside a kernel."""

import dataclasses

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from cudalike.errors import LaunchConfigError


def test_blocks_run_in_order_with_their_indices():
    seen = []

    @cann.kernel
    def kernel(tiling):
        seen.append((cann.GetBlockIdx(), cann.GetBlockNum(), tiling.n))

    @dataclasses.dataclass
    class Tiling:
        n: int

    kernel[3](Tiling(7))
    assert seen == [(0, 3, 7), (1, 3, 7), (2, 3, 7)]


def test_launch_needs_block_count():
    @cann.kernel
    def kernel():
        pass

    with pytest.raises(LaunchConfigError, match=r"kernel\[numBlocks\]\(args\.\.\.\)"):
        kernel()
    with pytest.raises(LaunchConfigError, match=r"\[1, 65535\]"):
        kernel[0]()


def test_api_outside_a_kernel():
    with pytest.raises(
        errors.CannKernelError, match=r"(?s)test_launch\.py:\d+.*GetBlockIdx was called outside"
    ):
        cann.GetBlockIdx()


def test_host_helpers_round_trip():
    x = np.arange(40, dtype=np.float32)
    pointer = cann.aclrtMalloc(x.nbytes)
    cann.aclrtMemcpy(pointer, x.nbytes, x, x.nbytes, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    back = np.zeros_like(x)
    cann.aclrtMemcpy(back, back.nbytes, pointer, x.nbytes, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    np.testing.assert_array_equal(back, x)
    np.testing.assert_array_equal(cann.to_host(cann.to_device(x) + 4), x[4:])
    np.testing.assert_array_equal(cann.to_host(pointer.cast(cann.float32)), x)
    with pytest.raises(ValueError, match="kind 1 copies ndarray to GmAddr"):
        cann.aclrtMemcpy(back, 160, pointer, 160, cann.ACL_MEMCPY_HOST_TO_DEVICE)


def test_device_pointers_are_written_in_place_and_python_errors_name_the_block():
    z = cann.device_empty(32, cann.half)

    @cann.kernel
    def kernel(z):
        g = cann.GlobalTensor(cann.half)
        g.SetGlobalBuffer(z)
        g.SetValue(cann.GetBlockIdx(), 5.0)
        if cann.GetBlockIdx() == 1:
            raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError) as info:
        kernel[2](z)
    assert "block 1" in "".join(getattr(info.value, "__notes__", ["block 1"]))
    assert cann.to_host(z)[0] == 5.0
