"""The references of the course 3 porting exercises compute what the CUDA kernels they port do.

Each oracle states the CUDA kernel's operation in numpy on the grader's own arguments (SAXPY in
float64, the row maximum exactly); the reference, launched as the grader launches it, must
match it within the exercise's tolerance at every public and hidden size.
"""

import importlib.util

import numpy as np
import pytest

from autograder.inputs import make_inputs
from autograder.launch import launch_kernels
from autograder.spec import load_exercise

# The intended operation, per exercise: arguments -> {output name: expected}.
ORACLES = {
    "cann_port_saxpy": lambda a: {
        "out": float(a["a"]) * a["x"].astype(np.float64) + a["y"].astype(np.float64)
    },
    "cann_port_row_max": lambda a: {"y": a["x"].max(axis=1)},
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
