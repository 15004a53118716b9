"""Every exercise found end to end: reference and instructor solution agree; starters run.

The exercises are discovered (`list_exercises`), so an exercise an instructor adds is tested
too; `ORACLES` adds a numpy statement of the intended operation for the shipped ones.
"""

import importlib.util
import json
import runpy

import numpy as np
import pytest

from autograder.compare import compare_outputs
from autograder.inputs import make_inputs
from autograder.launch import launch_kernels
from autograder.spec import list_exercises, load_exercise

EXERCISES = list_exercises()

# The intended operation in numpy, per shipped exercise: args -> {output name: expected}.
ORACLES = {
    "map_2d": lambda args: {"out": args["alpha"] * args["x"] + args["beta"]},
    "vector_add": lambda args: {"out": args["a"] + args["b"]},
    "cann_add": lambda args: {"z": args["x"] + args["y"]},
}


def _module(path):
    spec = importlib.util.spec_from_file_location(f"exercise_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outputs(spec, kernels, reference, size, seed):
    arguments = make_inputs(spec, size, seed)
    launch_kernels(spec, kernels, reference, arguments, size)
    return {name: arguments[name] for name in spec.outputs}


def _kernels(spec, namespace):
    return {kernel.name: namespace[kernel.name] for kernel in spec.kernels}


def test_the_shipped_exercises_are_found():
    assert set(ORACLES) <= set(EXERCISES)


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_solution_agrees_with_reference_at_every_size(exercise_id):
    spec = load_exercise(exercise_id)
    reference = _module(spec.path / "reference.py")
    solution = _module(spec.path / "solution.py")
    for size in spec.public_sizes + spec.hidden_sizes:
        expected = _outputs(spec, _kernels(spec, vars(reference)), reference, size, seed=3)
        actual = _outputs(spec, _kernels(spec, vars(solution)), reference, size, seed=3)
        for name, verdict in compare_outputs(expected, actual, spec.tolerance).items():
            assert verdict.passed, f"{exercise_id} {dict(size)} {name}: {verdict.reason}"
        for name, array in expected.items():  # the reference wrote every element
            assert not np.isnan(array).any(), f"{exercise_id} {dict(size)}: {name} has NaN"


@pytest.mark.parametrize("exercise_id", sorted(ORACLES))
def test_reference_output_is_the_intended_operation(exercise_id):
    spec = load_exercise(exercise_id)
    reference = _module(spec.path / "reference.py")
    size = spec.public_sizes[-1]
    arguments = make_inputs(spec, size, seed=5)
    launch_kernels(spec, _kernels(spec, vars(reference)), reference, arguments, size)
    for name, expected in ORACLES[exercise_id](arguments).items():
        np.testing.assert_allclose(arguments[name], expected, rtol=1e-6)


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_starter_notebook_runs_and_its_kernel_fails_without_crashing(
    exercise_id, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # viz.show outside a notebook writes its page into the cwd
    spec = load_exercise(exercise_id)
    notebook = json.loads((spec.path / "starter.ipynb").read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)
    assert any("# TODO" in "".join(cell["source"]) for cell in code)
    script = tmp_path / f"{exercise_id}_starter.py"
    kernel_cells = [cell for cell in code if "check(" not in "".join(cell["source"])]
    script.write_text("\n\n".join("".join(cell["source"]) for cell in kernel_cells) + "\n")

    namespace = runpy.run_path(str(script))  # the notebook runs top to bottom without error
    assert "correct: False" in capsys.readouterr().out

    reference = _module(spec.path / "reference.py")
    size = spec.public_sizes[0]
    expected = _outputs(spec, _kernels(spec, vars(reference)), reference, size, seed=1)
    actual = _outputs(spec, _kernels(spec, namespace), reference, size, seed=1)
    verdicts = compare_outputs(expected, actual, spec.tolerance)
    assert not any(verdict.passed for verdict in verdicts.values())
