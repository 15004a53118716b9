"""Module-level numpy arrays read by their own name (`TABLE[k]`, as numba freezes them) run
compiled, reading the copy the vector engine froze when it lowered the kernel, with its
reports."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, launch, ran_compiled

pytestmark = pytest.mark.slow

WEIGHTS = np.array([0.25, 0.5, 0.25], np.float32)
OFFSETS = np.array([[0, 1], [1, 0], [0, -1], [-1, 0]], np.int32)
BYTE_TABLE = (np.arange(256, dtype=np.uint32) * 2654435761) & 0xFFFFFFFF


def smooth(a, out):
    i = cuda.grid(1)
    if 0 < i < a.size - 1:
        out[i] = WEIGHTS[0] * a[i - 1] + WEIGHTS[1] * a[i] + WEIGHTS[2] * a[i + 1]


def neighbour_sum(grid, out):
    y, x = cuda.grid(2)
    h, w = grid.shape
    if y < h and x < w:
        total = 0
        for k in range(OFFSETS.shape[0]):
            total += grid[(y + OFFSETS[k, 0]) % h, (x + OFFSETS[k, 1]) % w]
        out[y, x] = total


@cuda.jit(device=True)
def mix(byte, state):
    return BYTE_TABLE[(state ^ byte) & 0xFF] ^ (state >> 8)


def hash_rows(data, out):
    row = cuda.grid(1)
    if row < data.shape[0]:
        state = np.uint32(0xFFFFFFFF)
        for k in range(data.shape[1]):
            state = mix(data[row, k], state)
        out[row] = state


def _both(function, grid, block, make, checks):
    """The compiled tier's output (the last argument), once both tiers left the same bytes in
    every array and the launch ran compiled."""
    _, counts, compiled = compare_tiers(
        cuda.jit(function), grid, block, lambda rng: make(rng), checks, KernelError
    )
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)
    return compiled[-1]


@pytest.mark.parametrize("checks", [True, False])
def test_global_arrays_are_read_as_the_vector_engine_reads_them(checks):
    a = np.random.default_rng(1).random(300).astype(np.float32)
    out = _both(smooth, 3, 128, lambda rng: [a, np.zeros_like(a)], checks)
    assert np.allclose(out[1:-1], (a[:-2] + 2 * a[1:-1] + a[2:]) / 4, rtol=1e-6)
    grid = np.arange(35, dtype=np.int32).reshape(5, 7)
    out = _both(neighbour_sum, (1, 1), (8, 8), lambda rng: [grid, np.zeros_like(grid)], checks)
    expected = sum(np.roll(grid, (-dy, -dx), axis=(0, 1)) for dy, dx in OFFSETS)
    assert out.tolist() == expected.tolist()


def test_a_device_function_reading_a_global_array_stays_on_the_vector_engine():
    """Device functions are compiled apart from the kernel, and only a kernel's own reads of
    global arrays are handed the vector engine's frozen copies."""
    data = np.random.default_rng(2).integers(0, 256, (40, 9)).astype(np.uint8)
    _, counts, _ = compare_tiers(
        cuda.jit(hash_rows), 2, 32, lambda rng: [data, np.zeros(40, np.uint32)], True, KernelError
    )
    assert counts.get("compiled", 0) == 0
    assert "indexing 'BYTE_TABLE'" in launcher.reasons["hash_rows"]


def test_a_change_to_the_global_after_the_first_launch_is_seen_by_neither_tier():
    a = np.ones(64, np.float32)
    kernel, ran = launch(smooth, 1, 64, [a, np.zeros_like(a)], "compiled")
    assert ran == 1
    saved = WEIGHTS.copy()
    try:
        WEIGHTS[:] = 7.0  # the kernel was lowered (and the array copied) at its first launch
        outs = {}
        for tier in ("compiled", "vector"):
            out = np.zeros_like(a)
            with config.override(tier=tier):
                kernel[1, 64](a, out)
            outs[tier] = out
        assert outs["compiled"].tobytes() == outs["vector"].tobytes()
        assert outs["compiled"][1] == 1.0  # the frozen weights, which sum to 1
    finally:
        WEIGHTS[:] = saved


def overrun(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = WEIGHTS[i] * a[i]  # reads past the three weights


def store_to_global(a):
    i = cuda.grid(1)
    if i < 3:
        WEIGHTS[i] = a[i]


@pytest.mark.parametrize("function", [overrun, store_to_global])
def test_a_bad_access_is_reported_as_the_vector_engine_reports_it(function):
    reports = {}
    for tier in ("vector", "compiled"):
        a = np.ones(8, np.float32)
        args = [a, np.zeros_like(a)] if function is overrun else [a]
        with pytest.raises(KernelError) as caught:
            ran_compiled(function, 1, 32, args, tier)
        reports[tier] = (type(caught.value), str(caught.value))
    assert reports["compiled"] == reports["vector"]
    assert list(WEIGHTS) == [0.25, 0.5, 0.25]


def test_a_global_array_stored_to_stays_on_the_vector_engine():
    with pytest.raises(KernelError):
        ran_compiled(store_to_global, 1, 32, [np.ones(8, np.float32)], "auto")
    assert "stored to or handed on" in launcher.reasons["store_to_global"]
