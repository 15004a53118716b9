"""Python built-ins and numba's scalar-type casts as kernels use them, plus print and assert.

Each works on one value per lane (numpy arrays) or one value for all (scalars).
"""

from __future__ import annotations

import enum
import functools

import numpy as np

from cudalike.errors import KernelRuntimeError
from cudalike.simt.array_choice import ArrayChoice, ArrayChoiceViews
from cudalike.simt.array_methods import ArrayMethods
from cudalike.simt.array_ufuncs import ArrayUfuncs
from cudalike.simt.function_values import FunctionValues
from cudalike.simt.groups import CooperativeGroups
from cudalike.simt.half_precision import HalfPrecision
from cudalike.simt.records import RecordFields
from cudalike.simt.slicing import SliceViews
from cudalike.simt.vector_types import VectorTypes


class DivisionByZero(ZeroDivisionError, FloatingPointError):
    """Division by zero in a debug=True kernel: numba raises ZeroDivisionError on a GPU and
    FloatingPointError in its simulator; programs written for either catch this one."""


class KernelBuiltins(
    ArrayChoiceViews,
    FunctionValues,
    ArrayUfuncs,
    SliceViews,
    HalfPrecision,
    RecordFields,
    CooperativeGroups,
    VectorTypes,
    ArrayMethods,
):
    """The built-ins part of the chunk context (see engine.ChunkContext), with function values."""

    def unpack(self, value, count: int, line: int):
        """`a, b = value`: only tuples of the right length unpack (cuda.grid(2), tuples)."""
        if not isinstance(value, tuple) or len(value) != count:
            self.fail_runtime(line, f"cannot unpack {type(value).__name__} into {count} names")
        return value

    def tuple_item(self, values: tuple, index, mask):
        """`a.shape[i]`; with an index per lane, each lane's item. An index out of range
        is Python's IndexError, which debug=True kernels raise as numba does."""
        if not isinstance(index, np.ndarray):
            return values[index]
        lanes = self.active_lanes(mask)
        chosen = index[lanes]
        if chosen.size and (chosen.min() < -len(values) or chosen.max() >= len(values)):
            raise IndexError("tuple index out of range")
        items = np.zeros(self.lanes, np.int64)
        items[lanes] = np.asarray(values, np.int64)[chosen]
        return items

    def checked_division(self, left, right, operator: str, mask):
        """`a / b`, `a // b` or `a % b` in a debug=True kernel: a zero divisor in an active
        lane raises ZeroDivisionError, as numba's debug mode follows Python there."""
        divisors = np.broadcast_to(right, (self.lanes,))[self.active_lanes(mask)]
        if divisors.size and not np.all(divisors):
            raise DivisionByZero("division by zero")
        if operator == "/":
            return left / right
        return left // right if operator == "//" else left % right

    def unpack_all(self, value, line: int) -> tuple:
        """`f(*value)`: only a tuple unpacks into arguments."""
        if not isinstance(value, tuple):
            self.fail_runtime(line, f"cannot unpack {type(value).__name__} into arguments")
        return value

    @staticmethod
    def builtin_len(value):
        if isinstance(value, ArrayChoice):  # per lane when the threads' arrays differ in length
            return value.length()
        return len(value)

    @staticmethod
    def builtin_min(*values):
        return functools.reduce(np.minimum, values) if _any_array(values) else min(values)

    @staticmethod
    def builtin_max(*values):
        return functools.reduce(np.maximum, values) if _any_array(values) else max(values)

    @staticmethod
    def builtin_abs(value):
        return abs(value)

    @staticmethod
    def builtin_int(value):
        if isinstance(value, np.ndarray):
            return (
                np.trunc(value).astype(np.int64)
                if value.dtype.kind == "f"
                else value.astype(np.int64)
            )
        return int(value)

    @staticmethod
    def builtin_float(value):
        return value.astype(np.float64) if isinstance(value, np.ndarray) else float(value)

    @staticmethod
    def builtin_complex(real, imag=0.0):
        """complex(re, im), the parts placed apart so that a -0.0 keeps its sign."""
        if not _any_array((real, imag)):
            return complex(real, imag)
        real, imag = np.broadcast_arrays(real, imag)
        result = np.empty(real.shape, np.result_type(real, imag, np.complex64))
        result.real, result.imag = real, imag
        return result

    @staticmethod
    def builtin_pow(base, exponent):
        """pow(x, y) is x ** y (numba has no three-argument pow in kernels)."""
        return base**exponent

    def builtin_bool(self, value):
        return self.truth(value)

    @staticmethod
    def builtin_round(value, ndigits=None):
        """round(x) is an integer; round(x, ndigits) keeps x's type, rounded half to even.
        A float32 is rounded in double precision, as numba does (float32(0.3425) is a hair
        above 0.3425, so it rounds to 0.343 at 3 digits)."""
        if ndigits is None:
            return (
                np.rint(value).astype(np.int64) if isinstance(value, np.ndarray) else round(value)
            )
        if isinstance(value, np.ndarray):
            if value.dtype == np.float32:
                return np.round(value.astype(np.float64), int(ndigits)).astype(np.float32)
            return np.round(value, int(ndigits))
        if isinstance(value, np.float32):
            return np.float32(round(float(value), int(ndigits)))
        return round(value, int(ndigits))

    @staticmethod
    def is_same(a, b):
        """`a is b` as numba types it: None is only None, True and False only booleans of
        that value; other values (enum members, numbers) compare by value."""
        if a is None or b is None:
            return a is b
        if isinstance(a, enum.Enum) and isinstance(b, enum.Enum):
            return a is b  # members of two enums are two objects, even with equal values
        if isinstance(a, bool) and not isinstance(b, bool):
            a, b = b, a
        if isinstance(b, bool):
            if np.asarray(a).dtype != np.bool_:
                return False
            return a == b
        return a == b

    @staticmethod
    def cast(value, dtype: np.dtype):
        """numba's scalar types as constructors: float32(x), int32(x) (C casts, wrapping)."""
        if isinstance(value, np.ndarray):
            if dtype.kind in "iu" and value.dtype.kind == "f":
                value = np.trunc(value)
            return value.astype(dtype)
        if dtype.kind in "iu":
            return np.array(int(value)).astype(dtype)[()]
        return dtype.type(value)

    def print_(self, mask, line: int, values: tuple) -> None:
        """print() from a kernel: one line per active thread, in thread order."""
        for lane in self.active_lanes(mask):
            print(*(_format(_of_lane(value, lane)) for value in values))

    def raise_(self, mask, line: int, kind: type, args: tuple) -> None:
        """`raise kind(*args)` by the first active thread. With debug=True the kernel's own
        exception reaches the host, as numba raises it; otherwise a report naming it."""
        lanes = self.active_lanes(mask)
        if not lanes.size:
            return
        lane = int(lanes[0])
        block, thread = self.coordinates(lane)
        values = [_format(a[lane] if isinstance(a, np.ndarray) else a) for a in args]
        where = f"tid={list(thread)} ctaid={list(block)}"
        message = f"{where}: {', '.join(values)}" if values else where
        if self.launch.kernel.options.get("debug"):
            raise kind(message)
        raise self.error(
            KernelRuntimeError,
            line,
            lane,
            f"the kernel raised {kind.__name__}({', '.join(values)})",
            hint="launch a kernel built with @cuda.jit(debug=True) to get the exception itself",
        )

    def assert_(self, mask, line: int, condition, message) -> None:
        failed = self.lnot(self.truth(condition))
        lanes = self.active_lanes(mask)
        if isinstance(failed, np.ndarray):
            bad = lanes[failed[lanes]]
        else:
            bad = lanes if failed else lanes[:0]
        if bad.size:
            text = "assertion failed" + (f": {message}" if message is not None else "")
            raise self.error(KernelRuntimeError, line, int(bad[0]), text)


def _any_array(values) -> bool:
    return any(isinstance(v, np.ndarray) for v in values)


def _of_lane(value, lane: int):
    """One thread's part of a printed value: its element of a vector, lane by lane in a tuple."""
    if isinstance(value, np.ndarray):
        return value[lane]
    if isinstance(value, tuple):
        return tuple(_of_lane(item, lane) for item in value)
    return value


def _format(value) -> str:
    """A value as CUDA's printf shows it; a tuple (cuda.threadIdx too) as (x, y, z)."""
    if isinstance(value, tuple):
        items = [_format(item) for item in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, np.generic):
        value = value.item()
    return str(value)
