"""A kernel reads a module-level device array by reference, as numba captures its pointer.

numba-cuda's documentation (its `test_globals` example) updates such an array with
`copy_to_device` between two launches and expects the second launch to see the new values.
"""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import CudalikeError

WEIGHTS = cuda.to_device(np.array([1.0, 2.0, 3.0], dtype=np.float32))


@cuda.jit
def weigh(values, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = values[i] * WEIGHTS[i]


@cuda.jit
def read_past_the_end(out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = WEIGHTS[i + 1]


def test_a_global_device_array_is_read_live() -> None:
    out = np.zeros(3, dtype=np.float32)
    weigh[1, 32](np.ones(3, dtype=np.float32), out)
    assert out.tolist() == [1.0, 2.0, 3.0]
    WEIGHTS.copy_to_device(np.array([10.0, 20.0, 30.0], dtype=np.float32))
    weigh[1, 32](np.ones(3, dtype=np.float32), out)
    assert out.tolist() == [10.0, 20.0, 30.0]


def test_reads_past_a_global_device_array_are_reported() -> None:
    with pytest.raises(CudalikeError, match="test_global_device_arrays.py"):
        read_past_the_end[1, 32](np.zeros(3, dtype=np.float32))
