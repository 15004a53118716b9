"""The real-GPU path: the same kernel source handed to numba.cuda (its simulator in CI)."""

import os
import pathlib
import subprocess
import sys

import pytest

SCRIPT = pathlib.Path(__file__).parent / "files" / "backend_switch.py"
ROOT = pathlib.Path(__file__).resolve().parents[3]


def run_script(*args: str, **environment: str) -> str:
    env = {name: value for name, value in os.environ.items() if name != "CUDALIKE_BACKEND"}
    env.update(PYTHONPATH=str(ROOT), **environment)
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def simulator_available():
    probe = subprocess.run(
        [sys.executable, "-c", "from numba import cuda; assert cuda.is_available()"],
        env={**os.environ, "NUMBA_ENABLE_CUDASIM": "1"},
        capture_output=True,
        timeout=120,
    )
    if probe.returncode != 0:
        pytest.skip("numba's CUDA simulator is not importable (install numba-cuda)")


def test_default_backend_is_the_cpu_engine():
    assert "backend: cudalike ran on: cudalike" in run_script()


def test_environment_variable_hands_kernels_to_numba_cuda(simulator_available):
    output = run_script(NUMBA_ENABLE_CUDASIM="1", CUDALIKE_BACKEND="numba-cuda")
    assert "backend: numba-cuda ran on: numba.cuda" in output


def test_use_switches_to_numba_cuda(simulator_available):
    output = run_script("use", NUMBA_ENABLE_CUDASIM="1")
    assert "backend: numba-cuda ran on: numba.cuda" in output


def test_unknown_backend_is_refused():
    import cudalike

    with pytest.raises(ValueError, match="unknown backend 'opencl'"):
        cudalike.use("opencl")
