"""Lowering of control flow: `if`, `for`, `while`, `break`, `continue` and `return` as masks.

A branch narrows the active mask `__m` for its body and restores it after; a loop runs while
any lane is active, with per-loop masks of the lanes that broke or continued; `return` moves
the active lanes into the function's exit mask (see lowering.py for the rest).
"""

from __future__ import annotations

import ast

from cudalike.simt import costs, loop_sampling
from cudalike.simt.name_scan import has_exit, has_return


class ControlFlowLowering:
    """The control-flow statements of lowering._Lowering, which provides emit, expr, block."""

    def exits(self) -> str:
        parts = [self.ret]
        if self.loops:
            loop = self.loops[-1]
            parts += [f"__brk{loop}", f"__cnt{loop}"]
        return ", ".join(parts)

    def stmt_If(self, node: ast.If) -> None:
        condition, saved = self.fresh("__c"), self.fresh("__s")
        self.emit(f"{condition} = __ctx.truth({self.expr(node.test, '__m')})")
        if self.counting:
            self.emit(f"__ctx.counting.branch(__ctx, __m, {condition}, {self.site})")
            test_weight = costs.weight(node.test, self.local_arrays, self.constant_divisors)
            self.count(node, weight=test_weight + 1)
        self.emit(f"{saved} = __m")
        self.emit(f"__m = __ctx.narrow({saved}, {condition})")
        self.nested("if __m is not False:", node.body)
        if node.orelse:
            self.line = node.orelse[0].lineno
            self.emit(f"__m = __ctx.narrow_not({saved}, {condition})")
            self.nested("if __m is not False:", node.orelse)
        if has_exit(node.body) or has_exit(node.orelse):
            self.emit(f"__m = __ctx.andnot({saved}, {self.exits()})")
        else:
            self.emit(f"__m = {saved}")

    def nested(self, header: str, body: list[ast.stmt], loop: int | None = None) -> None:
        line = self.line
        self.emit(header)
        self.indent += 1
        self.depth += 1
        if loop is not None:
            self.loops.append(loop)
        self.block(body)
        if loop is not None:
            self.loops.pop()
        self.depth -= 1
        self.indent -= 1
        self.line = line

    def stmt_For(self, node: ast.For) -> None:
        self.counter += 1
        loop = str(self.counter)
        args = [self.hoist(self.expr(a, "__m")) for a in node.iter.args]
        if len(args) == 1:
            low, high, step = "0", args[0], "1"
        elif len(args) == 2:
            low, high, step = args[0], args[1], "1"
        else:
            low, high, step = args
        returns = self.ret if has_return(node.body) else "False"
        self.emit(f"__lo{loop}, __st{loop} = {low}, {step}")
        trip = f"__ctx.trip_count(__lo{loop}, {high}, __st{loop}, __m, {self.site})"
        self.emit(f"__n{loop}, __trip{loop} = {trip}")
        self.emit(f"__w{loop} = __m")
        self.emit(f"__brk{loop} = False")
        sampled = self.counting and loop_sampling.sampleable(node)
        if sampled:  # profiled: a loop whose iterations repeat is extrapolated
            skippable = loop_sampling.skippable(self.parsed.tree, node)
            self.emit(
                f"__ls{loop} = __ctx.counting.loop_start(__ctx, __m, __n{loop}, __trip{loop}, "
                f"{skippable})"
            )
        self.emit(f"for __i{loop} in range(__n{loop}):")
        self.indent += 1
        self.emit(f"__cnt{loop} = False")
        self.emit(
            f"__m = __ctx.loop_mask(__w{loop}, {returns}, __brk{loop}, __trip{loop}, __i{loop})"
        )
        self.emit("if __m is False:")
        self.emit("    break")
        if sampled:
            self.emit(f"if __ls{loop} is not None and __ls{loop}.stop_at(__i{loop}):")
            self.emit(
                f"    {node.target.id} = __ctx.loop_value(__m, __lo{loop}, __n{loop} - 1, "
                f"__st{loop}, __trip{loop}, {node.target.id})"
            )
            self.emit("    break")
        self.emit(f"__ctx.tick(__m, {self.site}, __n{loop})")
        if self.counting and not self.constant_range(node.iter):  # nvcc unrolls constant trips
            self.emit(f"__ctx.counting.issue(__ctx, __m, {self.site}, 2, 0, 0, 0, None)")
        self.emit(
            f"{node.target.id} = __ctx.loop_value(__m, __lo{loop}, __i{loop}, __st{loop}, "
            f"__trip{loop}, {node.target.id})"
        )
        self.indent -= 1
        self.nested_body(node.body, loop)
        if sampled:
            self.emit(f"if __ls{loop} is not None:")
            self.emit(f"    __ls{loop}.close()")
        self.emit(
            f"__m = __ctx.andnot(__w{loop}, {returns})"
            if returns != "False"
            else f"__m = __w{loop}"
        )

    def nested_body(self, body: list[ast.stmt], loop: int) -> None:
        line = self.line
        self.indent += 1
        self.depth += 1
        self.loops.append(loop)
        self.block(body)
        self.loops.pop()
        self.depth -= 1
        self.indent -= 1
        self.line = line

    def stmt_While(self, node: ast.While) -> None:
        self.counter += 1
        loop = str(self.counter)
        returns = self.ret if has_return(node.body) else "False"
        self.emit(f"__w{loop} = __m")
        self.emit(f"__brk{loop} = False")
        self.emit("while True:")
        self.indent += 1
        self.emit(f"__cnt{loop} = False")
        self.emit(f"__m = __ctx.andnot(__w{loop}, {returns}, __brk{loop})")
        self.emit(f"__c{loop} = __ctx.truth({self.expr(node.test, '__m')})")
        self.emit(f"__brk{loop} = __ctx.or_(__brk{loop}, __ctx.narrow_not(__m, __c{loop}))")
        self.emit(f"__m = __ctx.narrow(__m, __c{loop})")
        self.emit("if __m is False:")
        self.emit("    break")
        self.emit(f"__ctx.tick(__m, {self.site})")
        if self.counting:
            self.emit(f"__ctx.counting.issue(__ctx, __m, {self.site}, 2, 0, 0, 0, None)")
        self.indent -= 1
        self.nested_body(node.body, loop)
        self.emit(
            f"__m = __ctx.andnot(__w{loop}, {returns})"
            if returns != "False"
            else f"__m = __w{loop}"
        )

    def stmt_Break(self, node: ast.Break) -> None:
        loop = self.loops[-1]
        self.emit(f"__brk{loop} = __ctx.or_(__brk{loop}, __m)")
        self.emit("__m = False")

    def stmt_Continue(self, node: ast.Continue) -> None:
        loop = self.loops[-1]
        self.emit(f"__cnt{loop} = __ctx.or_(__cnt{loop}, __m)")
        self.emit("__m = False")

    def stmt_Return(self, node: ast.Return) -> None:
        if self.device:
            if node.value is not None:
                self.emit(f"__rv = __ctx.merge(__m, {self.expr(node.value, '__m')}, __rv)")
            if self.depth == 0:
                self.emit("return __rv")
                return
            self.emit("__ret = __ctx.or_(__ret, __m)")
        else:
            if node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None
            ):
                raise self.parsed.reject(
                    node, "returning a value from a kernel", "write results to an array"
                )
            if self.depth == 0:
                self.emit("return")
                return
            self.emit("__ctx.exit(__m)")
        self.emit("__m = False")
