"""Launches of files/edge_kernels.py with numpy oracles; joined to correct_cases.CASES by tests."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_array_equal

from .correct_cases import Case, blocks, small_ints

LUT = np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int64)


def _reversed_blocks(a, which):
    out = a.reshape(-1, 64).copy()
    out[which] = out[which, ::-1]
    return out.ravel()


def _division_args(rng):
    a = rng.integers(-50, 51, 120)
    b = rng.choice([-7, -3, -2, -1, 1, 2, 3, 7], 120)
    return [a, b, np.zeros(120, np.int64), np.zeros(120, np.int64), np.zeros(120)]


def _division_check(args):
    a, b, q, r, f = args
    assert_array_equal(q, np.floor_divide(a, b))
    assert_array_equal(r, np.mod(a, b))
    assert_array_equal(f, a / b)


def _histogram_2d_args(rng):
    return [rng.integers(0, 4, 500), rng.integers(0, 4, 500), np.zeros((4, 4), np.int32)]


def _histogram_2d_check(args):
    xs, ys, hist = args
    expected = np.zeros((4, 4), np.int32)
    np.add.at(expected, (xs, ys), 1)
    assert_array_equal(hist, expected)


def _local_matrix_check(args):
    a, out = args
    m = a.reshape(-1, 2, 2)
    assert_array_equal(out, (m @ m).reshape(-1, 4))


def _nested_args(rng):
    a = rng.integers(-2, 9, (40, 6))
    return [a, np.zeros(40, np.int64), np.zeros(40, np.int64)]


def _nested_check(args):
    a, out, found = args
    for row, count, first in zip(a, out, found, strict=True):
        expected = 0
        for j in range(6):
            for k in range(j, 6):
                if row[k] < 0:
                    break
                expected += 1
        assert count == expected
        negatives = np.flatnonzero(row < 0)
        assert first == (negatives[0] if negatives.size else 6)


def _special_floats_check(args):
    a, out = args
    with np.errstate(invalid="ignore"):
        expected = np.where(np.isnan(a), -1.0, np.where(np.isinf(a), -2.0, a**2 + 8 + np.abs(a)))
    assert_array_equal(out, expected)


SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -2.25, 3.0, 1e-300, -7.0])

EDGE = [
    Case(
        "barrier_trip_count_uniform_per_block",
        "edge_kernels",
        "barriers_per_block",
        4,
        64,
        lambda rng: [np.zeros(256, np.int32)],
        lambda args: assert_array_equal(args[0], np.repeat(np.arange(4), 64)),
    ),
    Case(
        "barrier_in_block_uniform_branch",
        "edge_kernels",
        "barrier_in_block_uniform_branch",
        4,
        64,
        lambda rng: [small_ints(rng, 256), np.zeros(256, np.float32)],
        lambda args: assert_array_equal(args[1], _reversed_blocks(args[0], [0, 2])),
    ),
    Case(
        "whole_blocks_return_before_barrier",
        "edge_kernels",
        "whole_blocks_return_before_barrier",
        4,
        64,
        lambda rng: [small_ints(rng, 256), np.zeros(256, np.float32), 2],
        lambda args: assert_array_equal(
            args[1], np.append(_reversed_blocks(args[0][:128], [0, 1]), np.zeros(128))
        ),
    ),
    Case(
        "masked_read_of_half_written_shared",
        "edge_kernels",
        "read_only_what_was_written",
        1,
        64,
        lambda rng: [np.zeros(64, np.float32)],
        lambda args: assert_array_equal(
            args[0], np.where(np.arange(64) % 2 == 0, np.arange(64) + 1, -1)
        ),
    ),
    Case(
        "int_variable_widens_to_float_in_branch",
        "edge_kernels",
        "type_widens_in_branch",
        blocks(100, 32),
        32,
        lambda rng: [small_ints(rng, 100), np.zeros(100)],
        lambda args: assert_array_equal(args[1], np.where(args[0] > 0, args[0] * 0.5, 0)),
    ),
    Case(
        "int_accumulator_takes_floats",
        "edge_kernels",
        "int_accumulator_takes_floats",
        2,
        32,
        lambda rng: [small_ints(rng, (50, 4)), np.zeros(50)],
        lambda args: assert_array_equal(args[1], (args[0] * 0.5).sum(1)),
    ),
    Case(
        "device_functions_nested_returning_tuple",
        "edge_kernels",
        "digit_sums",
        4,
        32,
        lambda rng: [rng.integers(0, 10**6, 100), np.zeros(100, np.int64)],
        lambda args: assert_array_equal(args[1], [sum(map(int, str(v))) for v in args[0]]),
    ),
    Case(
        "python_integer_division",
        "edge_kernels",
        "python_integer_division",
        4,
        32,
        _division_args,
        _division_check,
    ),
    Case(
        "array_row_views",
        "edge_kernels",
        "row_views",
        2,
        32,
        lambda rng: [small_ints(rng, (50, 7), np.float64), np.zeros(50)],
        lambda args: assert_array_equal(args[1], args[0].sum(1)),
    ),
    Case(
        "grid_3d",
        "edge_kernels",
        "fill_3d",
        (2, 2, 2),
        (4, 4, 4),
        lambda rng: [np.zeros((5, 6, 7), np.int64)],
        lambda args: assert_array_equal(
            args[0],
            np.fromfunction(lambda x, y, z: x * 100 + y * 10 + z, (5, 6, 7), dtype=np.int64),
        ),
    ),
    Case(
        "grid_stride_2d",
        "edge_kernels",
        "grid_stride_2d",
        (2, 2),
        (8, 8),
        lambda rng: [np.zeros((40, 30))],
        lambda args: assert_array_equal(args[0], np.arange(40)[:, None] - np.arange(30)[None, :]),
    ),
    Case(
        "atomic_with_tuple_index",
        "edge_kernels",
        "histogram_2d",
        4,
        128,
        _histogram_2d_args,
        _histogram_2d_check,
    ),
    Case(
        "local_array_2d",
        "edge_kernels",
        "local_matrix",
        2,
        32,
        lambda rng: [small_ints(rng, (50, 4)), np.zeros((50, 4), np.float32)],
        _local_matrix_check,
    ),
    Case(
        "global_array_constant",
        "edge_kernels",
        "global_lookup",
        4,
        32,
        lambda rng: [rng.integers(0, 100, 100), np.zeros(100, np.int64)],
        lambda args: assert_array_equal(args[1], LUT[args[0] % 8]),
    ),
    Case(
        "nested_break_loop_variable",
        "edge_kernels",
        "nested_break_and_loop_variable",
        2,
        32,
        _nested_args,
        _nested_check,
    ),
    Case(
        "nan_inf_power_max3",
        "edge_kernels",
        "special_floats",
        1,
        32,
        lambda rng: [SPECIAL.copy(), np.zeros(SPECIAL.size)],
        _special_floats_check,
    ),
    Case(
        "rebinding_parameters",
        "edge_kernels",
        "rebinding_parameters",
        2,
        32,
        lambda rng: [np.zeros(64, np.int32), 40, True],
        lambda args: assert_array_equal(args[0], np.where(np.arange(64) < 40, 1, 0)),
    ),
]
