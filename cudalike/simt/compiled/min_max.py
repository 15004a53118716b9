"""min() and max() as the vector engine computes them.

The vector engine calls numpy's `np.minimum`/`np.maximum` when an operand is an array (one
number per lane) and Python's `min`/`max` when all are single numbers. The two differ: numpy
gives NaN if either operand is NaN, the second of two equal operands (0.0 and -0.0), and the
promoted type; Python gives the first unless the second is smaller (larger), NaN or not, and
returns the winning object with its own type (`max(float32(1.5), 1e30)` is the Python float).
Where an operand is certainly an array (`lanes.per_lane`, or it reads the thread's or
block's index) compiled code computes numpy's answer. Elsewhere which one applies may depend on
the run, so compiled code computes the value both give and hands the launch back to the vector
engine (`numpy_scalars.either_max`) where they could differ: a NaN, equal operands of other
bits or types, or a winner whose type is not the promoted one.
"""

from __future__ import annotations

import ast

from cudalike.simt.compiled import lanes
from cudalike.simt.compiled import numbers as nb


def call(kernel, name: str, args: list, nodes: list[ast.expr]) -> tuple[str, object]:
    """The code and type of `min(*args)` or `max(*args)` (`nodes`: the argument expressions)."""
    arrays = any(
        lanes.per_lane(kernel, node) or lanes.reads_lane_index(kernel, node) for node in nodes
    )
    code, kind = args[0]
    for other_code, other_kind in args[1:]:
        joined = nb.combine(kind, other_kind)
        left, right = nb.cast(code, kind, joined), nb.cast(other_code, other_kind, joined)
        if arrays:
            code = f"ns.{'minimum' if name == 'min' else 'maximum'}({left}, {right})"
        else:  # floats compared as given, as Python compares; the winner in the joined type
            if not nb.is_integer(joined):  # (integers: the same order, checked to fit)
                left, right = code, other_code
            flags = f"{kind == joined}, {other_kind == joined}"
            code = f"np.{nb.storage(joined).name}(ns.either_{name}({left}, {right}, {flags}))"
        kind = joined
    return code, kind
