"""`for` over an array, enumerate(...) and zip(...) in kernels, rewritten as loops over range.

Each element is then read with a bounds-checked index, so the rest of the front end and the
lowering only ever see `for i in range(...)`.
"""

from __future__ import annotations

import ast


class IterationLoops(ast.NodeTransformer):
    """Rewrite `for` over an array, `enumerate(...)` or `zip(...)` as a loop over range().

    `for i, v in enumerate(a)` becomes `for k in range(len(a)): i, v = (k, a[k])`, and
    `zip(a, b)` runs to the shorter length, as in numba. Each element is read with an ordinary
    (bounds-checked) index. Other iterables are left for check_subset to refuse.
    """

    def __init__(self) -> None:
        self.count = 0

    def visit_For(self, node: ast.For) -> ast.AST:  # noqa: N802 - ast's name
        self.generic_visit(node)
        if is_range_call(node.iter) or not _iterable(node.iter):
            return node
        self.count += 1
        index = f"_cudalike_k{self.count}"
        length, element = _length_and_element(node.iter, index)
        rewritten = ast.For(
            target=ast.Name(index, ast.Store()),
            iter=ast.Call(ast.Name("range", ast.Load()), [length], []),
            body=[ast.Assign([node.target], element), *node.body],
            orelse=node.orelse,
        )
        for child in ast.walk(rewritten):
            ast.copy_location(child, node)
        return rewritten


def _iterable(node: ast.expr) -> bool:
    if _is_call_of(node, "enumerate"):
        return len(node.args) == 1 and _iterable(node.args[0])
    if _is_call_of(node, "zip"):
        return bool(node.args) and all(_iterable(a) for a in node.args)
    return isinstance(node, (ast.Name, ast.Attribute, ast.Subscript))


def _is_call_of(node: ast.expr, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == name
        and not node.keywords
    )


def _length_and_element(node: ast.expr, index: str) -> tuple[ast.expr, ast.expr]:
    """The trip count of iterating `node`, and its element at `index`."""
    if _is_call_of(node, "enumerate"):
        length, element = _length_and_element(node.args[0], index)
        return length, ast.Tuple([ast.Name(index, ast.Load()), element], ast.Load())
    if _is_call_of(node, "zip"):
        parts = [_length_and_element(a, index) for a in node.args]
        length = ast.Call(ast.Name("min", ast.Load()), [p[0] for p in parts], [])
        return length, ast.Tuple([p[1] for p in parts], ast.Load())
    length = ast.Call(ast.Name("len", ast.Load()), [node], [])
    return length, ast.Subscript(node, ast.Name(index, ast.Load()), ast.Load())


def is_range_call(node: ast.AST) -> bool:
    """`range(...)` with one to three positional arguments."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "range"
        and not node.keywords
        and 1 <= len(node.args) <= 3
    )
