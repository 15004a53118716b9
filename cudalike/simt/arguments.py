"""Kernel arguments as the engine sees them: arrays become buffers, numbers stay numbers.

numba passes arrays by reference (a numpy array is copied to the device and back), numbers by
value, tuples and namedtuples element by element (each element converted the same way) and a
record (one element of a structured array) by reference, so that the kernel's writes to its
fields reach the caller. This module does the same, and lists what to copy back afterwards.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

import numpy as np

from cudalike.simt import memory, overloads
from cudalike.simt.device_array import fill_poison
from cudalike.simt.signatures import choose, expected_argument, scalar_argument

_NUMBERS = (bool, int, float, complex, np.generic)  # after np.void (a record), checked first


def kernel_arguments(kernel, args: tuple) -> tuple[list, list[Callable[[], None]]]:
    """(the value of each parameter in the kernel, the copies back to run after the launch)."""
    values, copies_back = [], []
    signature = None
    if kernel.signature is not None:
        signature = choose(kernel.signature, args)
    for position, (name, value) in enumerate(zip(kernel.parsed.params, args, strict=True)):
        declared = (signature, position) if signature is not None else None
        values.append(_argument(kernel, name, value, copies_back, declared))
    return values, copies_back


def buffers_of(values) -> list[memory.Buffer]:
    """Every buffer among the kernel's argument values, inside tuples too."""
    found = []
    for value in values:
        if isinstance(value, memory.Buffer):
            found.append(value)
        elif isinstance(value, tuple):
            found.extend(buffers_of(value))
    return found


def _argument(kernel, name: str, value, copies_back: list, declared: tuple | None = None):
    """One argument's value in the kernel; `declared`: (signature, position) of a top-level
    argument of a kernel compiled for a signature."""
    direction = value if isinstance(value, overloads.ArrayArgument) else None
    if direction is not None:
        value = np.asarray(direction.value)
    if isinstance(value, np.void):
        return _record(name, value, copies_back)
    if hasattr(value, "_array") and isinstance(value._array, np.ndarray):
        array = value._array
    elif isinstance(value, np.ndarray):
        array = value
    elif isinstance(value, _NUMBERS):
        return value if declared is None else scalar_argument(*declared, value)
    elif isinstance(value, enum.Enum):
        return value  # a member, compared with == and is as numba compares them
    elif isinstance(value, tuple):
        items = tuple(
            _argument(kernel, f"{name}[{k}]", item, copies_back) for k, item in enumerate(value)
        )
        return type(value)(*items) if hasattr(value, "_fields") else items
    else:
        raise TypeError(
            f"argument '{name}' of kernel '{kernel.__name__}' is a {type(value).__name__}; "
            "pass numpy arrays, device arrays (cuda.to_device), numbers, enum members, records "
            "or tuples of these"
        )
    if declared is not None:
        _check_signature(kernel, name, array, declared)
    if isinstance(value, np.ndarray) or not array.flags.c_contiguous:
        work = np.ascontiguousarray(array).copy()
        if direction is not None and not direction.copy_in:
            fill_poison(work)  # cuda.Out: the device memory was never written
        if direction is None or direction.copy_out:
            copies_back.append(_copy_back(array, work))
    else:
        work = array
    return memory.Buffer(name, "global", work.reshape(-1), work.shape, base=work)


def _record(name: str, record: np.void, copies_back: list) -> memory.Buffer:
    """A record is passed by reference: a one-element copy whose fields are written back."""
    work = np.array([record], dtype=record.dtype)

    def copy_back() -> None:
        for field in record.dtype.names or ():
            record[field] = work[0][field]

    copies_back.append(copy_back)
    return memory.Buffer(name, "global", work, (), base=work)


def _copy_back(target: np.ndarray, work: np.ndarray) -> Callable[[], None]:
    def copy_back() -> None:
        target[...] = work.reshape(target.shape)

    return copy_back


def _check_signature(kernel, name: str, array: np.ndarray, declared: tuple) -> None:
    expected = expected_argument(*declared)
    if expected is not None and (expected[0] != array.dtype or expected[1] != array.ndim):
        raise TypeError(
            f"argument '{name}' of kernel '{kernel.__name__}' is a {array.ndim}-d {array.dtype} "
            f"array, but the kernel's signature declares a {expected[1]}-d {expected[0]} array"
        )
