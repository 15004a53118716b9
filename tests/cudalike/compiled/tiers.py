"""Launching a test kernel under one tier and counting whether it ran compiled."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import KernelError
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


def how_it_ran(counts: dict) -> str:
    """How a launch went, from its `launcher.outcomes` counts: "compiled", "handed back" (to
    the vector engine, at run time) or "vector" (outside the subset, or left to it)."""
    return next((key for key in ("compiled", "handed back") if counts.get(key)), "vector")


def compare_tiers(kernel, griddim, blockdim, make_args, checks, catching, seed: int = 0):
    """Launch the jitted `kernel` on each tier from the same arguments (`make_args(rng)`) and
    assert that the arrays after it (byte for byte, device arrays copied to the host) and the
    error each raised of type `catching` (type and text) are the same; (that error or None, the
    compiled tier's launch outcomes, the compiled tier's arguments as host arrays)."""
    runs = []
    for tier in ("vector", "compiled"):
        args = make_args(np.random.default_rng(seed))
        before = dict(launcher.outcomes)
        error = None
        with config.override(tier=tier, checks=checks):
            try:
                kernel[griddim, blockdim](*args)
            except catching as caught:
                error = caught
        counts = {key: launcher.outcomes[key] - before.get(key, 0) for key in launcher.outcomes}
        host = [a.copy_to_host() if hasattr(a, "copy_to_host") else a for a in args]
        runs.append((host, error, counts))
    (vector, vector_error, _), (compiled, compiled_error, counts) = runs
    for left, right in zip(vector, compiled, strict=True):
        if isinstance(left, np.ndarray):
            assert left.dtype == right.dtype and left.tobytes() == right.tobytes()
    assert type(vector_error) is type(compiled_error)
    assert str(vector_error) == str(compiled_error)
    return vector_error, counts, compiled


def assert_survey_case(case, checks: bool, vector_reason: str | None) -> None:
    """A survey kernel (`case`: a `survey_grids.Case`) gives identical arrays on both tiers and
    no error, and ran compiled, or stayed on the vector engine with `vector_reason` in
    `launcher.reasons` where that is given."""
    kernel = cuda.jit(case.kernel)
    error, counts, _ = compare_tiers(
        kernel, case.griddim, case.blockdim, case.make_args, checks, KernelError
    )
    assert error is None
    reason = launcher.reasons.get(case.kernel.__name__, "")
    if vector_reason is not None:
        assert counts.get("compiled", 0) == 0
        assert vector_reason in reason
    else:
        assert counts.get("compiled", 0) == 1, reason


def assert_buggy_case(case, checks: bool, bugs: dict, races: set, handed_back: set) -> None:
    """A buggy survey kernel gives the same report on both tiers: the start of the report in
    `bugs[name]` (checks on, checks off; None: no report), and its launch was handed back where
    it reports or is in `handed_back`, else ran compiled. Races (`races`) are undefined with
    checks off, as on a GPU, and skipped there."""
    if not checks and case.name in races:
        pytest.skip("a race is undefined with checks off")
    kernel = cuda.jit(case.kernel)
    error, counts, _ = compare_tiers(
        kernel, case.griddim, case.blockdim, case.make_args, checks, KernelError
    )
    expected = bugs.get(case.name, (None, None))[0 if checks else 1]
    if expected is None:
        assert error is None
    else:
        assert str(error).startswith(expected)
    ran = "handed back" if expected is not None or case.name in handed_back else "compiled"
    assert counts.get(ran, 0) == 1, launcher.reasons.get(case.kernel.__name__, "")
