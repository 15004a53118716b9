"""Kernel front end: read a kernel's source, check it against the kernel language, resolve names.

Stages, in order:
1. `parse` reads the source with `inspect` and `ast`, keeping the user's file and line numbers.
2. `check_subset` rejects Python the kernel language does not have, naming line and construct.
3. `Resolver` turns free names and attribute chains (cuda.threadIdx.x, math.sqrt, float32,
   module-level constants) into what they mean in a kernel, freezing globals as numba does.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import enum
import inspect
import textwrap
import types

import numpy as np

from cudalike import _ipython
from cudalike.errors import UnsupportedConstructError
from cudalike.simt import global_values, vector_types
from cudalike.simt.iteration_loops import IterationLoops, is_range_call
from cudalike.simt.markers import KERNEL_NAMES, FakeKernelName


@dataclasses.dataclass
class ParsedFunction:
    """A kernel or device function's AST with the user's file and line numbers."""

    name: str
    filename: str
    tree: ast.FunctionDef
    lines: dict[int, str]
    params: list[str]

    def source_line(self, line: int | None) -> str:
        return self.lines.get(line, "") if line is not None else ""

    def reject(self, node: ast.AST, construct: str, advice: str = "") -> UnsupportedConstructError:
        line = getattr(node, "lineno", self.tree.lineno)
        message = (
            f"{construct} is not allowed in kernel '{self.name}' "
            f"({self.filename}:{line})\n    {self.source_line(line).strip()}"
        )
        if advice:
            message += f"\nhint: {advice}"
        return UnsupportedConstructError(
            message, kernel=self.name, filename=self.filename, line=line, construct=construct
        )


def parse(fn: types.FunctionType) -> ParsedFunction:
    """Read `fn`'s source into an AST whose line numbers are those of the user's file."""
    try:
        source_lines, first_line = inspect.getsourcelines(fn)
    except (OSError, TypeError):
        # The plain python prompt keeps no source, nor does exec; IPython keeps every cell's.
        raise UnsupportedConstructError(
            f"cannot read the source of kernel '{fn.__name__}': cudalike compiles a kernel from "
            "its source text, so kernels must be defined in a file, a notebook or IPython, not "
            "at the plain python prompt (nor built with exec)",
            kernel=fn.__name__,
            filename="<unknown>",
            line=0,
            construct="source unavailable",
        ) from None
    source = textwrap.dedent("".join(source_lines))
    tree = ast.parse(source)
    ast.increment_lineno(tree, first_line - 1)
    function = tree.body[0]
    if not isinstance(function, ast.FunctionDef):
        raise TypeError(f"{fn!r} is not a plain function defined with def")
    function.decorator_list = []
    filename = _ipython.display_filename(inspect.getsourcefile(fn) or fn.__code__.co_filename)
    lines = {first_line + k: text.rstrip("\n") for k, text in enumerate(source_lines)}
    params = [arg.arg for arg in function.args.args]
    parsed = ParsedFunction(fn.__name__, filename, function, lines, params)
    IterationLoops().visit(function)
    check_subset(parsed)
    return parsed


_REJECTED = {
    ast.ClassDef: ("a class definition", "define classes outside the kernel"),
    ast.FunctionDef: ("a nested function", "write a device function with @cuda.jit(device=True)"),
    ast.AsyncFunctionDef: ("an async function", ""),
    ast.Lambda: ("a lambda", "write a device function with @cuda.jit(device=True)"),
    ast.Try: ("try/except", "kernels cannot catch exceptions; test conditions with if"),
    ast.With: ("a with statement", ""),
    ast.Import: ("import", "import modules at the top of your file, outside the kernel"),
    ast.ImportFrom: ("import", "import modules at the top of your file, outside the kernel"),
    ast.Global: ("a global statement", "kernels write results to arrays, not to globals"),
    ast.Nonlocal: ("a nonlocal statement", ""),
    ast.Delete: ("del", ""),
    ast.Yield: ("yield (a generator)", ""),
    ast.YieldFrom: ("yield from (a generator)", ""),
    ast.Await: ("await", ""),
    ast.ListComp: ("a list comprehension", "use a for loop over range"),
    ast.SetComp: ("a set comprehension", ""),
    ast.DictComp: ("a dict comprehension", ""),
    ast.GeneratorExp: ("a generator expression", "use a for loop over range"),
    ast.Dict: ("a dict", "kernels work on arrays and numbers"),
    ast.Set: ("a set", "kernels work on arrays and numbers"),
    ast.JoinedStr: ("an f-string", "pass the values to print separately: print('x =', x)"),
    ast.NamedExpr: ("the walrus operator :=", "assign on a line of its own"),
    ast.Starred: ("*-unpacking", "unpack a tuple into a call's arguments only: f(*t)"),
    ast.Match: ("a match statement", "use if/elif/else"),
    ast.AsyncFor: ("async for", ""),
    ast.AsyncWith: ("async with", ""),
}


def check_subset(parsed: ParsedFunction) -> None:
    """Reject constructs outside the kernel language, naming the line and the construct."""
    function = parsed.tree
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.kwonlyargs or arguments.posonlyargs:
        raise parsed.reject(function, "*args, **kwargs or keyword-only parameters")
    if arguments.defaults:
        raise parsed.reject(function, "default parameter values")
    call_unpacking = {
        id(argument)
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        for argument in node.args
        if isinstance(argument, ast.Starred)
    }
    for node in ast.walk(function):
        if node is function or id(node) in call_unpacking:  # f(*t): t's items as arguments
            continue
        rule = _REJECTED.get(type(node))
        if rule:
            raise parsed.reject(node, *rule)
        if isinstance(node, ast.Attribute) and node.attr.startswith("__"):
            raise parsed.reject(node, f"the dunder attribute .{node.attr}")
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            raise parsed.reject(node, f"the name {node.id} (names starting with __ are reserved)")
        if isinstance(node, ast.Subscript) and _has_slice(node) and not _is_load(node, function):
            raise parsed.reject(
                node, "assignment to a slice", "assign one element at a time, e.g. a[i] = x"
            )
        if isinstance(node, ast.Raise) and (node.exc is None or node.cause is not None):
            raise parsed.reject(node, "a bare raise or raise ... from", "raise an exception type")
        if isinstance(node, (ast.For, ast.While)) and node.orelse:
            raise parsed.reject(node, "an else clause on a loop", "set a flag before break")
        if isinstance(node, ast.For) and not is_range_call(node.iter):
            raise parsed.reject(node, "a for loop over something other than range()")
        if isinstance(node, ast.For) and not isinstance(node.target, ast.Name):
            raise parsed.reject(node, "a for loop with more than one loop variable")
        if isinstance(node, ast.Call) and any(k.arg is None for k in node.keywords):
            raise parsed.reject(node, "**-unpacking in a call")


def _has_slice(node: ast.Subscript) -> bool:
    parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return any(isinstance(part, ast.Slice) for part in parts)


def _is_load(node: ast.Subscript, function: ast.FunctionDef) -> bool:
    if not isinstance(node.ctx, ast.Load):
        return False
    return not any(isinstance(n, ast.AugAssign) and n.target is node for n in ast.walk(function))


# What a resolved name is, for the lowering.
@dataclasses.dataclass(frozen=True)
class Intrinsic:
    """A kernel-side cuda name, e.g. 'threadIdx.x' or 'atomic.add'."""

    path: str


@dataclasses.dataclass(frozen=True)
class Constant:
    """A frozen global: a number, bool, tuple of numbers, numpy array or dtype."""

    value: object


@dataclasses.dataclass(frozen=True)
class DeviceFunction:
    """A call to another @cuda.jit(device=True) function."""

    dispatcher: object


@dataclasses.dataclass(frozen=True)
class Module:
    """A module used as a namespace: math, numpy, or the cuda module itself."""

    module: object
    kind: str  # "math", "numpy", "cuda", "numba"


@dataclasses.dataclass(frozen=True)
class EnumClass:
    """An Enum or IntEnum class: its members are constants (IntEnum members are ints)."""

    cls: type

    def member(self, name: str) -> Constant:
        member = self.cls[name]
        return Constant(int(member) if isinstance(member, int) else member)


@dataclasses.dataclass(frozen=True)
class Builtin:
    name: str


ALLOWED_BUILTINS = (
    "range",
    "len",
    "min",
    "max",
    "abs",
    "int",
    "float",
    "bool",
    "complex",
    "print",
    "round",
    "pow",
)


class Resolver:
    """Answers what a free name or attribute chain of a kernel means, freezing globals."""

    def __init__(self, fn: types.FunctionType, parsed: ParsedFunction, debug: bool = False):
        closure = inspect.getclosurevars(fn)
        self.namespace = {**fn.__globals__, **closure.nonlocals}
        self.parsed = parsed
        self.debug = debug  # @cuda.jit(debug=True): division by zero raises, as in Python

    def resolve(self, node: ast.AST):
        """Return the meaning of a Name/Attribute chain rooted at a free name, or None."""
        if isinstance(node, ast.Name):
            if node.id in self.namespace:
                return self._classify(self.namespace[node.id], node)
            if node.id in ALLOWED_BUILTINS:
                return Builtin(node.id)
            if hasattr(builtins, node.id):
                raise self.parsed.reject(node, f"the Python built-in {node.id}()")
            raise self.parsed.reject(
                node, f"the undefined name '{node.id}'", "define it before the kernel runs"
            )
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            if base is None:
                return None
            return self._attribute(base, node)
        return None

    def exception_type(self, node: ast.expr) -> type:
        """The exception class a `raise` names (a global, or a Python built-in such as
        ValueError)."""
        if isinstance(node, ast.Name):
            value = self.namespace.get(node.id, getattr(builtins, node.id, None))
            if isinstance(value, type) and issubclass(value, BaseException):
                return value
        raise self.parsed.reject(node, f"raise {ast.unparse(node)}", "raise an exception type")

    def _attribute(self, base, node: ast.Attribute):
        name = node.attr
        if isinstance(base, Intrinsic):
            return Intrinsic(f"{base.path}.{name}")
        if isinstance(base, Module):
            if base.kind == "cuda":
                if name in KERNEL_NAMES or name in ("random", "fp16"):
                    return Intrinsic(name)
                if name in vector_types.NAMES:
                    return Intrinsic(name)
                return self._cuda_host_name(node)
            if not hasattr(base.module, name):
                raise self.parsed.reject(
                    node, f"{base.module.__name__}.{name}, which does not exist"
                )
            return self._classify(getattr(base.module, name), node, prefix=base.kind)
        if isinstance(base, EnumClass):
            if name not in base.cls.__members__:
                raise self.parsed.reject(node, f"{base.cls.__name__}.{name}, which does not exist")
            return base.member(name)
        if isinstance(base, Constant) and isinstance(base.value, np.ndarray):
            return None  # array attribute such as .shape, handled on the value
        raise self.parsed.reject(node, f"the attribute .{name} of a global value")

    def _cuda_host_name(self, node: ast.Attribute):
        import cudalike.cuda

        if hasattr(cudalike.cuda, node.attr):
            raise self.parsed.reject(
                node,
                f"cuda.{node.attr} (a host-side function) inside a kernel",
                "call it from ordinary Python, outside the kernel",
            )
        raise self.parsed.reject(
            node,
            f"cuda.{node.attr}, which cudalike does not support yet",
            "see docs/simt-engine.md for the supported cuda names",
        )

    def _classify(self, value, node: ast.AST, prefix: str = ""):
        from cudalike.simt.device_array import DeviceNDArray
        from cudalike.simt.dispatcher import Dispatcher

        if isinstance(value, FakeKernelName):
            return Intrinsic(value.path)
        if isinstance(value, types.ModuleType):
            return Module(value, _module_kind(value, node, self.parsed))
        if isinstance(value, Dispatcher):  # a kernel called from a kernel: numba compiles
            return DeviceFunction(value if value.device else value.as_device_function())
        if global_values.is_cpu_jit_function(value):  # numba compiles it for the device too
            return DeviceFunction(global_values.device_function_of(value))
        if isinstance(value, enum.EnumMeta):
            return EnumClass(value)
        if isinstance(value, enum.Enum):
            return EnumClass(type(value)).member(value.name)
        numba_name = global_values.numba_cuda_name(value)
        if numba_name:
            return Intrinsic(numba_name)
        if vector_types.is_vector_stub(value):  # numba-cuda's own cuda.float32x4
            return Intrinsic(value.__name__)
        if isinstance(value, (bool, int, float, complex, str, np.number, np.bool_)):
            return Constant(value)
        if isinstance(value, tuple) and all(
            isinstance(v, (int, float, bool, np.number)) for v in value
        ):
            return Constant(value)
        if isinstance(value, np.ndarray):
            return Constant(value.copy())
        if isinstance(value, DeviceNDArray) and value._array.flags.c_contiguous:
            return Constant(value)  # captured by reference, as numba captures its pointer
        if global_values.is_dtype_like(value):
            return Constant(global_values.to_dtype(value))
        if prefix in ("math", "numpy") and callable(value):
            return Constant(value)  # checked against the math table by the lowering
        if global_values.is_kernel_function(value):
            return Constant(value)  # e.g. operator.add or np.sin held in a global
        if value is None:
            return Constant(None)
        raise self.parsed.reject(
            node,
            f"the global '{ast.unparse(node)}' ({type(value).__name__})",
            "kernels may use numbers, tuples of numbers, numpy arrays, dtypes, math, "
            "cuda and device functions from the enclosing module",
        )


def _module_kind(module: types.ModuleType, node: ast.AST, parsed: ParsedFunction) -> str:
    name = module.__name__
    if name in ("cudalike.cuda", "numba.cuda") or name.startswith("numba.cuda"):
        return "cuda"
    if name in ("math", "cmath", "operator", "_operator"):
        return "math"
    if name == "numpy":
        return "numpy"
    if name == "numba" or name.startswith("numba."):  # numba.types.int32, numba.core.types
        return "numba"
    raise parsed.reject(node, f"the module {name}", "kernels may use cuda, math, cmath and numpy")
