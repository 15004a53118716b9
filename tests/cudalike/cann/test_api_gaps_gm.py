"""Reads past a GlobalTensor's length but inside its allocation run, as on the hardware."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors


def _copy_in(length, read, allocation_elements):
    x = np.arange(allocation_elements, dtype=np.float16)
    result = {}

    @cann.kernel
    def kernel(gm):
        g = cann.GlobalTensor(cann.half)
        g.SetGlobalBuffer(gm, length)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 2 * read)
        t = que.AllocTensor(cann.half)
        cann.DataCopy(t, g, read)
        que.EnQue(t)
        result["got"] = que.DeQue(cann.half).numpy().copy()

    kernel[1](x)
    return x, result["got"]


def test_read_past_length_inside_allocation_runs():
    x, got = _copy_in(18, 32, 48)
    np.testing.assert_array_equal(got, x[:32])


def test_read_past_the_allocation_is_reported():
    with pytest.raises(errors.GlobalOutOfBoundsError, match="past the end of its allocation"):
        _copy_in(18, 64, 48)
