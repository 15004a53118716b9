"""Atomic accumulation into global memory: SetAtomicAdd / SetAtomicMax / SetAtomicMin / None.

While a core has an atomic mode set, its transfers into GM (DataCopy and DataCopyPad from UB,
Fixpipe from L0C) combine with what is there instead of overwriting it, in the element type
given to SetAtomicAdd<T>(). Several cores may then write the same bytes: that is the point,
so those writes are not reported as races. Blocks run in index order, so the sums are the
same on every run (on the hardware the order, and so fp rounding, may vary).
"""

from __future__ import annotations

import weakref

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.dtypes import dtype_of

# core -> (operation, element type); absent when no atomic mode is set.
_MODES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_OPERATIONS = {"add": np.add, "max": np.maximum, "min": np.minimum}


class _Typed:
    """`SetAtomicAdd[float32]()` and `SetAtomicAdd(float32)`, as the C++ template call."""

    def __init__(self, operation: str, name: str):
        self.operation = operation
        self.__name__ = name
        self.__doc__ = (
            f"{name}<T>(): later GM writes of this core combine by {operation} in type T."
        )

    def __getitem__(self, dtype):
        return lambda: self(dtype)

    def __call__(self, dtype) -> None:
        core = _context.current(self.__name__)
        _MODES[core] = (self.operation, dtype_of(dtype))
        core.timeline.issue("S", 1, self.__name__, _context.user_location())


SetAtomicAdd = _Typed("add", "SetAtomicAdd")
SetAtomicMax = _Typed("max", "SetAtomicMax")
SetAtomicMin = _Typed("min", "SetAtomicMin")


def SetAtomicNone() -> None:
    """Turn the atomic mode off: GM writes overwrite again."""
    core = _context.current("SetAtomicNone")
    _MODES.pop(core, None)
    core.timeline.issue("S", 1, "SetAtomicNone", _context.user_location())


def mode(core: _context.CoreContext) -> tuple[str, np.dtype] | None:
    """The core's atomic (operation, type), or None."""
    return _MODES.get(core)


def combine(core: _context.CoreContext, target: np.ndarray, values: np.ndarray, api: str) -> None:
    """Write `values` into the GM view `target`, combining under the core's atomic mode."""
    current = _MODES.get(core)
    if current is None:
        target[...] = values
        return
    operation, dtype = current
    if target.dtype != dtype:
        raise _context.error(
            errors.InstructionError,
            f"{api} writes {target.dtype} to global memory while SetAtomic{operation.title()}"
            f"<{dtype}> is set: the atomic type must match the data",
            f"call SetAtomic{operation.title()} with the type of the data written",
        )
    target[...] = _OPERATIONS[operation](target, values.astype(dtype))
