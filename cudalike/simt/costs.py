"""Static costs of kernel statements for the performance model: instructions and FLOPs.

A statement's weight approximates the SASS instructions nvcc would emit for it, per thread:
one per arithmetic operator, call and comparison; one per array access; a*b + c fused into one
FFMA; index arithmetic folded into addressing (it is hoisted out of unrolled loops or becomes
an address offset), except integer division and modulo by a run-time value, which are a short
software routine (a divisor that is a literal or a name for a frozen global constant is known
at compile time: a shift or a multiply); a cast of a literal (`float32(0)`) is folded into a
constant; local arrays live in registers once their loops are unrolled.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

DIVISION_COST = 20  # instructions of an integer division or modulo by a run-time divisor
# Scalar types a kernel casts with (numba's, numpy's, Python's): a cast of a literal is a
# constant the compiler folds into the instruction that uses it.
CASTS = frozenset(
    {"float16", "float32", "float64", "int8", "int16", "int32", "int64"}
    | {"uint8", "uint16", "uint32", "uint64", "intp", "uintp", "float", "int", "bool"}
)


def weight(
    node: ast.AST, local_arrays: set[str] = frozenset(), constants: set[str] = frozenset()
) -> int:
    """Instructions one thread issues for `node` (at least one).

    `constants` names the frozen global constants the kernel reads: a division or modulo by
    one of them costs what one by a literal does.
    """
    return max(1, _weight(node, local_arrays, constants, in_index=False))


def _weight(node: ast.AST, local_arrays, constants, in_index: bool) -> int:
    total = 0
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, (ast.Mod, ast.FloorDiv)) and not _compile_time(
            node.right, constants
        ):
            total += DIVISION_COST
        elif not in_index and not _fused(node):
            total += 1
    elif isinstance(node, ast.AugAssign):
        total += 0 if _is_product(node.value) else 1
    elif _folded_cast(node, constants):
        return 0
    elif isinstance(node, (ast.UnaryOp, ast.BoolOp, ast.IfExp, ast.Call)) and not in_index:
        total += 1
    elif isinstance(node, ast.Compare) and not in_index:
        total += len(node.ops)
    elif isinstance(node, ast.Subscript):
        local = isinstance(node.value, ast.Name) and node.value.id in local_arrays
        total += 0 if local else 1
        total += _weight(node.value, local_arrays, constants, in_index)
        return total + _weight(node.slice, local_arrays, constants, in_index=True)
    for child in ast.iter_child_nodes(node):
        total += _weight(child, local_arrays, constants, in_index)
    return total


def _compile_time(node: ast.AST, constants) -> bool:
    """Whether `node` is a literal or the name of a frozen global constant."""
    return isinstance(node, ast.Constant) or (isinstance(node, ast.Name) and node.id in constants)


def _folded_cast(node: ast.AST, constants) -> bool:
    """Whether `node` casts a literal (`float32(0)`, `np.int32(-1)`): a constant, no instruction."""
    if not isinstance(node, ast.Call) or len(node.args) != 1 or node.keywords:
        return False
    function = node.func
    name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
    value = node.args[0]
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, (ast.USub, ast.UAdd)):
        value = value.operand
    return name in CASTS and _compile_time(value, constants)


def _fused(node: ast.BinOp) -> bool:
    """An addition whose operand is a product: the product's FFMA does both."""
    return isinstance(node.op, (ast.Add, ast.Sub)) and (
        _is_product(node.left) or _is_product(node.right)
    )


def flop_counts(statement: ast.stmt) -> tuple[int, int, int]:
    """(fadd, fmul, ffma) of a statement if its values are floating point; a*b+c is one ffma."""
    value = getattr(statement, "value", None)
    if value is None or isinstance(statement, (ast.Expr, ast.Return)):
        return 0, 0, 0
    if isinstance(statement, ast.AugAssign):
        value = ast.BinOp(left=ast.Constant(0), op=statement.op, right=value)
    fused = set()
    fadd = fmul = ffma = 0
    for node in _arithmetic_nodes(value):
        if not isinstance(node, ast.BinOp) or id(node) in fused:
            continue
        if isinstance(node.op, (ast.Add, ast.Sub)):
            product = next((side for side in (node.left, node.right) if _is_product(side)), None)
            if product is not None:
                fused.add(id(product))
                ffma += 1
            else:
                fadd += 1
        elif isinstance(node.op, (ast.Mult, ast.Div)):
            fmul += 1
    return fadd, fmul, ffma


def _arithmetic_nodes(node: ast.AST):
    """The nodes of an expression, leaving out array indices (integer address arithmetic)."""
    yield node
    for name, child in ast.iter_fields(node):
        if isinstance(node, ast.Subscript) and name == "slice":
            continue
        children = child if isinstance(child, list) else [child]
        for item in children:
            if isinstance(item, ast.AST):
                yield from _arithmetic_nodes(item)


def _is_product(node: ast.AST) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)


def constant_divisors(tree: ast.FunctionDef, is_constant: Callable[[ast.Name], bool]) -> set[str]:
    """Names that divide (// or %) somewhere in `tree` and that `is_constant` says are frozen."""
    return {
        node.right.id
        for node in ast.walk(tree)
        if isinstance(node, ast.BinOp)
        and isinstance(node.op, (ast.FloorDiv, ast.Mod))
        and isinstance(node.right, ast.Name)
        and is_constant(node.right)
    }


def local_array_names(tree: ast.FunctionDef) -> set[str]:
    """Variables assigned from cuda.local.array(...)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            function = node.value.func
            if isinstance(function, ast.Attribute) and function.attr == "array":
                owner = function.value
                if isinstance(owner, ast.Attribute) and owner.attr == "local":
                    names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names
