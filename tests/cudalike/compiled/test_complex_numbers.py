"""Complex numbers run compiled with the vector engine's bits: Python complex constants,
complex(), + - * / abs, .real, .imag, conjugate(), == and !=, complex64 and complex128 arrays
read and written, mixed with floats as numpy promotes them. Products and abs the vector engine
may compute with Python's algorithm are checked at run time, NaN results of * / and abs are
handed back, and complex powers, cmath functions and orderings stay on the vector engine."""

import cmath

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import complex_numbers, launcher
from tests.cudalike.compiled.survey_teaching import mandelbrot_complex
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not complex_numbers._FUSED, reason="numpy's complex loops do not fuse on this machine"
    ),
]
CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
KINDS = pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
N = 70


def arithmetic(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        out[0, i] = a[i] * b[i] + a[i].conjugate()
        out[1, i] = a[i] - b[i] * 2.0
        out[2, i] = -a[i] + (1.5 - 2j)
        out[3, i] = complex(b[i].imag, a[i].real)
        x = a[i]
        x += b[i]
        out[4, i] = x


def parts(a, re, im, same):
    i = cuda.grid(1)
    if i < a.size:
        re[i] = a[i].real
        im[i] = abs(a[i])
        same[i] = (1 if a[i] == a[(i + 1) % a.size] else 0) + (2 if a[i] != 1j else 0)


def quotient(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        out[0, i] = a[i] / b[i]
        out[1, i] = a[i] / 3.0 + (2 - 1j) / b[i]


def from_floats(x, y, out):
    """complex() of float32 arrays is complex64; a Python complex meeting float32 too."""
    i = cuda.grid(1)
    if i < x.size:
        out[0, i] = complex(x[i], y[i])
        out[1, i] = x[i] * 1j + y[i]
        out[2, i] = complex(-0.0, x[i]) * (0.5 + 0.25j)


def python_numbers(a, out):
    """Python complex numbers times each other (Python's product) and then an array."""
    i = cuda.grid(1)
    if i < a.size:
        w = 1.5 + 2j
        v = w * w - 0.1j
        out[i] = a[i] * v + abs(w)
        if abs(a[i]) > 100.0:
            out[i] = 0  # an integer stored as complex128


def uniform_product(a, out):
    """a[0] * a[1] may be numpy numbers on the vector engine (products rounded), not arrays:
    checked at run time to agree with numpy's array product."""
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[0] * a[1] + a[i]


@cuda.jit(device=True)
def rotate(z, w):
    return z * w + 1j


def memories(a, out):
    """Shared and local complex arrays, a device function, a choice and a complex condition."""
    tile = cuda.shared.array(32, np.complex64)
    scratch = cuda.local.array(2, np.complex128)
    i = cuda.grid(1)
    j = cuda.threadIdx.x
    tile[j] = a[i] if i < a.size else 0j
    cuda.syncthreads()
    if i < a.size:
        scratch[0] = tile[(j + 1) % 32]
        scratch[1] = rotate(scratch[0], a[i])
        if scratch[1]:
            out[i] = scratch[1] - tile[j]


def _values(rng, dtype, n=N):
    parts = rng.standard_normal((2, n)) * 10.0 ** rng.integers(-3, 4, (2, n))
    return (parts[0] + 1j * parts[1]).astype(dtype)


def _special(dtype):
    """Zeros of both signs, infinities and NaNs among ordinary numbers."""
    values = _values(np.random.default_rng(5), dtype)
    values[:8] = [
        complex(-0.0, 0.0),
        complex(0.0, -0.0),
        complex(-0.0, -0.0),
        1e30 + 1e30j,
        complex(np.inf, 1.0),
        complex(1.0, -np.inf),
        complex(np.nan, 2.0),
        0j,
    ]
    return values


def _run(function, make_args, checks, grid=3, block=32):
    kernel = cuda.jit(function)
    error, counts, _ = compare_tiers(kernel, grid, block, make_args, checks, KernelError)
    assert error is None
    return how_it_ran(counts), launcher.reasons.get(function.__name__, "")


@CHECKS
def test_mandelbrot_runs_compiled(checks):
    args = lambda r: [np.zeros((40, 44), np.int32), 60]  # noqa: E731
    assert _run(mandelbrot_complex, args, checks, (3, 3), (16, 16))[0] == "compiled"


def julia(out, max_iter):
    """`z` is only ever an array of lanes: its products are numpy's array products."""
    row, col = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        z = complex(-1.5 + 3.0 * col / out.shape[1], -1.5 + 3.0 * row / out.shape[0])
        c = -0.8 + 0.156j
        n = 0
        while n < max_iter and abs(z) <= 2.0:
            z = z * z + c
            n += 1
        out[row, col] = n


def mandelbrot_from_a_number(out, max_iter):
    """`z` starts as a Python complex that is not zero: its first product is Python's, the
    next numpy's array products, so compiled code checks each and hands the launch back."""
    row, col = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        c = complex(-2.0 + 3.0 * col / out.shape[1], -1.5 + 3.0 * row / out.shape[0])
        z = 0.1 + 0.1j
        n = 0
        while n < max_iter and abs(z) <= 2.0:
            z = z * z + c
            n += 1
        out[row, col] = n


@CHECKS
def test_julia_runs_compiled_and_a_python_start_is_handed_back(checks):
    args = lambda r: [np.zeros((40, 44), np.int32), 60]  # noqa: E731
    assert _run(julia, args, checks, (3, 3), (16, 16))[0] == "compiled"
    assert _run(mandelbrot_from_a_number, args, checks, (3, 3), (16, 16))[0] == "handed back"


@CHECKS
@KINDS
def test_complex_arrays_in_and_out_run_compiled(checks, dtype):
    def args(rng):
        return [_values(rng, dtype), _values(rng, dtype), np.zeros((5, N), dtype)]

    assert _run(arithmetic, args, checks)[0] == "compiled"


@CHECKS
@KINDS
def test_special_values_give_the_vector_engines_bits(checks, dtype):
    """A NaN product is handed back (which NaN depends on the machine code); the others run
    compiled, signed zeros and infinities included."""

    def args(rng):
        return [_special(dtype), _values(rng, dtype), np.zeros((5, N), dtype)]

    assert _run(arithmetic, args, checks)[0] == "handed back"

    def without_nan_products(rng):
        a = _special(dtype)
        a[4:7] = 1e-30j
        return [a, _values(rng, dtype), np.zeros((5, N), dtype)]

    assert _run(arithmetic, without_nan_products, checks)[0] == "compiled"


@CHECKS
@KINDS
def test_parts_abs_and_comparisons(checks, dtype):
    floats = np.dtype(dtype).type(0).real.dtype

    def args(rng):
        a = _special(dtype)
        a[10:12] = 1j
        a[20] = a[21]
        return [a, np.zeros(N, floats), np.zeros(N, floats), np.zeros(N, np.int64)]

    assert _run(parts, args, checks)[0] == "handed back"  # abs of the NaN

    def finite(rng):
        return [
            _values(rng, dtype),
            np.zeros(N, floats),
            np.zeros(N, floats),
            np.zeros(N, np.int64),
        ]

    assert _run(parts, finite, checks)[0] == "compiled"


@CHECKS
@KINDS
def test_division_of_arrays_is_numpys(checks, dtype):
    def args(rng):
        b = _values(rng, dtype)
        b[:3] = [complex(0.0, 0.0), complex(-0.0, 0.0), 1e-300j]
        return [_values(rng, dtype), b, np.zeros((2, N), dtype)]

    assert _run(quotient, args, checks)[0] == "compiled"

    def nan_quotient(rng):
        a, b, out = args(rng)
        a[0] = 0j  # 0 / 0
        return [a, b, out]

    assert _run(quotient, nan_quotient, checks)[0] == "handed back"


@CHECKS
@KINDS
def test_shared_and_local_complex_arrays(checks, dtype):
    def args(rng):
        return [_values(rng, dtype, 96), np.zeros(96, dtype)]

    assert _run(memories, args, checks)[0] == "compiled"


def unwritten(out):
    tile = cuda.shared.array(32, np.complex64)
    i = cuda.grid(1)
    if i < out.size:
        out[i] = tile[cuda.threadIdx.x] + 1.0


@CHECKS
def test_unwritten_complex_memory_reads_as_the_vector_engine_poisons_it(checks):
    kernel = cuda.jit(unwritten)
    args = lambda rng: [np.zeros(N, np.complex64)]  # noqa: E731
    error, counts, _ = compare_tiers(kernel, 3, 32, args, checks, KernelError)
    assert (error is not None) == checks
    assert how_it_ran(counts) == ("handed back" if checks else "compiled")


@CHECKS
def test_floats_become_complex_as_numpy_promotes_them(checks):
    def args(rng):
        x = rng.standard_normal(N).astype(np.float32)
        x[:2] = -0.0
        return [x, rng.standard_normal(N).astype(np.float32), np.zeros((3, N), np.complex64)]

    assert _run(from_floats, args, checks)[0] == "compiled"


@CHECKS
def test_python_complex_numbers(checks):
    def args(rng):
        return [_values(rng, np.complex128), np.zeros(N, np.complex128)]

    assert _run(python_numbers, args, checks)[0] == "compiled"


@CHECKS
def test_a_product_of_numbers_is_checked(checks):
    def exact(rng):
        a = _values(rng, np.complex128)
        a[:2] = [3 + 4j, 0.5 - 2j]  # every product exact: both algorithms agree
        return [a, np.zeros(N, np.complex128)]

    assert _run(uniform_product, exact, checks)[0] == "compiled"

    def rounded(rng):
        a = _values(rng, np.complex128)
        a[:2] = [0.1 + 0.7j, 0.3 - 0.9j]
        return [a, np.zeros(N, np.complex128)]

    assert _run(uniform_product, rounded, checks)[0] in ("compiled", "handed back")


def cmath_exp(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = cmath.exp(a[i])


def complex_power(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] ** 2


def ordering(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] if a[i].real < 0 or a[i] < 0 else 0j


def python_quotient(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = (1 + 2j) / (3 - 1j) + a[i]


def integer_meets_complex64(a, out):
    """numpy converts a Python int to complex64 through another rounding than numba's."""
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] + 3


def augmented_quotient(a, out):
    """`x /= w` is typed without knowing how the vector engine holds `x` and `w`."""
    i = cuda.grid(1)
    if i < a.size:
        x = a[i]
        x /= 2.0 + 1j
        out[i] = x


REFUSED = [
    (cmath_exp, "the cmath function exp", np.complex128),
    (complex_power, "** on complex numbers", np.complex128),
    (ordering, "< on complex numbers", np.complex128),
    (python_quotient, "a complex division of values the vector engine may hold", np.complex128),
    (augmented_quotient, "a complex division of values the vector engine may hold", np.complex64),
]


@CHECKS
@pytest.mark.parametrize(
    "function, reason, dtype", REFUSED, ids=lambda x: getattr(x, "__name__", "")
)
def test_refused_kernels_stay_on_the_vector_engine(checks, function, reason, dtype):
    def args(rng):
        return [_values(rng, dtype), np.zeros(N, dtype)]

    ran, why = _run(function, args, checks)
    assert ran == "vector"
    assert reason in why


@CHECKS
def test_an_integer_meeting_complex64_stays_on_the_vector_engine(checks):
    def args(rng):
        return [_values(rng, np.complex64), np.zeros(N, np.complex64)]

    ran, why = _run(integer_meets_complex64, args, checks)
    assert ran == "vector"
    assert "an integer meeting complex64" in why
