"""Tests of cudalike/simt/device.py: the modelled device answers numba's device API."""

import pytest

from cudalike import config
from cudalike.simt.device import (
    Context,
    Device,
    close,
    current_context,
    detect,
    get_current_device,
    gpus,
    is_available,
    list_devices,
    select_device,
)


def test_is_available_without_a_gpu():
    assert is_available() is True


def test_default_device_is_the_h100_model():
    device = get_current_device()
    assert isinstance(device, Device)
    assert device.name == "cudalike model of NVIDIA H100 SXM5"
    assert (device.id, device.compute_capability) == (0, (9, 0))
    assert repr(device) == "<CUDA device 0 'cudalike model of NVIDIA H100 SXM5'>"


def test_numbas_upper_case_attributes_come_from_the_profile():
    device = get_current_device()
    assert device.MAX_THREADS_PER_BLOCK == 1024 and device.WARP_SIZE == 32
    assert (device.MAX_BLOCK_DIM_X, device.MAX_BLOCK_DIM_Y, device.MAX_BLOCK_DIM_Z) == (
        1024,
        1024,
        64,
    )
    assert (device.MAX_GRID_DIM_X, device.MAX_GRID_DIM_Y, device.MAX_GRID_DIM_Z) == (
        2**31 - 1,
        65535,
        65535,
    )
    assert device.MAX_SHARED_MEMORY_PER_BLOCK == 48 * 1024
    assert device.MAX_SHARED_MEMORY_PER_BLOCK_OPTIN == 227 * 1024
    assert device.MULTIPROCESSOR_COUNT == 132 and device.MAX_REGISTERS_PER_BLOCK == 65536
    assert device.MAX_THREADS_PER_MULTIPROCESSOR == 2048 and device.CLOCK_RATE == 1_980_000
    assert device.COMPUTE_CAPABILITY_MAJOR == 9 and device.L2_CACHE_SIZE == 50 * 2**20
    assert device.supports_float16 and device.supports_bfloat16 and device.supports_fp8


def test_unknown_attributes_raise_attribute_error():
    device = get_current_device()
    with pytest.raises(AttributeError, match=r"no figure for device attribute 'PCI_BUS_ID'"):
        _ = device.PCI_BUS_ID
    with pytest.raises(AttributeError, match=r"has no attribute 'nope'"):
        _ = device.nope


def test_the_device_follows_the_configured_profile():
    with config.override(device="T4"):
        device = get_current_device()
        assert device.name == "cudalike model of NVIDIA T4"
        assert device.MULTIPROCESSOR_COUNT == 40 and device.compute_capability == (7, 5)
        assert not device.supports_bfloat16
    assert get_current_device().MULTIPROCESSOR_COUNT == 132


def test_select_device_and_gpus_know_only_device_zero():
    assert select_device(0) == get_current_device()
    with pytest.raises(IndexError, match=r"there is no device 1: cudalike models one GPU"):
        select_device(1)
    assert len(gpus) == 1 and list(gpus) == [get_current_device()]
    assert gpus[0] == gpus.current == get_current_device()
    with pytest.raises(IndexError, match=r"no device 2"):
        gpus[2]
    with gpus[0] as device:
        assert device.id == 0
    assert list_devices() is gpus and "H100" in repr(gpus)


def test_current_context_reports_memory_from_the_profile():
    context = current_context()
    assert isinstance(context, Context) and context.device == get_current_device()
    assert (context.id, context.compute_capability) == (0, (9, 0))
    free, total = context.get_memory_info()
    assert free == total == 80 * 2**30
    context.synchronize()
    context.reset()
    assert current_context(0).device.id == 0
    with pytest.raises(IndexError, match=r"no device 3"):
        current_context(3)


def test_close_does_nothing_harmful():
    close()
    assert get_current_device().id == 0


def test_detect_prints_the_modelled_device_and_returns_true(capsys):
    assert detect() is True
    printed = capsys.readouterr().out
    assert printed.startswith("Found 1 CUDA devices\nid 0")
    assert "cudalike model of NVIDIA H100 SXM5" in printed and "[SUPPORTED]" in printed
    assert "Compute Capability: 9.0" in printed and "Multiprocessors: 132" in printed
    assert "runs kernels on the CPU" in printed and "1/1 devices are supported" in printed
