"""cuda.grid(1) kept as a run of numbers (first, count) until an access needs the array.

A 1-D kernel's `i = cuda.grid(1)` is, for a chunk, the numbers start, start + 1, ... one per
lane. When the kernel only indexes with `i` (`a[i]`) and compares it in `if` tests (the
lowering checks this, see name_scan.lane_run_names), the common case, all lanes active and
in bounds, needs no array at all: loads and stores take a slice, and `if i < n:` is decided
for every lane from the run's two ends. Anything else makes the array (once per chunk), so
the results and reports are those of the array. A store of a sum, difference or product to
such a run (`out[i] = a[i] + b[i]`) computes straight into the array (`store_result`).
"""

from __future__ import annotations

import operator

import numpy as np

_ORDERED = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_DECIDABLE = 2**53  # integers every numpy comparison (int64, uint64, float64) has exactly


class LaneRun:
    """Lane k's value is `start + k`, for the `count` lanes of a chunk."""

    __slots__ = ("start", "count")

    def __init__(self, start: int, count: int):
        self.start = start
        self.count = count


def compare(values_of, left, symbol: str, right):
    """`left <symbol> right` where either side may be a LaneRun: one bool when the run's two
    ends agree (then every lane between does), else the comparison of the lane values
    (`values_of` makes a LaneRun's array)."""
    run, other = (left, right) if isinstance(left, LaneRun) else (right, left)
    if isinstance(run, LaneRun) and _plain_integer(other):
        first, last = run.start, run.start + run.count - 1
        if isinstance(left, LaneRun):
            ends = _ORDERED[symbol](first, other), _ORDERED[symbol](last, other)
        else:
            ends = _ORDERED[symbol](other, first), _ORDERED[symbol](other, last)
        if ends[0] == ends[1]:
            return bool(ends[0])
    return _ORDERED[symbol](values_of(left), values_of(right))


def _plain_integer(value) -> bool:
    return (
        isinstance(value, (int, np.integer))
        and not isinstance(value, (bool, np.bool_))
        and abs(int(value)) < _DECIDABLE
    )


_ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply}
_PLAIN = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def store_result(ctx, buffer, index: tuple, symbol: str, left, right, mask, line: int) -> None:
    """`buffer[index] = left <symbol> right`, computed straight into the array's memory when
    every lane stores to one run of a 1-D global array (`out[i] = a[i] + b[i]`) and the
    result already has the array's dtype: the same numbers, without a temporary for the sum.
    Otherwise the result is made and stored as any other value is."""
    from cudalike.simt import indexing, memory  # which import this module for LaneRun

    run = None
    if (
        isinstance(buffer, memory.Buffer)
        and buffer.space == "global"
        and buffer.dtype.kind in "iuf"
        and ctx.counting is None
        and ctx.trace is None
        and _lane_operands(ctx, left, right)
        and np.result_type(left, right) == buffer.dtype
    ):
        run = indexing.contiguous_run(ctx, buffer, indexing.whole_index(index), mask)
    if run is None:
        memory.store(ctx, buffer, index, _PLAIN[symbol](left, right), mask, line)
        return
    if ctx.checks:
        memory.check_write(ctx, buffer, run, None, line)
    _ARITHMETIC[symbol](left, right, out=buffer.storage[run])


def _lane_operands(ctx, left, right) -> bool:
    """Numbers or arrays of one number per lane, at least one an array."""
    arrays = 0
    for value in (left, right):
        if isinstance(value, np.ndarray):
            if value.shape != (ctx.lanes,) or value.dtype.kind not in "iuf":
                return False
            arrays += 1
        elif isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
            return False
        elif isinstance(value, int) and not _fits(value, left, right):
            return False  # numpy refuses it (OverflowError): made and reported as before
    return arrays > 0


def _fits(number: int, *operands) -> bool:
    """Does a Python integer fit the integer arrays among `operands` (and a float32)?"""
    for value in operands:
        if isinstance(value, np.ndarray) and value.dtype.kind in "iu":
            limits = np.iinfo(value.dtype)
            if not limits.min <= number <= limits.max:
                return False
    return abs(number) < 2**31
