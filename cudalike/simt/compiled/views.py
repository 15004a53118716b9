"""Views of part of an array (`row = a[i]`, then `row[j]`, `row.shape[0]`, `len(row)`),
written as subscripts of the array itself (`a[i, j]`, `a.shape[1]`) before translation.

numba and the vector engine give `a[i]` of a 2-D array as a view sharing its memory, so
reading and writing `row[j]` is reading and writing `a[i, j]`. Compiled code holds no views.
Where `row` is assigned once, outside every loop, from an index of plain arithmetic on names
that are themselves assigned once outside loops (or never), the view names the same part of
the array wherever it is used; where it is then only subscripted, measured or given to `len`,
in the statements after its assignment, each use is written on the array. The assignment
becomes a read of the part's first element into a variable nothing reads, so an index out of
range fails where the vector engine fails (a part with no elements hands the launch back).
"""

from __future__ import annotations

import ast
import copy

from cudalike.simt.compiled.flow import assigned_in_loops, assignment_counts, fresh_names

_PLAIN = (ast.Name, ast.Constant, ast.Attribute, ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop)


def inline_views(parsed, dims: dict[str, int]):
    """`parsed` with each view that can be written on its array so written (in place: the
    launcher translates a copy of the kernel's tree); `dims`: each array argument's number of
    dimensions."""
    body = parsed.tree.body
    counts = assignment_counts(body)
    in_loops = assigned_in_loops(body)
    names = fresh_names(parsed, "__view")
    for scope, position, view, array, index in list(_views(body, dims, counts, in_loops)):
        later = scope[position + 1 :]
        if dims[array] <= len(index) or not _only_measured_or_subscripted(later, view):
            continue
        rewrite = _OnTheArray(view, array, index)
        scope[position + 1 :] = [rewrite.visit(statement) for statement in later]
        first = ast.Subscript(
            value=ast.Name(id=array, ctx=ast.Load()),
            slice=ast.Tuple(
                elts=[*_copies(index), *[ast.Constant(0)] * (dims[array] - len(index))],
                ctx=ast.Load(),
            ),
            ctx=ast.Load(),
        )
        check = ast.Assign(targets=[ast.Name(id=next(names), ctx=ast.Store())], value=first)
        scope[position] = ast.fix_missing_locations(ast.copy_location(check, scope[position]))
    return parsed


def _copies(index: list) -> list:
    return [copy.deepcopy(part) for part in index]


def _views(statements: list, dims: dict, counts: dict, in_loops: set):
    """(the statement list, the position, the view's name, the array, the index's parts) of
    each `view = array[index]` outside loops that names a part of an array argument."""
    for position, statement in enumerate(statements):
        if isinstance(statement, ast.If):
            yield from _views(statement.body, dims, counts, in_loops)
            yield from _views(statement.orelse, dims, counts, in_loops)
            continue
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Subscript)
            and isinstance(statement.value.value, ast.Name)
        ):
            continue
        view, array = statement.targets[0].id, statement.value.value.id
        index = statement.value.slice
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        if (
            array in dims
            and counts.get(view) == 1
            and counts.get(array, 0) == 0
            and all(_fixed(part, counts, in_loops) for part in parts)
        ):
            yield statements, position, view, array, parts


def _fixed(index: ast.AST, counts: dict, in_loops: set) -> bool:
    """An index of plain arithmetic on names assigned at most once, outside loops: the same
    number wherever the view is used after it."""
    for node in ast.walk(index):
        if not isinstance(node, (*_PLAIN, ast.Load)):
            return False
        if isinstance(node, ast.Name) and (counts.get(node.id, 0) > 1 or node.id in in_loops):
            return False
    return True


def _only_measured_or_subscripted(statements: list, view: str) -> bool:
    """Whether each use of `view` in `statements` is a subscript, `.shape[k]` or `len(view)`."""
    parents = {
        child: parent
        for statement in statements
        for parent in ast.walk(statement)
        for child in ast.iter_child_nodes(parent)
    }
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id == view:
                parent = parents.get(node)
                grand = parents.get(parent)
                if not (
                    (isinstance(parent, ast.Subscript) and parent.value is node)
                    or (_is_shape(parent) and isinstance(grand, ast.Subscript) and _axis(grand))
                    or _is_len(parent, node)
                ):
                    return False
    return True


def _is_shape(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "shape"


def _axis(subscript: ast.Subscript) -> bool:
    axis = subscript.slice
    return isinstance(axis, ast.Constant) and type(axis.value) is int and axis.value >= 0


def _is_len(call: ast.AST, node: ast.Name) -> bool:
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "len"
        and call.args == [node]
        and not call.keywords
    )


class _OnTheArray(ast.NodeTransformer):
    """Each use of the view written on the array: `view[sub]` as `array[index, sub]`,
    `view.shape[k]` and `len(view)` as `array.shape[len(index) + k]`."""

    def __init__(self, view: str, array: str, index: list):
        self.view, self.array, self.index = view, array, index

    def _is_view(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == self.view

    def _shape(self, axis: int, like: ast.AST) -> ast.Subscript:
        shape = ast.Attribute(value=ast.Name(id=self.array, ctx=ast.Load()), attr="shape")
        shape.ctx = ast.Load()
        node = ast.Subscript(value=shape, slice=ast.Constant(len(self.index) + axis))
        node.ctx = ast.Load()
        return ast.fix_missing_locations(ast.copy_location(node, like))

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if self._is_view(node.value):
            sub = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            node.value = ast.copy_location(ast.Name(id=self.array, ctx=ast.Load()), node.value)
            node.slice = ast.Tuple(elts=[*_copies(self.index), *sub], ctx=ast.Load())
            return ast.fix_missing_locations(node)
        if _is_shape(node.value) and self._is_view(node.value.value) and _axis(node):
            return self._shape(node.slice.value, node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if node.args and self._is_view(node.args[0]) and _is_len(node, node.args[0]):
            return self._shape(0, node)
        return node
