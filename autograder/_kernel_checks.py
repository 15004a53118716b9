"""Step 4 of extraction: hold each function taken from a submission to its kernel language.

SIMT kernels and device functions go to the runtime's own `check_subset` (their bodies are only
ever compiled by the runtime); CANN-track functions and classes to the allow-list of
`_cann_language` (their bodies run as Python in the sandboxed child). Both refuse default
argument values, which would run when the child defines the function.
"""

from __future__ import annotations

import ast
import copy
from typing import TYPE_CHECKING

from autograder import _cann_language
from autograder._notebook import Finding
from cudalike.errors import UnsupportedConstructError
from cudalike.simt.frontend import ParsedFunction, check_subset

if TYPE_CHECKING:
    from autograder.extract import Piece

FUNCTIONS = ("kernel", "device", "cann_kernel", "function", "class")  # kinds that are defs


def definition(node: ast.stmt) -> ast.stmt:
    """The def or class as the child defines it: no decorators, no annotations."""
    node = _cann_language.strip_annotations(copy.deepcopy(node))
    node.decorator_list = []
    return node


def check_simt(piece: Piece, node: ast.AST) -> list[Finding]:
    """Step 4, SIMT: the runtime's kernel language; no defaults (they would run at def)."""
    node = definition(node)
    if node.args.defaults or any(d is not None for d in node.args.kw_defaults):
        message = f"default argument values in '{piece.name}' (pass every argument)"
        return [Finding(piece.cell, node.lineno, message)]
    lines = {piece.line + k: text for k, text in enumerate(piece.source.splitlines())}
    params = [a.arg for a in node.args.args]
    try:
        check_subset(ParsedFunction(piece.name, piece.filename, node, lines, params))
    except UnsupportedConstructError as error:
        return [Finding(piece.cell, error.line, str(error))]
    return []


def check_cann(
    pieces: list[Piece], nodes: dict[str, ast.stmt], attributes: frozenset[str]
) -> list[Finding]:
    """Step 4, CANN: every function and class taken, against `_cann_language`'s allow-list.

    `nodes` maps each piece's name to its statement as written (decorators included).
    """
    nodes = {p.name: definition(nodes[p.name]) for p in pieces if p.kind in FUNCTIONS}
    own = _cann_language.own_attributes(list(nodes.values()))
    allowed = _cann_language.api_attributes() | attributes | own
    modules = {p.name: p.module for p in pieces if p.kind == "import" and p.attribute is None}
    found = []
    for piece in pieces:
        if piece.name not in nodes:
            continue
        node = nodes[piece.name]
        problems = _cann_language.Checker(modules, allowed).definition(node)
        problems += _cann_language.own_name_problems([node])
        lines = {piece.line + k: text for k, text in enumerate(piece.source.splitlines())}
        found += [
            Finding(
                piece.cell,
                line,
                f"{construct} is not allowed in '{piece.name}' ({piece.filename}:{line})\n"
                f"    {lines.get(line, '').strip()}",
            )
            for line, construct in sorted(set(problems))
        ]
    return found
