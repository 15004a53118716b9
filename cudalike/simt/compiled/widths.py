"""Reads of an integer that is int32 in some runs of the vector engine and int64 in others.

Two ways make one. An int32 meets a variable that holds a Python int in some runs and a merged
int64 array in others (`score[i - 1, j - 1] + match`, `match = MATCH if a == b else
MISMATCH`): the sum is int32 in the first runs (NEP 50) and int64 in the second. A variable is
assigned an int64 value in one branch and an int32 value in another (`dst = tid - ones_before`
and `dst = cuda.blockDim.x - total_ones + ones_before`): it is int32 where every lane of the
chunk took the second branch and int64 elsewhere. Compiled code keeps the int64 number
(numbers.EITHER_WIDTH), of which the int32 runs hold the low 32 bits: `+ - * & | ^` and unary
minus and inversion keep that so, as does `<<` by a known count in [0, 64) (numpy shifts 32-bit
integers by 32 or more to 0, whose bits are the int64 result's low ones), and an integer of at
most 32 bits made of it (a cast, a store to an int32 or narrower array) has the same bits
whichever width ran. Every other read sees the same number only where the value fits int32,
which compiled code checks at run time (`rt.fits`, the launch handed back otherwise): a
comparison, `min` and `max`, an index, a store to a wider array, a conversion to a float or
int64 (numbers.py writes these checks in its casts). `//`, `%` and `>>` (by a known count in
[0, 64), which numba's shift computes as numpy's does) give the same number in both widths
where their operands lie in int32 above its minimum (the minimum // -1 wraps in int32 alone),
which compiled code checks too; dividing by zero hands the launch back, as for any integer.
Any other read (a shift by another count, a condition, a call, an atomic, a shuffle, `**`)
keeps the kernel on the vector engine, since its result or its type may differ from run to run.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled import narrow_starts
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.same_numbers import indexes
from cudalike.simt.compiled.start_numbers import cast, kind_of, number

_UNARY = (ast.USub, ast.UAdd, ast.Invert)
_MIN_MAX = (frontend.Builtin("min"), frontend.Builtin("max"))
_SHIFTS = (ast.LShift, ast.RShift)


def check(kernel) -> None:
    """Refuse the kernel (or device function) where a value that may be int32 or int64
    depending on the run is read other than as the module's docstring allows, once
    narrow_starts.py has typed the narrow variables that start as a Python int they do not
    hold (the other integers whose type depends on the run)."""
    narrow_starts.retype(kernel)
    tree = ast.Module(body=kernel.body, type_ignores=[])
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, _SHIFTS):
            _check_shift(kernel, node)
        if not isinstance(node, ast.expr) or isinstance(getattr(node, "ctx", None), ast.Store):
            continue
        if nb.is_either_width(kind_of(kernel, node)) and not _judged(kernel, node, parents):
            raise NotCompilable(
                f"a value that is int32 or int64 depending on the run is read on line "
                f"{getattr(node, 'lineno', '?')} where the width may matter"
            )


def _check_shift(kernel, node: ast.BinOp | ast.AugAssign) -> None:
    """Refuse a shift of an int32-or-int64 value, or by one, unless its count is a known number
    in [0, 64): the generated code shifts with numba's own operator, which agrees with numpy
    only there."""
    if isinstance(node, ast.AugAssign):
        left, right = ast.copy_location(_loaded(node.target), node.target), node.value
    else:
        left, right = node.left, node.right
    if not any(nb.is_either_width(kind_of(kernel, side)) for side in (left, right)):
        return
    count = number(kernel, right)
    if not (isinstance(count, int) and 0 <= count < 64):
        raise NotCompilable(
            f"a shift of a value that is int32 or int64 depending on the run on line "
            f"{node.lineno} by a count other than a known one in [0, 64)"
        )


def _loaded(target: ast.expr) -> ast.expr:
    """The value an augmented assignment's target holds before it: the same target, read."""
    if isinstance(target, ast.Name):
        return ast.Name(id=target.id, ctx=ast.Load())
    return target


def _judged(kernel, node: ast.expr, parents: dict) -> bool:
    parent = parents.get(node)
    if isinstance(parent, ast.Compare):
        return True  # numbers.comparison: checked to fit int32
    if isinstance(parent, ast.BinOp):  # numbers.arithmetic: modular, else checked or refused
        return not isinstance(parent.op, ast.Pow)  # shifts: _check_shift
    if isinstance(parent, ast.UnaryOp):
        return isinstance(parent.op, _UNARY)
    if isinstance(parent, ast.IfExp):
        return parent.test is not node
    if indexes(node, parent, parents):
        return True  # converted to int64, checked to fit int32
    if isinstance(parent, ast.Call):
        if parent.keywords or node not in parent.args:
            return False
        meaning = kernel.resolve(parent.func)
        return meaning in _MIN_MAX or (len(parent.args) == 1 and cast(kernel, parent) is not None)
    if isinstance(parent, ast.Assign):
        target = parent.targets[0] if len(parent.targets) == 1 else None
        return parent.value is node and isinstance(target, (ast.Name, ast.Subscript))
    if isinstance(parent, ast.AugAssign):
        return parent.value is node and isinstance(parent.target, ast.Name)
    return False
