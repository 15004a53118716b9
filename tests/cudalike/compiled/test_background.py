"""A heavy launch in "auto" whose machine code is not ready runs on the vector engine and has
it compiled in another process, so a later launch of the kernel runs compiled."""

import subprocess

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.simt.compiled import background, launcher
from tests.cudalike.simt.files.matmul_kernels import matmul_naive as matmul


def _launch(kernel, n: int = 512) -> tuple[np.ndarray, dict]:
    """C = A @ B by the kernel (512 x 512: about 10**8 thread-iterations, a heavy launch)."""
    rng = np.random.default_rng(0)
    A = rng.random((n, n), dtype=np.float32)
    B = rng.random((n, n), dtype=np.float32)
    C = np.zeros((n, n), np.float32)
    before = dict(launcher.outcomes)
    kernel[(n // 16, n // 16), (16, 16)](A, B, C)
    changed = {k: v - before.get(k, 0) for k, v in launcher.outcomes.items()}
    return C, {k: v for k, v in changed.items() if v}


@pytest.mark.slow
def test_a_heavy_launch_is_compiled_in_another_process_for_the_next_one(tmp_path):
    kernel = cuda.jit(matmul)
    with config.override(tier="auto", cache_dir=str(tmp_path)):
        first, went = _launch(kernel)
        assert went == {"vector": 1}
        background.wait(timeout=300)
        assert list((tmp_path / "__pycache__").glob("*.nbi")), "nothing was cached"
        second, went = _launch(kernel)
        assert went == {"compiled": 1}
    with config.override(tier="vector"):
        reference, _ = _launch(cuda.jit(matmul))
    assert first.tobytes() == reference.tobytes() == second.tobytes()


def test_no_process_where_none_may_start(tmp_path, monkeypatch):
    """In a sandbox that forbids processes the launch runs on the vector engine, and the start
    is not tried again for the same module."""
    tries = []

    def refuse(*args, **kwargs):
        tries.append(args)
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    kernel = cuda.jit(matmul)
    with config.override(tier="auto", cache_dir=str(tmp_path)):
        for _ in range(2):
            C, went = _launch(kernel, n=320)
            assert went == {"vector": 1}
    assert len(tries) == 1
    assert not list(tmp_path.glob("__pycache__/*.nbi"))  # nothing compiled


def test_small_launches_start_no_process(tmp_path, monkeypatch):
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("a process started"))
    with config.override(tier="auto", cache_dir=str(tmp_path)):
        _, went = _launch(cuda.jit(matmul), n=64)
    assert went == {"vector": 1}
