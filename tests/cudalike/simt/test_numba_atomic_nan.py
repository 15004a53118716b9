"""atomic.max/min with NaN as numba has them: a NaN operand is ignored, a NaN element stays."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda


@pytest.mark.parametrize("op", ["max", "min"])
def test_a_nan_operand_leaves_the_element(op) -> None:
    @cuda.jit
    def kernel(res, vals):
        if op == "max":
            cuda.atomic.max(res, 0, vals[cuda.threadIdx.x])
        else:
            cuda.atomic.min(res, 0, vals[cuda.threadIdx.x])

    vals = np.arange(32, dtype=np.float64) + 5
    vals[1::2] = np.nan
    res = np.array([20.0])
    kernel[1, 32](res, vals)
    expected = np.nanmax(vals) if op == "max" else 5.0
    assert res[0] == expected


def test_a_nan_element_stays_nan() -> None:
    @cuda.jit
    def kernel(res, vals):
        cuda.atomic.max(res, 0, vals[cuda.threadIdx.x])

    res = np.array([np.nan])
    kernel[1, 32](res, np.arange(32.0))
    assert np.isnan(res[0])


def test_many_threads_on_one_element_without_nan() -> None:
    @cuda.jit
    def kernel(res, vals):
        i = cuda.grid(1)
        if i < vals.size:
            cuda.atomic.max(res, 0, vals[i])

    vals = np.random.default_rng(0).random(4096)
    res = np.zeros(1)
    kernel[16, 256](res, vals)
    assert res[0] == vals.max()
