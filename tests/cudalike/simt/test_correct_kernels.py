"""Correct kernels run on cudalike with checks on: numpy's answer and no report (no false positive).

The launches and their oracles are listed in correct_cases.py; this file adds what a single
launch cannot show: frozen globals, kernel print order, determinism, the vector program.
"""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from cudalike import config
from cudalike.errors import KernelError

from . import kernels
from .correct_cases import CASES, Case
from .edge_cases import EDGE
from .warp_control_cases import WARP_CONTROL

ALL_CASES = CASES + WARP_CONTROL + EDGE


def launch(case: Case, seed: int = 0) -> list:
    """Run one case on cudalike and return its arguments after the launch."""
    args = case.make_args(np.random.default_rng(seed))
    kernel = kernels.jit(case.file, case.kernel)
    if case.sharedmem:
        kernel[case.griddim, case.blockdim, 0, case.sharedmem](*args)
    else:
        kernel[case.griddim, case.blockdim](*args)
    return args


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_correct_kernel_matches_numpy_with_checks_on(case):
    assert config.get().checks, "checks must be on by default"
    case.check(launch(case))


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_correct_kernel_matches_numpy_with_checks_off(case):
    with config.override(checks=False):
        case.check(launch(case))


@pytest.mark.parametrize(
    "case_id", ["atomic_add_unique_slots", "atomics_all_kinds", "histogram_shared_atomics"]
)
def test_atomics_resolve_the_same_way_on_every_run(case_id):
    (case,) = [case for case in ALL_CASES if case.id == case_id]
    first, second = launch(case), launch(case)
    for before, after in zip(first, second, strict=True):
        assert_array_equal(before, after)


def test_atomic_slots_follow_lane_order():
    # cudalike documents that atomics resolve in lane order (block, then thread): the compacted
    # output keeps the input order.
    (case,) = [case for case in ALL_CASES if case.id == "atomic_add_unique_slots"]
    a, out, counter = launch(case)
    assert_array_equal(out[: counter[0]], a[a > 0])


def test_module_globals_are_frozen_at_compile_time():
    module = kernels.load("basic_kernels")
    kernel = module.cuda.jit(module.use_globals)
    out = np.zeros(64)
    kernel[2, 32](out)
    module.SCALE = 100.0  # numba freezes globals when it compiles; so must cudalike
    again = np.zeros(64)
    kernel[2, 32](again)
    assert_array_equal(again, out)
    assert_array_equal(again, np.arange(64) * 3.0 + 7)


def test_print_from_kernel_is_ordered_by_thread(capsys):
    kernel = kernels.jit("basic_kernels", "print_kernel")
    kernel[3, 4](10)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"thread {i} of 10" for i in range(0, 10, 2)]


def test_print_shows_tuples_and_thread_index_per_thread(capsys):
    kernel = kernels.jit("basic_kernels", "print_coordinates")
    kernel[2, (2, 1, 1)]()
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "(0, 0, 0) (0,)",
        "(1, 0, 0) (0,)",
        "(0, 0, 0) (1,)",
        "(1, 0, 0) (1,)",
    ]


def test_float32_kernel_differs_from_float64_arithmetic():
    # Guards the oracle itself: a float64 accumulation rounded at the end gives other numbers.
    (case,) = [case for case in ALL_CASES if case.id == "float32_stays_float32"]
    a, out = launch(case)
    wide = np.zeros(a.size)
    for _ in range(100):
        wide += a.astype(np.float64) * np.float64(np.float32(0.1))
    assert out.dtype == np.float32
    assert np.any(out != wide.astype(np.float32))


def test_device_array_round_trip_through_kernel():
    from cudalike import cuda

    kernel = kernels.jit("basic_kernels", "vector_add")
    a = np.arange(300, dtype=np.float32)
    d_a, d_b = cuda.to_device(a), cuda.to_device(2 * a)
    d_out = cuda.device_array_like(a)
    kernel[3, 128](d_a, d_b, d_out)
    assert_array_equal(d_out.copy_to_host(), 3 * a)


def test_vector_program_can_be_printed(capsys):
    kernel = kernels.jit("basic_kernels", "vector_add")
    kernel[1, 32](np.zeros(32, np.float32), np.zeros(32, np.float32), np.zeros(32, np.float32))
    assert isinstance(kernel.vector_source, str) and kernel.vector_source.strip()
    kernel.inspect_vector()
    assert kernel.vector_source.strip() in capsys.readouterr().out


def test_correct_kernel_reports_nothing_even_on_large_grid():
    # A false positive that appears only across chunks of blocks would hide at small sizes.
    kernel = kernels.jit("reduction_kernels", "block_sum")
    a = np.ones(3 * 2**16 + 5, np.float32)
    partial = np.zeros(-(-a.size // 256), np.float32)
    try:
        kernel[partial.size, 256](a, partial)
    except KernelError as error:  # pragma: no cover - the message is the useful part
        pytest.fail(f"false positive on a correct kernel:\n{error}")
    assert partial.sum() == a.size
