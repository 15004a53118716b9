"""The references of the harder course exercises compute what their exercise says, in numpy terms.

Each oracle states the exercise's operation in numpy on the grader's own arguments; the
reference, launched as the grader launches it at the last public size, must match it within
the exercise's tolerance (integers exactly).
"""

import importlib.util

import numpy as np
import pytest

from autograder.inputs import make_inputs
from autograder.launch import launch_kernels
from autograder.spec import load_exercise

BLOCK = 256


def _block_sums(x: np.ndarray) -> np.ndarray:
    return np.add.reduceat(x.astype(np.float64), np.arange(0, x.size, BLOCK))


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(x.astype(np.float64) - x.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _inclusive_scan(x: np.ndarray) -> dict:
    totals = np.add.reduceat(x.astype(np.int64), np.arange(0, x.size, BLOCK))
    return {"out": np.cumsum(x, dtype=np.int64), "block_sums": np.cumsum(totals)}


# The intended operation, per exercise: arguments -> {output name: expected}.
ORACLES = {
    "histogram": lambda a: {"out": np.bincount(a["x"], minlength=256)},
    "dot_product": lambda a: {"out": np.array([np.dot(a["a"].astype(np.float64), a["b"])])},
    "block_reduce": lambda a: {"out": _block_sums(a["x"])},
    "full_reduce": lambda a: {
        "partials": _block_sums(a["x"]),
        "out": np.array([a["x"].astype(np.float64).sum()]),
    },
    "warp_reduce": lambda a: {
        "out": np.add.reduceat(a["x"].astype(np.float64), np.arange(0, a["x"].size, 32))
    },
    "prefix_sum": lambda a: _inclusive_scan(a["x"]),
    "tiled_matmul": lambda a: {"c": a["a"].astype(np.float64) @ a["b"]},
    "softmax_rows": lambda a: {"out": _softmax(a["x"])},
}


def _reference(spec):
    path = spec.path / "reference.py"
    module_spec = importlib.util.spec_from_file_location(f"oracle_{spec.id}_reference", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("exercise_id", sorted(ORACLES))
def test_reference_computes_the_stated_operation(exercise_id):
    spec = load_exercise(exercise_id)
    reference = _reference(spec)
    size = spec.public_sizes[-1]
    arguments = make_inputs(spec, size, seed=11)
    kernels = {kernel.name: getattr(reference, kernel.name) for kernel in spec.kernels}
    launch_kernels(spec, kernels, reference, arguments, size)
    for name, expected in ORACLES[exercise_id](arguments).items():
        actual = arguments[name]
        assert actual.shape == expected.shape, f"{name}: shape {actual.shape} != {expected.shape}"
        if actual.dtype.kind in "iu":
            np.testing.assert_array_equal(actual, expected, err_msg=name)
        else:
            tolerance = spec.tolerance[str(actual.dtype)]
            np.testing.assert_allclose(
                actual, expected, rtol=tolerance.rtol, atol=tolerance.atol, err_msg=name
            )
