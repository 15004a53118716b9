"""Typed field access for exercise.toml: every wrong field becomes one clear `SpecError`.

`spec.py` says what an exercise is; this module says how a TOML table is read field by field:
each getter checks type and range and, on a fault, raises with the file, the table and the
field, so `spec.py` reads as a list of fields.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator

import numpy as np

from autograder._expressions import Expr, ExpressionError, parse

_COURSE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_LESSON = re.compile(r"[0-9]+(-[A-Za-z0-9_-]+)?\Z")
MAX_ELEMENTS = 1 << 24  # per array and size: keeps grading a submission within seconds
DTYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64")
DTYPES += ("uint8", "uint16", "uint32", "uint64")


class SpecError(ValueError):
    """An exercise.toml is malformed.

    Attributes:
        path: the file, as shown to the reader (relative to the repository when shipped).
        field: the table and field, e.g. "[inputs.a] dtype" (empty for the whole file).
        problem: what is wrong, in words.
    """

    def __init__(self, path: str, field: str, problem: str):
        self.path, self.field, self.problem = path, field, problem
        super().__init__(f"{path}: {field} {problem}" if field else f"{path}: {problem}")


class Reader:
    """One TOML table of an exercise, with its label for error messages."""

    def __init__(self, path: str, data: dict, label: str = ""):
        self.path, self.data, self.label = path, data, label

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def fail(self, key: str, problem: str):
        """Raise SpecError for `key` of this table ("" for the table itself)."""
        field = " ".join(part for part in (self.label, key) if part)
        raise SpecError(self.path, field, problem)

    def allow_only(self, keys: str) -> None:
        """Refuse keys outside the space-separated `keys` (catches typos such as `dtpye`)."""
        allowed = keys.split()
        for key in self.data:
            if key not in allowed:
                self.fail(key, f"is not a known field (known: {', '.join(allowed)})")

    def _get(self, key: str, kind: type | tuple, words: str, required: bool = True):
        if key not in self.data:
            if required:
                self.fail(key, "is missing")
            return None
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.fail(key, f"must be {words}, not {value!r}")
        return value

    def string(self, key: str) -> str:
        value = self._get(key, str, "a string")
        if not value.strip():
            self.fail(key, "must not be empty")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self._get(key, str, "a string", required=default is None)
        if value is None:
            return default
        if value not in options:
            self.fail(key, f"{value!r} must be one of {', '.join(map(repr, options))}")
        return value

    def boolean(self, key: str) -> bool:
        return bool(self._get(key, bool, "true or false", required=False))

    def integer(self, key: str, minimum: int, required: bool = True) -> int | None:
        value = self._get(key, int, "an integer", required)
        if value is not None and value < minimum:
            self.fail(key, f"{value} must be at least {minimum}")
        return value

    def number(self, key: str, minimum: float) -> float:
        value = float(self._get(key, (int, float), "a number"))
        if not minimum <= value < float("inf"):
            self.fail(key, f"{value} must be a finite number at least {minimum}")
        return value

    def list(self, key: str, required: bool = True) -> list:
        value = self._get(key, list, "a list", required)
        return [] if value is None else value

    def strings(self, key: str, required: bool = True) -> list[str]:
        values = self.list(key, required)
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail(key, f"item {index} must be a non-empty string, not {value!r}")
        return values

    def table(self, key: str, required: bool = True) -> Reader:
        value = self._get(key, dict, "a table", required)
        return Reader(self.path, value or {}, f"[{key}]")

    def tables(self, key: str) -> Iterator[tuple[str, Reader]]:
        """The sub-tables of `[key]`, e.g. ("a", the table [inputs.a])."""
        for name, value in self.table(key).data.items():
            if not isinstance(value, dict):
                self.fail(f"[{key}] {name}", f"must be a table [{key}.{name}], not {value!r}")
            yield name, Reader(self.path, value, f"[{key}.{name}]")

    def list_of_tables(self, key: str, required: bool = True) -> list[Reader]:
        readers = []
        for index, value in enumerate(self.list(key, required)):
            if not isinstance(value, dict):
                self.fail(f"{key}[{index}]", f"must be a table, not {value!r}")
            label = f"{self.label} {key}[{index}]" if self.label else f"[[{key}]][{index}]"
            readers.append(Reader(self.path, value, label))
        return readers

    def size(self, key: str, index: int, value: object) -> dict[str, int]:
        """One size, e.g. {n = 1000}: size variables with positive integer values."""
        field = f"{key}[{index}]"
        if not isinstance(value, dict) or not value:
            self.fail(
                field, f"must be a table of size variables, e.g. {{ n = 1000 }}, not {value!r}"
            )
        for name, number in value.items():
            if not name.isidentifier():
                self.fail(field, f"{name!r} is not a valid variable name")
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                self.fail(field, f"{name} = {number!r} must be a positive integer")
        return dict(value)

    def expression(self, key: str, value: object, variables: tuple[str, ...]) -> Expr:
        try:
            return parse(value, frozenset(variables))
        except ExpressionError as error:
            self.fail(key, str(error))

    def value_range(self, key: str, dtype: str) -> tuple[float, float]:
        """`range = [low, high]` with low < high, both representable in `dtype`."""
        value = self.list(key)
        if len(value) != 2 or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        ):
            self.fail(key, f"must be [low, high] (two numbers), not {value!r}")
        low, high = value
        if not low < high:
            self.fail(key, f"low {low} must be below high {high}")
        is_float = dtype.startswith("float")
        if not is_float and not all(isinstance(v, int) for v in value):
            self.fail(key, f"{value} must be integers for {dtype}")
        info = np.finfo(dtype) if is_float else np.iinfo(dtype)
        number = float if is_float else int
        smallest, largest = number(info.min), number(info.max)
        if low < smallest or high > largest:
            self.fail(key, f"{value} does not fit {dtype} ({smallest} to {largest})")
        return low, high


def parse_dtype(table: Reader, key: str | None, value: object = None) -> str:
    """Check a dtype name: the value of `key`, or `value` itself (a table name)."""
    if key is not None:
        value = table._get(key, str, "a dtype name such as 'float32'")
    if value not in DTYPES:
        where = key if key is not None else ""
        table.fail(where, f"{value!r} is not a dtype (one of {', '.join(DTYPES)})")
    return value


def read_sizes(table: Reader) -> tuple[tuple[str, ...], tuple, tuple]:
    table.allow_only("public hidden")
    lists = {}
    for key in ("public", "hidden"):
        entries = table.list(key)
        if not entries:
            table.fail(key, "must list at least one size, e.g. [{ n = 1000 }]")
        lists[key] = [table.size(key, index, entry) for index, entry in enumerate(entries)]
    variables = tuple(lists["public"][0])
    for key, sizes in lists.items():
        for index, size in enumerate(sizes):
            if tuple(size) != variables:
                table.fail(f"{key}[{index}]", f"names {sorted(size)}, expected {list(variables)}")
    public, hidden = (tuple(types.MappingProxyType(s) for s in lists[k]) for k in lists)
    return variables, public, hidden


def read_shape(table: Reader, key: str, variables: tuple[str, ...]) -> tuple[Expr, ...]:
    dims = table.list(key)
    if not 1 <= len(dims) <= 3:
        table.fail(key, f"must have 1 to 3 dimensions, not {len(dims)}")
    return tuple(table.expression(key, dim, variables) for dim in dims)


def check_sizes(top: Reader, inputs: dict, outputs: dict, launch, sizes: tuple) -> None:
    """Evaluate every shape and launch expression at every size, before anyone grades."""
    arrays = [(f"[inputs.{n}] shape", s.shape) for n, s in inputs.items() if s.kind == "array"]
    arrays += [(f"[outputs.{n}] shape", s.shape) for n, s in outputs.items()]
    counts = [("[launch] grid", launch.grid), ("[launch] block", launch.block)]
    for size in sizes:
        for where, shape in arrays + counts:
            try:
                dims = [expr.evaluate(size) for expr in shape]
            except ExpressionError as error:
                raise SpecError(top.path, where, str(error)) from None
            if any(dim < 1 for dim in dims):
                raise SpecError(top.path, where, f"is {dims} at size {dict(size)}, not positive")
            elements = 1
            for dim in dims:
                elements *= dim
            if where.endswith("shape") and elements > MAX_ELEMENTS:
                problem = f"has {elements} elements at size {dict(size)}, over {MAX_ELEMENTS}"
                raise SpecError(top.path, where, problem)


def read_device(top: Reader, track: str) -> str:
    """The device profile name, checked against the shipped GPU (simt) or NPU (cann) ones."""
    name = top.string("device")
    try:
        if track == "simt":
            from cudalike.model.profiles import profile_by_name

            profile_by_name(name)
        else:
            from cudalike.model.devices_npu import load_npu_profile

            load_npu_profile(name)
    except (ValueError, FileNotFoundError, OSError) as error:
        top.fail("device", f"{name!r} is not a {track} device profile: {error}")
    return name


def read_place(top: Reader) -> dict[str, str | None]:
    """`course` and `lesson`: optional, and a lesson only within a course."""
    place: dict[str, str | None] = {"course": None, "lesson": None}
    for key, pattern, example in (
        ("course", _COURSE, '"cuda-basics" (a folder of courses/)'),
        ("lesson", _LESSON, '"02" or "02-indexing-guards-and-grid-stride-loops" (a file stem)'),
    ):
        if key in top:
            value = top.string(key)
            if not pattern.match(value):
                top.fail(key, f"{value!r} must look like {example}")
            place[key] = value
    if place["lesson"] is not None and place["course"] is None:
        top.fail("lesson", "needs course = ... too (the lesson is one of that course's)")
    return place


# The symptoms an exercise's [feedback] table may give advice for, and what each means
# (`autograder/steps/advice.py` tells them apart in a grading).
SYMPTOMS = {
    "out_of_bounds": "a kernel read or wrote past the end of an array",
    "race_shared": "two threads touched one shared-memory element without a barrier between",
    "race_global": "two threads or blocks touched one global element in no fixed order",
    "race": "either kind of race, when the specific one has no advice",
    "barrier": "a barrier that some threads of a block did not reach",
    "uninitialized": "a read of memory nothing had written",
    "runaway": "a loop that did not end, or a launch that ran out of the grader's time",
    "sync": "a missing or mismatched CANN queue or flag synchronisation",
    "capacity": "on-chip buffers beyond their capacity",
    "alignment": "a data copy or address that is not aligned as the hardware needs",
    "error": "any other error while the kernel ran",
    "unwritten": "output elements the kernel never wrote",
    "wrong_values": "output elements written with wrong values",
    "no_atomics": "the rule no_atomics was broken",
    "must_use_shared_memory": "the rule must_use_shared_memory was broken",
    "max_global_loads_per_thread": "the rule max_global_loads_per_thread was broken",
    "block_size_multiple_of": "the rule block_size_multiple_of was broken",
    "ub_budget_bytes": "the rule ub_budget_bytes was broken",
    "slow": "correct, but slower than the fastest speed tier",
}


def read_feedback(table: Reader) -> types.MappingProxyType:
    """`[feedback]`: symptom -> advice, every key one of `SYMPTOMS`."""
    for key in table.data:
        if key not in SYMPTOMS:
            table.fail(key, f"is not a symptom; use one of: {', '.join(SYMPTOMS)}")
    return types.MappingProxyType({key: table.string(key) for key in table.data})
