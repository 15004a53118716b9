"""Launching a test kernel under one tier and counting whether it ran compiled."""

from cudalike import config, cuda
from cudalike.simt.compiled import launcher


def launch(function, grid, block, args, tier: str, checks: bool = True):
    """Jit `function`, launch it under `tier`; (the kernel, 1 if it ran compiled else 0)."""
    kernel = cuda.jit(function)
    before = launcher.outcomes["compiled"]
    with config.override(tier=tier, checks=checks):
        kernel[grid, block](*args)
    return kernel, launcher.outcomes["compiled"] - before


def ran_compiled(function, grid, block, args, tier: str, checks: bool = True) -> int:
    """1 if the launch of `function` under `tier` ran compiled, else 0."""
    return launch(function, grid, block, args, tier, checks)[1]
