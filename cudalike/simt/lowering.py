"""Lowering: turn a per-thread kernel into a vector program over lanes, as Python source.

A SIMT machine runs one instruction for a whole warp, switching off the lanes a branch does
not take. The vector program does the same for every thread of a chunk of blocks at once:
each local variable holds one value per lane (a numpy array) or one value for all (a scalar),
and control flow becomes an active mask `__m`:
- `if` narrows the mask for each branch and restores it after;
- loops run while any lane is active; `break`, `continue` and `return` switch lanes off;
- assignments inside branches keep the old value on inactive lanes (`__ctx.merge`);
- every array access, intrinsic and barrier goes through the runtime context `__ctx`, which
  checks and executes it for the active lanes.
The generated source keeps a comment with each original line; `kernel.vector_source` shows it.
"""

from __future__ import annotations

import ast
import dataclasses

import numpy as np

from cudalike.errors import UnsupportedConstructError
from cudalike.simt import costs
from cudalike.simt.control_flow import ControlFlowLowering
from cudalike.simt.expressions import BINARY, ExpressionLowering, is_field_target
from cudalike.simt.frontend import Builtin, Constant, Intrinsic, ParsedFunction, Resolver
from cudalike.simt.global_values import is_kernel_function
from cudalike.simt.name_scan import lane_run_names, local_names, written_params


@dataclasses.dataclass
class Program:
    """The lowered source of one function plus the objects its namespace needs.

    Attributes:
        line_map: user line of each generated line (index 0 is the `def` line).
        device_calls: (device function, line) of every call to another function.
        written_params: parameters the function may write (stores, atomics, calls).
    """

    name: str
    source: str
    namespace: dict
    line_map: list[int]
    device_calls: list
    written_params: set[str]


def lower(
    parsed: ParsedFunction,
    resolver: Resolver,
    *,
    device: bool,
    site_base: int,
    counting: bool = False,
) -> Program:
    """Lower one kernel (device=False) or device function into a vector program.

    Source lines are passed to the runtime as `site_base + line`, so that lines of functions
    defined in different files or notebook cells stay distinct.
    """
    return _Lowering(parsed, resolver, device, site_base, counting).run()


