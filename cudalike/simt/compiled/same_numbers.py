"""Reads of an integer variable that holds, in some runs of the vector engine, the same number
as compiled code's value but in another type: weak_starts.py asks here where its own judgment
(weak_reads.py, by the start numbers) cannot decide.

Two such values. A *wide* value: two Python numbers merged under a mask that leaves lanes out
(`result = 0` at the top of a loop whose lanes have left, while `result` still holds the 0 of
the step before) become an int64 array there, holding the numbers compiled code holds in the
variable's narrower type; an int32 array merged into it, or an XOR, AND or OR with a value of
that type, keeps it int64 and keeps the numbers equal (the int64 operands are the
sign-extended (or, unsigned, zero-extended) images of the narrow ones, and so is their bitwise
result). Such a value names the same element as an index, converts to the same bits in a cast
or a store to an array, and nothing else is accepted. An *unknown* Python number: a start
such as `row = nr - 1` of a scalar argument, whose value is not known when compiling. It names
the same element as an index; meeting a narrower integer operand (`row + nr * j_w[col]` with
an int32 `j_w`) it is converted to that type on the vector engine (numpy refuses a number it
does not hold) and the result is computed there, wrapping, where compiled code computes in its
wider type: the two are the same number where the Python number and the result fit the
narrower type, which compiled code checks at run time (`rt.fits`, else the launch is handed
back), and the result must go straight to an index, where its type does not matter. Where the
other operand's type is also compiled code's result type (an int64 offset), the result has
that type either way and may go anywhere, once the Python number fits it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import numpy as np

from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.start_numbers import cast, holds, kind_of, number

_BITWISE = (ast.BitAnd, ast.BitOr, ast.BitXor)
_WRAPPING = (ast.Add, ast.Sub, ast.Mult)


def wide_allowed(kind) -> bool:
    """Whether an int64 array of `kind`'s numbers is read as `kind` is by the operations
    accepted here: any integer dtype but uint64 (int64 with uint64 gives float64)."""
    return isinstance(kind, np.dtype) and kind.kind in "iu" and kind != np.dtype(np.uint64)


def wide_update(kernel, kind: np.dtype, op: ast.operator, other: ast.AST) -> bool:
    """Whether `variable op= other`, the variable a wide value of `kind`'s numbers, gives the
    number compiled code's `kind` computes: a bitwise operation with a value `kind` holds (a
    dtype `kind` promotes to itself, or a known number it holds)."""
    if not isinstance(op, _BITWISE):
        return False
    known = number(kernel, other)
    if isinstance(known, int):
        return holds(kind, known)
    other_kind = kind_of(kernel, other)
    if not isinstance(other_kind, np.dtype) or other_kind.kind not in "iu":
        return False
    try:
        return nb.combine(kind, other_kind) == kind
    except nb.NotCompilable:
        return False


def wide_read(kernel, name: ast.Name, parent, parents: dict) -> bool:
    """Whether a read of a wide value gives compiled code's bits: an index, a cast, or the
    value stored whole to an array element."""
    if indexes(name, parent, parents):
        return True
    if isinstance(parent, ast.Call) and parent.args == [name] and not parent.keywords:
        return cast(kernel, parent) is not None
    if isinstance(parent, ast.Assign) and parent.value is name and len(parent.targets) == 1:
        target = parent.targets[0]
        array = target.value if isinstance(target, ast.Subscript) else None
        return isinstance(array, ast.Name) and array.id in kernel.arrays
    return False


def unknown_read(
    kernel, kind, name: ast.Name, parents: dict, typed: Callable[[ast.AST], bool]
) -> dict | None:
    """The run-time checks (node -> its bounds' code, see expressions' `stops`) under which a
    read of an integer variable of `kind` that may still hold a Python number not known when
    compiling gives compiled code's result, or None where none would. `typed(other)` records
    an operand taken as numpy-typed and says whether it reads the variable itself."""
    parent = parents.get(name)
    if not isinstance(kind, np.dtype) or kind.kind not in "iu":
        return None
    if indexes(name, parent, parents):
        return {}
    if not isinstance(parent, ast.BinOp) or not isinstance(parent.op, (*_BITWISE, *_WRAPPING)):
        return None
    other = parent.right if parent.left is name else parent.left
    if typed(other):
        return None
    narrow = kind_of(kernel, other)
    if not isinstance(narrow, np.dtype) or narrow.kind not in "iu":
        return None
    try:
        wide = nb.combine(kind, narrow)
    except nb.NotCompilable:
        return None
    info = np.iinfo(narrow)

    def bounds() -> str:
        return f"{int(info.min)}, {int(info.max)}"

    if wide == narrow:  # the Python number converted to `narrow`, then the same operation
        return {name: bounds} if narrow.itemsize < 8 else {}
    if narrow.itemsize > 4 or not indexes(parent, parents.get(parent), parents):
        return None
    # the exact result of two numbers `narrow` holds must fit compiled code's type
    room = 2 * narrow.itemsize if isinstance(parent.op, ast.Mult) else narrow.itemsize + 1
    if not isinstance(parent.op, _BITWISE) and wide.itemsize < room:
        return None
    checks = {name: bounds}
    if not isinstance(parent.op, _BITWISE):
        checks[parent] = bounds
    return checks


def indexes(node: ast.AST, parent, parents: dict) -> bool:
    """Whether `node` is an index of a subscript, alone or in a tuple of indices."""
    if isinstance(parent, ast.Subscript):
        return parent.slice is node
    if isinstance(parent, ast.Tuple):
        above = parents.get(parent)
        return isinstance(above, ast.Subscript) and above.slice is parent
    return False
