"""viz.repeats draws the elements a repeat-form call touches: the same ones the runtime uses."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cann, viz
from tests.cudalike.cann.test_vector_repeat import on_ub


@pytest.mark.parametrize(
    ("mask", "repeat_times", "params"),
    [
        (128, 2, cann.UnaryRepeatParams(1, 1, 8, 8)),
        (64, 3, cann.UnaryRepeatParams(2, 1, 16, 8)),
        ([0x00FF00FF00FF00FF, 0], 2, cann.UnaryRepeatParams(1, 2, 8, 16)),
    ],
)
def test_the_pictured_elements_are_the_ones_the_instruction_reads_and_writes(
    mask, repeat_times, params
):
    src = np.arange(1024, dtype=np.float16)
    picture = viz.repeats(mask, repeat_times, params, lengths=1024)
    assert picture.problems == []

    out = on_ub(
        lambda dst, s: cann.Adds(dst, s, 0.0, mask, repeat_times, params), [src], np.float16, 1024
    )

    written = np.flatnonzero(out != -7.0)
    np.testing.assert_array_equal(np.sort(picture.touched["dst"].ravel()), written)
    np.testing.assert_array_equal(
        out[picture.touched["dst"].ravel()], src[picture.touched["src"].ravel()]
    )


def test_a_zero_repeat_stride_is_drawn_as_shared_and_named():
    params = cann.BinaryRepeatParams(1, 1, 1, 0, 8, 0)
    picture = viz.repeats(64, 4, params, dtype=np.float32, lengths={"dst": 64, "src0": 256})
    assert (picture.touched["dst"] == np.arange(64)).all()
    assert picture.touched["src0"][3, 0] == 192
    assert any("all 4 repeats accumulate into the same elements" in p for p in picture.problems)
    html = picture.to_html()
    assert '<g class="run shared"' in html and "repeats 0, 1, 2, 3" in html


def test_a_repeat_past_the_tensor_is_reported_like_the_runtime_reports_it():
    params = cann.UnaryRepeatParams(1, 1, 8, 8)
    picture = viz.repeats(128, 3, params, lengths=300)
    assert picture.problems[0].startswith("dst: repeat 2 of 3 reaches element 383, past the 300")
    html = picture.to_html()
    assert '<line class="end"' in html
    assert "elements 300..303 (past the end): repeat 2" in html  # the run splits at the end

    with pytest.raises(
        cann.errors.GlobalOutOfBoundsError, match="repeat 2 of 3 reaches element 383"
    ):
        on_ub(lambda dst: cann.Adds(dst, dst, 1.0, 128, 3, params), [], np.float16, 300)


def test_strided_blocks_leave_untouched_gaps():
    picture = viz.repeats(128, 1, cann.UnaryRepeatParams(2, 1, 16, 8))
    dst = picture.touched["dst"].ravel()
    assert dst[15] == 15 and dst[16] == 32  # every other 32-byte block
    assert "not touched" in picture.to_html()


def test_bad_arguments_are_refused_in_words():
    with pytest.raises(ValueError, match="continuous mask for float32 takes 1 to 64"):
        viz.repeats(128, 1, cann.UnaryRepeatParams(), dtype=np.float32)
    with pytest.raises(ValueError, match="repeatTimes must be an int from 0 to 255"):
        viz.repeats(128, 256, cann.UnaryRepeatParams())
    with pytest.raises(ValueError, match="BinaryRepeatParams or cann.UnaryRepeatParams"):
        viz.repeats(128, 1, (1, 1, 8, 8))
    with pytest.raises(ValueError, match="the operands are dst, src"):
        viz.repeats(128, 1, cann.UnaryRepeatParams(), lengths={"src1": 8})
