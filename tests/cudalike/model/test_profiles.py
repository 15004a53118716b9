"""Tests of cudalike/model/profiles.py: shipped profiles, user files and their validation."""

import dataclasses
import math
import re
from pathlib import Path

import pytest

from cudalike.model.profiles import (
    DEVICES_DIR,
    DeviceProfile,
    list_profiles,
    load_profile,
    profile_by_name,
    profile_from_file,
)

FIGURES = [f.name for f in dataclasses.fields(DeviceProfile) if f.name not in ("sources", "path")]


def test_shipped_profiles_are_listed_by_short_name():
    assert list_profiles() == ["A100", "H100", "T4"]


@pytest.mark.parametrize("name", ["H100", "h100", "H100-SXM5", "h100_sxm5", "NVIDIA H100 SXM5"])
def test_names_and_aliases_match_whatever_the_case(name):
    assert load_profile(name).sm_count == 132


def test_h100_figures_match_the_facts_sheet():
    h100 = load_profile("H100")
    assert (h100.compute_capability, h100.sm_count, h100.fp32_lanes_per_sm) == ((9, 0), 132, 128)
    assert h100.max_block_dim == (1024, 1024, 64)
    assert h100.max_grid_dim == (2**31 - 1, 65535, 65535)
    assert h100.static_shared_per_block_bytes == 48 * 1024
    assert (h100.max_threads_per_sm, h100.max_warps_per_sm, h100.max_blocks_per_sm) == (
        2048,
        64,
        32,
    )
    assert h100.dram_bandwidth_gbs == 3350.0 and h100.sfu_per_sm == 16


@pytest.mark.parametrize("name", ["A100", "H100", "T4"])
def test_every_shipped_figure_cites_a_source(name):
    profile = load_profile(name)
    uncited = [f for f in FIGURES if f != "aliases" and not profile.sources.get(f, "").strip()]
    assert uncited == []
    assert Path(profile.path).parent == DEVICES_DIR
    for field in ("shared_latency_cycles", "l2_latency_cycles", "dram_latency_cycles"):
        assert profile.sources[field].startswith("assumption")


@pytest.mark.parametrize("name", ["A100", "H100", "T4"])
def test_fp32_peak_agrees_with_lanes_and_clock(name):
    p = load_profile(name)
    derived = p.sm_count * p.fp32_lanes_per_sm * 2 * p.clock_ghz / 1000
    assert math.isclose(p.fp32_peak_tflops, derived, rel_tol=0.01)


def test_profiles_are_frozen_and_compare_by_figures():
    h100 = load_profile("H100")
    with pytest.raises(dataclasses.FrozenInstanceError):
        h100.sm_count = 1
    with pytest.raises(TypeError):
        h100.sources["sm_count"] = "made up"
    assert h100 == profile_from_file(DEVICES_DIR / "h100.toml") and h100 != load_profile("T4")


def test_unknown_name_lists_the_available_ones():
    with pytest.raises(
        ValueError, match=r"unknown device profile 'V100'; available: A100, H100, T4"
    ):
        profile_by_name("V100")


def user_file(tmp_path: Path, edit=None, drop: str = "", add: str = "") -> Path:
    """Write a copy of the shipped T4 profile, with one line edited, dropped or added."""
    figures, sources = (DEVICES_DIR / "t4.toml").read_text().split("\n[sources]\n")
    lines = figures.splitlines()
    if drop:
        lines = [line for line in lines if not line.startswith(f"{drop} =")]
    if edit:
        field, value = edit
        lines = [f"{field} = {value}" if line.startswith(f"{field} =") else line for line in lines]
    if add:
        lines.append(add)
    path = tmp_path / "my_gpu.toml"
    path.write_text("\n".join(lines) + "\n[sources]\n" + sources)
    return path


def test_user_profile_loads_from_a_path(tmp_path):
    path = user_file(tmp_path, edit=("sm_count", "20"))
    for how in (path, str(path)):
        profile = load_profile(how)
        assert profile.sm_count == 20 and profile.path == str(path)
    assert profile.name == "NVIDIA T4"


def test_user_profile_without_sources_is_accepted(tmp_path):
    text = (DEVICES_DIR / "t4.toml").read_text().split("\n[sources]\n")[0]
    path = tmp_path / "bare.toml"
    path.write_text(text)
    assert dict(load_profile(path).sources) == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"edit": ("sm_count", "-4")}, r"field 'sm_count' must be a positive integer, got -4"),
        ({"edit": ("sm_count", '"forty"')}, r"field 'sm_count' must be a positive integer"),
        ({"edit": ("clock_ghz", "true")}, r"field 'clock_ghz' must be a positive number"),
        ({"edit": ("name", '""')}, r"field 'name' must be a non-empty string"),
        ({"edit": ("max_block_dim", "[1024, 1024]")}, r"'max_block_dim' must be a list of 3 int"),
        ({"edit": ("max_grid_dim", "[1, 2, 0]")}, r"field 'max_grid_dim\[2\]' must be a positive"),
        ({"edit": ("aliases", '"T4"')}, r"field 'aliases' must be a list of str values"),
        ({"edit": ("aliases", "[]")}, r"aliases must name at least one short name"),
        (
            {"edit": ("compute_capability", "[7, -1]")},
            r"'compute_capability\[1\]' must be a non-neg",
        ),
        ({"drop": "warp_size"}, r"missing field 'warp_size'"),
        ({"add": "sm_cuont = 40"}, r"unknown field 'sm_cuont'; a profile has the fields name, "),
        (
            {"edit": ("max_warps_per_sm", "48")},
            r"inconsistent figures: max_warps_per_sm x warp_size",
        ),
        (
            {"edit": ("static_shared_per_block_bytes", "100000")},
            r"static_shared_per_block_bytes <=",
        ),
        ({"edit": ("max_threads_per_block", "2048")}, r"max_threads_per_block must not exceed"),
        ({"edit": ("sm_count", "= 4")}, r"not valid TOML"),
    ],
)
def test_malformed_profiles_name_the_file_and_the_field(tmp_path, change, message):
    path = user_file(tmp_path, **change)
    with pytest.raises(ValueError, match=re.escape(str(path)) + r": .*" + message):
        load_profile(path)


def test_sources_must_be_a_table_of_strings(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        (DEVICES_DIR / "t4.toml").read_text().replace('name = "NVIDIA T4 Tensor', "name = 3 #")
    )
    with pytest.raises(ValueError, match=r"bad.toml: \[sources\] must be a table of strings"):
        load_profile(path)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_profile(tmp_path / "absent.toml")
