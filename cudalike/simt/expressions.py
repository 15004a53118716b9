"""Lowering of expressions: each kernel expression becomes a vector expression.

Arithmetic stays Python arithmetic (numpy's on lane arrays). Array reads, intrinsics and
device functions become calls on the runtime context. `and`, `or` and `x if c else y` are
hoisted into statements so that each side runs under its own narrowed mask, which keeps a
guard such as `i < n and a[i] > 0` from reading out of bounds, as on a GPU.
"""

from __future__ import annotations

import ast
import functools
import math

import numpy as np

from cudalike.simt import intrinsics, math_functions, memory
from cudalike.simt.device_array import DeviceNDArray
from cudalike.simt.frontend import Builtin, Constant, DeviceFunction, EnumClass, Intrinsic
from cudalike.simt.function_values import DEVICE_PREFIX, IntrinsicValue

BINARY = {
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
    "real",
    "imag",
)  # real, imag of a complex number; other attributes are fields (records, namedtuples, Dim3)
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


class ExpressionLowering:
    """The expression half of the lowering (see lowering._Lowering for the statements)."""

    def constant(self, value) -> str:
        """Name (or literal) under which the generated code sees a frozen global value."""
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
        elif isinstance(value, DeviceNDArray):  # a global device array: its live memory
            array = value._array
            value = memory.Buffer(
                f"global device array #{len(self.namespace)}",
                "global",
                array.reshape(-1),
                array.shape,
                base=array,
            )
        self.namespace[name] = value
        return name

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
        if isinstance(node.value, (str, bytes, bool, int, float, complex)) or node.value is None:
            return repr(node.value)
        raise self.parsed.reject(node, f"the constant {node.value!r}")

    def expr_Name(self, node: ast.Name, mask: str) -> str:
        if node.id in self.locals:
            return node.id
        return self.meaning(self.resolver.resolve(node), node)

    def meaning(self, resolved, node: ast.expr) -> str:
        if isinstance(resolved, Constant):
            if callable(resolved.value) and not isinstance(resolved.value, (type, np.dtype)):
                function = math_functions.math_function(resolved.value)
                if function is None:
                    raise self.parsed.reject(node, f"the function {ast.unparse(node)} as a value")
                return self.constant(function)
            return self.constant(resolved.value)
        if isinstance(resolved, Intrinsic) and resolved.path in _VALUE_INTRINSICS:
            return _VALUE_INTRINSICS[resolved.path]
        if isinstance(resolved, Intrinsic) and resolved.path in intrinsics.CALLS:
            method = intrinsics.CALLS[resolved.path]
            return self.constant(_intrinsic_value(resolved.path, method))
        if isinstance(resolved, DeviceFunction):
            self.device_calls.append((resolved.dispatcher, self.line))
            return f"{DEVICE_PREFIX}{resolved.dispatcher.__name__}"
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
            value = self.expr(node.value, mask)
            return f"__ctx.field({value}, {node.attr!r}, {mask}, {self.site})"
        if node.attr in ("shape", "size"):  # a slice of per-thread length has neither
            return f"__ctx.array_extent({self.expr(node.value, mask)}, {node.attr!r}, {self.site})"
        return f"{self.expr(node.value, mask)}.{node.attr}"

    def expr_Subscript(self, node: ast.Subscript, mask: str) -> str:
        if isinstance(node.value, ast.Name) and node.value.id not in self.locals:
            enum_class = self.resolver.resolve(node.value)
            if isinstance(enum_class, EnumClass):
                return self.constant(self.enum_member(enum_class, node.slice).value)
        value = self.expr(node.value, mask)
        if _is_field_name(node.slice):
            return f"__ctx.field({value}, {node.slice.value!r}, {mask}, {self.site})"
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if any(isinstance(part, ast.Slice) for part in parts):
            specs = ", ".join(self.slice_part(part, mask) for part in parts)
            return f"__ctx.slice_view({value}, ({specs},), {mask}, {self.site})"
        if isinstance(node.value, ast.Attribute) and node.value.attr in ("shape", "strides"):
            return f"__ctx.tuple_item({value}, {self.expr(node.slice, mask)}, {mask})"
        return f"__ctx.load({value}, {self.index(node.slice, mask)}, {mask}, {self.site})"

    def method_call(self, node: ast.Call, mask: str) -> str:
        """`c.bit_count()` and `z.conjugate()`, the number methods numba compiles, a
        cooperative group's `g.sync()` and an array's `a.reshape(shape)`."""
        method = node.func.attr
        takes_arguments = method in ("reshape", "view")
        if (
            method not in ("bit_count", "conjugate", "sync", "reshape", "copy", "view")
            or (node.args and not takes_arguments)
            or node.keywords
        ):
            raise self.parsed.reject(
                node,
                f"the method call .{method}(...)",
                "kernels may call .bit_count() on integers, .conjugate() on numbers, "
                ".reshape(shape), .copy() and .view(dtype) on arrays and .sync() on "
                "cuda.cg.this_grid()",
            )
        value = self.expr(node.func.value, mask)
        if method == "reshape":
            shape = ", ".join(self.expr(a, mask) for a in node.args)
            return f"__ctx.reshape({value}, ({shape}{',' if node.args else ''}), {self.site})"
        if method == "sync":
            return f"__ctx.group_sync({value}, {mask}, {self.site})"
        if method == "copy":
            return f"__ctx.copy_array({value}, {mask}, {self.site})"
        if method == "view":
            if len(node.args) != 1:
                raise self.parsed.reject(node, "view() with other than one dtype")
            return f"__ctx.reinterpret({value}, {self.expr(node.args[0], mask)}, {self.site})"
        if method == "bit_count":
            return f"__ctx.popc({mask}, {self.site}, {value})"
        return f"{self.constant(np.conjugate)}({value})"

    def is_global_array_method(self, function: ast.expr) -> bool:
        """`values.copy()` where `values` is a module-level numpy array (frozen as a constant)."""
        if not (isinstance(function, ast.Attribute) and function.attr in ("copy", "reshape")):
            return False
        base = function.value
        if not isinstance(base, ast.Name) or base.id in self.locals:
            return False
        resolved = self.resolver.resolve(base)
        return isinstance(resolved, Constant) and isinstance(resolved.value, np.ndarray)

    def enum_member(self, enum_class: EnumClass, key: ast.expr) -> Constant:
        """`Color["red"]`: a member looked up by a constant name."""
        if not (isinstance(key, ast.Constant) and key.value in enum_class.cls.__members__):
            raise self.parsed.reject(key, f"{enum_class.cls.__name__}[{ast.unparse(key)}]")
        return enum_class.member(key.value)

    def slice_part(self, node: ast.expr, mask: str) -> str:
        if not isinstance(node, ast.Slice):
            return self.expr(node, mask)
        bounds = (node.lower, node.upper, node.step)
        return f"slice({', '.join('None' if b is None else self.expr(b, mask) for b in bounds)})"

    def expr_BinOp(self, node: ast.BinOp, mask: str) -> str:
        operator = BINARY.get(type(node.op))
        if operator is None:
            raise self.parsed.reject(node, "the @ operator")
        left, right = self.expr(node.left, mask), self.expr(node.right, mask)
        if self.resolver.debug and operator in ("/", "//", "%"):
            return f"__ctx.checked_division({left}, {right}, {operator!r}, {mask})"
        return f"({left} {operator} {right})"

    def expr_UnaryOp(self, node: ast.UnaryOp, mask: str) -> str:
        operand = self.expr(node.operand, mask)
        if isinstance(node.op, ast.Not):
            return f"__ctx.lnot({operand})"
        return f"({_UNARY[type(node.op)]}{operand})"

    def expr_Compare(self, node: ast.Compare, mask: str) -> str:
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Is, ast.IsNot)):
            left, right = self.expr(node.left, mask), self.expr(node.comparators[0], mask)
            same = f"__ctx.is_same({left}, {right})"
            return same if isinstance(node.ops[0], ast.Is) else f"__ctx.lnot({same})"
        for operator in node.ops:
            if type(operator) not in _COMPARE:
                raise self.parsed.reject(
                    node,
                    f"the comparison '{type(operator).__name__}'",
                    "compare numbers with <, <=, ==, !=, >=, >",
                )
        left = self.expr(node.left, mask)
        if len(node.ops) == 1 and self.lane_runs.intersection(
            n.id for n in (node.left, node.comparators[0]) if isinstance(n, ast.Name)
        ):  # cuda.grid(1) kept as a run: decided for all lanes at once where it can be
            right = self.expr(node.comparators[0], mask)
            return f"__ctx.lane_compare({left}, {_COMPARE[type(node.ops[0])]!r}, {right})"
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

    def expr_Starred(self, node: ast.Starred, mask: str) -> str:
        """`f(*t)`: the items of the tuple t passed as f's arguments (only calls have it)."""
        return f"*__ctx.unpack_all({self.expr(node.value, mask)}, {self.site})"

    def expr_Tuple(self, node: ast.Tuple, mask: str) -> str:
        return "(" + ", ".join(self.expr(e, mask) for e in node.elts) + ",)"

    expr_List = expr_Tuple

    def expr_Call(self, node: ast.Call, mask: str) -> str:
        if isinstance(node.func, ast.Name) and node.func.id in self.locals:
            if node.keywords:
                raise self.parsed.reject(node, f"keyword arguments to '{node.func.id}'")
            args = [node.func.id, mask, str(self.site), *(self.expr(a, mask) for a in node.args)]
            return f"__ctx.call_value({', '.join(args)})"
        if _is_method_of_local(node.func, self.locals) or self.is_global_array_method(node.func):
            return self.method_call(node, mask)
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
            return f"__ctx.{method}({', '.join([mask, str(self.site), *args, *keywords])})"
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
        if isinstance(resolved, Constant) and _ufunc_with_outputs(resolved.value, args):
            call = [mask, str(self.site), self.constant(resolved.value), *args]
            return f"__ctx.ufunc_into({', '.join(call)})"
        if isinstance(resolved, Constant) and callable(resolved.value):
            function = math_functions.math_function(resolved.value)
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


def _is_field_name(key: ast.expr) -> bool:
    """`rec["x"]`: a record's field named by a constant string."""
    return isinstance(key, ast.Constant) and isinstance(key.value, str)


def _is_method_of_local(function: ast.expr, local_names: set) -> bool:
    """`x.method()` on a local value, or on what a call returned (`cuda.cg.this_grid().sync()`)."""
    if not isinstance(function, ast.Attribute):
        return False
    root = function.value
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    return isinstance(root, ast.Call) or (isinstance(root, ast.Name) and root.id in local_names)


def _ufunc_with_outputs(value, args: list) -> bool:
    return (
        isinstance(value, np.ufunc)
        and math_functions.math_function(value) is value
        and len(args) > value.nin
    )


@functools.cache
def _intrinsic_value(path: str, method: str) -> IntrinsicValue:
    return IntrinsicValue(path, method)


def _is_literal(source: str) -> bool:
    try:
        ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return False
    return True


def is_field_target(target: ast.expr) -> bool:
    """`rec["x"] = v`: an assignment to a record's field named by a constant string."""
    return isinstance(target, ast.Subscript) and _is_field_name(target.slice)
