"""NPU profiles: the figures of an Ascend-like NPU that the pipe model computes with.

One TOML file per device in this folder (`ascend910b.toml` is the default), each citing a
source and how firm it is for every figure in its `[sources]` table. A learner can write their
own file with the same fields and load it by path.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
import types
from collections.abc import Mapping
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

NPU_DEVICES_DIR = Path(__file__).parent
DEFAULT_NPU = "ascend910b"


@dataclasses.dataclass(frozen=True, kw_only=True)
class NpuProfile:
    """Figures of one NPU (see ascend910b.toml for each figure's source and standing).

    Attributes:
        name: descriptive name.
        aliases: short names accepted by `load_npu_profile`.
        clock_ghz: AI Core clock.
        aiv_core_count: vector cores (AIV); vector kernels' blocks are spread over these.
        aic_core_count: cube cores (AIC).
        ub_bytes, l1_bytes, l0a_bytes, l0b_bytes, l0c_bytes: on-chip store sizes per core.
        ub_align_bytes, l0_align_bytes, l0c_align_bytes: address alignment per store.
        max_queue_allocs: most tensors allocated back-to-back from one queue.
        ub_bank_groups, ub_banks_per_group, ub_bank_row_bytes: the UB's bank structure
            (ub_banks.py: vector operands in one bank group or bank queue).
        vector_repeat_bytes: bytes one vector repeat processes.
        vector_overhead_cycles: fixed cycles per vector instruction.
        vector_cycles_per_repeat: cycles per repeat of unary and tensor-scalar ops.
        vector_binary_cycles_per_repeat: cycles per repeat of tensor-tensor ops.
        vector_transcendental_cycles_per_element: Exp, Ln, Sqrt... cycles per element.
        vector_divide_cycles_per_repeat: cycles per repeat of Div.
        vector_reduce_factor: reductions cost this many times a unary op.
        cube_macs_per_cycle: fp16 multiply-accumulates per cycle per cube core.
        l1_to_l0a_bytes_per_cycle, l1_to_l0b_bytes_per_cycle: MTE1 bandwidths.
        mte2_bytes_per_cycle, mte3_bytes_per_cycle, gm_to_l1_bytes_per_cycle: per-core
            transfer bandwidths.
        transfer_overhead_cycles: fixed cycles per MTE transfer.
        unaligned_gm_efficiency: bandwidth factor for GM addresses not 512-byte aligned.
        gm_bandwidth_gbs: global memory bandwidth shared by all active cores.
        scalar_issue_cycles: scalar cycles to issue one instruction to a pipe.
        scalar_local_access_cycles: cycles of a scalar GetValue/SetValue on a LocalTensor.
        scalar_gm_access_cycles: cycles of a scalar GetValue/SetValue on a GlobalTensor.
        launch_overhead_us: launch cost with all cores busy (reported, not added to time).
        sources: where each figure comes from. path: the file read.
    """

    name: str
    aliases: tuple[str, ...]
    clock_ghz: float
    aiv_core_count: int
    aic_core_count: int
    ub_bytes: int
    l1_bytes: int
    l0a_bytes: int
    l0b_bytes: int
    l0c_bytes: int
    ub_align_bytes: int
    l0_align_bytes: int
    l0c_align_bytes: int
    max_queue_allocs: int
    ub_bank_groups: int
    ub_banks_per_group: int
    ub_bank_row_bytes: int
    vector_repeat_bytes: int
    vector_overhead_cycles: float
    vector_cycles_per_repeat: float
    vector_binary_cycles_per_repeat: float
    vector_transcendental_cycles_per_element: float
    vector_divide_cycles_per_repeat: float
    vector_reduce_factor: float
    cube_macs_per_cycle: int
    l1_to_l0a_bytes_per_cycle: float
    l1_to_l0b_bytes_per_cycle: float
    mte2_bytes_per_cycle: float
    mte3_bytes_per_cycle: float
    gm_to_l1_bytes_per_cycle: float
    transfer_overhead_cycles: float
    unaligned_gm_efficiency: float
    gm_bandwidth_gbs: float
    scalar_issue_cycles: float
    scalar_local_access_cycles: float
    scalar_gm_access_cycles: float
    launch_overhead_us: float
    sources: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({}), compare=False
    )
    path: str = dataclasses.field(default="", compare=False)

    @property
    def gm_bytes_per_cycle(self) -> float:
        """Global memory bandwidth in bytes per core clock cycle (shared by all cores)."""
        return self.gm_bandwidth_gbs / self.clock_ghz


_FIGURES = [f.name for f in dataclasses.fields(NpuProfile) if f.name not in ("sources", "path")]


def load_npu_profile(name_or_path: str | os.PathLike | None = None) -> NpuProfile:
    """Return a shipped NPU profile by name (default: the 910B-like one) or read a TOML file.

    Args:
        name_or_path: a name or alias ("ascend910b", "910B"), any case, or a `.toml` path.

    Raises:
        ValueError: unknown name, or a file with a missing, unknown or non-positive field.

    Example:
        >>> load_npu_profile().ub_bytes
        196608
    """
    if name_or_path is None:
        return _shipped()[_normalize(DEFAULT_NPU)]
    text = os.fspath(name_or_path)
    if text.endswith(".toml") or os.sep in text:
        return _read(Path(text))
    profile = _shipped().get(_normalize(text))
    if profile is None:
        names = sorted({p.aliases[0] for p in _shipped().values()})
        raise ValueError(f"unknown NPU profile {text!r}; available: {', '.join(names)}")
    return profile


def npu_profile_for(device: str | None) -> NpuProfile:
    """The NPU profile named `device`, or the default one when `device` names no NPU."""
    if device is not None and _normalize(str(device)) in _shipped():
        return _shipped()[_normalize(str(device))]
    return load_npu_profile()


@functools.cache
def _shipped() -> dict[str, NpuProfile]:
    by_name = {}
    for file in sorted(NPU_DEVICES_DIR.glob("*.toml")):
        profile = _read(file)
        for name in (file.stem, profile.name, *profile.aliases):
            by_name[_normalize(name)] = profile
    return by_name


def _normalize(name: str) -> str:
    return "".join(c for c in name.lower() if c not in " -_")


def _read(path: Path) -> NpuProfile:
    with path.open("rb") as file:
        data = tomllib.load(file)
    sources = data.pop("sources", {})
    unknown = sorted(set(data) - set(_FIGURES))
    missing = [name for name in _FIGURES if name not in data]
    if unknown or missing:
        raise ValueError(f"{path}: unknown fields {unknown}, missing fields {missing}")
    for name in _FIGURES:
        value = data[name]
        if name not in ("name", "aliases") and not (isinstance(value, int | float) and value > 0):
            raise ValueError(f"{path}: {name} must be a positive number, got {value!r}")
    data["aliases"] = tuple(data["aliases"])
    return NpuProfile(**data, sources=types.MappingProxyType(dict(sources)), path=str(path))
