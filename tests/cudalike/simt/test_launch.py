"""Launches CUDA would refuse raise LaunchConfigError before any thread runs; its limits are
CUDA's own (sm_90): 1024 threads per block, block (1024, 1024, 64), grid (2^31-1, 65535, 65535),
48 KiB of static shared memory, 227 KiB in all per block."""

import re

import numpy as np
import pytest

from cudalike.errors import CudalikeError, LaunchConfigError

from . import kernels

FILE = "launch_kernels"
DEVICE_SHARED_LIMIT = 227 * 1024


def launch(kernel, griddim, blockdim, sharedmem=0):
    out = np.zeros(1024, np.float32)
    compiled = kernels.jit(FILE, kernel)
    if sharedmem:
        compiled[griddim, blockdim, 0, sharedmem](out)
    else:
        compiled[griddim, blockdim](out)
    return out


REFUSED = [
    # (id, griddim, blockdim, regex the message must match: the limit it breaks)
    ("1025_threads", 1, 1025, r"1024"),
    ("2d_block_over_1024_threads", 1, (32, 33), r"1024"),
    ("block_z_over_64", 1, (1, 1, 65), r"\b64\b"),
    ("block_x_zero", 1, 0, r"block"),
    ("empty_grid", 0, 32, r"grid"),
    ("empty_grid_y", (4, 0), 32, r"grid"),
    ("negative_block", 1, -32, r"block"),
    ("grid_x_over_2_31_minus_1", 2**31, 1, r"2147483647|2\^31"),
    ("grid_y_over_65535", (1, 65536), 1, r"65535"),
    ("grid_z_over_65535", (1, 1, 65536), 1, r"65535"),
]


@pytest.mark.parametrize(
    "griddim, blockdim, limit", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_refused_launch_shape(griddim, blockdim, limit):
    with pytest.raises(LaunchConfigError, match=limit) as caught:
        launch("mark_first", griddim, blockdim)
    assert "mark_first" in str(caught.value)


@pytest.mark.parametrize(
    "griddim, blockdim",
    [(1, 1024), (1, (32, 32)), (1, (1, 1, 64)), ((2, 3, 4), (4, 4, 4)), ((1, 1), (8, 1, 1))],
)
def test_launch_at_the_limits_runs(griddim, blockdim):
    out = launch("mark_first", griddim, blockdim)
    assert out[0] == 1


def test_no_thread_runs_when_launch_is_refused():
    out = np.zeros(4, np.float32)
    with pytest.raises(LaunchConfigError):
        kernels.jit(FILE, "mark_first")[1, 2048](out)
    assert not out.any()


def test_static_shared_of_exactly_48k_is_allowed():
    assert launch("static_shared_48k", 1, 1)[0] == 1


@pytest.mark.parametrize("kernel", ["static_shared_over_48k", "two_static_arrays_over_48k"])
def test_static_shared_over_48k_is_refused(kernel):
    with pytest.raises(LaunchConfigError, match=r"48|49152") as caught:
        launch(kernel, 1, 1)
    assert kernel in str(caught.value)


def test_dynamic_shared_within_device_limit_runs():
    out = launch("dynamic_shared", 1, 64, sharedmem=64 * 4)
    assert np.all(out[:64] == 1)


def test_dynamic_shared_over_device_limit_is_refused():
    with pytest.raises(LaunchConfigError, match=r"227|232448"):
        launch("dynamic_shared", 1, 64, sharedmem=DEVICE_SHARED_LIMIT + 4)


def test_dynamic_shared_too_small_for_the_kernel_is_out_of_bounds():
    from cudalike.errors import OutOfBoundsError

    with pytest.raises(OutOfBoundsError):
        launch("dynamic_shared", 1, 64, sharedmem=32 * 4)


def test_kernel_called_without_launch_configuration_shows_the_syntax():
    kernel = kernels.jit("basic_kernels", "vector_add")
    a = np.zeros(4, np.float32)
    with pytest.raises(CudalikeError) as caught:
        kernel(a, a, a)
    assert re.search(r"\w+\[\s*\w+\s*,\s*\w+\s*\]\(", str(caught.value)), str(caught.value)


@pytest.mark.parametrize("config", [(4,), (4, 32, 0, 0, 7)], ids=["one_item", "five_items"])
def test_malformed_launch_configuration_is_explained(config):
    kernel = kernels.jit("basic_kernels", "vector_add")
    a = np.zeros(4, np.float32)
    with pytest.raises(CudalikeError) as caught:
        kernel[config](a, a, a)
    assert re.search(r"\[\s*\w+\s*,\s*\w+", str(caught.value)), str(caught.value)
