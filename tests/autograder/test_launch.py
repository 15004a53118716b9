"""autograder/launch.py: kernels are launched as the spec says; a missing kernel is named."""

import types

import numpy as np
import pytest

from autograder.inputs import make_inputs
from autograder.launch import launch_kernels
from autograder.spec import load_exercise


def test_missing_kernel_is_named():
    spec = load_exercise("vector_add")
    arguments = make_inputs(spec, {"n": 4}, 0)
    with pytest.raises(KeyError, match="vector_add: no kernel named vector_add"):
        launch_kernels(spec, {}, types.ModuleType("reference"), arguments, {"n": 4})


def test_host_function_launches(tmp_path):
    text = (load_exercise("vector_add").path / "exercise.toml").read_text()
    text = text.replace('grid = ["ceil_div(n, 256)"]\nblock = [256]', 'host = "run"')
    path = tmp_path / "vector_add" / "exercise.toml"
    path.parent.mkdir()
    path.write_text(text)
    spec = load_exercise(path)
    calls = []
    reference = types.SimpleNamespace(run=lambda kernels, args: calls.append((kernels, args)))
    arguments = make_inputs(spec, {"n": 4}, 0)
    launch_kernels(spec, {"vector_add": "kernel"}, reference, arguments, {"n": 4})
    assert calls == [({"vector_add": "kernel"}, arguments)]


def test_grid_and_block_come_from_the_size():
    spec = load_exercise("map_2d")
    seen = []

    class Recorder:
        def __getitem__(self, config):
            return lambda *args: seen.append((config, len(args)))

    arguments = make_inputs(spec, {"rows": 33, "cols": 17}, 0)
    launch_kernels(spec, {"map_2d": Recorder()}, None, arguments, {"rows": 33, "cols": 17})
    assert seen == [(((2, 3), (16, 16)), 4)]
    assert np.isnan(arguments["out"]).all()
