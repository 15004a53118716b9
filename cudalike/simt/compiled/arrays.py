"""The driver's arrays: allocated before the block loop, reset for each block, released after.

Shared arrays are allocated once and reset for every block, local arrays hold every thread's
copy one after another, and global arrays are used through a flat view. With checks on, each
gets its shadow state (race words, written flags); with checks off, shared and local memory is
poisoned as the vector engine poisons fresh memory, so even reads of uninitialised memory give
the same values.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt.device_array import fill_poison


def allocate(a, checks: bool) -> list[str]:
    """Lines before the block loop: the array's flat view or storage, and its shadows."""
    lines = []
    if a.space == "states":  # each generator's thread in this launch, -1 before its first draw
        lines.append(f"    f_{a.name} = p_{a.name}")
        lines.append(f"    o_{a.name} = np.full(p_{a.name}.shape[0], -1, np.int64)")
        return lines
    if a.space == "global":
        lines.append(f"    f_{a.name} = p_{a.name}.reshape(-1)")
        if a.tracked and checks:  # from the pool: fresh pages cost more than the checks
            shadows = f"gw_{a.name}, gr_{a.name}"
            lines.append(f"    {shadows} = rt.take_global_shadows(f_{a.name}.size)")
        return lines
    size = "dynamic" if a.shape == (0,) else str(int(np.prod(a.shape)))
    shape = "(dynamic,)" if a.shape == (0,) else repr(tuple(a.shape))
    lines.append(f"    sh_{a.name} = {shape}")
    dtype = f"np.{a.dtype.name}"
    if a.space == "shared":
        lines.append(f"    f_{a.name} = np.empty({size}, {dtype})")
        if checks:
            lines.append(f"    sw_{a.name} = np.full({size}, -1, np.int64)")
            lines.append(f"    sr_{a.name} = np.full({size}, -1, np.int64)")
    else:
        lines.append(f"    n_{a.name} = {size}")
        lines.append(f"    f_{a.name} = np.empty(nt * {size}, {dtype})")
        if checks:
            lines.append(f"    w_{a.name} = np.zeros(nt * {size}, np.bool_)")
    return lines


def release(a, checks: bool) -> list[str]:
    """Give a global array's race shadows back to the pool after a run that found nothing
    (after a failed one they are dropped)."""
    if a.space != "global" or not (a.tracked and checks):
        return []
    return [f"    rt.give_back_global_shadows(gw_{a.name}, gr_{a.name})"]


def reset(a, checks: bool) -> list[str]:
    """Lines at the start of each block: fresh shadows, or poison where checks are off."""
    if a.space in ("global", "states"):
        return []
    if checks:
        flag = f"sw_{a.name}[:] = -1" if a.space == "shared" else f"w_{a.name}[:] = False"
        return [f"        {flag}"]
    return [f"        f_{a.name}[:] = {poison(a.dtype)}"]


def poison(dtype: np.dtype) -> str:
    """The code of the value fresh memory holds, as the vector engine poisons it."""
    sample = np.empty(1, dtype)
    fill_poison(sample)
    value = sample[0]
    if dtype.kind == "b":
        return repr(bool(value))
    if dtype.kind == "c":  # NaN and 0.0 parts
        real, imag = ("np.nan" if x != x else repr(float(x)) for x in (value.real, value.imag))
        return f"np.{dtype.name}(complex({real}, {imag}))"
    return "np.nan" if dtype.kind == "f" else f"np.{dtype.name}({int(value)})"
