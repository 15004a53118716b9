"""`cuda.atomic.*` calls as compiled code, in the vector engine's order when order matters.

The vector engine performs the atomics of one statement one lane after another (block by
block, thread by thread). Integer add, sub, max, min, nanmax, nanmin, and, or and xor whose old
value is not used give the same result in any order. The others (float atomics, exchanges,
inc/dec/cas, or any atomic whose old value is used) depend on the order, and the compiled tier,
which runs a block's threads one after another through a segment, only keeps the vector
engine's order for an array that has one atomic call in the whole kernel, outside every loop:
then both tiers update each element in block order, then thread order. Other kernels with such
atomics run in the vector engine's order through chunk-wide passes (lockstep.py), or stay on
the vector engine.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

_ORDER_FREE = ("atomic.add", "atomic.sub", "atomic.max", "atomic.min", "atomic.nanmax")
_ORDER_FREE += ("atomic.nanmin", "atomic.and_", "atomic.or_", "atomic.xor")
_BITWISE = ("atomic.and_", "atomic.or_", "atomic.xor", "atomic.inc", "atomic.dec")
_FUNCTIONS = {
    "atomic.add": "rt.atomic_add",
    "atomic.sub": "rt.atomic_sub",
    "atomic.max": "rt.atomic_max",
    "atomic.min": "rt.atomic_min",
    # np.fmax and np.fmin, handed back where numpy's loops pick one of two NaNs or zeros
    "atomic.nanmax": "ns.atomic_nanmax",
    "atomic.nanmin": "ns.atomic_nanmin",
    "atomic.and_": "rt.atomic_and",
    "atomic.or_": "rt.atomic_or",
    "atomic.xor": "rt.atomic_xor",
    "atomic.exch": "rt.atomic_exch",
    "atomic.inc": "rt.atomic_inc",
    "atomic.dec": "rt.atomic_dec",
    "atomic.cas": "rt.atomic_cas",
    "atomic.compare_and_swap": "rt.atomic_cas",
}


def is_atomic(meaning) -> bool:
    return isinstance(meaning, frontend.Intrinsic) and meaning.path in _FUNCTIONS


def ordered_atomics(body: list, resolve) -> set[int]:
    """ids of the atomic calls whose order the compiled tier keeps: the only atomic call on its
    array, outside every loop."""
    calls: dict[str, list] = {}

    def visit(node: ast.AST, in_loop: bool) -> None:
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
            if is_atomic(_meaning(node.func, resolve)):
                calls.setdefault(node.args[0].id, []).append((node, in_loop))
        for child in ast.iter_child_nodes(node):
            visit(child, in_loop or isinstance(node, (ast.For, ast.While)))

    for statement in body:
        visit(statement, False)
    return {id(found[0][0]) for found in calls.values() if len(found) == 1 and not found[0][1]}


def sites(statements: list, resolve) -> list[ast.Call]:
    """The atomic calls in `statements` whose first argument is an array name."""
    return [
        node
        for statement in statements
        for node in ast.walk(statement)
        if isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Name)
        and is_atomic(_meaning(node.func, resolve))
    ]


def order_dependent(body: list, resolve, arrays: dict) -> list[ast.Call]:
    """The atomic calls whose order matters: not an integer add, sub, max, min, nanmax,
    nanmin, and_, or_ or xor whose old value is dropped (a statement of its own)."""
    dropped = {
        id(s.value)
        for statement in body
        for s in ast.walk(statement)
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
    }
    found = []
    for node in sites(body, resolve):
        array = arrays.get(node.args[0].id)
        floating = array is not None and array.dtype.kind == "f"
        path = _meaning(node.func, resolve).path
        if path not in _ORDER_FREE or floating or id(node) not in dropped:
            found.append(node)
    return found


def _meaning(node: ast.AST, resolve):
    try:
        return resolve(node)
    except NotCompilable:
        return None


def atomic_call(k, node: ast.Call, path: str, used: bool) -> tuple[str, object]:
    """Code (a call returning the old value) and type of an atomic; `used`: the old value is."""
    if k.block_mode:
        raise NotCompilable("an atomic deciding a barrier's control flow")
    operands = 3 if path == "atomic.compare_and_swap" else 4 if path == "atomic.cas" else 3
    if len(node.args) != operands or node.keywords:
        raise NotCompilable(f"cuda.{path} with other arguments")
    array = k.array_of(node.args[0])
    if array.space == "local":
        raise NotCompilable("an atomic on a local array")
    if array.dtype.itemsize < 4:
        raise NotCompilable(f"an atomic on an array of {array.dtype}")
    floating = array.dtype.kind == "f"
    if floating and path in (*_BITWISE, "atomic.cas", "atomic.compare_and_swap"):
        raise NotCompilable(f"cuda.{path} on a float array")
    ordered = path in _ORDER_FREE and not floating and not used
    if not ordered and id(node) not in k.ordered_atomics:
        raise NotCompilable(
            f"cuda.{path} whose order matters, on an array with other atomics or in a loop"
        )
    if path == "atomic.compare_and_swap":
        index, values = ast.Constant(0), node.args[1:]
    else:
        index, values = node.args[1], node.args[2:]
    subscript = ast.Subscript(value=node.args[0], slice=index, ctx=ast.Load())
    _, codes = k.index(subscript)
    sizes = [f"{array.shape_code}[{axis}]" for axis in range(len(codes))]
    flat = f"rt.bound({codes[0]}, {sizes[0]})"
    for size, part in zip(sizes[1:], codes[1:], strict=True):
        flat = f"({flat}) * {size} + rt.bound({part}, {size})"
    name = array.name
    if k.checks and array.space == "shared":
        flat = f"rt.shared_write(sw_{name}, sr_{name}, {flat}, t, gep, True)"
    elif k.checks and array.tracked:
        flat = f"rt.global_atomic(gw_{name}, gr_{name}, {flat})"
    casts = []
    for value in values:
        code, kind = k.expr(value)
        nb.numeric(kind)
        if not floating and not nb.is_integer(kind):
            raise NotCompilable("an atomic on an integer array with a non-integer value")
        casts.append(nb.cast(code, kind, array.dtype))
    return f"{_FUNCTIONS[path]}(f_{name}, {flat}, {', '.join(casts)})", array.dtype
