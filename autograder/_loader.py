"""Build the submission's module in the sandboxed child from the pieces `extract` took.

Trusted code, run in the child before any of the submission does. Nothing written by the
submission is evaluated here: imports are the grader's (module and attribute from the
allow-list), constants are values the grader computed, and each def or class statement is
parsed again and re-checked to be inert before it is defined (no decorators, default values,
annotations, base classes or class-level code), so defining it runs nothing. Then the grader's
own decorator is applied: `cuda.jit` with options the grader checked, or `cann.kernel`.
Each definition is compiled under its cell's name and line numbers, and its text is given to
linecache, so the runtime's errors say 'cell 3, line 4' and `inspect` finds kernel source.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import linecache
import types

from autograder import _rules
from autograder._kernel_checks import definition
from autograder.extract import Extracted, Piece


class NotInert(RuntimeError):
    """A piece would run code when defined: extraction let through what it must not."""


def load(extracted: Extracted) -> types.ModuleType:
    """The submission's module: the grader's imports and constants, then each definition."""
    module = types.ModuleType("submission", f"Extracted from {extracted.filename}.")
    safe = {name: getattr(builtins, name) for name in _rules.BUILTINS}
    namespace = module.__dict__
    namespace["__builtins__"] = {**safe, "__build_class__": builtins.__build_class__}
    _register_sources(extracted)
    for piece in extracted.pieces:
        if piece.kind == "import":
            namespace[piece.name] = _import(piece.module, piece.attribute)
        elif piece.kind == "constant":
            namespace[piece.name] = _constant(piece.value)
        else:
            exec(_compile(piece), namespace)  # a def or class statement shown inert below
            namespace[piece.name] = _decorate(piece, namespace[piece.name])
    return module


def _import(module_name: str, attribute: str | None):
    if _rules.resolve_import(module_name, attribute) != (module_name, attribute):
        raise NotInert(f"the import {module_name}.{attribute} is not on the allow-list")
    module = importlib.import_module(module_name)
    if attribute is None:
        return module
    try:
        return getattr(module, attribute)
    except AttributeError:
        return importlib.import_module(f"{module_name}.{attribute}")


def _constant(value):
    if value is None or type(value) in (bool, int, float, complex, str):
        return value
    if type(value) is tuple:
        return tuple(_constant(item) for item in value)
    raise NotInert(f"a constant of type {type(value).__name__}")


def _compile(piece: Piece):
    tree = ast.parse(piece.source)
    ast.increment_lineno(tree, piece.line - 1)
    if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.FunctionDef, ast.ClassDef)):
        raise NotInert(f"'{piece.name}' is not one def or class statement")
    node = definition(tree.body[0])  # as extraction checked it: no decorators, annotations
    _check_inert(node, top=True)
    return compile(ast.Module([node], []), piece.filename, "exec", dont_inherit=True)


def _check_inert(node: ast.stmt, top: bool) -> None:
    """Raise NotInert unless defining `node` evaluates no expression of the submission."""
    if isinstance(node, ast.FunctionDef):
        arguments = node.args
        if arguments.defaults or any(d is not None for d in arguments.kw_defaults):
            raise NotInert(f"default values in '{node.name}'")
        if node.decorator_list and not top:
            raise NotInert(f"a decorator on '{node.name}'")
        return
    if not top or node.bases or node.keywords or node.decorator_list:
        raise NotInert(f"the class statement of '{node.name}'")
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef):
            _check_inert(statement, top=False)
        elif not (
            isinstance(statement, ast.Pass)
            or (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
        ):
            raise NotInert(f"a statement in the body of the class '{node.name}'")


def _decorate(piece: Piece, definition):
    if piece.kind in ("kernel", "device"):
        from cudalike import cuda

        options = dict(piece.options)
        signature = options.pop("signature", None)
        options["device"] = piece.kind == "device"
        if signature is None:
            return cuda.jit(**options)(definition)
        return cuda.jit(_signature(signature), **options)(definition)
    if piece.kind == "cann_kernel":
        from cudalike import cann

        return cann.kernel(definition)
    return definition


def _signature(text: str):
    """Evaluate a signature `extract` wrote: numba type names, subscripts, calls, a string."""
    from numba.core import types as numba_types

    names = {name: getattr(numba_types, name) for name in _rules.NUMBA_TYPES}
    tree = ast.parse(text, mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names:
            raise NotInert(f"the signature {text!r} names {node.id}")
        if isinstance(node, ast.Attribute):
            raise NotInert(f"the signature {text!r} has an attribute")
    value = eval(compile(tree, "<signature>", "eval"), {"__builtins__": {}}, names)
    if isinstance(value, str):  # numba evaluates a string signature: hold it to the same rule
        _signature(value)
    return value


def _register_sources(extracted: Extracted) -> None:
    """Give each cell's pieces to linecache, at their lines, so `inspect` finds kernel source."""
    files: dict[str, list[str]] = {}
    for piece in extracted.pieces:
        lines = files.setdefault(piece.filename, [])
        for offset, text in enumerate(piece.source.splitlines()):
            index = piece.line - 1 + offset
            lines.extend("\n" for _ in range(index + 1 - len(lines)))
            lines[index] = text + "\n"
    for filename, lines in files.items():
        linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)