class _Lowering(ControlFlowLowering, ExpressionLowering):
    def __init__(
        self,
        parsed: ParsedFunction,
        resolver: Resolver,
        device: bool,
        site_base: int,
        counting: bool,
    ):
        self.counting = counting  # emit counters for the performance model
        self.site_base = site_base
        self.parsed = parsed
        self.resolver = resolver
        self.device = device
        self.lines: list[tuple[int, str, int]] = []
        self.indent = 1
        self.depth = 0
        self.counter = 0
        self.loops: list[int] = []
        self.line = parsed.tree.lineno
        self.namespace: dict = {}
        self.device_calls: list = []
        self.locals = local_names(parsed)
        self.local_arrays = costs.local_array_names(parsed.tree)
        self.constant_divisors = (
            costs.constant_divisors(parsed.tree, self.is_frozen_constant) if counting else set()
        )
        self.ret = "__ret" if device else "__ctx.exited"
        self.lane_runs = set() if counting else self.grid_runs()

    def grid_runs(self) -> set[str]:
        """Names bound to cuda.grid(1) that may stay a run of lane numbers (see lane_runs)."""
        names = lane_run_names(self.parsed.tree)
        runs = set()
        for statement in self.parsed.tree.body:
            target = statement.targets[0] if isinstance(statement, ast.Assign) else None
            if getattr(target, "id", None) not in names:
                continue
            function = statement.value.func
            root = function.value if isinstance(function, ast.Attribute) else function
            if getattr(root, "id", None) in self.locals:
                continue
            if self.resolver.resolve(function) == Intrinsic("grid"):
                runs.add(target.id)
        return runs

    def arguments_written(self, call: ast.Call) -> list[ast.expr]:
        """The arguments a call may write: none for a Python built-in, a cast, or a math or
        numpy function given no output array; the array alone for an atomic; else all."""
        root = call.func
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name) or root.id in self.locals or call.keywords:
            return call.args
        try:
            resolved = self.resolver.resolve(call.func)
        except UnsupportedConstructError:  # an exception class raised, say: the lowering sees
            return call.args
        if isinstance(resolved, Intrinsic) and resolved.path.startswith("atomic."):
            return call.args[:1]
        if isinstance(resolved, Builtin):
            return []
        if not isinstance(resolved, Constant):
            return call.args
        value = resolved.value
        if isinstance(value, np.dtype) or (
            isinstance(value, np.ufunc) and len(call.args) <= value.nin
        ):
            return []
        return [] if is_kernel_function(value) and not isinstance(value, np.ufunc) else call.args

    def is_arithmetic_store(self, node: ast.Assign) -> bool:
        """`x[...] = l + r` (or -, *) to one element, outside a profiled variant."""
        if self.counting or len(node.targets) != 1:
            return False
        target, value = node.targets[0], node.value
        return (
            isinstance(target, ast.Subscript)
            and not is_field_target(target)
            and not any(
                isinstance(part, ast.Slice)
                for part in (target.slice.elts if isinstance(target.slice, ast.Tuple) else [])
            )
            and not isinstance(target.slice, ast.Slice)
            and isinstance(value, ast.BinOp)
            and isinstance(value.op, (ast.Add, ast.Sub, ast.Mult))
        )

    # ---- emission helpers -------------------------------------------------------------
    def emit(self, text: str) -> None:
        self.lines.append((self.indent, text, self.line))

    @property
    def site(self) -> int:
        """The number passed to the runtime for this line: unique across the kernel's functions."""
        return self.site_base + self.line

    def fresh(self, stem: str = "__t") -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

    # ---- whole function ---------------------------------------------------------------
    def run(self) -> Program:
        tree = self.parsed.tree
        params = ", ".join(self.parsed.params)
        if self.device:
            header = f"def __device_{self.parsed.name}(__ctx, __m{', ' if params else ''}{params}):"
            self.emit("__ret = False")
            self.emit("__rv = None")
        else:
            header = f"def __kernel_{self.parsed.name}(__ctx{', ' if params else ''}{params}):"
            self.emit("__m = True")
        for name in sorted(self.locals - set(self.parsed.params)):
            self.emit(f"{name} = None")
        self.block(tree.body)
        if self.device:
            self.emit("return __rv")
        source_lines = [header] + ["    " * indent + text for indent, text, _ in self.lines]
        line_map = [tree.lineno] + [line for _, _, line in self.lines]
        return Program(
            self.parsed.name,
            "\n".join(source_lines) + "\n",
            self.namespace,
            line_map,
            self.device_calls,
            written_params(tree, self.parsed.params, self.arguments_written),
        )

    def block(self, statements: list[ast.stmt]) -> None:
        start = len(self.lines)
        for statement in statements:
            self.line = statement.lineno
            self.emit(
                f"# line {statement.lineno}: {self.parsed.source_line(statement.lineno).strip()}"
            )
            counted = self.counting and not isinstance(statement, _CONTROL)
            assigns = isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign))
            if counted and not assigns:
                self.count(statement)
            self.statement(statement)
            if counted and assigns:  # after, so the probe holds the assigned value's dtype
                self.count(statement)
            if isinstance(statement, (ast.Return, ast.Break, ast.Continue)):
                break  # the rest of this block is unreachable
        if all(text.startswith("#") for _, text, _ in self.lines[start:]):
            self.emit("pass")

    def constant_range(self, call: ast.Call) -> bool:
        """Whether range()'s bounds are literals or frozen globals (a compile-time trip count)."""
        for argument in call.args:
            if isinstance(argument, ast.Constant):
                continue
            if isinstance(argument, ast.Name) and argument.id not in self.locals:
                if isinstance(self.resolver.resolve(argument), Constant):
                    continue
            return False
        return True

    def is_frozen_constant(self, name: ast.Name) -> bool:
        """Whether a free name is a frozen global constant (its value known at compile time)."""
        return (
            name.id not in self.locals
            and name.id in self.resolver.namespace
            and isinstance(self.resolver.resolve(name), Constant)
        )

    def count(self, statement: ast.stmt, weight: int | None = None) -> None:
        """Profiled programs only: count the statement's warp instructions and FLOPs."""
        fadd, fmul, ffma = costs.flop_counts(statement)
        if weight is None:
            weight = costs.weight(statement, self.local_arrays, self.constant_divisors)
        self.emit(
            f"__ctx.counting.issue(__ctx, __m, {self.site}, {weight}, {fadd}, {fmul}, {ffma}, "
            f"{self.flop_probe(statement)})"
        )

    def flop_probe(self, statement: ast.stmt) -> str:
        """An expression whose dtype says whether the statement's arithmetic is floating point."""
        target = (
            getattr(statement, "target", None) or (getattr(statement, "targets", None) or [None])[0]
        )
        if isinstance(target, ast.Name) and target.id in self.locals:
            return target.id
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            if target.value.id in self.locals:
                return target.value.id
        return "None"

    # ---- statements -------------------------------------------------------------------
    def statement(self, node: ast.stmt) -> None:
        handler = getattr(self, f"stmt_{type(node).__name__}", None)
        if handler is None:
            raise self.parsed.reject(node, f"the statement '{type(node).__name__}'")
        handler(node)

    def assign_name(self, name: str, value: str) -> None:
        if self.depth == 0:
            self.emit(f"{name} = {value}")
        else:
            self.emit(f"{name} = __ctx.merge(__m, {value}, {name})")

    def assign_target(self, target: ast.expr, value: str) -> None:
        if isinstance(target, ast.Name):
            self.assign_name(target.id, value)
        elif isinstance(target, ast.Attribute) or is_field_target(target):
            record = self.expr(target.value, "__m")
            name = target.attr if isinstance(target, ast.Attribute) else target.slice.value
            field = f"__ctx.field_ref({record}, {name!r}, {self.site})"
            self.emit(f"__ctx.assign({field}, {value}, __m, {self.site})")
        elif isinstance(target, ast.Subscript):
            array = self.expr(target.value, "__m")
            index = self.index(target.slice, "__m")
            self.emit(f"__ctx.store({array}, {index}, {value}, __m, {self.site})")
        elif isinstance(target, (ast.Tuple, ast.List)):
            packed = self.fresh()
            self.emit(f"{packed} = __ctx.unpack({value}, {len(target.elts)}, {self.site})")
            for position, element in enumerate(target.elts):
                self.assign_target(element, f"{packed}[{position}]")
        else:
            raise self.parsed.reject(target, f"assignment to {type(target).__name__}")

    def stmt_Assign(self, node: ast.Assign) -> None:
        if self.depth == 0 and getattr(node.targets[0], "id", None) in self.lane_runs:
            self.emit(f"{node.targets[0].id} = __ctx.grid_run(__m, {self.site})")
            return
        if self.is_arithmetic_store(node):  # out[i] = a[i] + b[i]: maybe into out directly
            target, value = node.targets[0], node.value
            left, right = self.expr(value.left, "__m"), self.expr(value.right, "__m")
            array = self.expr(target.value, "__m")
            index = self.index(target.slice, "__m")
            symbol = BINARY[type(value.op)]
            self.emit(
                f"__ctx.store_result({array}, {index}, {symbol!r}, {left}, {right}, __m, "
                f"{self.site})"
            )
            return
        if isinstance(node.value, ast.Tuple) and any(
            isinstance(t, ast.Tuple) for t in node.targets
        ):
            values = [self.hoist(self.expr(v, "__m")) for v in node.value.elts]
            value = "(" + ", ".join(values) + ",)"
        else:
            value = self.expr(node.value, "__m")
        if len(node.targets) > 1:
            value = self.hoist(value)
        for target in node.targets:
            self.assign_target(target, value)

    def stmt_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.assign_target(node.target, self.expr(node.value, "__m"))

    def stmt_AugAssign(self, node: ast.AugAssign) -> None:
        operator = BINARY.get(type(node.op))
        if operator is None:
            raise self.parsed.reject(node, "the @ operator")
        value = self.expr(node.value, "__m")
        if isinstance(node.target, ast.Name):
            self.assign_name(
                node.target.id, f"({self.expr(node.target, '__m')} {operator} {value})"
            )
            return
        if not isinstance(node.target, ast.Subscript):
            raise self.parsed.reject(node, "augmented assignment to this target")
        array = self.hoist(self.expr(node.target.value, "__m"))
        index = self.hoist(self.index(node.target.slice, "__m"))
        old = f"__ctx.load({array}, {index}, __m, {self.site})"
        self.emit(f"__ctx.store({array}, {index}, ({old} {operator} {value}), __m, {self.site})")

    def stmt_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant):
            return  # a docstring or a bare constant does nothing
        call = node.value
        if _is_print(call) and isinstance(self.resolver.resolve(call.func), Builtin):
            if call.keywords:
                raise self.parsed.reject(call, "keyword arguments to print")
            values = ", ".join(self.expr(a, "__m") for a in call.args)
            self.emit(f"__ctx.print_(__m, {self.site}, ({values}{',' if call.args else ''}))")
            return
        self.emit(self.expr(call, "__m"))

    def stmt_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        call = exc if isinstance(exc, ast.Call) else None
        kind = self.resolver.exception_type(call.func if call else exc)
        if call is not None and call.keywords:
            raise self.parsed.reject(node, "keyword arguments to an exception")
        args = [self.expr(a, "__m") for a in call.args] if call else []
        packed = f"({', '.join(args)}{',' if args else ''})"
        self.emit(f"__ctx.raise_(__m, {self.site}, {self.constant(kind)}, {packed})")

    def stmt_Pass(self, node: ast.Pass) -> None:
        pass

    def stmt_Assert(self, node: ast.Assert) -> None:
        condition = self.expr(node.test, "__m")
        message = self.expr(node.msg, "__m") if node.msg is not None else "None"
        self.emit(f"__ctx.assert_(__m, {self.site}, {condition}, {message})")


_CONTROL = (ast.If, ast.For, ast.While, ast.Break, ast.Continue, ast.Pass)


def _is_print(node: ast.expr) -> bool:
    function = getattr(node, "func", None)
    return isinstance(node, ast.Call) and isinstance(function, ast.Name) and function.id == "print"
