"""Each CANN-track exercise of Course 3 computes the operation its starter describes.

The reference kernel runs at every size of the exercise, public and hidden (the awkward tails
included), and is compared with a numpy statement of the task in float64, within the
exercise's own tolerance.
"""

import importlib.util

import numpy as np
import pytest

from autograder.inputs import make_inputs
from autograder.launch import launch_kernels
from autograder.spec import load_exercise


def _f64(array: np.ndarray) -> np.ndarray:
    return np.asarray(array, dtype=np.float64)


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    """GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))."""
    x = _f64(x)
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


# The intended operation in numpy: arguments -> {output name: expected}.
ORACLES = {
    "cann_add": lambda a: {"z": _f64(a["x"]) + _f64(a["y"])},
    "cann_sub_unaligned": lambda a: {"z": _f64(a["x"]) - _f64(a["y"])},
    "cann_axpy_tiled": lambda a: {"out": _f64(a["alpha"]) * _f64(a["x"]) + _f64(a["y"])},
    "cann_scaled_add": lambda a: {"z": _f64(a["alpha"]) * _f64(a["x"]) + _f64(a["y"])},
    "cann_leaky_relu": lambda a: {
        "y": np.where(a["x"] >= 0, _f64(a["x"]), _f64(a["negative_slope"]) * _f64(a["x"]))
    },
    "cann_cast": lambda a: {
        "y": a["x"].astype(np.float16),  # numpy rounds to nearest, ties to even
        "z": a["x"].astype(np.float16).astype(np.float32),
    },
    "cann_gelu": lambda a: {"y": _gelu_tanh(a["x"])},
    "cann_transpose": lambda a: {"y": a["x"].T},
}


def _reference(spec):
    path = spec.path / "reference.py"
    module_spec = importlib.util.spec_from_file_location(f"oracle_{spec.id}_reference", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


CASES = [
    (exercise_id, size)
    for exercise_id in sorted(ORACLES)
    for size in (lambda s: s.public_sizes + s.hidden_sizes)(load_exercise(exercise_id))
]


@pytest.mark.parametrize(("exercise_id", "size"), CASES, ids=[f"{e}-{dict(s)}" for e, s in CASES])
def test_reference_computes_the_task_in_numpy(exercise_id, size):
    spec = load_exercise(exercise_id)
    reference = _reference(spec)
    arguments = make_inputs(spec, size, seed=11)
    kernels = {kernel.name: getattr(reference, kernel.name) for kernel in spec.kernels}
    launch_kernels(spec, kernels, reference, arguments, size)
    for name, expected in ORACLES[exercise_id](arguments).items():
        tolerance = spec.tolerance[str(arguments[name].dtype)]
        np.testing.assert_allclose(
            _f64(arguments[name]),
            _f64(expected),
            rtol=tolerance.rtol,
            atol=tolerance.atol,
            err_msg=name,
        )


@pytest.mark.parametrize("exercise_id", sorted(ORACLES))
def test_each_oracle_names_a_cann_exercise_of_the_course(exercise_id):
    spec = load_exercise(exercise_id)
    assert (spec.track, spec.course) == ("cann", "cuda-to-ascend-c")
