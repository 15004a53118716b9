"""LocalTensor[T](pos, addr, len): tensors placed at a fixed on-chip address."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.cudalike.cann.test_vector_repeat import on_ub

X = np.arange(64, dtype=np.float32)
HIGH = 128 * 1024  # above the buffers on_ub's TPipe hands out


def test_hand_placed_tensors_compute_and_alias_by_address():
    def op(dst, x):
        a = cann.LocalTensor[cann.float32](cann.TPosition.VECCALC, HIGH, 64)
        same = cann.LocalTensor[cann.float32](cann.TPosition.VECCALC, HIGH, 64)
        assert a.slot is same.slot
        cann.Adds(a, x, 1.0, 64)
        cann.Muls(dst, same, 2.0, 64)

    out = on_ub(op, [X], np.float32, 64)
    np.testing.assert_array_equal(out, (X + 1) * 2)


def test_hand_placed_tensors_are_checked():
    def misaligned(dst, x):
        cann.LocalTensor[cann.half](cann.TPosition.VECCALC, HIGH + 2, 16)

    with pytest.raises(errors.AlignmentError, match="multiples of 32"):
        on_ub(misaligned, [X], np.float32, 64)

    def too_far(dst, x):
        cann.LocalTensor[cann.half](cann.TPosition.VECCALC, HIGH, 1 << 20)

    with pytest.raises(errors.GlobalOutOfBoundsError, match="which has"):
        on_ub(too_far, [X], np.float32, 64)

    def in_gm(dst, x):
        cann.LocalTensor[cann.half](cann.TPosition.GM, 0, 16)

    with pytest.raises(errors.InstructionError, match="no on-chip memory"):
        on_ub(in_gm, [X], np.float32, 64)
