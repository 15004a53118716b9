"""cuda.random's draws (xoroshiro128+) in compiled code, with the vector engine's numbers.

A states array (numba's record of two uint64, `s0` and `s1`) reaches the driver as a view of
its storage, one row of two uint64 per generator (`states_view`), with an owner array per
launch (arrays.py). Each draw advances its generator in numpy's uint64 arithmetic
(`numpy_scalars.xoroshiro_next`) and computes what cudalike/simt/random_numbers.py computes:
the float64 uniform `(bits >> 11) * 2**-53`, rounded to float32 for the float32 one, and the
normal of two float32 uniforms with numpy's own log and cos loops (ufuncs.py), as the vector
engine's `np.log` and `np.cos` compute them.

Each thread draws in its own order on both tiers, so a generator only one thread uses gives
the same numbers. Two threads drawing from one generator race on a GPU, and the vector engine
resolves them statement by statement in lane order, which a thread-by-thread run cannot
reproduce: the owner array finds it at run time and hands the launch back, as it does a state
index outside the states (the vector engine checks or reports it).

A draw must be evaluated once where the vector engine evaluates it once, so `hoist_draws`
moves every draw that is not the whole value of an assignment or statement into a fresh
variable assigned just before the statement (with its line), in the order Python evaluates
them; a draw a short-circuit may skip, or in a loop's range or condition, keeps the kernel on
the vector engine.
"""

from __future__ import annotations

import ast
import copy

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.flow import (
    fresh_names,
    meaning,
    own_expressions,
    rewritten,
    sometimes_evaluated,
    visit_own_expressions,
    with_body,
)
from cudalike.simt.compiled.numbers import NotCompilable

SPACE = "states"  # an ArrayRef's space for a states array
_PATHS = {
    "random.xoroshiro128p_next",
    "random.xoroshiro128p_uniform_float32",
    "random.xoroshiro128p_uniform_float64",
    "random.xoroshiro128p_normal_float32",
    "random.xoroshiro128p_normal_float64",
}
_TWO_PI_32 = repr(float(np.float32(2 * np.pi)))
_TWO_PI_64 = repr(float(np.float64(2 * np.pi)))


def is_states(dtype: np.dtype) -> bool:
    """Whether `dtype` is numba's xoroshiro128+ state record: two uint64, `s0` then `s1`."""
    return (
        dtype.names == ("s0", "s1")
        and dtype.itemsize == 16
        and all(dtype.fields[n][0] == np.uint64 for n in dtype.names)
        and [dtype.fields[n][1] for n in dtype.names] == [0, 8]
    )


def states_view(storage: np.ndarray) -> np.ndarray:
    """The 1-D states `storage` as one row of two uint64 per generator, sharing its memory."""
    if storage.ndim != 1 or not storage.flags.c_contiguous:
        raise NotCompilable("a states array that is not one contiguous row")
    return storage.view(np.uint64).reshape(storage.size, 2)


def is_draw(meaning) -> bool:
    return isinstance(meaning, frontend.Intrinsic) and meaning.path in _PATHS


