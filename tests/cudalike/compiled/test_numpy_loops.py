"""Math functions the vector engine computes with numpy ufuncs (exp, log, sin, atan2, pow, ...)
run compiled through numpy's own loops, so every bit of every result matches the vector engine's,
whatever implementation numpy picked for this CPU."""

import math

import numpy as np
import pytest

from autograder.spec import load_exercise
from autograder.steps.reference import load_reference
from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher, ufuncs
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

SPECIAL = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, 1e-30, -1e-30, 80.0, -80.0, 700.0, 1e30]
SPECIAL += [-1e30, math.inf, -math.inf, math.nan]


def _values(dtype, n: int = 3000) -> np.ndarray:
    rng = np.random.default_rng(7)
    spread = np.concatenate([rng.standard_normal(n) * 4, rng.random(n) * 2 - 1, rng.random(n) * 90])
    values = np.concatenate([np.array(SPECIAL), spread])
    if np.dtype(dtype).kind == "i":
        values = values[np.abs(values) < 2**31]
    return values.astype(dtype)


def unary_math(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        out[0, i] = math.exp(v)
        out[1, i] = math.exp2(v)
        out[2, i] = math.expm1(v)
        out[3, i] = math.log(v)
        out[4, i] = math.log2(v)
        out[5, i] = math.log10(v)
        out[6, i] = math.log1p(v)
        out[7, i] = math.sin(v)
        out[8, i] = math.cos(v)
        out[9, i] = math.tan(v)
        out[10, i] = math.asin(v)
        out[11, i] = math.acos(v)
        out[12, i] = math.atan(v)
        out[13, i] = math.sinh(v)
        out[14, i] = math.cosh(v)
        out[15, i] = math.tanh(v)
        out[16, i] = math.asinh(v)
        out[17, i] = math.acosh(v)
        out[18, i] = math.atanh(v)
        out[19, i] = math.radians(v) + math.degrees(v) + math.log(v, 3.0)


def binary_math(x, y, out):
    i = cuda.grid(1)
    if i < x.size:
        out[0, i] = math.atan2(x[i], y[i])
        out[1, i] = math.pow(x[i], y[i])
        out[2, i] = math.hypot(x[i], y[i])
        out[3, i] = math.pow(x[i], 3)  # a Python number takes the array's type
        out[4, i] = np.exp(x[i]) + np.arctan2(y[i], 0.5)  # numpy's names
        out[5, i] = math.exp(1.25) * math.sin(x[i] * 2)  # a uniform argument: float64


def _both_tiers(function, grid, block, make, checks):
    """The compiled tier's output (the last argument), once both tiers left the same bytes in
    every array and the launch ran compiled."""
    with np.errstate(all="ignore"):
        _, counts, compiled = compare_tiers(
            cuda.jit(function), grid, block, lambda rng: make(), checks, KernelError
        )
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)
    return compiled[-1]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_unary_functions_give_the_vector_engines_bits(dtype, checks):
    x = _values(dtype)
    out_type = np.float32 if dtype == np.float32 else np.float64
    make = lambda: [x, np.zeros((20, x.size), out_type)]  # noqa: E731
    _both_tiers(unary_math, -(-x.size // 128), 128, make, checks)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_functions_give_the_vector_engines_bits(dtype):
    x, y = _values(dtype), np.roll(_values(dtype), 5)
    make = lambda: [x, y, np.zeros((6, x.size), np.float64)]  # noqa: E731
    _both_tiers(binary_math, -(-x.size // 128), 128, make, True)


@cuda.jit(device=True)
def gelu(v):
    return 0.5 * v * (1.0 + math.tanh(0.7978845608 * (v + 0.044715 * v * v * v)))


def gelu_kernel(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = gelu(x[i])


@pytest.mark.parametrize("checks", [True, False])
def test_softmax_and_a_device_function_run_compiled_with_the_same_bits(checks):
    x = np.random.default_rng(3).standard_normal((12, 300)).astype(np.float32)
    make = lambda: [x, np.zeros_like(x)]  # noqa: E731
    softmax_rows = load_reference(load_exercise("softmax_rows")).softmax_rows.py_func
    out = _both_tiers(softmax_rows, 12, 256, make, checks)
    assert np.allclose(out.sum(axis=1), 1, rtol=1e-5)
    v = _values(np.float32)
    make = lambda: [v, np.zeros_like(v)]  # noqa: E731
    _both_tiers(gelu_kernel, -(-v.size // 128), 128, make, checks)


def integer_power(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = math.pow(x[i], 2)


def test_an_integer_power_stays_on_the_vector_engine():
    x = np.arange(-5, 5, dtype=np.int32)
    kernel = cuda.jit(integer_power)
    out = np.zeros(10, np.int64)
    with config.override(tier="compiled"):
        kernel[1, 32](x, out)
    assert "integer power" in launcher.reasons["integer_power"]
    assert list(out) == [v * v for v in range(-5, 5)]


def test_only_float_loops_of_one_output_are_offered():
    assert ufuncs.symbol(np.exp, np.dtype(np.float32)) is not None
    assert ufuncs.symbol(np.exp, np.dtype(np.float16)) is None
    assert ufuncs.symbol(np.exp, np.dtype(np.int64)) is None
    assert ufuncs.symbol(np.modf, np.dtype(np.float64)) is None  # two outputs


def test_a_loop_that_gives_other_bits_is_refused():
    sine = ufuncs._find_loop(np.sin, np.dtype(np.float32))
    assert ufuncs._agrees(np.sin, np.dtype(np.float32), *sine)
    assert not ufuncs._agrees(np.cos, np.dtype(np.float32), *sine)


CACHED_RUN = """
import sys
import numpy as np
from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher

@cuda.jit
def sines(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = np.sin(x[i]) + np.exp(x[i])

x = np.linspace(-3, 3, 1000).astype(np.float32)
out = np.zeros_like(x)
with config.override(tier="compiled"):
    sines[8, 128](x, out)
assert launcher.outcomes["compiled"] == 1, launcher.reasons
with np.errstate(all="ignore"):
    assert out.tobytes() == (np.sin(x) + np.exp(x)).tobytes()
print("ok")
"""


def test_machine_code_cached_by_another_process_finds_the_loops(tmp_path):
    """The second process loads the first one's machine code from numba's disk cache: the
    loops are found by name in the new process, never at an address compiled in."""
    import os
    import subprocess
    import sys

    script = tmp_path / "cached_run.py"
    script.write_text(CACHED_RUN)
    env = dict(os.environ, CUDALIKE_CACHE_DIR=str(tmp_path / "cache"))
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
    cached = list((tmp_path / "cache").rglob("*.nbc"))
    assert cached, "numba cached nothing"
