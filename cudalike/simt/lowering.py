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
import math

import numpy as np

from cudalike.simt import intrinsics, memory
from cudalike.simt.frontend import (
    Builtin,
    Constant,
    DeviceFunction,
    Intrinsic,
    ParsedFunction,
    Resolver,
)

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.MatMult: None,
}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_UNARY = {ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}
_ARRAY_ATTRIBUTES = (
    "shape",
    "size",
    "ndim",
    "dtype",
    "strides",
    "itemsize",
    "nbytes",
    "x",
    "y",
    "z",
)  # x, y, z of a Dim3 kept in a variable
_VALUE_INTRINSICS = {
    **{
        f"{group}.{axis}": f"__ctx.{short}_{axis}"
        for group, short in (
            ("threadIdx", "tid"),
            ("blockIdx", "bid"),
            ("blockDim", "bdim"),
            ("gridDim", "gdim"),
        )
        for axis in "xyz"
    },
    "laneid": "__ctx.laneid",
    **{
        group: f"__ctx.dim3('{group}')"
        for group in ("threadIdx", "blockIdx", "blockDim", "gridDim")
    },
    "warpsize": "32",
}


class Program:
    """The lowered source of one function plus the objects its namespace needs."""

    def __init__(
        self,
        name: str,
        source: str,
        namespace: dict,
        line_map: list[int],
        device_calls: list,
        written_params: set[str],
    ):
        self.name = name
        self.source = source
        self.namespace = namespace
        self.line_map = line_map  # generated line (1-based) -> user line
        self.device_calls = device_calls
        self.written_params = written_params


def lower(parsed: ParsedFunction, resolver: Resolver, *, device: bool, site_base: int) -> Program:
    """Lower one kernel (device=False) or device function into a vector program.

    Source lines are passed to the runtime as `site_base + line`, so that lines of functions
    defined in different files or notebook cells stay distinct.
    """
    return _Lowering(parsed, resolver, device, site_base).run()


