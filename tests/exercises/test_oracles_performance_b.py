"""The references of the second course's later exercises compute what their exercise says, in numpy.

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


def _matmul(a: dict) -> dict:
    return {"c": a["a"].astype(np.float64) @ a["b"]}


def _stencil(a: dict) -> dict:
    padded = np.pad(a["x"].astype(np.float64), 1)
    around = padded[:-2, 1:-1] + padded[2:, 1:-1] + padded[1:-1, :-2] + padded[1:-1, 2:]
    return {"out": 0.5 * a["x"] + 0.125 * around}


def _chunked_scan(a: dict, chunk: int = 2048) -> dict:
    x = a["x"].astype(np.int64)
    totals = np.add.reduceat(x, np.arange(0, x.size, chunk))
    return {"out": np.cumsum(x), "block_sums": np.cumsum(totals)}


def _softmax(a: dict) -> dict:
    shifted = np.exp(a["x"].astype(np.float64) - a["x"].max(axis=1, keepdims=True))
    return {"out": shifted / shifted.sum(axis=1, keepdims=True)}


def _layernorm(a: dict) -> dict:
    x = a["x"].astype(np.float64)
    normalised = (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + 1e-5)
    return {"out": normalised * a["gamma"] + a["beta"]}


# The intended operation, per exercise: arguments -> {output name: expected}.
ORACLES = {
    "histogram_privatised": lambda a: {"out": np.bincount(a["x"], minlength=256)},
    "matmul_shared_tiled": _matmul,
    "matmul_register_blocked": _matmul,
    "stencil_2d_tiled": _stencil,
    "scan_bandwidth": _chunked_scan,
    "softmax_fused": _softmax,
    "layernorm_rows": _layernorm,
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