def call(kernel, path: str, node: ast.Call) -> tuple[str, object]:
    """Code and type of the draw `node` (one generator, one thread)."""
    if kernel.block_mode:
        raise NotCompilable("a random draw that decides a barrier's control flow")
    if len(node.args) != 2:
        raise NotCompilable(f"{path} with other than two arguments")
    states = node.args[0]
    array = kernel.arrays.get(states.id) if isinstance(states, ast.Name) else None
    if array is None or array.space != SPACE:
        raise NotCompilable(f"{path} of something other than a states argument")
    code, kind = kernel.expr(node.args[1])
    if not nb.is_integer(kind):
        raise NotCompilable("a random state index that is not an integer")
    operands = f"f_{array.name}, o_{array.name}, {nb.cast(code, kind, nb.INT64)}, gth"
    name = path.removeprefix("random.xoroshiro128p_")
    if name == "next":
        return f"ns.xoroshiro_next({operands})", np.dtype(np.uint64)
    uniform = f"ns.xoroshiro_uniform({operands})"
    if name == "uniform_float64":
        return uniform, nb.FLOAT64
    single = f"np.float32({uniform})"
    if name == "uniform_float32":
        return single, nb.FLOAT32
    log = _loop(np.log, nb.FLOAT32)
    if name == "normal_float32":
        cos = _loop(np.cos, nb.FLOAT32)
        radius = f"math.sqrt(np.float32(-2.0) * uf.call1('{log}', {single}))"
        angle = f"uf.call1('{cos}', np.float32({_TWO_PI_32}) * {single})"
        return f"({radius} * {angle})", nb.FLOAT32
    cos = _loop(np.cos, nb.FLOAT64)
    radius = f"math.sqrt(-2.0 * np.float64(uf.call1('{log}', {single})))"
    angle = f"uf.call1('{cos}', {_TWO_PI_64} * np.float64({single}))"
    return f"({radius} * {angle})", nb.FLOAT64


def _loop(ufunc: np.ufunc, dtype: np.dtype) -> str:
    from cudalike.simt.compiled import ufuncs  # loads numba: only when a kernel is translated

    symbol = ufuncs.symbol(ufunc, dtype)
    if symbol is None:
        raise NotCompilable(f"numpy's {ufunc.__name__} loop for {dtype} cannot be called")
    return symbol


def hoist_draws(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with every draw nested in an expression moved into a statement before it."""
    names = fresh_names(parsed, "draw")
    resolve = resolver.resolve

    def draws(root: ast.AST) -> bool:
        return any(_is_draw_call(resolve, n) for n in ast.walk(root))

    def step(statement: ast.stmt):
        own = own_expressions(statement)
        if not any(draws(root) for root in own):
            return [], statement
        if _whole_value(statement, resolve):
            return [], statement
        if not isinstance(statement, (ast.Assign, ast.AugAssign, ast.Expr, ast.If)):
            raise NotCompilable(f"a random draw in a {type(statement).__name__} statement")
        copied = copy.deepcopy(statement)
        for root in own_expressions(copied):
            if any(draws(part) for part in sometimes_evaluated(root)):
                raise NotCompilable("a random draw that a short-circuit may skip")
        mover = _Mover(resolve, names, statement)
        visit_own_expressions(copied, mover)
        return mover.before, copied

    return with_body(parsed, rewritten(parsed.tree.body, step))


def _is_draw_call(resolve, node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and is_draw(meaning(resolve, node.func))


def _whole_value(statement: ast.stmt, resolve) -> bool:
    """`x = draw`, `a[i] = draw`, `x op= draw` or the draw alone, with no other draw in it."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
    elif isinstance(statement, ast.AugAssign):
        target = statement.target
    elif isinstance(statement, ast.Expr):
        target = None
    else:
        return False
    value = statement.value
    if not _is_draw_call(resolve, value) or value.keywords:
        return False
    if target is not None and not isinstance(target, (ast.Name, ast.Subscript)):
        return False
    inside = [*value.args, *([] if target is None else [target])]
    return not any(_is_draw_call(resolve, n) for part in inside for n in ast.walk(part))


class _Mover(ast.NodeTransformer):
    """Replaces each draw, innermost first and in Python's order, with a fresh variable."""

    def __init__(self, resolve, names, statement: ast.stmt):
        self.resolve = resolve
        self.names = names
        self.statement = statement
        self.before: list[ast.stmt] = []

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        if not _is_draw_call(self.resolve, node):
            return node
        name = next(self.names)
        target = ast.copy_location(ast.Name(id=name, ctx=ast.Store()), self.statement)
        assign = ast.copy_location(ast.Assign(targets=[target], value=node), self.statement)
        self.before.append(ast.fix_missing_locations(assign))
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)
