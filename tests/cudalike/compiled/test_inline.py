"""Device functions called as statements (arrays in, barriers inside) are written into the
kernel by the compiled tier, with the vector engine's arrays and reports."""

import numpy as np
import pytest
from numba import int32

from cudalike import cuda
from cudalike.errors import OutOfBoundsError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import ran_compiled

pytestmark = pytest.mark.slow

THREADS = 64
SCALE = 3


@cuda.jit(device=True)
def scan_in_shared(temp, tid):
    """Inclusive Hillis-Steele scan of temp[0:THREADS]."""
    offset = 1
    while offset < THREADS:
        before = temp[tid - offset] if tid >= offset else int32(0)
        cuda.syncthreads()
        temp[tid] += before
        cuda.syncthreads()
        offset *= 2


@cuda.jit(device=True)
def store_twice(out, i, value):
    i += 1  # rebinds the parameter only: the caller's i is unchanged
    out[i - 1] = value * SCALE
    store_scaled(out, i + out.size // 2 - 1, value)


@cuda.jit(device=True)
def store_scaled(out, at, value):
    out[at] = value + SCALE


def scan_chunks(x, out):
    temp = cuda.shared.array(THREADS, int32)
    tid = cuda.threadIdx.x
    carry = int32(0)
    for start in range(0, x.size, THREADS):
        temp[tid] = x[start + tid]
        cuda.syncthreads()
        scan_in_shared(temp, tid)
        out[start + tid] = temp[tid] + carry
        carry += temp[THREADS - 1]
        cuda.syncthreads()


def twice(values, out):
    i = cuda.grid(1)
    if i < values.size:
        store_twice(out, i, values[i])
        out[i] += i  # i is still the thread's own index


def twice_past_the_end(values, out):
    i = cuda.grid(1)
    store_twice(out, i + 1, values[i])


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_a_device_function_with_a_shared_array_and_barriers_runs_compiled(checks):
    x = np.random.default_rng(2).integers(-9, 9, 4 * THREADS, dtype=np.int32)
    results = {}
    for tier in ("vector", "compiled"):
        out = np.zeros_like(x)
        results[tier] = (out, ran_compiled(scan_chunks, 1, THREADS, [x, out], tier, checks))
    assert results["compiled"][1] == 1, launcher.reasons.get("scan_chunks")
    np.testing.assert_array_equal(results["compiled"][0], results["vector"][0])
    np.testing.assert_array_equal(results["vector"][0], np.cumsum(x))


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_parameters_rebound_inside_leave_the_callers_variables_alone(checks):
    values = np.arange(1, 41, dtype=np.float32)
    results = {}
    for tier in ("vector", "compiled"):
        out = np.zeros(80, np.float32)
        results[tier] = (out, ran_compiled(twice, 2, 32, [values, out], tier, checks))
    assert results["compiled"][1] == 1, launcher.reasons.get("twice")
    np.testing.assert_array_equal(results["compiled"][0], results["vector"][0])
    expected = np.concatenate([values * 3 + np.arange(40), values + 3])
    np.testing.assert_array_equal(results["vector"][0], expected)


def test_a_fault_inside_an_inlined_function_gets_the_vector_engines_report():
    reports, outputs = [], []
    for tier in ("vector", "compiled"):
        out = np.zeros(64, np.float32)
        with pytest.raises(OutOfBoundsError) as caught:
            ran_compiled(twice_past_the_end, 1, 32, [np.ones(32, np.float32), out], tier, True)
        reports.append(str(caught.value))
        outputs.append(out)
    assert reports[0] == reports[1]
    np.testing.assert_array_equal(outputs[0], outputs[1])  # restored, then the vector run


def test_a_name_that_means_something_else_in_the_function_stays_on_the_vector_engine():
    SCALE = 5  # noqa: N806 (the closure's value differs from the module's SCALE)

    @cuda.jit(device=True)
    def scaled(out, i):
        out[i] = SCALE

    def fill(out):
        scaled(out, cuda.grid(1))

    for tier in ("vector", "compiled"):
        out = np.zeros(32, np.int64)
        assert ran_compiled(fill, 1, 32, [out], tier, True) == 0
        assert (out == 5).all()
    assert "means something else" in launcher.reasons["fill"]
