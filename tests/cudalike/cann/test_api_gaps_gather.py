"""GatherMask: bit patterns from a tensor, built-in patterns, normal and counter modes."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.cudalike.cann.test_vector_repeat import on_ub

X = np.arange(256, dtype=np.float16)
PATTERN = np.zeros(16, np.uint16)
PATTERN[0], PATTERN[1] = 0b1111111111111100, 0b11


def test_counter_mode_keeps_the_pattern_bits_in_order():
    counts = {}

    def op(dst, x, pattern):
        counts["kept"] = cann.GatherMask(
            dst, x, pattern, True, 32, cann.GatherMaskParams(1, 1, 8, 8)
        )

    out = on_ub(op, [X, PATTERN], np.float16, 32)
    assert counts["kept"] == 16
    np.testing.assert_array_equal(out[:16], X[2:18])
    np.testing.assert_array_equal(out[16:], -7.0)


def test_normal_mode_built_in_pattern_covers_whole_repeats():
    counts = {}

    def op(dst, x):
        counts["kept"] = cann.GatherMask(dst, x, 2, False, 0, cann.GatherMaskParams(1, 2, 8, 0))

    out = on_ub(op, [X], np.float16, 128)
    assert counts["kept"] == 128
    np.testing.assert_array_equal(out, X[1::2])


def test_unknown_built_in_pattern_is_rejected():
    def op(dst, x):
        cann.GatherMask(dst, x, 9, False, 0, cann.GatherMaskParams())

    with pytest.raises(errors.InstructionError, match="1 to 7"):
        on_ub(op, [X], np.float16, 128)
