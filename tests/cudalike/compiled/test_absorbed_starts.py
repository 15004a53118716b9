"""A read of a variable that may still hold its Python number, inside an operand where it
meets a numpy-typed value (`running_sum * math.exp(running_max - new_max)`): the operand is
numpy-typed on the vector engine whatever the read holds, so compiled code may take it as
such; where nothing numpy-typed absorbs the read, the kernel stays on the vector engine."""

import math

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.survey_ml import online_softmax_rows
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow


def running_log_sum_exp(x, out):
    row = cuda.grid(1)
    if row < x.shape[0]:
        top = -math.inf
        total = 0.0
        for j in range(x.shape[1]):
            v = x[row, j]
            if v > top:
                total = total * math.exp(top - v) + 1.0
                top = v
            else:
                total += math.exp(v - top)
        out[row] = top + math.log(total) if total > 0 else -math.inf


def unabsorbed(x, out):
    row = cuda.grid(1)
    if row < x.shape[0]:
        scale = 0.5
        shift = 0.5
        for j in range(x.shape[1]):
            scale = scale * (shift + 1.0) + x[row, j]
            shift = x[row, j]
        out[row] = scale


def _rows(rng):
    x = (rng.standard_normal((40, 9)) * 4).astype(np.float32)
    x[3] = -np.inf
    return [x, np.zeros((40, 9), np.float32)]


def _sums(rng):
    return [(rng.standard_normal((40, 9)) * 4).astype(np.float32), np.zeros(40, np.float32)]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    "function, make",
    [(online_softmax_rows, _rows), (running_log_sum_exp, _sums)],
    ids=["softmax", "lse"],
)
def test_a_python_number_absorbed_by_a_numpy_value_runs_compiled(function, make, checks):
    error, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == "compiled", launcher.reasons.get(function.__name__)


def test_a_python_number_meeting_only_python_numbers_stays_on_the_vector_engine():
    error, counts, _ = compare_tiers(cuda.jit(unabsorbed), 2, 32, _sums, True, KernelError)
    assert error is None
    assert how_it_ran(counts) == "vector"
    assert "may still be the Python numbers" in launcher.reasons["unabsorbed"]
