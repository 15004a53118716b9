"""The CANN-track kernel language: what a `@cann.kernel`, and the classes and functions it uses,
may contain. Every construct is on a list; anything not on it is refused with its line.

CANN-style kernels are ordinary Python calling the `cudalike.cann` API, so, unlike SIMT kernels,
their bodies do run as Python in the sandboxed child. What keeps them to the kernel language is
this allow-list, checked on the syntax tree before anything runs:
- statements: assignments, `if`, `for`, `while`, `return`, `break`, `continue`, `pass`,
  expression statements, `assert` and `raise`; `def` only at the top level or as a method;
  `class` only at the top level, holding methods and a docstring;
- expressions: literals (no bytes), names, arithmetic, comparisons, calls, subscripts, tuples,
  lists, dicts, sets, comprehensions and f-strings;
- attributes: only names on `ATTRIBUTES` (the cann API's methods and fields, numpy's dtype
  names, math's functions and the exercise's tiling fields) or names the submission's own
  classes define, and those never a name some object the kernel can reach already has
  (`RESERVED`: `.data`, `.array`, `.gi_frame`, `.format`, ...);
- no default arguments, no decorators (but `@cann.kernel`, checked elsewhere), no names or
  attributes starting with `_` other than `__init__`.
Annotations are removed (`strip_annotations`), never evaluated.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import functools
import inspect
import math
import types
from pathlib import Path

import numpy as np

# Names of cann that are host-side (allocation, copies, the decorator, tiling helpers) and
# so never called inside a kernel.
HOST_NAMES = frozenset(
    "aclrtFree aclrtMalloc aclrtMallocAlign32 aclrtMemcpy device_empty to_device to_host errors "
    "CannKernel kernel matmul_tiling to_bfloat16 from_bfloat16 ICPU_SET_TILING_KEY "
    "REGISTER_TILING_DATA_CLASS SoftMaxTilingFunc GetSoftMaxMaxTmpSize GetSoftMaxMinTmpSize "
    "GetSumMaxMinTmpSize GetLayerNormMaxMinTmpSize GetLayerNormNDTilingInfo".split()
)

# Element types a kernel may name through numpy (np.float16) or bind as a constant.
NUMPY_DTYPES = frozenset(
    "float16 float32 float64 half single double int8 int16 int32 int64 uint8 uint16 uint32 "
    "uint64 bool_ complex64 complex128 dtype".split()
)

# Attribute names of the runtime's objects that reach raw memory or its bookkeeping: they
# skip the costed pipes, so they are never on the allow-list even though the objects have them.
_HOST_ACCESSORS = frozenset(
    "array data numpy copy_to_host copy_to_device byte_offset check_range describe slot "
    "generation store".split()
)

# Harmless attribute names a learner's own class may reuse although built-in or runtime objects
# have them (on those objects they hold numbers, names, queues or tensors, never raw memory).
_SAFE_OWN = frozenset(
    "shape size ndim dtype count index real imag length name value pipe queue tiling position "
    "depth offset a b bias single".split()
)

_STATEMENTS = (
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Return,
    ast.If,
    ast.For,
    ast.While,
    ast.Break,
    ast.Continue,
    ast.Pass,
    ast.Expr,
    ast.Assert,
    ast.Raise,
)
_EXPRESSIONS = (
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.Call,
    ast.keyword,
    ast.Starred,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Subscript,
    ast.Slice,
    ast.Tuple,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.comprehension,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
)


@functools.cache
def kernel_api() -> frozenset[str]:
    """The names of `cudalike.cann` a kernel may use: its `__all__` without host-side names."""
    import cudalike.cann

    return frozenset(cudalike.cann.__all__) - HOST_NAMES


@functools.cache
def api_attributes() -> frozenset[str]:
    """Methods and fields of the cann API's objects, enum members and dataclass fields included,
    plus numpy's dtype names and math's names (all of which are harmless on any object)."""
    import cudalike.cann
    import cudalike.cann.kernels as library

    names: set[str] = set()
    classes = [getattr(cudalike.cann, name) for name in kernel_api()]
    for module in _library_modules(library):
        classes += [value for value in vars(module).values() if dataclasses.is_dataclass(value)]
    for value in classes:
        if not inspect.isclass(value):
            continue
        if issubclass(value, enum.Enum):
            names |= set(value.__members__)
        if dataclasses.is_dataclass(value):
            names |= {field.name for field in dataclasses.fields(value)}
        names |= {name for name in vars(value) if not name.startswith("_")}
        names |= set(getattr(value, "__slots__", ()))
    names |= kernel_api() | NUMPY_DTYPES | {n for n in dir(math) if not n.startswith("_")}
    names |= {"name", "value", "itemsize"}  # of enum members; a dtype's element size
    return frozenset(n for n in names if not n.startswith("_")) - _HOST_ACCESSORS


@functools.cache
def reserved() -> frozenset[str]:
    """Attribute names objects a kernel can reach already have, outside the allow-list.

    A learner's own class may not define these (`self.data = ...`): else `.data` would become
    an allowed attribute, and on a LocalTensor it is the raw buffer.
    """
    import cudalike.cann

    names = set(_builtin_names()) | _HOST_ACCESSORS
    root = Path(cudalike.cann.__file__).parent
    for path in root.glob("*.py"):  # the runtime's objects; not the library's kernels
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "self":
                    names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
    return frozenset(names - api_attributes() - _SAFE_OWN)


@functools.cache
def _builtin_names() -> frozenset[str]:
    """Every attribute of the built-in and numpy objects code can get hold of."""

    def generator():
        yield

    async def coroutine():
        pass

    samples = [object(), type, len, [].append, generator, generator(), 1, 1.0, 1j, "", b""]
    samples += [[], (), {}, set(), range(1), slice(1), property(), ValueError(), types]
    samples += [np.zeros(1), np.float16(0), np.dtype("f4"), np.add, inspect.currentframe()]
    samples += [generator.__code__, coroutine, iter([]), enumerate([]), zip(), map(len, [])]
    try:
        raise ValueError
    except ValueError as error:
        samples.append(error.__traceback__)
    names = {name for sample in samples for name in dir(sample)}
    return frozenset(name for name in names if not name.startswith("_"))


def _library_modules(package) -> list[types.ModuleType]:
    import importlib
    import pkgutil

    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


def strip_annotations(tree: ast.AST) -> ast.AST:
    """Remove every annotation in place (they would be evaluated when a def runs)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            node.annotation = None
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.returns = None
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                setattr(node, field, [_without_annotation(item) for item in value])
    return tree


