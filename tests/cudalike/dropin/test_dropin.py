"""Drop-in mode: numba.cuda is cudalike after install(), numba-cuda's after uninstall().

Each test that installs runs in a child process, so the test process's own numba stays as it
was whatever a test does; one in-process test checks that uninstall() restores every module.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

KERNEL_SCRIPT = """
import sys
import numpy as np
import numba
from numba import cuda
from numba.cuda import float32
from numba.cuda.random import create_xoroshiro128p_states, xoroshiro128p_uniform_float32


@cuda.jit
def add_one(a, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + float32(1)


@cuda.jit
def uniform(states, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = xoroshiro128p_uniform_float32(states, i)


a = np.arange(8, dtype=np.float32)
out = np.zeros_like(a)
add_one[1, 32](a, out)
assert (out == a + 1).all(), out
states = create_xoroshiro128p_states(8, seed=1)
uniform[1, 32](states, out)
assert ((0 <= out) & (out < 1)).all(), out
print("engine", add_one.__module__, type(add_one).__module__)
print("argv", sys.argv[1:], __name__)
print("njit", numba.njit(lambda x: x + 1)(41))
print("attribute", numba.cuda.jit is cuda.jit)
"""


def run_python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_python_m_cudalike_runs_a_numba_cuda_script_unchanged(tmp_path: Path) -> None:
    script = tmp_path / "kernel.py"
    script.write_text(KERNEL_SCRIPT + "sys.exit(3)\n")
    result = run_python("-m", "cudalike", str(script), "first", "--flag")
    assert result.returncode == 3, result.stderr
    assert "engine" in result.stdout and "cudalike.simt.dispatcher" in result.stdout
    assert "argv ['first', '--flag'] __main__" in result.stdout
    assert "njit 42" in result.stdout
    assert "attribute True" in result.stdout


def test_python_m_cudalike_exits_as_python_does(tmp_path: Path) -> None:
    failing = tmp_path / "failing.py"
    failing.write_text("raise ValueError('from the script')\n")
    result = run_python("-m", "cudalike", str(failing))
    assert result.returncode == 1
    assert "ValueError: from the script" in result.stderr
    assert run_python("-m", "cudalike", str(tmp_path / "absent.py")).returncode == 2
    assert run_python("-m", "cudalike").returncode == 2


def test_python_m_cudalike_runs_a_module(tmp_path: Path) -> None:
    (tmp_path / "program.py").write_text(KERNEL_SCRIPT)
    result = run_python("-m", "cudalike", "-m", "program", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "argv ['x'] __main__" in result.stdout


def test_install_uninstall_in_a_child_process() -> None:
    code = textwrap.dedent(
        """
        import sys
        import numba
        import numba.cuda as real
        import cudalike
        import cudalike.cuda
        before = dict(sys.modules)
        meta_path = list(sys.meta_path)

        cudalike.install()
        cudalike.install()  # a second call changes nothing
        import numba.cuda
        from numba import cuda
        from numba.cuda import config, types
        import numba.cuda.cudadrv.devicearray  # numba-cuda's own submodules stay reachable
        assert cuda.jit is cudalike.cuda.jit and numba.cuda.jit is cudalike.cuda.jit
        assert sys.modules["numba.cuda.random"] is sys.modules["cudalike.cuda.random"]
        assert config is real.core.config and types is real.types
        assert numba.cuda.cudadrv is sys.modules["numba.cuda.cudadrv"]
        assert numba.njit(lambda x: 2 * x)(21) == 42

        cudalike.uninstall()
        import numba.cuda
        from numba import cuda
        assert cuda is real and numba.cuda is real and sys.modules["numba.cuda"] is real
        assert sys.meta_path == meta_path
        for name, module in before.items():
            assert sys.modules[name] is module, name
        assert not hasattr(cudalike.cuda, "cudadrv")
        print("ok")
        """
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_install_before_numba_cuda_was_ever_imported() -> None:
    code = textwrap.dedent(
        """
        import sys
        import cudalike
        had = "numba.cuda" in sys.modules
        cudalike.install()
        from numba import cuda
        import numba
        assert cuda.jit is cudalike.cuda.jit
        cudalike.uninstall()
        assert ("numba.cuda" in sys.modules) == had or "numba.cuda" not in sys.modules
        from numba import cuda
        assert cuda.__name__ == "numba.cuda" and hasattr(cuda, "compile_ptx"), cuda
        print("ok")
        """
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr


def test_load_ext_cudalike_in_ipython() -> None:
    pytest.importorskip("IPython")
    code = textwrap.dedent(
        """
        from IPython.testing.globalipapp import start_ipython
        shell = start_ipython()
        shell.run_line_magic("load_ext", "cudalike")
        shell.run_cell("from numba import cuda; import cudalike")
        shell.run_cell("ok = cuda.jit is cudalike.cuda.jit")
        assert shell.user_ns["ok"] is True
        shell.run_line_magic("unload_ext", "cudalike")
        shell.run_cell("from numba import cuda; back = cuda.__name__")
        assert shell.user_ns["back"] == "numba.cuda", shell.user_ns["back"]
        print("ok")
        """
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_uninstall_restores_this_process_exactly() -> None:
    import numba

    import cudalike

    before_modules = dict(sys.modules)
    before_attribute = numba.__dict__.get("cuda")
    before_meta_path = list(sys.meta_path)
    cudalike.install()
    try:
        from numba import cuda

        assert cuda.device_array is cudalike.cuda.device_array
    finally:
        cudalike.uninstall()
    assert numba.__dict__.get("cuda") is before_attribute
    assert sys.meta_path == before_meta_path
    for name, module in before_modules.items():
        assert sys.modules.get(name) is module, name


def test_kernels_defined_by_exec_have_a_source_while_installed(tmp_path: Path) -> None:
    script = tmp_path / "generated.py"
    script.write_text(
        textwrap.dedent(
            '''
            import builtins
            import numpy as np
            from numba import cuda
            source = """
            def doubled(out):
                i = cuda.grid(1)
                if i < out.size:
                    out[i] = 2 * i
            """
            namespace = {"cuda": cuda}
            exec(source, namespace)
            kernel = cuda.jit(namespace["doubled"])
            out = np.zeros(5)
            kernel[1, 8](out)
            assert list(out) == [0, 2, 4, 6, 8], out
            import cudalike
            cudalike.uninstall()
            assert builtins.exec.__module__ == "builtins", builtins.exec
            print("ok")
            '''
        )
    )
    result = run_python("-m", "cudalike", str(script))
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout
