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

A draw must be evaluated once where the vector engine evaluates it once, so hoist.py moves
every draw that is not the whole value of an assignment or statement into a fresh variable
assigned just before the statement (with its line), in the order Python evaluates them; a draw
a short-circuit may skip, or in a loop's range or condition, keeps the kernel on the vector
engine.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import numbers as nb
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
