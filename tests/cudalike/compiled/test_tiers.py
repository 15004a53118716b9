"""Choosing the tier: forced with config.tier, chosen by expected cost with "auto", and never
for profiled launches (their counters come from the vector engine)."""

import numpy as np
import pytest

from cudalike import config, cuda, profiler
from cudalike.simt.compiled import launcher


def scale(a, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] * 2.0


def _run(tier: str, n: int = 256) -> dict:
    kernel = cuda.jit(scale)
    a = np.arange(n, dtype=np.float32)
    out = np.zeros(n, np.float32)
    before = dict(launcher.outcomes)
    with config.override(tier=tier):
        kernel[(n + 127) // 128, 128](a, out)
    assert np.array_equal(out, a * np.float32(2.0))
    return {k: v - before.get(k, 0) for k, v in launcher.outcomes.items() if v != before.get(k, 0)}


def test_vector_tier_is_never_compiled():
    assert _run("vector") == {"vector": 1}


def test_compiled_tier_is_forced():
    assert _run("compiled") == {"compiled": 1}


def test_auto_leaves_a_small_launch_on_the_vector_engine():
    assert _run("auto") == {"vector": 1}


def test_unknown_tier_is_refused():
    with pytest.raises(ValueError, match="unknown tier"):
        with config.override(tier="fast"):
            pass


def test_profiled_launch_runs_on_the_vector_engine():
    kernel = cuda.jit(scale)
    before = launcher.outcomes["compiled"]
    with config.override(tier="compiled"), profiler.profile():
        kernel[2, 128](np.ones(256, np.float32), np.zeros(256, np.float32))
    assert launcher.outcomes["compiled"] == before


def test_generated_modules_go_to_the_configured_cache_folder(tmp_path):
    kernel = cuda.jit(scale)
    with config.override(tier="compiled", cache_dir=str(tmp_path), checks=False):
        kernel[1, 64](np.ones(64, np.float32), np.zeros(64, np.float32))
    assert list(tmp_path.glob("k_scale_*.py"))


def test_a_cache_folder_other_users_can_write_is_not_used(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # as a folder another user made under a shared /tmp would be
    kernel = cuda.jit(scale)
    out = np.zeros(64, np.float32)
    before = launcher.outcomes["outside subset"]
    with config.override(tier="compiled", cache_dir=str(shared), checks=False):
        kernel[1, 64](np.ones(64, np.float32), out)
    assert launcher.outcomes["outside subset"] == before + 1
    assert "writable by other users" in launcher.reasons["scale"]
    assert not list(shared.iterdir())
    assert np.array_equal(out, np.full(64, 2.0, np.float32))


def test_a_planted_module_in_the_cache_folder_is_rewritten_not_run(tmp_path):
    with config.override(tier="compiled", cache_dir=str(tmp_path), checks=False):
        cuda.jit(scale)[1, 64](np.ones(64, np.float32), np.zeros(64, np.float32))
        (module,) = tmp_path.glob("k_scale_*.py")
        generated = module.read_text()
        marker = tmp_path / "planted-code-ran"
        module.write_text(f"open({str(marker)!r}, 'w').close()\ndriver = None\n")
        out = np.zeros(64, np.float32)
        cuda.jit(scale)[1, 64](np.ones(64, np.float32), out)
    assert not marker.exists()
    assert module.read_text() == generated
    assert np.array_equal(out, np.full(64, 2.0, np.float32))


def sort_rows(x, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        buf = cuda.local.array(4, np.float32)  # declared inside an `if`
        for j in range(4):
            buf[j] = x[i, j]
        for a in range(4):
            for b in range(3 - a):
                if buf[b] > buf[b + 1]:
                    t = buf[b]
                    buf[b] = buf[b + 1]
                    buf[b + 1] = t
        for j in range(4):
            out[i, j] = buf[j]


def test_each_translation_reads_the_kernel_as_written():
    """Translating for checks on, then off, gives two compiled drivers: the first translation
    left the kernel's parsed source as it found it."""
    x = np.random.default_rng(0).random((40, 4), dtype=np.float32)
    kernel = cuda.jit(sort_rows)
    before = launcher.outcomes["compiled"]
    for checks in (True, False):
        out = np.zeros_like(x)
        with config.override(tier="compiled", checks=checks):
            kernel[2, 32](x, out)
        assert np.array_equal(out, np.sort(x, axis=1))
    assert launcher.outcomes["compiled"] - before == 2, launcher.reasons.get("sort_rows")


def test_a_driver_numba_cannot_compile_is_given_up_with_a_reason(monkeypatch):
    """Generated code numba refuses (it should not happen; here it is forced) leaves the launch
    to the vector engine, says why, and is not compiled again at the next launch."""
    from cudalike.simt.compiled import codegen

    generate = codegen.generate

    def broken(translated, cache):
        source = generate(translated, cache)
        return source.replace("    nt = bdx * bdy * bdz", "    nt = bdx * bdy * bdz + 'x'", 1)

    monkeypatch.setattr(codegen, "generate", broken)
    kernel = cuda.jit(scale)
    a = np.arange(64, dtype=np.float32)
    builds = []
    build = launcher._build
    monkeypatch.setattr(launcher, "_build", lambda *args: builds.append(1) or build(*args))
    before = dict(launcher.outcomes)
    for _ in range(2):
        out = np.zeros(64, np.float32)
        with config.override(tier="compiled"):
            kernel[1, 64](a, out)
        assert np.array_equal(out, a * np.float32(2.0))
    assert "numba could not compile" in launcher.reasons["scale"]
    assert launcher.outcomes["compiled"] == before.get("compiled", 0)
    assert len(builds) == 1