def _without_annotation(node):
    if isinstance(node, ast.AnnAssign):
        if node.value is None:
            return ast.copy_location(ast.Pass(), node)
        assign = ast.Assign(targets=[node.target], value=node.value)
        return ast.copy_location(assign, node)
    return node


def own_attributes(tree: ast.Module | list[ast.stmt]) -> set[str]:
    """Names a submission's classes define: their methods and attributes assigned anywhere."""
    body = tree.body if isinstance(tree, ast.Module) else tree
    names = set()
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.ClassDef):
                names |= {s.name for s in node.body if isinstance(s, ast.FunctionDef)}
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return names - {"__init__"}


@dataclasses.dataclass
class Checker:
    """Checks one top-level definition against the language; `findings` get (line, text).

    Attributes:
        modules: the submission's names for whole modules (`np` -> "numpy").
        attributes: the attribute names allowed here (api_attributes() + tiling fields + the
            submission's own names that passed `own_name_problems`).
    """

    modules: dict[str, str]
    attributes: frozenset[str]
    findings: list[tuple[int, str]] = dataclasses.field(default_factory=list)

    def definition(self, node: ast.stmt) -> list[tuple[int, str]]:
        """Check a top-level def or class; returns the findings."""
        if isinstance(node, ast.ClassDef):
            self._class(node)
        else:
            self._function(node, method=False)
        return sorted(set(self.findings))

    def _refuse(self, node: ast.AST, text: str) -> None:
        self.findings.append((getattr(node, "lineno", 0), text))

    def _class(self, node: ast.ClassDef) -> None:
        if node.bases or node.keywords:
            self._refuse(node, f"a base class or keyword in the class statement of '{node.name}'")
        if node.decorator_list:
            self._refuse(node, f"a decorator on the class '{node.name}'")
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef):
                self._function(statement, method=True)
            elif not _is_docstring_or_pass(statement):
                self._refuse(statement, "a statement in a class body other than def")

    def _function(self, node: ast.FunctionDef, method: bool) -> None:
        if node.decorator_list:
            written = ", ".join("@" + ast.unparse(d) for d in node.decorator_list)
            self._refuse(node, f"the decorator {written} on '{node.name}'")
        arguments = node.args
        if arguments.defaults or any(d is not None for d in arguments.kw_defaults):
            self._refuse(node, f"default argument values in '{node.name}' (pass every argument)")
        if node.name.startswith("_") and not (method and node.name == "__init__"):
            self._refuse(node, f"the name '{node.name}' (names starting with _)")
        for argument in ast.walk(arguments):
            if isinstance(argument, ast.arg) and argument.arg.startswith("__"):
                self._refuse(argument, f"the name '{argument.arg}' (names starting with __)")
        for statement in node.body:
            self._statement(statement)

    def _statement(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._refuse(node, "a function inside a function (define it at the top level)")
            return
        if not isinstance(node, _STATEMENTS):
            self._refuse(node, f"{_describe(node)} (not part of the CANN kernel language)")
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self._statement(child)
            else:
                self._expression(child)

    def _expression(self, node: ast.AST) -> None:
        if not isinstance(node, _EXPRESSIONS):
            self._refuse(node, f"{_describe(node)} (not part of the CANN kernel language)")
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
            self._refuse(node, "a bytes literal")
        elif isinstance(node, ast.Name) and node.id.startswith("__"):
            self._refuse(node, f"the name '{node.id}' (names starting with __)")
        elif isinstance(node, ast.Attribute):
            problem = self._attribute_problem(node)
            if problem:
                self._refuse(node, problem)
        for child in ast.iter_child_nodes(node):
            self._expression(child)

    def _attribute_problem(self, node: ast.Attribute) -> str | None:
        name = node.attr
        if name.startswith("_"):
            return f"the attribute .{name} (names starting with _)"
        owner = self.modules.get(node.value.id) if isinstance(node.value, ast.Name) else None
        if owner == "numpy" and name not in NUMPY_DTYPES:
            return f"numpy's .{name} (kernels compute with cann's instructions, not numpy)"
        if owner == "cudalike.cann" and name not in kernel_api():
            return f"cann.{name}, which is not part of the cann API a kernel uses"
        if name in _HOST_ACCESSORS:
            return (
                f"the accessor .{name} (it reaches memory directly and skips the pipes a "
                "kernel must use: move data with DataCopy and compute with vector instructions)"
            )
        if name not in self.attributes:
            return f"the attribute .{name} (not part of the cann API nor of your classes)"
        return None


def own_name_problems(tree_body: list[ast.stmt]) -> list[tuple[int, str]]:
    """Own attribute and method names that some reachable object already has (see reserved)."""
    found = []
    taken = reserved()
    for statement in tree_body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                name, line = node.attr, node.lineno
            elif isinstance(node, ast.FunctionDef) and node is not statement:
                name, line = node.name, node.lineno
            else:
                continue
            if name in taken:
                found.append(
                    (
                        line,
                        f"the attribute name .{name}, which objects in a kernel "
                        "already have (choose another name)",
                    )
                )
    return found


def _is_docstring_or_pass(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _describe(node: ast.AST) -> str:
    names = {
        ast.Match: "a match statement",
        ast.Try: "try/except",
        ast.With: "a with statement",
        ast.Import: "an import inside a function",
        ast.ImportFrom: "an import inside a function",
        ast.Global: "a global statement",
        ast.Nonlocal: "a nonlocal statement",
        ast.Delete: "a del statement",
        ast.Lambda: "a lambda",
        ast.GeneratorExp: "a generator expression (use a list)",
        ast.Yield: "yield",
        ast.YieldFrom: "yield from",
        ast.Await: "await",
        ast.NamedExpr: "the := operator",
    }
    return names.get(type(node), f"the construct {type(node).__name__}")
