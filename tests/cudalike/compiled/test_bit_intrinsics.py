"""cuda.popc, clz, ffs, brev, selp, lanemask_lt and fma on the compiled tier: the vector engine's
values and result types for 32- and 64-bit, signed and unsigned operands (zero, negatives,
the extremes), and its reports."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import OutOfBoundsError
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
N = 256


def bit_tricks(a, counts, reversed_bits, picked):
    i = cuda.grid(1)
    v = a[i]
    counts[i, 0] = cuda.popc(v)
    counts[i, 1] = cuda.clz(v)
    counts[i, 2] = cuda.ffs(v)
    counts[i, 3] = cuda.lanemask_lt()
    counts[i, 4] = cuda.popc(-1) + cuda.clz(1) + cuda.ffs(-8)  # Python numbers: 64 bits
    reversed_bits[i] = cuda.brev(v)
    picked[i] = cuda.selp(v & 1, v, a[i ^ 3])


def _operands(dtype) -> np.ndarray:
    info = np.iinfo(dtype)
    extremes = [0, 1, 2, 3, 96, info.max, info.max - 1, info.min, info.min + 1]
    if info.min < 0:
        extremes += [-1, -2, -96]
    else:
        extremes += [1 << (info.bits - 1), (1 << (info.bits - 1)) - 1]
    rng = np.random.default_rng(4)
    drawn = rng.integers(info.min, info.max, N - len(extremes), dtype=dtype, endpoint=True)
    return np.concatenate([np.array(extremes, dtype), drawn])


@CHECKS
@pytest.mark.parametrize("dtype", [np.int32, np.uint32, np.int64, np.uint64])
def test_bit_intrinsics_give_the_vector_engines_values_and_types(dtype, checks):
    kernel = cuda.jit(bit_tricks)
    operands = _operands(dtype)
    unsigned = np.uint32 if np.iinfo(dtype).bits == 32 else np.uint64
    results = {}
    for tier in ("vector", "compiled"):
        outputs = [np.zeros((N, 5), np.int64), np.zeros(N, unsigned), np.zeros(N, dtype)]
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier, checks=checks):
            kernel[4, 64](operands, *outputs)
        results[tier] = (outputs, launcher.outcomes["compiled"] - before)
    (vector, _), (compiled, ran) = results["vector"], results["compiled"]
    assert ran == 1, launcher.reasons.get("bit_tricks")
    for left, right in zip(vector, compiled, strict=True):
        np.testing.assert_array_equal(left, right)
    bits = np.iinfo(dtype).bits
    assert vector[0][0, :3].tolist() == [0, bits, 0]  # popc, clz, ffs of 0
    assert vector[0][1, :3].tolist() == [1, bits - 1, 1]


def result_types(a, out):
    """Results combined where numpy's rules show their types: int32 results times Python
    numbers wrap as int32, brev's unsigned results add as unsigned, uint32 + int32 is int64."""
    i = cuda.grid(1)
    v = a[i]
    out[i, 0] = cuda.popc(v) * 100000 * 100000
    out[i, 1] = cuda.brev(v) + cuda.brev(cuda.clz(v))
    out[i, 2] = cuda.brev(cuda.popc(v)) + cuda.ffs(v)
    out[i, 3] = cuda.lanemask_lt() + cuda.ffs(v)


@CHECKS
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_the_results_combine_with_other_values_as_the_vector_engines_do(dtype, checks):
    kernel = cuda.jit(result_types)
    operands = _operands(dtype)
    results = {}
    for tier in ("vector", "compiled"):
        out = np.zeros((N, 4), np.float64)
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier, checks=checks):
            kernel[4, 64](operands, out)
        results[tier] = (out, launcher.outcomes["compiled"] - before)
    assert results["compiled"][1] == 1, launcher.reasons.get("result_types")
    np.testing.assert_array_equal(results["vector"][0], results["compiled"][0])


def select_past_the_end(a, out):
    i = cuda.grid(1)
    out[i] = cuda.selp(i < a.size - 1, a[i], a[i + 1])  # both values are read


def test_selp_reads_both_values_and_gets_the_vector_engines_report():
    kernel = cuda.jit(select_past_the_end)
    reports = []
    before = dict(launcher.outcomes)
    for tier in ("vector", "compiled"):
        with config.override(tier=tier):
            with pytest.raises(OutOfBoundsError) as caught:
                kernel[2, 64](np.ones(128, np.float32), np.zeros(128, np.float32))
        reports.append(str(caught.value))
    assert reports[0] == reports[1]
    assert "thread (63, 0, 0)" in reports[1] and "block (1, 0, 0)" in reports[1]
    assert launcher.outcomes["handed back"] == before.get("handed back", 0) + 1


