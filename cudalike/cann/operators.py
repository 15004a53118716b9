"""Ascend C's operator form: `z = x + y` on LocalTensors issues Add(z, x, y, z.GetSize()).

In Ascend C, `x + y` builds a SymbolOverrideAdd and assigning it to a LocalTensor runs Add
over the destination's size; `bits = x < y` runs Compare over x's size into a uint8 tensor
(kernel_operator_symbol_override_impl.h in CANN's asc-devkit, https://gitcode.com/cann/
asc-devkit). Python cannot overload `=` on a name, so the destination is written as
`z[:] = x + y`; `x + y` alone only records what to compute. `==` and `!=` keep Python's
meaning (is it the same object), so EQ and NE are left to Compare.
"""

from __future__ import annotations

from cudalike.cann import compare, vector
from cudalike.cann.local import LocalTensor

_SYMBOLS = {
    "Add": "+",
    "Sub": "-",
    "Mul": "*",
    "Div": "/",
    "LT": "<",
    "GT": ">",
    "LE": "<=",
    "GE": ">=",
}


class TensorExpression:
    """`x op y` on two LocalTensors, waiting for a destination (`z[:] = x op y`)."""

    __slots__ = ("name", "left", "right")

    def __init__(self, name: str, left: LocalTensor, right):
        if not isinstance(right, LocalTensor):
            raise TypeError(
                f"LocalTensor {_SYMBOLS[name]} {type(right).__name__}: Ascend C's operators "
                f"take two LocalTensors; for a scalar call {name}s(dst, src, scalar, count)"
                if name in ("Add", "Mul")
                else f"LocalTensor {_SYMBOLS[name]} {type(right).__name__}: Ascend C's "
                "operators take two LocalTensors"
            )
        self.name, self.left, self.right = name, left, right

    def compute_into(self, dst: LocalTensor) -> None:
        """Issue the instruction as the assignment does in Ascend C: over dst's elements, or
        for a comparison over the left operand's."""
        if self.name in compare.CMPMODE.__members__:
            mode = compare.CMPMODE[self.name]
            compare.Compare(dst, self.left, self.right, mode, self.left.GetSize())
        else:
            getattr(vector, self.name)(dst, self.left, self.right, dst.GetSize())

    def __repr__(self) -> str:
        return (
            f"<{self.left!r} {_SYMBOLS[self.name]} {self.right!r}: assign it with "
            "dst[:] = ... to compute>"
        )
