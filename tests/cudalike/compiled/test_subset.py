"""Device functions, exact math functions and atomics on the compiled tier: bit for bit the
vector engine's results (old values of atomics included), or the vector engine runs them."""

import math

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import RunawayKernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.simt import kernels, warp_control_cases

pytestmark = pytest.mark.slow


@cuda.jit(device=True)
def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


@cuda.jit(device=True)
def smooth(x, c):
    """One return: the value's own type (float32 here)."""
    y = x * c + 1.0
    return y * y


@cuda.jit(device=True)
def sign_of(x):
    if x < 0:
        return -1
    return 1


@cuda.jit(device=True)
def scaled_clamp(x, k):
    return clamp(x * k, -1.0, 1.0)


@cuda.jit(device=True)
def countdown(n):
    if n <= 0:
        return 0
    return countdown(n - 1)


def device_calls(a, out, lo, hi):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = clamp(a[i], lo, hi)
        out[i, 1] = smooth(a[i], np.float32(0.5))
        out[i, 2] = sign_of(a[i])  # a Python int or an int64 array, stored
        out[i, 3] = scaled_clamp(a[i], 3.0)


def clamp_to_float64(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = clamp(a[i], -0.1, 0.1)  # a mixed-precision result stored to float64


def recursive_call(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = countdown(3) + a[i]


def exact_math(a, b, out, flags):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = math.copysign(a[i], b[i])
        out[i, 1] = math.fmod(a[i], 0.7)
        out[i, 2] = math.sqrt(abs(a[i])) + math.fabs(b[i])
        flags[i, 0] = math.isnan(a[i])
        flags[i, 1] = math.isinf(b[i])
        if math.isfinite(a[i] * b[i]):
            flags[i, 2] = 1


def float_atomics(a, sums, peak, low):
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.add(sums, i % 7, a[i])
        cuda.atomic.max(peak, 0, a[i])
        cuda.atomic.min(low, i % 3, a[i] * 2)


def compact_positive(a, out, count):
    i = cuda.grid(1)
    if i < a.size and a[i] > 0:
        slot = cuda.atomic.add(count, 0, 1)
        out[slot] = a[i]


def shared_float_histogram(a, out):
    bins = cuda.shared.array(8, np.float64)
    t = cuda.threadIdx.x
    if t < 8:
        bins[t] = 0.0
    cuda.syncthreads()
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.add(bins, int(a[i] * 8) % 8, a[i])
    cuda.syncthreads()
    if t < 8:
        out[cuda.blockIdx.x, t] = bins[t]


def exchange_and_count(a, last, ticket, wrap):
    i = cuda.grid(1)
    if i < a.size:
        last[i] = cuda.atomic.exch(ticket, 0, i)
        cuda.atomic.inc(wrap, 0, np.uint32(5))


def _both_tiers(function, griddim, blockdim, make_args, checks):
    kernel = cuda.jit(function)
    results = []
    compiled = 0
    for tier in ("vector", "compiled"):
        args = make_args(np.random.default_rng(3))
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier, checks=checks):
            kernel[griddim, blockdim](*args)
        compiled = launcher.outcomes["compiled"] - before
        results.append(args)
    for vector, compiled_args in zip(*results, strict=True):
        if isinstance(vector, np.ndarray):
            assert vector.dtype == compiled_args.dtype
            assert np.array_equal(vector, compiled_args, equal_nan=True), function.__name__
    return compiled


def _floats(n, dtype=np.float32):
    return lambda rng: rng.standard_normal(n).astype(dtype)


CASES = {
    "device_calls": (
        device_calls,
        4,
        64,
        lambda rng: [_floats(250)(rng), np.zeros((250, 4), np.float32), -0.5, 0.5],
    ),
    "exact_math": (
        exact_math,
        4,
        64,
        lambda rng: [
            np.r_[_floats(246)(rng), np.nan, np.inf, -0.0, 3.0].astype(np.float32),
            np.r_[_floats(246)(rng), 1.0, -np.inf, -2.0, np.nan].astype(np.float32),
            np.zeros((250, 3), np.float32),
            np.zeros((250, 3), np.int32),
        ],
    ),
    "float_atomics": (
        float_atomics,
        5,
        64,
        lambda rng: [
            np.r_[_floats(299)(rng), np.nan].astype(np.float32),
            np.zeros(7, np.float32),
            np.full(1, -np.inf, np.float32),
            np.zeros(3, np.float32),
        ],
    ),
    "compact_positive": (
        compact_positive,
        5,
        64,
        lambda rng: [_floats(300)(rng), np.zeros(300, np.float32), np.zeros(1, np.int32)],
    ),
    "shared_float_histogram": (
        shared_float_histogram,
        4,
        64,
        lambda rng: [rng.random(256), np.zeros((4, 8), np.float64)],
    ),
    "exchange_and_count": (
        exchange_and_count,
        3,
        64,
        lambda rng: [
            _floats(150)(rng),
            np.zeros(150, np.int64),
            np.zeros(1, np.int64),
            np.zeros(1, np.uint32),
        ],
    ),
}


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_widened_subset_runs_compiled_with_identical_results(name, checks):
    assert _both_tiers(*CASES[name], checks) == 1, launcher.reasons.get(name)


@pytest.mark.parametrize(
    "function, reason",
    [
        (clamp_to_float64, "mixed-precision result"),
        (recursive_call, "recursive device function"),
    ],
)
def test_order_or_precision_dependent_kernels_stay_on_the_vector_engine(function, reason):
    def make_args(rng):
        return [
            _floats(100)(rng),
            np.zeros(100, np.float64 if "float64" in function.__name__ else np.float32),
        ]

    assert _both_tiers(function, 2, 64, make_args, True) == 0
    assert reason in launcher.reasons[function.__name__]


def spin(flag, out):
    i = cuda.grid(1)
    n = 0
    while n < 1000:  # ends: the report must name the loop below, as the vector engine's does
        n += 1
    while flag[0] > 0:
        n += 1
    out[i] = n


def test_an_endless_while_loop_runs_out_of_time_with_the_vector_engines_report():
    kernel = cuda.jit(spin)
    reports = []
    for tier in ("vector", "compiled"):
        before = launcher.outcomes["handed back"]
        with config.override(tier=tier, time_budget_s=0.5, loop_budget=10**15):
            with pytest.raises(RunawayKernelError, match="0.5 seconds") as caught:
                kernel[2, 32](np.ones(1, np.int32), np.zeros(64, np.int64))
        reports.append(str(caught.value))
    assert launcher.outcomes["handed back"] == before + 1
    assert reports[0] == reports[1]
    assert "while flag[0] > 0" in reports[1]


# Warp functions: the library's warp and control-flow kernels on both tiers.
WARP_COMPILED = {
    "warp_shuffle_reduction",  # its second level runs under `if warp == 0:`
    "shfl_xor_butterfly",
    "shfl_up_scan_and_broadcast",
    "votes",
    "warp_synchronous_with_syncwarp",  # syncwarp in a loop under `if t < 32:`
}


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("case", warp_control_cases.WARP_CONTROL, ids=lambda case: case.id)
def test_warp_and_control_kernels_give_identical_arrays(case, checks):
    runs = []
    for tier in ("vector", "compiled"):
        args = case.make_args(np.random.default_rng(7))
        kernel = kernels.jit(case.file, case.kernel)
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier, checks=checks):
            kernel[case.griddim, case.blockdim, 0, case.sharedmem](*args)
        runs.append((args, launcher.outcomes["compiled"] - before))
    (vector, _), (compiled, compiled_runs) = runs
    for left, right in zip(vector, compiled, strict=True):
        if isinstance(left, np.ndarray):
            assert np.array_equal(left, right, equal_nan=left.dtype.kind == "f")
    if case.id in WARP_COMPILED or case in warp_control_cases.CONTROL:
        assert compiled_runs == 1, launcher.reasons.get(case.kernel)


