"""Device functions (`@cuda.jit(device=True)`) as numba functions called by the compiled kernel.

The subset: functions of numbers (no arrays, no cuda intrinsics) every path of which ends
by returning a value (a last `return`, or a last `if`/`else` whose branches all end so), or a
tuple of values that the caller unpacks to names or array elements
(`r, theta = to_polar(x, y)`, each element typed as a single result is); `if`,
`for ... in range(...)` and `while` loops (with `break`, `continue` and `return` inside) are
allowed. Every function takes the kernel's loop counters after its arguments (`ticks, dbase,
t, budget, clock, deadline`), so its loops count against the loop and time budgets as the
kernel's own do, each loop on a row of `ticks` of its own. Each (function, argument types)
pair becomes one numba function in the generated module. Its result type follows the vector
engine: the first return executed gives the value as it is, later ones merge under the mask
with `np.where`, so a function with several returns may give a Python number, a 64-bit array
or a promoted type depending on the run. `return_kind` keeps only the cases where every run
gives the same numbers (see numbers.FLOAT32_ON_STORE for returns that mix float types).
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.expressions import Expressions
from cudalike.simt.compiled.flow import assigned_before_read, assigned_names, is_docstring
from cudalike.simt.compiled.inline_returns import always_returns
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.statements import Kernel

DECORATOR = "@njit(nogil=True, error_model='python')"
COUNTERS = "ticks, dbase, t, budget, clock, deadline"
_FLOATS = (nb.WEAK_FLOAT, nb.MAYBE_FLOAT, nb.FLOAT32, nb.FLOAT64)


class DeviceFunctions:
    """The device functions one kernel calls, written once per argument types."""

    def __init__(self):
        self.written: dict[tuple, tuple[str, object]] = {}  # key -> (numba name, result type)
        self.sources: list[str] = []
        self.sites = 0  # rows of the kernel's `ticks` the functions' loops count on

    def new_site(self) -> int:
        self.sites += 1
        return self.sites - 1

    def call(self, dispatcher, args: list, resolver_chain: tuple) -> tuple[str, object]:
        """Code and type of `dispatcher(*args)`; args are (code, type) pairs."""
        code, result = self._written(dispatcher, args, resolver_chain)
        if isinstance(result, tuple):
            raise NotCompilable("a device function's tuple used other than unpacked to names")
        return code, result

    def call_unpacked(self, dispatcher, args: list, chain: tuple, count: int) -> list:
        """(code, type) of each element of `dispatcher(*args)`, a tuple of `count` values
        unpacked by the caller (`r, theta = to_polar(x, y)`). Each element calls the function
        again: it computes numbers from numbers only, so every call gives the same tuple."""
        code, result = self._written(dispatcher, args, chain)
        if not isinstance(result, tuple) or len(result) != count:
            raise NotCompilable(f"{dispatcher.__name__}() unpacked to {count} names")
        return [(f"{code}[{index}]", kind) for index, kind in enumerate(result)]

    def _written(self, dispatcher, args: list, resolver_chain: tuple) -> tuple[str, object]:
        if dispatcher in resolver_chain:
            raise NotCompilable("a recursive device function")
        kinds = tuple(kind for _, kind in args)
        key = (id(dispatcher), tuple(map(str, kinds)))
        if key not in self.written:
            name = f"d_{dispatcher.__name__}_{len(self.written)}"
            body = _DeviceBody(dispatcher, kinds, self, (*resolver_chain, dispatcher))
            self.sources.append(body.source(name))
            self.written[key] = (name, body.result)
        name, result = self.written[key]
        passed = [nb.cast(code, kind, nb.storage(kind)) for code, kind in args]
        return f"{name}({''.join(p + ', ' for p in passed)}{COUNTERS})", result


class _DeviceBody(Kernel):
    """One device function typed for one set of argument types (Kernel's type inference)."""

    def __init__(self, dispatcher, kinds: tuple, functions: DeviceFunctions, chain: tuple):
        parsed = dispatcher.parsed
        Expressions.__init__(self, parsed, frontend.Resolver(dispatcher.py_func, parsed))
        self.device_functions = functions
        self.chain = chain
        self.parameters = list(parsed.params)
        if len(kinds) != len(self.parameters):
            raise NotCompilable(f"{dispatcher.__name__}() called with other argument counts")
        self.body = [s for s in parsed.tree.body if not is_docstring(s)]
        _check_statements(self.body)
        if not always_returns(self.body):
            raise NotCompilable("a device function that does not return a value on every path")
        assigned = assigned_names(self.body)
        self.locals = assigned | set(self.parameters)
        assigned_before_read(self.body, set(self.parameters), self.locals)
        self.types.update(zip(self.parameters, kinds, strict=True))
        self._infer()  # an assigned parameter starts as its argument's type
        for name, kind in zip(self.parameters, kinds, strict=True):
            if name not in assigned:
                self.types[name] = kind
        self.result = _result_kind([r.value for r in _returns(self.body)], self.expr)

    def _meaning(self, meaning, node):
        if isinstance(meaning, frontend.Intrinsic):
            raise NotCompilable("a cuda intrinsic in a device function")
        return super()._meaning(meaning, node)

    def source(self, name: str) -> str:
        arguments = "".join(f"v_{p}, " for p in self.parameters)
        lines = [DECORATOR, f"def {name}({arguments}{COUNTERS}):"]
        self._write(self.body, lines, 1)
        return "\n".join(lines) + "\n"

    def _write(self, statements: list, out: list, depth: int) -> None:
        pad = "    " * depth
        for node in statements:
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                values = [self.expr(value) for value in node.value.elts]
                casts = [nb.cast(c, k, r) for (c, k), r in zip(values, self.result, strict=True)]
                out.append(f"{pad}return ({', '.join(casts)},)")
            elif isinstance(node, ast.Return):
                code, kind = self.expr(node.value)
                out.append(f"{pad}return {nb.cast(code, kind, self.result)}")
            elif isinstance(node, ast.If):
                out.append(f"{pad}if {self.truth(*self.expr(node.test))}:")
                self._write(node.body, out, depth + 1)
                if node.orelse:
                    out.append(f"{pad}else:")
                    self._write(node.orelse, out, depth + 1)
            elif isinstance(node, ast.Assign):
                target = node.targets[0]
                if isinstance(target, ast.Tuple):
                    values = self._tuple_values(target, node.value)
                    temporaries = [f"__u{i}" for i in range(len(values))]
                    for temporary, (code, _) in zip(temporaries, values, strict=True):
                        out.append(f"{pad}{temporary} = {code}")
                    for element, temporary, (_, kind) in zip(
                        target.elts, temporaries, values, strict=True
                    ):
                        out.append(f"{pad}{self._assignment(element.id, temporary, kind)}")
                else:
                    code, kind = self.expr(node.value)
                    out.append(f"{pad}{self._assignment(target.id, code, kind)}")
            elif isinstance(node, ast.AugAssign):
                code, kind = self.binary(
                    node.op, self.variable(node.target.id), self.expr(node.value)
                )
                out.append(f"{pad}{self._assignment(node.target.id, code, kind)}")
            elif isinstance(node, (ast.For, ast.While)):
                self._loop(node, out, depth)
            elif isinstance(node, (ast.Break, ast.Continue)):
                out.append(f"{pad}{type(node).__name__.lower()}")
        out.append(f"{pad}pass")

    def _loop(self, node: ast.For | ast.While, out: list, depth: int) -> None:
        """A loop, its iterations counted on its own row of the kernel's `ticks`."""
        pad = "    " * depth
        site = f"dbase + {self.device_functions.new_site()}"
        if isinstance(node, ast.For):
            codes, _ = self._range(node)
            bounds = [f"__r{depth}_{i}" for i in range(3)]
            out.append(f"{pad}{', '.join(bounds)} = {', '.join(codes)}")
            out.append(f"{pad}rt.tick(ticks, {site}, t, rt.trip({', '.join(bounds)}), budget)")
            out.append(f"{pad}for __i{depth} in range({', '.join(bounds)}):")
            out.append(f"{pad}    {self._assignment(node.target.id, f'__i{depth}', nb.INT64)}")
        else:
            out.append(f"{pad}while {self.truth(*self.expr(node.test))}:")
            out.append(f"{pad}    rt.tick_while(ticks, {site}, t, budget, clock, deadline)")
        self._write(node.body, out, depth + 1)

    def _assignment(self, name: str, code: str, kind) -> str:
        return f"v_{name} = {nb.cast(code, kind, self.types[name])}"


def _check_statements(statements: list) -> None:
    for node in statements:
        if isinstance(node, ast.If):
            _check_statements(node.body)
            _check_statements(node.orelse)
        elif isinstance(node, ast.Assign):
            targets = (
                node.targets[0].elts if isinstance(node.targets[0], ast.Tuple) else node.targets
            )
            if len(node.targets) != 1 or not all(isinstance(t, ast.Name) for t in targets):
                raise NotCompilable("a device function assigning other than names")
        elif isinstance(node, ast.AugAssign):
            if not isinstance(node.target, ast.Name):
                raise NotCompilable("a device function assigning other than names")
        elif isinstance(node, ast.Return):
            if node.value is None:
                raise NotCompilable("a device function returning nothing")
            if isinstance(node.value, ast.Tuple) and any(
                isinstance(e, (ast.Starred, ast.Tuple)) for e in node.value.elts
            ):
                raise NotCompilable("a device function returning a nested or starred tuple")
        elif isinstance(node, (ast.For, ast.While)):
            if node.orelse:
                raise NotCompilable("a loop with else in a device function")
            if isinstance(node, ast.For) and not isinstance(node.target, ast.Name):
                raise NotCompilable("a for loop unpacking in a device function")
            _check_statements(node.body)
        elif not isinstance(node, (ast.Pass, ast.Break, ast.Continue)) and not is_docstring(node):
            raise NotCompilable(f"{type(node).__name__} in a device function")


def _returns(statements: list):
    for node in statements:
        if isinstance(node, ast.Return):
            yield node
        elif isinstance(node, (ast.If, ast.For, ast.While)):
            yield from _returns(node.body)
            yield from _returns(node.orelse)


def _result_kind(values: list, typed):
    """The result type of a function returning `values` (expressions typed by `typed`): a
    tuple of types, one per element, when every return gives a tuple of one length, each
    element merged as `return_kind` merges single values."""
    tuples = [isinstance(value, ast.Tuple) for value in values]
    if not any(tuples):
        return return_kind([typed(value)[1] for value in values])
    lengths = {len(value.elts) for value in values if isinstance(value, ast.Tuple)}
    if not all(tuples) or len(lengths) != 1:
        raise NotCompilable("a device function returning tuples of several lengths, or not")
    columns = zip(*[[typed(e)[1] for e in value.elts] for value in values], strict=True)
    return tuple(return_kind(list(kinds)) for kinds in columns)


def return_kind(kinds: list):
    """The type of a device function's result from the types of its return values.

    One return: that value. Several: the vector engine merges them with `np.where` or not,
    depending on the run, so they must agree: one strong type, or Python numbers of one kind
    (a Python number or a 64-bit array: "maybe"), or floats of any precision, which round to
    the same float32 whichever way they were merged (the code returns them exactly, in float64,
    and they may only be stored to float32)."""
    if len(kinds) == 1:
        return kinds[0]
    if all(kind == kinds[0] for kind in kinds) and not nb.is_weak(kinds[0]):
        return kinds[0]
    if all(nb.is_weak(kind) for kind in kinds):
        if all(kind in (nb.WEAK_INT, nb.MAYBE_INT) for kind in kinds):
            return nb.MAYBE_INT
        if all(kind in (nb.WEAK_FLOAT, nb.MAYBE_FLOAT) for kind in kinds):
            return nb.MAYBE_FLOAT
    if all(kind in _FLOATS for kind in kinds):
        return nb.FLOAT32_ON_STORE
    raise NotCompilable(f"a device function returning {', '.join(map(str, kinds))}")
