"""8- and 16-bit integer arrays (images, counters) run compiled with numpy's wrapping and
promotion, and a float converted to an integer type is converted only where it fits."""

import numpy as np
import pytest
from numba import int16, uint8

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow


def grayscale(rgb, gray):
    r, c = cuda.grid(2)
    if r < gray.shape[0] and c < gray.shape[1]:
        gray[r, c] = uint8(0.299 * rgb[r, c, 0] + 0.587 * rgb[r, c, 1] + 0.114 * rgb[r, c, 2])


def wrapping(a, b, small, out):
    i = cuda.grid(1)
    if i < a.size:
        out[0, i] = a[i] + b[i]  # uint8 + uint8 wraps
        out[1, i] = 255 - a[i]
        out[2, i] = a[i] << 3
        out[3, i] = -small[i]  # int8: -(-128) is -128
        out[4, i] = small[i] * small[i]
        out[5, i] = a[i] * 1000  # uint8 meets a Python int that does not fit: see below
        out[6, i] = a[i] // (b[i] | 1) + a[i] % (b[i] | 1)


def staged(a, out):
    """A shared uint8 tile and a local int16 array."""
    tile = cuda.shared.array(64, uint8)
    acc = cuda.local.array(2, int16)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    tile[t] = a[i]
    cuda.syncthreads()
    acc[0] = tile[63 - t]
    acc[1] = acc[0] * 300
    out[i] = acc[1] + tile[t]


def to_bytes(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i]  # floats stored into uint8


def _run(function, grid, block, make, checks=True):
    """(launches run compiled, the error both tiers raised or None), once both tiers left the
    same bytes in every array and raised the same error."""
    with np.errstate(all="ignore"):
        error, counts, _ = compare_tiers(
            cuda.jit(function), grid, block, lambda rng: make(), checks, KernelError
        )
    return counts.get("compiled", 0), error


@pytest.mark.parametrize("checks", [True, False])
def test_image_and_wrapping_kernels_give_the_vector_engines_bytes(checks):
    rng = np.random.default_rng(5)
    rgb = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    ran, _ = _run(grayscale, (3, 4), (16, 16), lambda: [rgb, np.zeros((40, 50), np.uint8)], checks)
    assert ran == 1, launcher.reasons.get("grayscale")
    a = rng.integers(0, 256, 100, dtype=np.uint8)
    b = rng.integers(0, 256, 100, dtype=np.uint8)
    small = rng.integers(-128, 128, 100, dtype=np.int8)
    small[0] = -128
    make = lambda: [a, b, small, np.zeros((7, 100), np.int64)]  # noqa: E731
    ran, error = _run(wrapping, 4, 32, make, checks)
    assert ran == 0 and "OverflowError" in str(error)  # numpy refuses uint8 * 1000: both do
    tiles = rng.integers(0, 256, 128, dtype=np.uint8)
    ran, _ = _run(staged, 2, 64, lambda: [tiles, np.zeros(128, np.int32)], checks)
    assert ran == 1, launcher.reasons.get("staged")


def wrapping_in_range(a, b, small, out):
    i = cuda.grid(1)
    if i < a.size:
        out[0, i] = a[i] + b[i]
        out[1, i] = 255 - a[i]
        out[2, i] = a[i] << 3
        out[3, i] = -small[i]
        out[4, i] = small[i] * small[i]
        out[5, i] = a[i] * 100
        out[6, i] = a[i] // (b[i] | 1) + a[i] % (b[i] | 1)


def test_narrow_arithmetic_wraps_as_numpy_wraps():
    rng = np.random.default_rng(6)
    a = rng.integers(0, 256, 100, dtype=np.uint8)
    b = rng.integers(0, 256, 100, dtype=np.uint8)
    small = np.arange(-128, -28, dtype=np.int8)
    make = lambda: [a, b, small, np.zeros((7, 100), np.int64)]  # noqa: E731
    ran, _ = _run(wrapping_in_range, 4, 32, make)
    assert ran == 1, launcher.reasons.get("wrapping_in_range")


@pytest.mark.parametrize("values", [[1.5, 254.9, 0.0, 17.2], [1.5, -1.5, 300.7, np.nan]])
def test_a_float_is_converted_to_a_narrow_integer_only_where_it_fits(values):
    """In range: compiled, truncated as numpy truncates. Out of range: what numpy gives depends
    on the machine, so the launch is handed back and the vector engine answers."""
    x = np.array(values * 8, np.float32)
    ran, _ = _run(to_bytes, 1, 32, lambda: [x, np.zeros(32, np.uint8)])
    assert ran == (1 if np.isfinite(x).all() and (x >= 0).all() and (x < 256).all() else 0)