def select_mixed_types(a, out):
    i = cuda.grid(1)
    out[i] = cuda.selp(a[i] > 0, a[i], 1.5)  # float32 or a Python float, depending on the run


def popc_of_a_float(a, out):
    i = cuda.grid(1)
    out[i] = cuda.popc(a[i])


@pytest.mark.parametrize(
    "function, reason",
    [(select_mixed_types, "cuda.selp of values"), (popc_of_a_float, "bit intrinsic of float32")],
)
def test_operands_of_other_types_stay_on_the_vector_engine(function, reason):
    kernel = cuda.jit(function)
    results = []
    for tier in ("vector", "compiled"):
        out = np.zeros(128, np.float32)
        with config.override(tier=tier):
            kernel[2, 64](np.linspace(-2, 2, 128, dtype=np.float32), out)
        results.append(out)
    np.testing.assert_array_equal(results[0], results[1])
    assert reason in launcher.reasons[function.__name__]


# ---- cuda.fma ----------------------------------------------------------------------------
def fused(a, b, c, out):
    i = cuda.grid(1)
    out[i] = cuda.fma(a[i], b[i], c[i])


def _fma_operands(dtype, rng):
    """Random magnitudes; products cancelled by c, where a fused multiply-add would keep what
    the float64 product rounds away; zeros, infinities, NaN, subnormals and the extremes."""
    info = np.finfo(dtype)
    a, b, c = (
        (rng.standard_normal(N) * 10.0 ** rng.integers(-30, 30, N)).astype(dtype) for _ in range(3)
    )
    a[:64] = 1 + rng.integers(1, 1 << 20, 64) * info.eps
    b[:64] = 1 - rng.integers(1, 1 << 20, 64) * info.eps
    c[:64] = -(a[:64].astype(np.float64) * b[:64])
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, info.tiny, info.tiny / 4, info.max])
    for offset, array in zip((64, 72, 80), (a, b, c), strict=True):
        array[offset : offset + 8] = special
    a[88:96], b[88:96], c[88:96] = special, special[::-1], np.roll(special, 3)
    return a, b, c


@CHECKS
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fma_gives_the_vector_engines_bits(dtype, checks):
    kernel = cuda.jit(fused)
    operands = _fma_operands(dtype, np.random.default_rng(6))
    results = {}
    for tier in ("vector", "compiled"):
        out = np.zeros(N, dtype)
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier, checks=checks):
            kernel[4, 64](*operands, out)
        results[tier] = (out, launcher.outcomes["compiled"] - before)
    assert results["compiled"][1] == 1, launcher.reasons.get("fused")
    bits = np.int32 if dtype == np.float32 else np.int64
    np.testing.assert_array_equal(
        results["vector"][0].view(bits), results["compiled"][0].view(bits)
    )


def test_fma_of_integers_wraps_as_the_vector_engines_does():
    kernel = cuda.jit(fused)
    operands = [np.random.default_rng(9).integers(-(2**31), 2**31, N, np.int32) for _ in range(3)]
    results = []
    for tier in ("vector", "compiled"):
        out = np.zeros(N, np.int32)
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier):
            kernel[4, 64](*operands, out)
        results.append((out, launcher.outcomes["compiled"] - before))
    assert results[1][1] == 1, launcher.reasons.get("fused")
    np.testing.assert_array_equal(results[0][0], results[1][0])


def fma_of_a_python_number(a, out):
    i = cuda.grid(1)
    out[i] = cuda.fma(a[i], 2.0, a[i])  # a Python number: typed by the vector engine alone


def test_fma_of_a_python_number_stays_on_the_vector_engine():
    kernel = cuda.jit(fma_of_a_python_number)
    results = []
    for tier in ("vector", "compiled"):
        out = np.zeros(128, np.float32)
        with config.override(tier=tier):
            kernel[2, 64](np.linspace(-2, 2, 128, dtype=np.float32), out)
        results.append(out)
    np.testing.assert_array_equal(results[0], results[1])
    assert "cuda.fma of other than three numpy values" in launcher.reasons["fma_of_a_python_number"]
