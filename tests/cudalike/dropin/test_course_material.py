"""Constructs that CUDA Python course notebooks use run unchanged in drop-in mode.

The script below is written for these tests (it copies no course): random numbers per thread,
a tiled transpose with a `numba.types.int32` shared array, an atomic histogram launched with
`.configure()` on a stream between events, pinned and mapped host memory, `@vectorize` and
`@guvectorize` with `target='cuda'` from numba itself, `cuda.reduce`, `from math import hypot`
and the device queries. It runs through `python -m cudalike`, through `cudalike.install()`,
and in IPython after `%load_ext cudalike` with `%timeit` of a launch.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

COURSE_SCRIPT = """
import math
from math import hypot

import numpy as np
import numba
from numba import cuda, guvectorize, vectorize
from numba.cuda.random import create_xoroshiro128p_states, xoroshiro128p_uniform_float64

TILE = 16


@cuda.jit
def estimate_quarter_circle(states, draws, hits):
    t = cuda.grid(1)
    if t < hits.size:
        count = 0
        for _ in range(draws):
            u = xoroshiro128p_uniform_float64(states, t)
            v = xoroshiro128p_uniform_float64(states, t)
            if hypot(u, v) <= 1.0:
                count += 1
        hits[t] = count


@cuda.jit
def flip_tiles(source, target):
    tile = cuda.shared.array((TILE, TILE + 1), numba.types.int32)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    col, row = cuda.grid(2)
    tile[ty, tx] = source[row, col]
    cuda.syncthreads()
    target[cuda.blockIdx.x * TILE + ty, cuda.blockIdx.y * TILE + tx] = tile[tx, ty]


@cuda.jit
def bin_values(values, bins):
    start, step = cuda.grid(1), cuda.gridsize(1)
    for i in range(start, values.size, step):
        cuda.atomic.add(bins, min(int(values[i] * bins.size), bins.size - 1), 1)


@vectorize(["float64(float64, float64)"], target="cuda")
def half_length(x, y):
    return math.sqrt(x * x + y * y) / 2


@guvectorize(["void(float64[:], float64[:])"], "(n)->()", target="cuda")
def row_mean(row, out):
    total = 0.0
    for value in row:
        total += value
    out[0] = total / row.shape[0]


states = create_xoroshiro128p_states(256, seed=7)
hits = cuda.device_array(256, dtype=np.int64)
estimate_quarter_circle[4, 64](states, 50, hits)
print("pi", round(4 * hits.copy_to_host().sum() / (256 * 50), 1))

grid = np.arange(64 * 64, dtype=np.int32).reshape(64, 64)
flipped = cuda.device_array_like(grid)
flip_tiles[(4, 4), (TILE, TILE)](cuda.to_device(grid), flipped)
print("transpose", bool((flipped.copy_to_host() == grid.T).all()))

stream = cuda.stream()
pinned = cuda.pinned_array(1000, dtype=np.float64)
pinned[:] = np.linspace(0, 0.999, 1000)
bins = cuda.to_device(np.zeros(10, dtype=np.int32), stream=stream)
start, stop = cuda.event(), cuda.event()
start.record(stream)
bin_values.configure(8, 32, stream)(cuda.to_device(pinned, stream=stream), bins)
stop.record(stream)
stop.synchronize()
print("bins", bins.copy_to_host(stream=stream).tolist(), cuda.event_elapsed_time(start, stop) >= 0)

mapped = cuda.mapped_array(4, dtype=np.float64)
mapped[:] = [3.0, 6.0, 9.0, 12.0]
print("vectorize", half_length(mapped, np.zeros(4)).copy_to_host().tolist())
print("guvectorize", row_mean(np.arange(6.0).reshape(2, 3)).tolist())
print("reduce", cuda.reduce(lambda a, b: a + b)(np.arange(10)))
free, total = cuda.current_context().get_memory_info()
print("device", len(cuda.gpus) >= 1, 0 < free <= total)
with cuda.profiling(), cuda.defer_cleanup():
    print("engine", type(flip_tiles).__module__)
