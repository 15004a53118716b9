"""The references of the course 3 row-wise and cube exercises compute what their exercise says.

Each oracle states the exercise's operation in numpy (in float64) on the grader's own
arguments; the reference, launched as the grader launches it, must match it within the
exercise's tolerance at every public and hidden size.
"""

import importlib.util

import numpy as np
import pytest

from autograder.inputs import make_inputs
from autograder.launch import launch_kernels
from autograder.spec import load_exercise


def _wide(array: np.ndarray) -> np.ndarray:
    return array.astype(np.float64)


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(_wide(x) - _wide(x).max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _rmsnorm(x: np.ndarray, gamma: np.ndarray, eps) -> np.ndarray:
    rstd = 1 / np.sqrt((_wide(x) ** 2).mean(axis=1, keepdims=True) + float(eps))
    return _wide(x) * rstd * _wide(gamma)


def _layernorm(x, gamma, beta, eps) -> np.ndarray:
    centred = _wide(x) - _wide(x).mean(axis=1, keepdims=True)
    rstd = 1 / np.sqrt((centred**2).mean(axis=1, keepdims=True) + float(eps))
    return centred * rstd * _wide(gamma) + _wide(beta)


def _add_rmsnorm(a: dict) -> dict:
    x = (_wide(a["x1"]) + _wide(a["x2"])).astype(np.float16)  # one rounding of the exact sum
    return {"x": _wide(x), "y": _rmsnorm(x, a["gamma"], a["eps"])}


# The intended operation, per exercise: arguments -> {output name: expected}.
ORACLES = {
    "cann_reduce_sum": lambda a: {"y": _wide(a["x"]).sum(axis=1)},
    "cann_softmax_rows": lambda a: {"y": _softmax(a["x"])},
    "cann_rmsnorm": lambda a: {"y": _rmsnorm(a["x"], a["gamma"], a["eps"])},
    "cann_add_rmsnorm": _add_rmsnorm,
    "cann_matmul_cube": lambda a: {"c": _wide(a["a"]) @ _wide(a["b"])},
    "cann_layernorm": lambda a: {"y": _layernorm(a["x"], a["gamma"], a["beta"], a["eps"])},
}


def _reference(spec):
    path = spec.path / "reference.py"
    module_spec = importlib.util.spec_from_file_location(f"oracle_{spec.id}_reference", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def _cases():
    for exercise_id in sorted(ORACLES):
        spec = load_exercise(exercise_id)
        for index, size in enumerate(spec.public_sizes + spec.hidden_sizes):
            yield pytest.param(exercise_id, size, id=f"{exercise_id}-{index}")


@pytest.mark.parametrize(("exercise_id", "size"), list(_cases()))
def test_reference_computes_the_stated_operation(exercise_id, size):
    spec = load_exercise(exercise_id)
    reference = _reference(spec)
    arguments = make_inputs(spec, size, seed=11)
    kernels = {kernel.name: getattr(reference, kernel.name) for kernel in spec.kernels}
    launch_kernels(spec, kernels, reference, arguments, size)
    for name, expected in ORACLES[exercise_id](arguments).items():
        actual = arguments[name]
        assert actual.shape == expected.shape, f"{name}: shape {actual.shape} != {expected.shape}"
        tolerance = spec.tolerance[str(actual.dtype)]
        np.testing.assert_allclose(
            actual, expected, rtol=tolerance.rtol, atol=tolerance.atol, err_msg=name
        )
