"""Each Course 1 exercise of lessons 01-05 computes the operation its starter describes.

The reference kernel runs at the exercise's last public size (the one speed is measured at) and
is compared with a numpy statement of the task, within the exercise's own tolerance.
"""

import importlib.util

import numpy as np
import pytest

from autograder.inputs import make_inputs
from autograder.launch import launch_kernels
from autograder.spec import load_exercise


def _window_sum(x: np.ndarray, before: int, after: int) -> np.ndarray:
    """sum(x[i - before .. i + after]) for every i, elements outside x counted as 0."""
    padded = np.concatenate([np.zeros(before, x.dtype), x, np.zeros(after, x.dtype)])
    return sum(padded[k : k + x.size].astype(np.float64) for k in range(before + after + 1))


# The intended operation in numpy: arguments -> {output name: expected}.
ORACLES = {
    "map": lambda args: {"out": args["x"] + np.float32(10)},
    "blocks": lambda args: {"out": 2 * args["x"] + np.float32(1)},
    "blocks_2d": lambda args: {
        "out": args["x"] * (np.arange(args["x"].shape[0])[:, None] + 1).astype(np.float32)
    },
    "guard": lambda args: {"out": args["x"] * args["x"]},
    "saxpy_grid_stride": lambda args: {"out": args["a"] * args["x"] + args["y"]},
    "axis_sum": lambda args: {"out": args["x"].astype(np.float64).sum(axis=0)},
    "broadcast": lambda args: {"out": args["a"][:, None] + args["b"][None, :]},
    "pooling": lambda args: {"out": _window_sum(args["x"], before=2, after=0)},
    "stencil_shared": lambda args: {"out": _window_sum(args["x"], before=3, after=3)},
    "transpose": lambda args: {"out": args["x"].T},
    "vector_add": lambda args: {"out": args["a"] + args["b"]},
    "map_2d": lambda args: {"out": args["alpha"] * args["x"] + args["beta"]},
}


def _reference(spec):
    path = spec.path / "reference.py"
    module_spec = importlib.util.spec_from_file_location(f"oracle_{spec.id}_reference", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("exercise_id", sorted(ORACLES))
def test_reference_computes_the_task_in_numpy(exercise_id):
    spec = load_exercise(exercise_id)
    reference = _reference(spec)
    size = spec.public_sizes[-1]
    arguments = make_inputs(spec, size, seed=11)
    kernels = {kernel.name: getattr(reference, kernel.name) for kernel in spec.kernels}
    launch_kernels(spec, kernels, reference, arguments, size)
    for name, expected in ORACLES[exercise_id](arguments).items():
        tolerance = spec.tolerance[str(arguments[name].dtype)]
        np.testing.assert_allclose(
            arguments[name], expected, rtol=tolerance.rtol, atol=tolerance.atol, err_msg=name
        )
