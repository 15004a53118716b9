"""`.real` and `.imag` of a complex array in a kernel are its parts in place (numba's atomics)."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError


@pytest.mark.parametrize(("part", "step"), [("real", 1), ("imag", 1j)])
def test_atomic_add_on_a_part_of_complex_elements(part, step) -> None:
    @cuda.jit
    def kernel(values):
        i = cuda.grid(1)
        if part == "real":
            cuda.atomic.add(values.real, i, 1)
        else:
            cuda.atomic.add(values.imag, i, 1)

    values = np.arange(32) + np.arange(32) * 1j
    expected = values + step
    kernel[1, 32](values)
    np.testing.assert_array_equal(values, expected)


def test_stores_and_loads_through_the_parts() -> None:
    @cuda.jit
    def kernel(values, out):
        i = cuda.grid(1)
        if i < values.size:
            parts = values.imag
            parts[i] = values.real[i] * 2
            out[i] = parts[i]

    values = np.array([1 + 0j, 2 + 5j, 3 - 1j])
    out = np.zeros(3)
    kernel[1, 4](values, out)
    np.testing.assert_array_equal(values, [1 + 2j, 2 + 4j, 3 + 6j])
    np.testing.assert_array_equal(out, [2.0, 4.0, 6.0])


def test_imag_of_a_real_array_cannot_be_written() -> None:
    @cuda.jit
    def kernel(values):
        cuda.atomic.add(values.imag, 0, 1)

    with pytest.raises(KernelRuntimeError, match="not complex"):
        kernel[1, 1](np.zeros(2))
