"""CUDA vector types in kernels: `cuda.float32x4(1, 2, 3, 4)`, `cuda.short2(a, b)`, `v.x`.

numba-cuda names them `<base>x<n>` for ten base types and n = 1..4, with CUDA C's aliases
(`float4`, `double2`, `short2`, `uint3`, ...); see numba-cuda's `numba/cuda/stubs.py`
(make_vector_type_stubs, map_vector_type_stubs_to_alias). A constructor takes numbers and
smaller vectors whose elements add up to n (`float32x4(v2, 1, 2)`). In a kernel a vector is
a namedtuple of its elements (x, y, z, w), each one value per lane of the base type.
"""

from __future__ import annotations

import collections
import functools

import numpy as np

_BASES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
_BASES += ("float32", "float64")
_C_NAMES = {
    "char": "int8",
    "short": "int16",
    "int": "int32",
    "long": "int64",
    "longlong": "int64",
    "uchar": "uint8",
    "ushort": "uint16",
    "uint": "uint32",
    "ulong": "uint64",
    "ulonglong": "uint64",
    "float": "float32",
    "double": "float64",
}
_FIELDS = ("x", "y", "z", "w")

VECTORS = {
    f"{base}x{count}": collections.namedtuple(f"{base}x{count}", _FIELDS[:count])
    for base in _BASES
    for count in range(1, 5)
}
ALIASES = {
    f"{c_name}{count}": f"{base}x{count}"
    for c_name, base in _C_NAMES.items()
    for count in range(1, 5)
}
NAMES = (*VECTORS, *ALIASES)  # every name cuda.<name> has


def canonical(name: str) -> str:
    """`float4` -> `float32x4`; canonical names stay as they are."""
    return ALIASES.get(name, name)


def is_vector_stub(value) -> bool:
    """One of numba-cuda's vector type objects (`numba.cuda.stubs.float32x4`)."""
    return (
        isinstance(value, type)
        and (value.__module__ or "").startswith("numba")
        and value.__name__ in VECTORS
    )


class VectorTypes:
    """The vector-type constructors of the chunk context (see engine.ChunkContext)."""

    def make_vector(self, name: str, mask, line: int, *parts):
        """`name(*parts)`: the parts' elements, flattened, cast to the base type."""
        vector = VECTORS[name]
        elements = []
        for part in parts:
            if isinstance(part, tuple) and type(part).__name__ in VECTORS:
                elements.extend(part)
            elif isinstance(part, tuple | type(None)):
                self.fail_runtime(line, f"{name} is built from numbers and vectors only")
            else:
                elements.append(part)
        if len(elements) != len(vector._fields):
            self.fail_runtime(
                line,
                f"{name} has {len(vector._fields)} elements, but was given {len(elements)}",
            )
        dtype = np.dtype(name.rsplit("x", 1)[0])
        return vector(*(self.cast(element, dtype) for element in elements))


for _name in NAMES:  # __ctx.vector_float4(mask, line, *parts), one method per name
    setattr(
        VectorTypes,
        f"vector_{_name}",
        functools.partialmethod(VectorTypes.make_vector, canonical(_name)),
    )

CALLS = {name: f"vector_{name}" for name in NAMES}
