"""A starter that says "the lesson's way works too" must be right: that way scores full marks.

The dot_product starter (after lesson 06 of courses/cuda-basics/) describes a tree sum, which
lesson 07 teaches, and offers lesson 06's shared atomic total instead.
"""

from __future__ import annotations

import pytest

from autograder import grade_submission

LESSON_06_DOT_PRODUCT = """
from numba import cuda, float32


@cuda.jit
def dot_product(a, b, out):
    block_total = cuda.shared.array(1, float32)
    if cuda.threadIdx.x == 0:
        block_total[0] = 0
    cuda.syncthreads()
    mine = float32(0)
    i = cuda.grid(1)
    if i < a.size:
        mine = a[i] * b[i]
    cuda.atomic.add(block_total, 0, mine)
    cuda.syncthreads()
    if cuda.threadIdx.x == 0:
        cuda.atomic.add(out, 0, block_total[0])
"""


@pytest.mark.slow
def test_lesson_06_shared_atomic_total_scores_full_marks_on_dot_product(tmp_path):
    submission = tmp_path / "dot_product.py"
    submission.write_text(LESSON_06_DOT_PRODUCT)
    result = grade_submission("dot_product", submission, seed=20261203)
    assert result.full_marks, [test.output for test in result.tests if not test.passed]
