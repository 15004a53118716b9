"""Constant arrays (`cuda.const.array_like(GLOBAL)`) run compiled, reading the copy the vector
engine froze when it lowered the kernel, with its reports."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, launch, ran_compiled

pytestmark = pytest.mark.slow

TAPS = np.array([0.25, 0.5, 0.25], np.float32)
TABLE = np.arange(12, dtype=np.int64).reshape(3, 4)


def smooth(a, out):
    w = cuda.const.array_like(TAPS)
    i = cuda.grid(1)
    if 0 < i < a.size - 1:
        out[i] = w[0] * a[i - 1] + w[1] * a[i] + w[2] * a[i + 1]


def lookup(keys, out):
    table = cuda.const.array_like(TABLE)
    i = cuda.grid(1)
    if i < keys.size:
        out[i] = table[keys[i] % table.shape[0], keys[i] % 4] * 10


def _both(function, grid, block, make, checks=True):
    """The compiled tier's output (the last argument), once both tiers left the same bytes in
    every array and the launch ran compiled."""
    _, counts, compiled = compare_tiers(
        cuda.jit(function), grid, block, lambda rng: make(), checks, KernelError
    )
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)
    return compiled[-1]


@pytest.mark.parametrize("checks", [True, False])
def test_constant_arrays_are_read_as_the_vector_engine_reads_them(checks):
    a = np.random.default_rng(1).random(300).astype(np.float32)
    out = _both(smooth, 3, 128, lambda: [a, np.zeros_like(a)], checks)
    assert np.allclose(out[1:-1], (a[:-2] + 2 * a[1:-1] + a[2:]) / 4, rtol=1e-6)
    keys = np.arange(-20, 280, dtype=np.int32)
    out = _both(lookup, 3, 128, lambda: [keys, np.zeros(300, np.int64)], checks)
    assert list(out) == [TABLE[k % 3, k % 4] * 10 for k in keys]


def test_a_change_to_the_global_after_the_first_launch_is_seen_by_neither_tier():
    a = np.ones(64, np.float32)
    kernel, ran = launch(smooth, 1, 64, [a, np.zeros_like(a)], "compiled")
    assert ran == 1
    saved = TAPS.copy()
    try:
        TAPS[:] = 7.0  # the kernel was lowered (and the array copied) at its first launch
        outs = {}
        for tier in ("compiled", "vector"):
            out = np.zeros_like(a)
            with config.override(tier=tier):
                kernel[1, 64](a, out)
            outs[tier] = out
        assert outs["compiled"].tobytes() == outs["vector"].tobytes()
        assert outs["compiled"][1] == 1.0  # the frozen taps, which sum to 1
    finally:
        TAPS[:] = saved


def overrun(a, out):
    w = cuda.const.array_like(TAPS)
    i = cuda.grid(1)
    if i < a.size:
        out[i] = w[i] * a[i]  # reads past the three taps


def store_to_constant(a):
    w = cuda.const.array_like(TAPS)
    i = cuda.grid(1)
    if i < 3:
        w[i] = a[i]


@pytest.mark.parametrize("function", [overrun, store_to_constant])
def test_a_bad_access_is_reported_as_the_vector_engine_reports_it(function):
    reports = {}
    for tier in ("vector", "compiled"):
        a = np.ones(8, np.float32)
        args = [a, np.zeros_like(a)] if function is overrun else [a]
        with pytest.raises(Exception) as caught:
            ran_compiled(function, 1, 32, args, tier)
        reports[tier] = (type(caught.value), str(caught.value))
    assert reports["compiled"] == reports["vector"]
    assert list(TAPS) == [0.25, 0.5, 0.25]
