"""The type of each local variable of a kernel, as the vector engine would hold it.

Assignments are swept until the types settle (numbers.py's rules: a Python number is weak, a
variable assigned under a mask may hold a Python number in some runs and a merged 64-bit array
in others). A `for` loop's variable is the same Python int for every lane when its range's
bounds are Python ints, and an int64 value per lane otherwise.
"""

from __future__ import annotations

import ast
import math

from cudalike.simt import frontend
from cudalike.simt.compiled import complex_numbers, float32_starts, math_calls, warps, widths
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.expressions import Expressions, _Unknown
from cudalike.simt.compiled.flow import (
    assigned_in_loops,
    assigned_names,
    assignment_counts,
    target_of,
    targets,
    walk_statements,
)
from cudalike.simt.compiled.numbers import NotCompilable


class VariableTypes(Expressions):
    """The typing part of statements.Kernel: fills `self.types` for `self.locals`."""

    def _infer(self) -> None:
        masked = self._assigned_under_masks()
        widened = float32_starts.candidates(self)
        for _ in range(30):
            before = dict(self.types)
            for target, kind in self._assignments(self.body):
                old = self.types.get(target)
                if complex_numbers.involved(old, kind):
                    self.types[target] = complex_numbers.unify(old, kind)
                elif target in widened and {old, kind} == {nb.FLOAT32, nb.FLOAT64}:
                    self.types[target] = nb.FLOAT64  # judged by float32_starts.check below
                else:
                    self.types[target] = nb.unify(old, kind)
            # after the sweep, so what the sweep computes from them sees "maybe" too
            for name in masked & set(self.types):
                self.types[name] = nb.maybe(self.types[name])
            if self.types == before:
                break
        missing = self.locals - set(self.types)
        if missing:
            raise NotCompilable(f"variables of unknown type: {sorted(missing)}")
        widths.check(self)
        float32_starts.check(self, widened)

    def _assigned_under_masks(self) -> set[str]:
        """Variables that may hold a Python number in some runs and an array merged under a
        mask in others (nb.maybe): those assigned inside a branch or loop, or never at the top
        level, except those assigned only as `for` targets, whose type the range says
        (`_range`: the same Python int for every lane, however masked, when its bounds are
        Python ints), and those `_assigned_once` outside loops."""
        top_level = {
            t.id
            for s in self.body
            if isinstance(s, (ast.Assign, ast.AugAssign))
            for t in targets([s])
            if isinstance(t, ast.Name)
        }
        inside = assigned_names(
            [n for s in self.body for n in walk_statements(getattr(s, "body", []))]
            + [n for s in self.body for n in walk_statements(getattr(s, "orelse", []))]
        )
        statements = list(walk_statements(self.body))
        loop_only = {n.target.id for n in statements if isinstance(n, ast.For)} - assigned_names(
            [n for n in statements if isinstance(n, (ast.Assign, ast.AugAssign))]
        )
        return (inside | (self.locals - top_level)) - loop_only - _assigned_once(self.body)

    def _assignments(self, statements):
        for node in walk_statements(statements):
            try:
                call = warps.warp_call(node, self)
                if isinstance(node, ast.Expr):  # cuda.syncwarp(), a block vote alone
                    continue
                if call is not None and isinstance(target_of(node), ast.Name):
                    kind = warps.result_kind(self, call)
                    if isinstance(node, ast.AugAssign):
                        kind = self.binary(node.op, self.variable(node.target.id), ("0", kind))[1]
                    yield target_of(node).id, kind
                elif call is not None and isinstance(target_of(node), ast.Tuple):
                    for part, kind in zip(target_of(node).elts, warps.UNPACKED_KINDS, strict=True):
                        if isinstance(part, ast.Name):  # `mask, pred = cuda.match_all_sync(...)`
                            yield part.id, kind
                elif call is not None:
                    continue
                elif isinstance(node, ast.Assign):
                    yield from self._assigned(node.targets, node.value)
                elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                    current = self.variable(node.target.id)
                    yield node.target.id, self.binary(node.op, current, self.expr(node.value))[1]
                elif isinstance(node, ast.For):
                    yield node.target.id, self._range(node)[1]
            except _Unknown:
                continue

    def _assigned(self, targets, value):
        if len(targets) != 1:
            raise NotCompilable("chained assignment")
        target = targets[0]
        if isinstance(target, ast.Name):
            yield target.id, self.expr(value)[1]
        elif isinstance(target, ast.Tuple):
            for element, (_, kind) in zip(
                target.elts, self._tuple_values(target, value), strict=True
            ):
                if isinstance(element, ast.Name):
                    yield element.id, kind
                elif not isinstance(element, ast.Subscript):
                    raise NotCompilable("this tuple assignment target")

    def _tuple_values(self, target: ast.Tuple, value: ast.AST) -> list:
        if isinstance(value, ast.Tuple) and len(value.elts) == len(target.elts):
            return [self.expr(e) for e in value.elts]
        array = self._shape_of(value)
        if array is not None and len(target.elts) == self._ndim(array):
            # `rows, cols = a.shape`: one `a.shape[i]` per name, as the vector engine unpacks it
            return [
                self.expr(ast.Subscript(value=value, slice=ast.Constant(axis), ctx=ast.Load()))
                for axis in range(len(target.elts))
            ]
        if isinstance(value, ast.Call) and not value.keywords:
            meaning = self.resolve(value.func)
            if isinstance(meaning, frontend.DeviceFunction) and self.device_functions is not None:
                args = [self.expr(arg) for arg in value.args]
                functions = self.device_functions
                return functions.call_unpacked(
                    meaning.dispatcher, args, self.chain, len(target.elts)
                )
        if isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords:
            meaning = self.resolve(value.func)
            ndim = value.args[0]
            if (
                isinstance(meaning, frontend.Intrinsic)
                and meaning.path in ("grid", "gridsize")
                and isinstance(ndim, ast.Constant)
                and ndim.value == len(target.elts) in (2, 3)
            ):
                return self.grid(meaning.path, ndim.value)
            is_frexp = isinstance(meaning, frontend.Constant) and meaning.value is math.frexp
            if is_frexp and len(target.elts) == 2:  # `m, e = math.frexp(x)`
                return math_calls.frexp(self, value.args[0])
        raise NotCompilable("this tuple assignment")

    def _shape_of(self, value: ast.AST):
        """The array whose `.shape` `value` is, or None."""
        if (
            isinstance(value, ast.Attribute)
            and value.attr == "shape"
            and isinstance(value.value, ast.Name)
        ):
            return self.arrays.get(value.value.id)
        return None

    @staticmethod
    def _ndim(array) -> int:
        return array.ndim if array.shape is None else len(array.shape)

    def _range(self, node: ast.For) -> tuple[list[str], object]:
        call = node.iter
        if (
            not isinstance(node.target, ast.Name)
            or node.orelse
            or not isinstance(call, ast.Call)
            or self.resolve(call.func) != frontend.Builtin("range")
            or not 1 <= len(call.args) <= 3
            or call.keywords
        ):
            raise NotCompilable("a loop other than `for name in range(...)`")
        parts = [self.expr(a) for a in call.args]
        if not all(nb.is_integer(kind) for _, kind in parts):
            raise NotCompilable("range() of non-integers")
        codes = [nb.cast(code, kind, nb.INT64) for code, kind in parts]
        if len(codes) == 1:
            codes = ["0", codes[0]]
        if len(codes) == 2:
            codes.append("1")
        if any(not nb.is_weak(kind) for _, kind in parts):
            return codes, nb.INT64
        if any(nb.is_maybe(kind) for _, kind in parts):  # per-lane trips: an int64 array
            return codes, nb.MAYBE_INT
        return codes, nb.WEAK_INT


def _assigned_once(body: list) -> set[str]:
    """Names a single `name = value` assigns, outside every loop (`h2 = h * h` in a branch):
    the vector engine keeps that first value whole, however masked, having nothing to merge
    it with, and flow.assigned_before_read refuses a read by a thread that did not assign."""
    counts = assignment_counts(body)
    plain = {
        s.targets[0].id
        for s in walk_statements(body)
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
    }
    return {name for name in plain if counts[name] == 1} - assigned_in_loops(body)
