"""Record fields and namedtuple attributes in kernels: `a[i].b`, `rec.h[0] = v`, `r["x"]`, `p.x`.

numba passes a record (an element of a structured array) by reference, so `a[i]` in a kernel
names memory, not a copy: reading `a[i].b` reads the field in place and `a[i].b = v` writes
it. Here `a[i]` of a structured array is a zero-dimensional view of the array, and a field is
a view of the same memory with the field's dtype: a scalar field shares the record's element
numbering (bounds, race and initialisation checks stay those of the array); a field that is
itself an array (`("h", np.float32, 2)`) is addressed in units of its element type.
"""

from __future__ import annotations

import copy

import numpy as np

from cudalike.simt import memory


class RecordFields:
    """The field-access part of the chunk context (see engine.ChunkContext)."""

    def field(self, value, name: str, mask, line: int):
        """`value.name` or `value["name"]` read in a kernel: a field's value (or view, when the
        field is an array), a namedtuple's element, or a plain attribute such as `dim3.x`."""
        if isinstance(value, memory.Buffer) and value.dtype.names is not None:
            view = self.field_ref(value, name, line)
            return memory.load(self, view, (), mask, line) if view.ndim == 0 else view
        if isinstance(value, np.ndarray) and value.dtype.names is not None:
            if name in value.dtype.names:
                return value[name]
        elif isinstance(value, tuple) and hasattr(value, "_fields"):
            if name in value._fields:
                return getattr(value, name)
        elif not isinstance(value, (memory.Buffer, tuple)) and hasattr(value, name):
            return getattr(value, name)
        self.fail_runtime(line, f"{_describe(value)} has no field or attribute '{name}'")

    def field_ref(self, record, name: str, line: int) -> memory.Buffer:
        """The field `name` of a record (or of every record of a structured array), in place."""
        if not isinstance(record, memory.Buffer) or record.dtype.names is None:
            self.fail_runtime(
                line, f"only fields of records can be assigned; {_describe(record)} has none"
            )
        if name not in record.dtype.names:
            self.fail_runtime(
                line,
                f"record '{record.root.name}' has no field '{name}' "
                f"(its fields: {', '.join(record.dtype.names)})",
            )
        field_dtype, offset = record.dtype.fields[name][:2]
        if field_dtype.shape == ():
            return _scalar_field(record, name, field_dtype)
        return _array_field(self, record, name, field_dtype, offset, line)

    def assign(self, target: memory.Buffer, value, mask, line: int) -> None:
        """`rec.f = value`: one element, or every element of an array field (from an array
        of the same shape, or one value for all)."""
        if target.ndim == 0:
            memory.store(self, target, (), value, mask, line)
            return
        if isinstance(value, memory.Buffer) and value.shape != target.shape:
            self.fail_runtime(
                line,
                f"cannot assign an array of shape {value.shape} to field '{target.name}' "
                f"of shape {target.shape}",
            )
        for index in np.ndindex(*target.shape):
            element = (
                memory.load(self, value, index, mask, line)
                if isinstance(value, memory.Buffer)
                else value
            )
            memory.store(self, target, index, element, mask, line)


def _scalar_field(record: memory.Buffer, name: str, field_dtype: np.dtype) -> memory.Buffer:
    """A scalar field: the same element numbering as the records, over `storage[name]`."""
    view = copy.copy(record)
    view.storage = record.storage[name]
    view.dtype = field_dtype
    view.itemsize = field_dtype.itemsize
    view.nbytes = view.size * view.itemsize
    view.name = f"{record.name}.{name}"
    return view


def _array_field(ctx, record, name: str, field_dtype, offset: int, line: int) -> memory.Buffer:
    """An array field: a view over the records' memory in units of the field's element type."""
    element = field_dtype.base
    record_size = record.dtype.itemsize
    if record_size % element.itemsize or offset % element.itemsize:
        ctx.fail_runtime(
            line,
            f"field '{name}' of record '{record.root.name}' is not aligned to its element "
            f"type {element} (offset {offset} in a record of {record_size} bytes); "
            "declare the dtype with align=True",
        )
    ratio = record_size // element.itemsize
    root = record.root
    cache = root.__dict__.setdefault("_array_fields", {})
    if name not in cache:
        elements = root.storage.view(np.uint8).view(element)
        cache[name] = memory.Buffer(
            f"{root.name}.{name}", root.space, elements, (root.size * ratio,), base=root.base
        )
    whole = cache[name]
    field_strides = tuple(
        int(np.prod(field_dtype.shape[k + 1 :], dtype=np.int64))
        for k in range(len(field_dtype.shape))
    )
    return whole.view(
        tuple(record.shape) + tuple(field_dtype.shape),
        record.offset * ratio + offset // element.itemsize,
        tuple(s * ratio for s in record.element_strides) + field_strides,
    )


def _describe(value) -> str:
    if isinstance(value, memory.Buffer):
        return f"array '{value.name}'"
    if isinstance(value, tuple):
        return f"a {type(value).__name__}"
    return f"a value of type {getattr(value, 'dtype', type(value).__name__)}"
