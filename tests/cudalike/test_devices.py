"""Tests of cudalike/devices.py: the public listing of device profiles."""

import pytest

from cudalike import devices
from cudalike.model.profiles import DEVICES_DIR


def test_available_lists_the_shipped_profiles():
    assert devices.available() == ["A100", "H100", "T4"]


def test_get_by_name_and_load_by_path():
    assert devices.get("a100").sm_count == 108
    assert devices.load(DEVICES_DIR / "t4.toml") == devices.get("T4")
    with pytest.raises(ValueError, match=r"unknown device profile 'GTX480'"):
        devices.get("GTX480")