def partial_warps(a, source, out):
    """48 threads a block: the second warp has 16 lanes; sources outside it give the caller's
    own value."""
    i = cuda.grid(1)
    v = a[i]
    s = cuda.shfl_sync(0xFFFFFFFF, v, source[i])
    d = cuda.shfl_down_sync(0xFFFFFFFF, v, 7)
    u = cuda.shfl_up_sync(0xFFFFFFFF, 2.5, 3)  # a Python number, the same for every lane
    b = cuda.ballot_sync(0x0000FFFF, v > 0)  # lanes 16-31 are not members
    out[i, 0] = s
    out[i, 1] = d
    out[i, 2] = u
    out[i, 3] = b


def warp_after_return(a, out):
    i = cuda.grid(1)
    if i >= a.size:
        return
    out[i] = cuda.shfl_down_sync(0xFFFFFFFF, a[i], 1)


def test_shuffles_and_votes_in_partial_warps_match_the_vector_engine():
    def make_args(rng):
        a = rng.standard_normal(144).astype(np.float32)
        return [a, rng.integers(-40, 40, 144).astype(np.int32), np.zeros((144, 4), np.float64)]

    assert _both_tiers(partial_warps, 3, 48, make_args, True) == 1
    assert _both_tiers(partial_warps, 3, 48, make_args, False) == 1


def test_a_warp_function_after_an_early_return_runs_compiled_or_is_handed_back():
    def make_args(size):
        return lambda rng: [_floats(size)(rng), np.zeros(size, np.float32)]

    # 128 elements: no lane leaves; 100: lane 99 shuffles from lane 100, which left
    assert _both_tiers(warp_after_return, 2, 64, make_args(128), True) == 1
    handed_back = launcher.outcomes["handed back"]
    assert _both_tiers(warp_after_return, 2, 64, make_args(100), True) == 0
    assert launcher.outcomes["handed back"] == handed_back + 1


@cuda.jit(device=True)
def doubled_when_positive(x):
    if x > 0:
        y = x * 2
    return y


def set_in_a_branch(a, out):
    i = cuda.grid(1)
    if i < a.size:
        if a[i] > 0:
            y = a[i] * 2
        out[i] = y


def set_in_a_device_function_branch(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = doubled_when_positive(a[i])


@pytest.mark.parametrize("function", [set_in_a_branch, set_in_a_device_function_branch])
def test_a_variable_some_threads_never_set_keeps_the_kernel_on_the_vector_engine(function):
    # The vector engine's first assignment fills every lane; compiled code has nothing there.
    def make_args(rng):
        return [_floats(100)(rng), np.zeros(100, np.float32)]

    assert _both_tiers(function, 2, 64, make_args, True) == 0
    assert "read before it is assigned" in launcher.reasons[function.__name__]


def half_warp_shuffle(a, out):
    i = cuda.grid(1)
    v = a[i]
    if cuda.laneid < 16:  # divides every warp: the vector engine's inactive lanes matter
        v += cuda.shfl_down_sync(0xFFFFFFFF, v, 8)
    out[i] = v


def test_a_branch_dividing_a_warp_around_a_shuffle_is_handed_to_the_vector_engine():
    def make_args(rng):
        return [_floats(128)(rng), np.zeros(128, np.float32)]

    before = launcher.outcomes["handed back"]
    assert _both_tiers(half_warp_shuffle, 2, 64, make_args, True) == 0
    assert launcher.outcomes["handed back"] == before + 1
