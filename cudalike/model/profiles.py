"""Device profiles: the published figures of a GPU, read from a TOML file and checked.

cudalike ships profiles in `cudalike/model/devices/*.toml` (H100 SXM5 by default, A100,
T4), each citing a source for every figure in its `[sources]` table. A learner can write
their own file with the same fields and load it by path.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
import types
import typing
from collections.abc import Mapping
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEVICES_DIR = Path(__file__).parent / "devices"


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeviceProfile:
    """The figures of one GPU that the runtime checks against and the model computes with.

    Attributes:
        name: marketing name, e.g. "NVIDIA H100 SXM5".
        aliases: short names accepted by `load_profile` and `config.device`, e.g. "H100".
        compute_capability: (major, minor), e.g. (9, 0).
        sm_count: streaming multiprocessors.
        clock_ghz: boost clock of the SMs.
        fp32_lanes_per_sm: FP32 lanes ("CUDA cores") per SM.
        schedulers_per_sm: warp schedulers per SM (each issues one warp instruction a clock).
        fp32_peak_tflops: FP32 peak, FMA counted as two operations.
        sfu_per_sm: special-function units per SM (sin, exp, rsqrt...).
        warp_size: threads per warp.
        dram_bytes: device memory size.
        dram_bandwidth_gbs: device memory bandwidth in GB/s (10**9 bytes per second).
        l2_bytes: L2 cache size.
        sector_bytes: size of a global memory sector.
        cache_line_bytes: size of an L1/L2 cache line.
        shared_per_sm_bytes: shared memory per SM.
        shared_per_block_bytes: most shared memory one block can have (dynamic, opt-in).
        static_shared_per_block_bytes: most statically declared shared memory per block.
        shared_banks: shared memory banks.
        shared_bank_bytes: width of a bank.
        constant_memory_bytes: constant memory size.
        registers_per_sm: 32-bit registers per SM.
        max_registers_per_block: 32-bit registers one block can use.
        max_registers_per_thread: 32-bit registers one thread can use.
        max_threads_per_sm: resident threads per SM.
        max_warps_per_sm: resident warps per SM.
        max_blocks_per_sm: resident blocks per SM.
        max_threads_per_block: threads in one block.
        max_block_dim: largest block dimensions (x, y, z).
        max_grid_dim: largest grid dimensions (x, y, z).
        shared_latency_cycles: latency of a shared memory load (an assumption, see sources).
        l2_latency_cycles: latency of an L2 hit (an assumption, see sources).
        dram_latency_cycles: latency of a device memory load (an assumption, see sources).
        sources: where each figure comes from, by field name. Not compared.
        path: the file the profile was read from. Not compared.
    """

    name: str
    aliases: tuple[str, ...]
    compute_capability: tuple[int, int]
    sm_count: int
    clock_ghz: float
    fp32_lanes_per_sm: int
    schedulers_per_sm: int
    fp32_peak_tflops: float
    sfu_per_sm: int
    warp_size: int
    dram_bytes: int
    dram_bandwidth_gbs: float
    l2_bytes: int
    sector_bytes: int
    cache_line_bytes: int
    shared_per_sm_bytes: int
    shared_per_block_bytes: int
    static_shared_per_block_bytes: int
    shared_banks: int
    shared_bank_bytes: int
    constant_memory_bytes: int
    registers_per_sm: int
    max_registers_per_block: int
    max_registers_per_thread: int
    max_threads_per_sm: int
    max_warps_per_sm: int
    max_blocks_per_sm: int
    max_threads_per_block: int
    max_block_dim: tuple[int, int, int]
    max_grid_dim: tuple[int, int, int]
    shared_latency_cycles: int
    l2_latency_cycles: int
    dram_latency_cycles: int
    sources: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({}), compare=False
    )
    path: str = dataclasses.field(default="", compare=False)


_FIGURES = [f.name for f in dataclasses.fields(DeviceProfile) if f.name not in ("sources", "path")]
# Figures that may be zero (a minor version); every other number must be positive.
_MAY_BE_ZERO = ("compute_capability",)


def list_profiles() -> list[str]:
    """Return the short name of every shipped profile, e.g. ["A100", "H100", "T4"].

    Example:
        >>> "H100" in list_profiles()
        True
    """
    return sorted({profile.aliases[0] for profile in _shipped().values()})


def load_profile(name_or_path: str | os.PathLike) -> DeviceProfile:
    """Return a shipped profile by name, or read a profile from a `.toml` file.

    Args:
        name_or_path: a name or alias of a shipped profile, in any case ("h100",
            "A100-SXM4"), or the path of a TOML file with the fields of DeviceProfile.

    Returns:
        The profile.

    Raises:
        ValueError: unknown name, or a file that is not valid TOML, lacks a field, has an
            unknown field or a value of the wrong type or range (the message names the file
            and the field).
        FileNotFoundError: the path does not exist.

    Example:
        >>> load_profile("h100").sm_count
        132
    """
    text = os.fspath(name_or_path)
    if isinstance(name_or_path, os.PathLike) or text.endswith(".toml") or os.sep in text:
        return profile_from_file(text)
    return profile_by_name(text)


def profile_by_name(name: str) -> DeviceProfile:
    """Return the shipped profile with this name or alias (case, spaces, '-' and '_' ignored).

    Raises:
        ValueError: no shipped profile has that name; the message lists the names.
    """
    profile = _shipped().get(_normalize(name))
    if profile is None:
        raise ValueError(
            f"unknown device profile {name!r}; available: {', '.join(list_profiles())} "
            "(or pass the path of a .toml profile file)"
        )
    return profile


def profile_from_file(path: str | os.PathLike) -> DeviceProfile:
    """Read and check the profile in a TOML file (see `load_profile` for the errors)."""
    path = Path(path)
    with path.open("rb") as file:
        try:
            data = tomllib.load(file)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: not valid TOML: {error}") from error
    return _build(data, path)


@functools.cache
def _shipped() -> dict[str, DeviceProfile]:
    """Every shipped profile under each of its names (normalized), its file stem included."""
    by_name = {}
    for file in sorted(DEVICES_DIR.glob("*.toml")):
        profile = profile_from_file(file)
        for name in (file.stem, profile.name, *profile.aliases):
            by_name[_normalize(name)] = profile
    return by_name


def _normalize(name: str) -> str:
    return "".join(c for c in name.lower() if c not in " -_")


def _build(data: dict, path: Path) -> DeviceProfile:
    """Check every field of a parsed file and build the profile."""
    sources = data.pop("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        raise ValueError(f'{path}: [sources] must be a table of strings (field = "source")')
    unknown = sorted(set(data) - set(_FIGURES))
    if unknown:
        raise ValueError(
            f"{path}: unknown field {unknown[0]!r}; a profile has the fields {', '.join(_FIGURES)}"
        )
    missing = [name for name in _FIGURES if name not in data]
    if missing:
        raise ValueError(f"{path}: missing field {missing[0]!r} (all missing: {missing})")
    hints = typing.get_type_hints(DeviceProfile)
    values = {name: _check(path, name, data[name], hints[name]) for name in _FIGURES}
    profile = DeviceProfile(**values, sources=types.MappingProxyType(dict(sources)), path=str(path))
    _check_consistency(profile, path)
    return profile


def _check(path: Path, name: str, value: object, hint: object) -> object:
    """Check one value against its annotation; return it in the dataclass's type."""
    where = f"{path}: field {name!r}"
    if hint is str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where} must be a non-empty string, got {value!r}")
        return value
    if hint is int or hint is float:
        numeric = (int,) if hint is int else (int, float)
        minimum = 0 if name.startswith(_MAY_BE_ZERO) else 1
        if isinstance(value, bool) or not isinstance(value, numeric) or value < minimum:
            kind = "integer" if hint is int else "number"
            bound = "positive" if minimum else "non-negative"
            raise ValueError(f"{where} must be a {bound} {kind}, got {value!r}")
        return hint(value)
    item_type, *rest = typing.get_args(hint)
    if not isinstance(value, list) or (rest != [Ellipsis] and len(value) != len(rest) + 1):
        count = "" if rest == [Ellipsis] else f"{len(rest) + 1} "
        raise ValueError(
            f"{where} must be a list of {count}{item_type.__name__} values, got {value!r}"
        )
    return tuple(_check(path, f"{name}[{i}]", item, item_type) for i, item in enumerate(value))


def _check_consistency(profile: DeviceProfile, path: Path) -> None:
    """Figures that must agree with each other (a typo in one usually breaks one of these)."""
    rules = [
        (
            profile.max_warps_per_sm * profile.warp_size == profile.max_threads_per_sm,
            "max_warps_per_sm x warp_size must equal max_threads_per_sm",
        ),
        (
            profile.static_shared_per_block_bytes
            <= profile.shared_per_block_bytes
            <= profile.shared_per_sm_bytes,
            "static_shared_per_block_bytes <= shared_per_block_bytes <= shared_per_sm_bytes",
        ),
        (
            profile.max_threads_per_block <= profile.max_threads_per_sm,
            "max_threads_per_block must not exceed max_threads_per_sm",
        ),
        (len(profile.aliases) > 0, "aliases must name at least one short name"),
    ]
    for holds, rule in rules:
        if not holds:
            raise ValueError(f"{path}: inconsistent figures: {rule}")