class _Lowering:
    def __init__(self, parsed: ParsedFunction, resolver: Resolver, device: bool, site_base: int):
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
        self.locals = set(parsed.params) | _assigned_names(parsed.tree)
        self.ret = "__ret" if device else "__ctx.exited"

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

    def constant(self, value) -> str:
        if isinstance(value, bool) or value is None:
            return repr(value)
        if isinstance(value, int):
            return repr(value)
        if isinstance(value, float) and math.isfinite(value):
            return repr(value)
        for name, existing in self.namespace.items():
            if existing is value:
                return name
        name = f"__k_{self.parsed.name}_{len(self.namespace)}"
        if isinstance(value, np.ndarray):
            value = memory.constant_buffer(value, f"global array #{len(self.namespace)}")
        self.namespace[name] = value
        return name

    # ---- whole function ---------------------------------------------------------------
    def run(self) -> Program:
        tree = self.parsed.tree
        params = ", ".join(self.parsed.params)
        if self.device:
            header = f"def __device_{tree.name}(__ctx, __m{', ' if params else ''}{params}):"
            self.emit("__ret = False")
            self.emit("__rv = None")
        else:
            header = f"def __kernel_{tree.name}(__ctx{', ' if params else ''}{params}):"
            self.emit("__m = True")
        for name in sorted(self.locals - set(self.parsed.params)):
            self.emit(f"{name} = None")
        self.block(tree.body)
        if self.device:
            self.emit("return __rv")
        source_lines = [header] + ["    " * indent + text for indent, text, _ in self.lines]
        line_map = [tree.lineno] + [line for _, _, line in self.lines]
        return Program(
            tree.name,
            "\n".join(source_lines) + "\n",
            self.namespace,
            line_map,
            self.device_calls,
            _written_params(tree, self.parsed.params),
        )

    def block(self, statements: list[ast.stmt]) -> None:
        start = len(self.lines)
        for statement in statements:
            self.line = statement.lineno
            self.emit(
                f"# line {statement.lineno}: {self.parsed.source_line(statement.lineno).strip()}"
            )
            self.statement(statement)
            if isinstance(statement, (ast.Return, ast.Break, ast.Continue)):
                break  # the rest of this block is unreachable
        if all(text.startswith("#") for _, text, _ in self.lines[start:]):
            self.emit("pass")

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
        operator = _BINARY.get(type(node.op))
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
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "print"
        ):
            if call.func.id not in self.locals and not isinstance(
                self.resolver.resolve(call.func), Builtin
            ):
                raise self.parsed.reject(call, "this print")
            if call.keywords:
                raise self.parsed.reject(call, "keyword arguments to print")
            values = ", ".join(self.expr(a, "__m") for a in call.args)
            self.emit(f"__ctx.print_(__m, {self.site}, ({values}{',' if call.args else ''}))")
            return
        self.emit(self.expr(call, "__m"))

    def stmt_Pass(self, node: ast.Pass) -> None:
        pass

    def stmt_Assert(self, node: ast.Assert) -> None:
        condition = self.expr(node.test, "__m")
        message = self.expr(node.msg, "__m") if node.msg is not None else "None"
        self.emit(f"__ctx.assert_(__m, {self.site}, {condition}, {message})")

    def exits(self) -> str:
        parts = [self.ret]
        if self.loops:
            loop = self.loops[-1]
            parts += [f"__brk{loop}", f"__cnt{loop}"]
        return ", ".join(parts)

    def stmt_If(self, node: ast.If) -> None:
        condition, saved = self.fresh("__c"), self.fresh("__s")
        self.emit(f"{condition} = __ctx.truth({self.expr(node.test, '__m')})")
        self.emit(f"{saved} = __m")
        self.emit(f"__m = __ctx.narrow({saved}, {condition})")
        self.nested("if __m is not False:", node.body)
        if node.orelse:
            self.line = node.orelse[0].lineno
            self.emit(f"__m = __ctx.narrow_not({saved}, {condition})")
            self.nested("if __m is not False:", node.orelse)
        if _has_exit(node.body) or _has_exit(node.orelse):
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
        returns = self.ret if _has_return(node.body) else "False"
        self.emit(f"__lo{loop}, __st{loop} = {low}, {step}")
        trip = f"__ctx.trip_count(__lo{loop}, {high}, __st{loop}, __m, {self.site})"
        self.emit(f"__n{loop}, __trip{loop} = {trip}")
        self.emit(f"__w{loop} = __m")
        self.emit(f"__brk{loop} = False")
        self.emit(f"for __i{loop} in range(__n{loop}):")
        self.indent += 1
        self.emit(f"__cnt{loop} = False")
        self.emit(
            f"__m = __ctx.loop_mask(__w{loop}, {returns}, __brk{loop}, __trip{loop}, __i{loop})"
        )
        self.emit("if __m is False:")
        self.emit("    break")
        self.emit(f"__ctx.tick(__m, {self.site})")
        self.emit(
            f"{node.target.id} = __ctx.loop_value(__m, __lo{loop}, __i{loop}, __st{loop}, "
            f"__trip{loop}, {node.target.id})"
        )
        self.indent -= 1
        self.nested_body(node.body, loop)
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
        returns = self.ret if _has_return(node.body) else "False"
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

    # ---- expressions ------------------------------------------------------------------
    def hoist(self, source: str) -> str:
        if source.isidentifier() or _is_literal(source):
            return source
        name = self.fresh()
        self.emit(f"{name} = {source}")
        return name

    def index(self, node: ast.expr, mask: str) -> str:
        if isinstance(node, ast.Tuple):
            return "(" + ", ".join(self.expr(e, mask) for e in node.elts) + ",)"
        return f"({self.expr(node, mask)},)"

    def expr(self, node: ast.expr, mask: str) -> str:
        handler = getattr(self, f"expr_{type(node).__name__}", None)
        if handler is None:
            raise self.parsed.reject(node, f"the expression '{type(node).__name__}'")
        return handler(node, mask)

    def expr_Constant(self, node: ast.Constant, mask: str) -> str:
        if isinstance(node.value, (str, bool, int, float)) or node.value is None:
            return repr(node.value)
        raise self.parsed.reject(node, f"the constant {node.value!r}")

    def expr_Name(self, node: ast.Name, mask: str) -> str:
        if node.id in self.locals:
            return node.id
        return self.meaning(self.resolver.resolve(node), node)

    def meaning(self, resolved, node: ast.expr) -> str:
        if isinstance(resolved, Constant):
            return self.constant(resolved.value)
        if isinstance(resolved, Intrinsic) and resolved.path in _VALUE_INTRINSICS:
            return _VALUE_INTRINSICS[resolved.path]
        raise self.parsed.reject(node, f"'{ast.unparse(node)}' used as a value")

    def expr_Attribute(self, node: ast.Attribute, mask: str) -> str:
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id not in self.locals:
            resolved = self.resolver.resolve(node)
            if resolved is not None:
                return self.meaning(resolved, node)
        if node.attr not in _ARRAY_ATTRIBUTES:
            raise self.parsed.reject(
                node, f"the attribute .{node.attr}", "arrays have .shape, .size, .ndim and .dtype"
            )
        return f"{self.expr(node.value, mask)}.{node.attr}"

    def expr_Subscript(self, node: ast.Subscript, mask: str) -> str:
        value = self.expr(node.value, mask)
        if isinstance(node.value, ast.Attribute) and node.value.attr in ("shape", "strides"):
            return f"{value}[{self.expr(node.slice, mask)}]"
        return f"__ctx.load({value}, {self.index(node.slice, mask)}, {mask}, {self.site})"

    def expr_BinOp(self, node: ast.BinOp, mask: str) -> str:
        operator = _BINARY.get(type(node.op))
        if operator is None:
            raise self.parsed.reject(node, "the @ operator")
        return f"({self.expr(node.left, mask)} {operator} {self.expr(node.right, mask)})"

    def expr_UnaryOp(self, node: ast.UnaryOp, mask: str) -> str:
        operand = self.expr(node.operand, mask)
        if isinstance(node.op, ast.Not):
            return f"__ctx.lnot({operand})"
        return f"({_UNARY[type(node.op)]}{operand})"

    def expr_Compare(self, node: ast.Compare, mask: str) -> str:
        for operator in node.ops:
            if type(operator) not in _COMPARE:
                raise self.parsed.reject(
                    node,
                    f"the comparison '{type(operator).__name__}'",
                    "compare numbers with <, <=, ==, !=, >=, >",
                )
        left = self.expr(node.left, mask)
        if len(node.ops) == 1:
            return f"({left} {_COMPARE[type(node.ops[0])]} {self.expr(node.comparators[0], mask)})"
        parts = []
        for operator, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.hoist(self.expr(comparator, mask))
            parts.append(f"({left} {_COMPARE[type(operator)]} {right})")
            left = right
        result = parts[0]
        for part in parts[1:]:
            result = f"__ctx.land({result}, {part})"
        return result

    def expr_BoolOp(self, node: ast.BoolOp, mask: str) -> str:
        result = self.fresh()
        self.emit(f"{result} = __ctx.truth({self.expr(node.values[0], mask)})")
        narrow, combine = (
            ("narrow", "land") if isinstance(node.op, ast.And) else ("narrow_not", "lor")
        )
        for value in node.values[1:]:
            inner = self.fresh("__mk")
            self.emit(f"{inner} = __ctx.{narrow}({mask}, {result})")
            self.emit(
                f"{result} = __ctx.{combine}({result}, __ctx.truth({self.expr(value, inner)}))"
            )
        return result

    def expr_IfExp(self, node: ast.IfExp, mask: str) -> str:
        condition = self.fresh("__c")
        self.emit(f"{condition} = __ctx.truth({self.expr(node.test, mask)})")
        when_true, when_false = self.fresh("__mk"), self.fresh("__mk")
        self.emit(f"{when_true} = __ctx.narrow({mask}, {condition})")
        first = self.hoist(self.expr(node.body, when_true))
        self.emit(f"{when_false} = __ctx.narrow_not({mask}, {condition})")
        second = self.hoist(self.expr(node.orelse, when_false))
        return f"__ctx.select({condition}, {first}, {second})"

    def expr_Tuple(self, node: ast.Tuple, mask: str) -> str:
        return "(" + ", ".join(self.expr(e, mask) for e in node.elts) + ",)"

    expr_List = expr_Tuple

    def expr_Call(self, node: ast.Call, mask: str) -> str:
        if isinstance(node.func, ast.Name) and node.func.id in self.locals:
            raise self.parsed.reject(node, f"calling the local variable '{node.func.id}'")
        resolved = self.resolver.resolve(node.func)
        args = [self.expr(a, mask) for a in node.args]
        keywords = [f"{k.arg}={self.expr(k.value, mask)}" for k in node.keywords]
        if isinstance(resolved, Intrinsic):
            method = intrinsics.CALLS.get(resolved.path)
            if method is None:
                raise self.parsed.reject(
                    node,
                    f"cuda.{resolved.path}",
                    "see the list of supported cuda functions in docs/",
                )
            return f"__ctx.{method}({', '.join([mask, str(self.line), *args, *keywords])})"
        if isinstance(resolved, DeviceFunction):
            if keywords:
                raise self.parsed.reject(node, "keyword arguments to a device function")
            name = f"__device_{resolved.dispatcher.__name__}"
            self.device_calls.append((resolved.dispatcher, self.line))
            return f"{name}({', '.join(['__ctx', mask, *args])})"
        if keywords:
            raise self.parsed.reject(node, f"keyword arguments to {ast.unparse(node.func)}")
        if isinstance(resolved, Builtin):
            if resolved.name in ("range", "print"):
                raise self.parsed.reject(node, f"{resolved.name}() inside an expression")
            return f"__ctx.builtin_{resolved.name}({', '.join(args)})"
        if isinstance(resolved, Constant) and isinstance(resolved.value, np.dtype):
            if len(args) != 1:
                raise self.parsed.reject(node, f"{resolved.value}() with {len(args)} arguments")
            return f"__ctx.cast({args[0]}, {self.constant(resolved.value)})"
        if isinstance(resolved, Constant) and callable(resolved.value):
            function = intrinsics.math_function(resolved.value)
            if function is None:
                raise self.parsed.reject(
                    node,
                    f"the function {ast.unparse(node.func)}",
                    "kernels may call math functions, cuda intrinsics and device functions",
                )
            return f"{self.constant(function)}({', '.join(args)})"
        raise self.parsed.reject(
            node,
            f"a call of {ast.unparse(node.func)}",
            "kernels may call math functions, cuda intrinsics and device functions",
        )


def _is_literal(source: str) -> bool:
    try:
        ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return False
    return True


def _assigned_names(tree: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _has_exit(statements: list[ast.stmt]) -> bool:
    return any(
        isinstance(n, (ast.Return, ast.Break, ast.Continue))
        for s in statements
        for n in ast.walk(s)
    )


def _has_return(statements: list[ast.stmt]) -> bool:
    return any(isinstance(n, ast.Return) for s in statements for n in ast.walk(s))


def _written_params(tree: ast.FunctionDef, params: list[str]) -> set[str]:
    """Parameters that may be written: store targets, atomic targets, or passed to a function."""
    written = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            base = node.value
            if isinstance(base, ast.Name):
                written.add(base.id)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
            if isinstance(node.target.value, ast.Name):
                written.add(node.target.value.id)
        if isinstance(node, ast.Call):
            for argument in node.args:
                if isinstance(argument, ast.Name):
                    written.add(argument.id)
    return written & set(params)
