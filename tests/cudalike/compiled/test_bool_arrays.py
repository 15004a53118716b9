"""Bool arrays (global, shared and local) run compiled with numpy's rules: a store converts
as `x != 0`, bool with bool adds as `or` and multiplies as `and`, a bool meeting a Python int
is int64 and a Python float float64, `~` is `not`."""

import numba
import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow


def mixing(b, c, u, f, out):
    i = cuda.grid(1)
    if i < b.size:
        out[0, i] = b[i] + 1  # int64, as numpy promotes a bool with a Python int
        out[1, i] = b[i] + c[i]  # or
        out[2, i] = b[i] * c[i]  # and
        out[3, i] = b[i] + u[i]  # uint8, wrapping
        out[4, i] = (b[i] * 3.5 + f[i]) > 0.25
        out[5, i] = ~b[i]
        out[6, i] = (b[i] ^ c[i]) | (u[i] > 100)
        out[7, i] = b[i] << 3
        out[8, i] = b[i] % (c[i] | True)
        out[9, i] = b[i] == 1
        out[10, i] = 7 if b[i] and not c[i] else 2


def stores(b, u, f, flags, counts):
    """Stores into bool arrays convert as numpy does (x != 0, NaN is True)."""
    i = cuda.grid(1)
    if i < b.size:
        flags[0, i] = u[i]
        flags[1, i] = f[i]
        flags[2, i] = u[i] - 100
        flags[3, i] = b[i] + 1
        flags[4, i] = numba.boolean(f[i] * 0.0)
        flags[5, i] = b[i]
        flags[5, i] |= u[i] > 200
        flags[6, i] = b[i]
        flags[6, i] += 1
        if b[i]:
            counts[i] = counts[i] + b[i] + b[i]


def staged(b, out):
    """A shared bool tile and a local bool array."""
    tile = cuda.shared.array(64, numba.boolean)
    mine = cuda.local.array(3, numba.boolean)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    tile[t] = b[i]
    cuda.syncthreads()
    mine[0] = tile[63 - t]
    mine[1] = tile[t] & mine[0]
    mine[2] = not mine[1]
    total = 0
    for k in range(3):
        if mine[k]:
            total += 1
    out[i] = total + mine[0]


def _args(rng):
    n = 100
    b = rng.integers(0, 2, n).astype(np.bool_)
    c = rng.integers(0, 2, n).astype(np.bool_)
    u = rng.integers(0, 256, n, dtype=np.uint8)
    f = rng.standard_normal(n).astype(np.float32)
    f[:4] = [np.nan, 0.0, -0.0, np.inf]
    return b, c, u, f


def _run(function, grid, block, make, checks):
    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(function), grid, block, make, checks, KernelError)
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("out_dtype", [np.int64, np.float32, np.bool_, np.uint8])
def test_bool_arithmetic_promotes_as_numpy(checks, out_dtype):
    def make(rng):
        return [*_args(rng), np.zeros((11, 100), out_dtype)]

    _run(mixing, 4, 32, make, checks)


@pytest.mark.parametrize("checks", [True, False])
def test_stores_into_bool_arrays_convert_as_numpy(checks):
    def make(rng):
        b, _, u, f = _args(rng)
        return [b, u, f, np.zeros((7, 100), np.bool_), np.arange(100, dtype=np.int16)]

    _run(stores, 4, 32, make, checks)


@pytest.mark.parametrize("checks", [True, False])
def test_shared_and_local_bool_arrays(checks):
    def make(rng):
        return [rng.integers(0, 2, 128).astype(np.bool_), np.zeros(128, np.int32)]

    _run(staged, 2, 64, make, checks)


def python_bools(b, flag, out):
    i = cuda.grid(1)
    if i < b.size:
        out[i] = flag + 1  # a Python bool: True + 1 is a Python int on the vector engine


def test_python_bools_in_arithmetic_stay_on_the_vector_engine():
    b = np.ones(32, np.bool_)
    kernel = cuda.jit(python_bools)
    _, counts, _ = compare_tiers(
        kernel, 1, 32, lambda rng: [b, True, np.zeros(32, np.int8)], True, KernelError
    )
    assert counts.get("compiled", 0) == 0
    assert "Python's own" in launcher.reasons["python_bools"]
