"""Constant arrays in compiled code: `w = cuda.const.array_like(WEIGHTS)`, WEIGHTS a numpy array
defined outside the kernel, and such a global read by its own name (`WEIGHTS[k]`).

The vector engine copies the array when it lowers the kernel, as numba freezes it when it
compiles: a later change to the global or to its elements changes nothing. Compiled code reads
that very copy, handed to the driver as an extra argument at each launch. Only reads are
compiled: a kernel that stores to the array, or hands it to a function, stays on the vector
engine, which reports the store.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt import frontend, memory
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.expressions import ArrayRef
from cudalike.simt.compiled.flow import assigned_names
from cudalike.simt.compiled.numbers import NotCompilable


def declaration(kernel, statement: ast.stmt) -> tuple[ArrayRef, np.ndarray] | None:
    """The array `statement` declares if it is `name = cuda.const.array_like(GLOBAL)`, with the
    object it names, or None for any other statement."""
    if not (
        isinstance(statement, ast.Assign)
        and isinstance(statement.value, ast.Call)
        and kernel.resolve(statement.value.func) == frontend.Intrinsic("const.array_like")
    ):
        return None
    target, call = statement.targets[0], statement.value
    if len(statement.targets) != 1 or not isinstance(target, ast.Name):
        raise NotCompilable("a constant array not assigned to one name")
    if len(call.args) != 1 or call.keywords or not isinstance(call.args[0], ast.Name):
        raise NotCompilable("cuda.const.array_like of other than a global array")
    meaning = kernel.resolve(call.args[0])
    value = meaning.value if isinstance(meaning, frontend.Constant) else None
    if not isinstance(value, np.ndarray):
        raise NotCompilable("cuda.const.array_like of other than a global numpy array")
    if not value.flags.c_contiguous:
        raise NotCompilable("a constant array that is not contiguous")
    return _constant(kernel, target.id, value, declared=target)


def global_arrays(kernel) -> list[tuple[ArrayRef, np.ndarray]]:
    """The module-level numpy arrays the kernel reads by name (`LBM_W[q]`), as `declaration`
    gives them: numba and the vector engine freeze them as constant arrays too."""
    local = assigned_names(kernel.body) | set(kernel.parameters) | set(kernel.arrays)
    found: dict[str, tuple[ArrayRef, np.ndarray]] = {}
    for node in ast.walk(ast.Module(body=kernel.body, type_ignores=[])):
        if not isinstance(node, ast.Name) or node.id in local or node.id in found:
            continue
        try:
            meaning = kernel.resolve(node)
        except NotCompilable:
            continue
        if isinstance(meaning, frontend.Constant) and isinstance(meaning.value, np.ndarray):
            found[node.id] = _constant(kernel, node.id, meaning.value)
    return list(found.values())


def _constant(kernel, name: str, value: np.ndarray, declared: ast.Name | None = None) -> tuple:
    if not nb.storable(value.dtype) or value.ndim == 0:
        raise NotCompilable(f"a constant array of {value.dtype}")
    _only_read(kernel, name, declared)
    return ArrayRef(name, "global", value.dtype, None, False, value.ndim), value


def _only_read(kernel, name: str, declared: ast.Name | None) -> None:
    """Refuse a kernel using the constant array other than by reading its elements or shape."""
    tree = ast.Module(body=kernel.body, type_ignores=[])
    read = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            read.add(id(node.value))
        elif isinstance(node, ast.Attribute) and node.attr in ("shape", "size"):
            read.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and node is not declared:
            if id(node) not in read:
                raise NotCompilable(f"the constant array '{name}' stored to or handed on")


def frozen_copies(dispatcher, values: list[np.ndarray]) -> list[np.ndarray]:
    """The vector engine's own frozen copies of the constant arrays, which compiled code reads:
    the copies it made when it lowered the kernel, found by their bytes. An array whose
    elements changed since then (the vector engine goes on reading the old ones) is refused."""
    if not values:
        return []
    frozen = [
        value
        for value in dispatcher.compile().__globals__.values()
        if isinstance(value, memory.Buffer) and value.space == "const"
    ]
    copies = []
    for value in values:
        for buffer in frozen:
            copy = buffer.storage.reshape(buffer.shape)
            if copy.dtype == value.dtype and copy.shape == value.shape:
                if copy.tobytes() == value.tobytes():
                    copies.append(copy)
                    break
        else:
            raise NotCompilable("a constant array changed since the vector engine froze it")
    return copies