"""

EXPECTED = [
    "pi 3.1",
    "transpose True",
    f"bins {[100] * 10} True",
    "vectorize [1.5, 3.0, 4.5, 6.0]",
    "guvectorize [1.0, 4.0]",
    "reduce 45",
    "device True True",
    "engine cudalike.simt.dispatcher",
]


def run_python(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.mark.slow
def test_course_constructs_run_through_python_m_cudalike(tmp_path: Path) -> None:
    (tmp_path / "course.py").write_text(COURSE_SCRIPT)
    result = run_python("-m", "cudalike", "course.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == EXPECTED


@pytest.mark.slow
def test_course_constructs_run_after_install(tmp_path: Path) -> None:
    (tmp_path / "course.py").write_text("import cudalike\ncudalike.install()\n" + COURSE_SCRIPT)
    result = run_python("course.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == EXPECTED


@pytest.mark.slow
def test_load_ext_then_timeit_of_a_launch(tmp_path: Path) -> None:
    cells = [
        "%load_ext cudalike",
        "from numba import cuda\nimport numpy as np",
        "@cuda.jit\ndef double(a):\n    i = cuda.grid(1)\n    if i < a.size:\n        a[i] *= 2",
        "values = cuda.to_device(np.ones(64))",
        "%timeit -n 2 -r 1 double[2, 32](values); cuda.synchronize()",
        "print('doubled', values.copy_to_host()[0])",
    ]
    driver = textwrap.dedent(
        f"""
        from IPython.testing.globalipapp import start_ipython
        shell = start_ipython()
        for cell in {cells!r}:
            result = shell.run_cell(cell)
            result.raise_error()
        """
    )
    result = run_python("-c", driver, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "per loop" in result.stdout
    assert "doubled 4.0" in result.stdout  # %timeit ran the launch twice, no more


def test_numba_vectorize_is_numbas_again_after_uninstall() -> None:
    code = textwrap.dedent(
        """
        import numba
        import cudalike
        original = numba.vectorize, numba.guvectorize
        cudalike.install()
        assert numba.vectorize is not original[0]
        cpu = numba.vectorize(["float64(float64)"])(lambda x: x + 1)  # other targets: numba's
        assert cpu(1.0) == 2.0
        cudalike.uninstall()
        assert (numba.vectorize, numba.guvectorize) == original
        print("ok")
        """
    )
    result = run_python("-c", code, cwd=Path.cwd())
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"


def test_cuda_vectorize_keeps_numbas_dtypes_and_device_results() -> None:
    from cudalike import cuda

    @cuda.vectorize(["float32(float32, float32)"])
    def add(a, b):
        return a + b

    host = add(np.arange(3, dtype=np.float32), np.float32(2))
    assert host.dtype == np.float32 and host.tolist() == [2.0, 3.0, 4.0]
    on_device = add(cuda.to_device(np.ones(3, np.float32)), cuda.to_device(np.ones(3, np.float32)))
    assert type(on_device).__name__ == "DeviceNDArray"
    assert on_device.copy_to_host().tolist() == [2.0, 2.0, 2.0]


def test_cuda_guvectorize_fills_given_outputs_with_core_dimensions() -> None:
    from cudalike import cuda

    @cuda.guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),()->(n)")
    def shift(values, by, out):
        for i in range(values.shape[0]):
            out[i] = values[i] + by[0]

    out = np.zeros((2, 3))
    shift(np.ones((2, 3)), np.array([1.0, 2.0]), out)
    assert out.tolist() == [[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]]
    with pytest.raises(TypeError, match="pass the 1 output array"):
        shift(np.ones((2, 3)), np.array([1.0, 2.0]))


def test_cuda_vectorize_calls_device_functions() -> None:
    import math

    from cudalike import cuda

    @cuda.jit(device=True)
    def to_xy(radius, angle):
        return radius * math.cos(angle), radius * math.sin(angle)

    @cuda.vectorize(["float64(float64, float64)"])
    def x_of(radius, angle):
        x, _ = to_xy(radius, angle)
        return x

    assert x_of(np.array([2.0, 3.0]), np.array([0.0, 0.0])).tolist() == [2.0, 3.0]
    with pytest.raises(TypeError, match="can only be called from a kernel"):
        to_xy(1.0, 0.0)  # the device function itself still refuses host calls
