"""Scalar stores and the compiler's automatic synchronisation (BiSheng --cce-auto-sync).

A SetValue after a vector instruction on the same buffer, and a vector read after a SetValue,
need no flag: the compiler inserts the waits between the vector and scalar units. A scalar
read of a vector result without a V_S flag is still reported.
"""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors


def pattern_kernel(read_on_scalar: bool):
    seen = {}

    @cann.kernel
    def kernel():
        pipe = cann.TPipe()
        buf = cann.TBuf(cann.TPosition.VECCALC)
        out = cann.TBuf(cann.TPosition.VECCALC)
        pipe.InitBuffer(buf, 64)
        pipe.InitBuffer(out, 64)
        pattern = buf.Get(cann.uint16)
        result = out.Get(cann.uint16)
        cann.Duplicate(pattern, cann.uint16(0), 16)  # V
        if read_on_scalar:
            seen["value"] = pattern.GetValue(3)  # S read of a V result, no flag
            return
        pattern.SetValue(0, 7)  # S write after the V write, no flag
        cann.Adds(result, pattern, cann.uint16(1), 16)  # V read after the S write, no flag
        seen["result"] = result.numpy()

    kernel[1]()
    return seen


def test_scalar_store_between_vector_instructions_needs_no_flag():
    result = pattern_kernel(read_on_scalar=False)["result"]
    np.testing.assert_array_equal(result[:16], np.r_[8, np.ones(15)].astype(np.uint16))


def test_scalar_store_waits_for_the_vector_write_in_the_timeline():
    events = []

    @cann.kernel
    def kernel():
        pipe = cann.TPipe()
        buf = cann.TBuf(cann.TPosition.VECCALC)
        pipe.InitBuffer(buf, 8192)
        t = buf.Get(cann.float)
        cann.Duplicate(t, cann.float(0), 2048)
        t.SetValue(0, 1.0)
        core = cann._context._current.get()
        events.extend(core.timeline.events[-2:])

    kernel[1]()
    duplicate, store = events
    assert store.start_cycle >= duplicate.end_cycle


def test_scalar_read_of_a_vector_result_without_a_flag_is_still_reported():
    with pytest.raises(errors.SyncError, match="V_S"):
        pattern_kernel(read_on_scalar=True)
