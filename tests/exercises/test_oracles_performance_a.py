"""The references of the first course-2 exercises compute what their exercise says, in numpy terms.

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

THREADS = 256


def _grid_stride_block_sums(x: np.ndarray, blocks: int) -> np.ndarray:
    """Block b's sum over the elements i with i // THREADS % blocks == b (its grid-stride loop)."""
    owner = np.arange(x.size) // THREADS % blocks
    return np.bincount(owner, weights=x.astype(np.float64), minlength=blocks)


def _block_sums(x: np.ndarray) -> np.ndarray:
    return np.add.reduceat(x.astype(np.float64), np.arange(0, x.size, THREADS))


def _parity_map(x: np.ndarray) -> np.ndarray:
    """256 steps of v * 0.999 + 0.5 at even indices, v * 1.001 - 0.5 at odd ones, in float32."""
    even = np.arange(x.size) % 2 == 0
    scale = np.where(even, np.float32(0.999), np.float32(1.001))
    shift = np.where(even, np.float32(0.5), np.float32(-0.5))
    v = x.copy()
    for _ in range(256):
        v = v * scale + shift
    return v


# The intended operation, per exercise: arguments -> {output name: expected}.
ORACLES = {
    "reduce_dram_roof": lambda a: {
        "partials": _grid_stride_block_sums(a["x"], 528),
        "out": np.array([a["x"].sum(dtype=np.float64)]),
    },
    "reduce_warp_shuffle": lambda a: {"partials": _block_sums(a["x"])},
    "transpose_fast": lambda a: {"out": a["x"].T.copy()},
    "bank_conflict_free": lambda a: {"out": a["x"].sum(axis=1, dtype=np.float64)},
    "coalesced_copy_strided": lambda a: {"out": a["x"].T.copy()},
    "divergence_removal": lambda a: {"out": _parity_map(a["x"])},
    "grid_stride_saxpy_tuned": lambda a: {"out": a["a"] * a["x"].astype(np.float64) + a["y"]},
    "occupancy_tuning": lambda a: {
        "out": np.convolve(a["x"].astype(np.float64), np.ones(3), "same")
    },
}


def _reference(spec):
    location = spec.path / "reference.py"
    module_spec = importlib.util.spec_from_file_location(f"reference_{spec.id}", location)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("exercise_id", sorted(ORACLES))
def test_reference_matches_numpy(exercise_id: str) -> None:
    spec = load_exercise(exercise_id)
    size = spec.public_sizes[-1]
    arguments = make_inputs(spec, size, seed=7)
    expected = ORACLES[exercise_id](arguments)
    reference = _reference(spec)
    kernels = {kernel.name: getattr(reference, kernel.name) for kernel in spec.kernels}
    launch_kernels(spec, kernels, reference, arguments, size)
    for name, want in expected.items():
        got = arguments[name]
        assert got.shape == want.shape, name
        if np.issubdtype(got.dtype, np.integer):
            np.testing.assert_array_equal(got, want, err_msg=name)
        else:
            tolerance = spec.tolerance[str(got.dtype)]
            np.testing.assert_allclose(
                got, want, rtol=tolerance.rtol, atol=tolerance.atol, err_msg=name
            )
