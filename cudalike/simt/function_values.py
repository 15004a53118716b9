"""Functions used as values: `cuda.atomic.add`, `operator.add` or a device function passed on.

numba specialises a device function for each function it is given. The vector program
instead passes the function itself and dispatches the call at run time, so one lowered
device function serves every function it receives (`call_value` on the chunk context).
"""

from __future__ import annotations

import dataclasses
import operator

import numpy as np

OPERATORS = {
    operator.add: operator.add,
    operator.sub: operator.sub,
    operator.mul: operator.mul,
    operator.truediv: operator.truediv,
    operator.floordiv: operator.floordiv,
    operator.mod: operator.mod,
    operator.pow: operator.pow,
    operator.neg: operator.neg,
    operator.pos: operator.pos,
    operator.and_: operator.and_,
    operator.or_: operator.or_,
    operator.xor: operator.xor,
    operator.lshift: operator.lshift,
    operator.rshift: operator.rshift,
    operator.invert: operator.invert,
    operator.lt: operator.lt,
    operator.le: operator.le,
    operator.gt: operator.gt,
    operator.ge: operator.ge,
    operator.eq: operator.eq,
    operator.ne: operator.ne,
}


@dataclasses.dataclass(frozen=True)
class IntrinsicValue:
    """A cuda intrinsic held in a variable, e.g. `cuda.atomic.add` passed to a device function."""

    path: str
    method: str


DEVICE_PREFIX = "__device_"


class FunctionValues:
    """The calling half of function values (a mixin of the chunk context)."""

    def call_value(self, function, mask, line: int, *args):
        """Call what a variable holds: an intrinsic, device function, math function or type."""
        if isinstance(function, IntrinsicValue):
            return getattr(self, function.method)(mask, line, *args)
        if isinstance(function, np.dtype):
            if len(args) != 1:
                self.fail_runtime(line, f"{function}() takes one argument, got {len(args)}")
            return self.cast(args[0], function)
        if getattr(function, "__name__", "").startswith(DEVICE_PREFIX):
            return function(self, mask, *args)
        if callable(function):
            return function(*args)
        self.fail_runtime(
            line, f"a {type(function).__name__} is not a function and cannot be called"
        )
        return None
