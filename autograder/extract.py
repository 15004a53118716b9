"""Ingestion: a learner's notebook or script -> the pieces of a trusted module, statically.

Nothing of the submission runs here, and only kernel code reaches the sandboxed child. Stages:
1. `_notebook.read_cells` splits a `.ipynb` or `.py` file into numbered cells (capped in size,
   every field checked); IPython magics and shell lines become `pass`, with a note.
2. `_Reader` parses each cell once and records what every module-level name is bound to: an
   import on the allow-list (`_rules.resolve_import`), a `@cuda.jit` kernel or device function
   with checked options, a `@cann.kernel` function, a plain function, a class, a constant
   (computed here by `_rules.evaluate_constant`, sent as a value) or something else, which is
   never taken. The last binding of a name wins, as when the cells run top to bottom.
3. `_Closure` starts from the requested kernels and adds what they use, transitively: SIMT
   kernels may use imports, constants and device functions; CANN kernels also plain functions
   and classes. Anything else they use is an error naming the line.
4. `_check` holds each function to its kernel language: SIMT with the runtime's own
   `check_subset` (the body is only ever compiled by the runtime), CANN code with the
   allow-list of `_cann_language` (its body runs as Python in the child).
The child rebuilds the module from the pieces (`_runner.load`): imports and constants from the
grader's values, each def or class with annotations, defaults and decorators absent, so that
defining it runs nothing; the grader applies `cuda.jit` or `cann.kernel` itself.
Cells are numbered from 1 in notebook order, markdown cells included, as a learner counts them.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import difflib
from pathlib import Path
from typing import Literal

from autograder import _rules
from autograder._kernel_checks import FUNCTIONS, check_cann, check_simt, definition
from autograder._notebook import Finding, read_cells

Kind = Literal["import", "constant", "kernel", "device", "cann_kernel", "function", "class"]
_USES = {  # what each kind of piece may use
    "simt": ("import", "constant", "kernel", "device"),
    "cann": ("import", "constant", "cann_kernel", "function", "class"),
}
# @cuda.jit options numba accepts whose literal values change nothing on the CPU.
_JIT_OPTIONS = frozenset("device debug opt lineinfo fastmath cache inline max_registers".split())


@dataclasses.dataclass(frozen=True)
class Piece:
    """One module-level definition of the trusted module.

    Attributes:
        name: the name it binds.
        kind: import, constant, kernel, device, cann_kernel, function or class.
        cell: its notebook cell (None in a script).
        line: its first line in that cell, decorators included.
        source: a def or class statement's text (decorators included, for error messages);
            for imports and constants, the line the grader writes in its place.
        filename: what the runtime calls its file ('cell 3' or the script's name).
        module: for an import, the module the grader imports.
        attribute: for `from module import attribute`, the attribute.
        value: for a constant, its value (numbers, strings, None and tuples of them).
        options: for a SIMT function, the `cuda.jit` options as (name, value) pairs; a
            signature is ("signature", text naming numba's types only).
    """

    name: str
    kind: Kind
    cell: int | None
    line: int
    source: str
    filename: str
    module: str = ""
    attribute: str | None = None
    value: object = None
    options: tuple[tuple[str, object], ...] = ()


@dataclasses.dataclass(frozen=True)
class Extracted:
    """The trusted module's pieces, and what was found on the way.

    Attributes:
        filename: the submission's file name.
        pieces: imports first, then constants, then definitions in notebook order.
        findings: errors (grading cannot go on) and notes, each with cell and line.
    """

    filename: str
    pieces: tuple[Piece, ...]
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(finding.level == "error" for finding in self.findings)

    @property
    def source(self) -> str:
        """The trusted module as text, for people (the child builds it from the pieces)."""
        return "\n".join(text for text, _ in self._lines())

    def location(self, module_line: int) -> tuple[int | None, int] | None:
        """The (cell, line) a line of `source` came from; None for lines the grader wrote."""
        return self._lines()[module_line - 1][1]

    def _lines(self) -> list[tuple[str, tuple[int | None, int] | None]]:
        lines = [(f'"""Trusted module extracted from {self.filename}."""', None)]
        for piece in self.pieces:
            if piece.kind in FUNCTIONS:
                lines += [("", None), ("", None)]
            for offset, text in enumerate(piece.source.splitlines()):
                where = None if piece.kind == "import" else (piece.cell, piece.line + offset)
                lines.append((text, where))
        return lines


@dataclasses.dataclass
class _Binding:
    """What a module-level name is bound to; `reason` says why "other" is not taken."""

    name: str
    kind: Kind | Literal["other"]
    cell: int | None
    node: ast.stmt
    piece: Piece | None = None
    reason: str = ""


def extract(
    path: str | Path,
    kernels: list[str],
    track: Literal["simt", "cann"],
    attributes: frozenset[str] = frozenset(),
) -> Extracted:
    """Take the pieces holding `kernels` out of the submission at `path`, statically.

    Args:
        path: a `.ipynb` notebook or a `.py` script; any other file is a finding.
        kernels: the names the exercise asks for: `@cuda.jit` kernels on the SIMT track,
            `@cann.kernel` functions on the CANN track.
        track: "simt" or "cann".
        attributes: extra attribute names CANN code may use (the exercise's tiling fields).

    Returns:
        The pieces and findings; check `ok` before running anything.

    Example:
        >>> extracted = extract("solution.ipynb", ["vector_add"], "simt")  # doctest: +SKIP
        >>> print(extracted.source)  # doctest: +SKIP
    """
    path = Path(path)
    findings: list[Finding] = []
    cells = read_cells(path, findings)
    bindings = _Reader(path.name, findings).read(cells)
    closure = _Closure(bindings, findings, track)
    for name in dict.fromkeys(kernels):
        closure.require(name)
    if track == "cann":
        nodes = {name: binding.node for name, binding in bindings.items()}
        findings.extend(check_cann(closure.pieces, nodes, attributes))
    else:
        for piece in closure.pieces:
            if piece.kind in ("kernel", "device"):
                findings.extend(check_simt(piece, bindings[piece.name].node))
    order = {"import": 0, "constant": 1}
    pieces = sorted(closure.pieces, key=lambda p: (order.get(p.kind, 2), p.cell or 0, p.line))
    return Extracted(path.name, tuple(pieces), tuple(findings))


class _Reader:
    """Step 2: what each module-level name is bound to after running the cells in order."""

    def __init__(self, filename: str, findings: list[Finding]):
        self.filename = filename
        self.findings = findings
        self.bindings: dict[str, _Binding] = {}
        self.constants: dict[str, object] = {}  # values of the constants bound so far

    def read(self, cells: list[tuple[int | None, str]]) -> dict[str, _Binding]:
        for cell, code in cells:
            display = f"cell {cell}" if cell is not None else self.filename
            try:
                tree = ast.parse(code)
            except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
                why = getattr(error, "msg", "") or type(error).__name__
                line = getattr(error, "lineno", 0) or 0
                message = f"{display} was skipped: it is not valid Python ({why})"
                self.findings.append(Finding(cell, line, message, "note"))
                continue
            lines = code.splitlines()
            for statement in tree.body:
                for binding in self._bind(statement, cell, display, lines):
                    self.bindings[binding.name] = binding
                    self.constants.pop(binding.name, None)
                    if binding.kind == "constant":
                        self.constants[binding.name] = binding.piece.value
        return self.bindings

    def _bind(self, statement, cell, display, lines) -> list[_Binding]:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            return [self._import(statement, alias, cell, display) for alias in statement.names]
        if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
            first = min([statement.lineno] + [d.lineno for d in statement.decorator_list])
            text = "\n".join(lines[first - 1 : statement.end_lineno])
            kind, reason, options = self._definition_kind(statement)
            piece = None
            if kind:
                piece = Piece(statement.name, kind, cell, first, text, display, options=options)
            return [_Binding(statement.name, kind or "other", cell, statement, piece, reason)]
        pairs = _assigned_names(statement)
        if pairs is not None:
            return [self._constant(statement, name, value, cell, display) for name, value in pairs]
        return [
            _Binding(node.id, "other", cell, statement, reason="is set by a statement that runs")
            for node in ast.walk(statement)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        ]

    def _import(self, statement, alias, cell, display) -> _Binding:
        if isinstance(statement, ast.ImportFrom):
            module, attribute = statement.module or "", alias.name
            written = f"from {'.' * statement.level}{module} import {attribute}"
            name = alias.asname or attribute
        else:
            module, attribute = alias.name, None
            written = f"import {module}" + (f" as {alias.asname}" if alias.asname else "")
            name = alias.asname or module.split(".")[0]
            module = module if alias.asname else module.split(".")[0]
        target = None
        if getattr(statement, "level", 0) == 0 and attribute != "*":
            target = _rules.resolve_import(module, attribute)
        if target is None:
            reason = f"comes from '{written}', which the grader does not provide"
            return _Binding(name, "other", cell, statement, reason=reason)
        return self._import_binding(name, target, cell, statement, display)

    def _import_binding(self, name, target, cell, statement, display) -> _Binding:
        text = f"from {target[0]} import {target[1]}" if target[1] else f"import {target[0]}"
        text += f" as {name}" if name != (target[1] or target[0]) else ""
        piece = Piece(name, "import", cell, statement.lineno, text, display, *target)
        return _Binding(name, "import", cell, statement, piece)

    def _definition_kind(self, node) -> tuple[Kind | None, str, tuple]:
        if isinstance(node, ast.ClassDef) and not node.decorator_list:
            return "class", "", ()
        if not node.decorator_list:
            return "function", "", ()
        decorator = node.decorator_list[0]
        call = decorator if isinstance(decorator, ast.Call) else None
        path = self._dotted(call.func if call else decorator)
        if len(node.decorator_list) == 1 and path == ("cudalike.cuda", "jit"):
            options = self._jit_options(call) if call else ()
            if options is not None:
                kind = "device" if ("device", True) in options else "kernel"
                return kind, "", options
            reason = (
                f"is decorated with @{_rules.shown(decorator, 200)}, whose arguments are not "
                "a signature of numba types and literal options (e.g. "
                "@cuda.jit('void(float32[:])') or @cuda.jit(device=True))"
            )
            return None, reason, ()
        if len(node.decorator_list) == 1 and path == ("cudalike.cann", "kernel") and not call:
            return "cann_kernel", "", ()
        written = ", ".join("@" + _rules.shown(d, 200) for d in node.decorator_list)
        reason = f"is decorated with {written} (allowed: @cuda.jit, @cuda.jit(...), @cann.kernel)"
        return None, reason, ()

    def _dotted(self, node: ast.expr) -> tuple[str, str | None] | None:
        """The (module, attribute) an import-rooted name or attribute chain stands for."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        binding = self.bindings.get(node.id) if isinstance(node, ast.Name) else None
        if binding is None or binding.kind != "import" or len(parts) > 2:
            return None
        module, attribute = binding.piece.module, binding.piece.attribute
        for part in reversed(parts):
            if attribute is not None:
                module, attribute = f"{module}.{attribute}", None
            target = _rules.resolve_import(module, part)
            if target is None:
                return None
            module, attribute = target
        return module, attribute

    def _jit_options(self, call: ast.Call) -> tuple | None:
        """The checked options of `@cuda.jit(...)`, or None when one is not allowed.

        Nothing written here ever runs: literals are copied, a signature is rewritten by
        `_rules.signature_text` with numba's own type names.
        """
        numba_names = {
            name: b.piece.attribute
            for name, b in self.bindings.items()
            if b.kind == "import" and b.piece.module == "numba" and b.piece.attribute
        }
        options = []
        if len(call.args) > 1:
            return None
        if call.args:
            text = _rules.signature_text(call.args[0], numba_names)
            if text is None:
                return None
            options.append(("signature", text))
        for keyword in call.keywords:
            value = keyword.value
            literal = isinstance(value, ast.Constant) and type(value.value) in (bool, int)
            if keyword.arg not in _JIT_OPTIONS or not literal:
                return None
            options.append((keyword.arg, value.value))
        return tuple(options)

    def _constant(self, statement, name, value, cell, display) -> _Binding:
        try:
            result = _rules.evaluate_constant(value, self.constants)
        except _rules.NotConstant as error:
            target = self._dotted(value) if isinstance(value, ast.Attribute) else None
            if target is not None and target[1] is not None:  # DTYPE = np.float32
                return self._import_binding(name, target, cell, statement, display)
            return _Binding(name, "other", cell, statement, reason=f"is not a constant: {error}")
        text = f"{name} = {_rules.shown(ast.Constant(result), 200)}"
        piece = Piece(name, "constant", cell, statement.lineno, text, display, value=result)
        return _Binding(name, "constant", cell, statement, piece)


def _assigned_names(statement) -> list[tuple[str, ast.expr]] | None:
    """(name, value) pairs of `N = 3`, `N: int = 3`, `A = B = 3` and `N, M = 3, 4`; else None."""
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [(statement.target.id, statement.value)] if statement.value else []
    if not isinstance(statement, ast.Assign):
        return None
    pairs = []
    for target in statement.targets:
        if isinstance(target, ast.Name):
            pairs.append((target.id, statement.value))
        elif (
            isinstance(target, ast.Tuple)
            and isinstance(statement.value, ast.Tuple)
            and len(target.elts) == len(statement.value.elts)
            and all(isinstance(t, ast.Name) for t in target.elts)
        ):
            pairs.extend((t.id, v) for t, v in zip(target.elts, statement.value.elts, strict=True))
        else:
            return None
    return pairs


def _free_names(node: ast.AST) -> dict[str, int]:
    """Names a definition reads but does not bind, with the line of first use."""
    local = {a.arg for a in ast.walk(node) if isinstance(a, ast.arg)}
    local |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and _is_store(n)}
    local |= {d.name for d in ast.walk(node) if isinstance(d, (ast.FunctionDef, ast.ClassDef))}
    free: dict[str, int] = {}
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id not in local:
            free[child.id] = min(free.get(child.id, child.lineno), child.lineno)
    return free


def _is_store(node: ast.Name) -> bool:
    return not isinstance(node.ctx, ast.Load)


class _Closure:
    """Step 3: the requested kernels and everything they use, each found once."""

    def __init__(self, bindings: dict[str, _Binding], findings: list[Finding], track: str):
        self.bindings = bindings
        self.findings = findings
        self.track = track
        self.pieces: list[Piece] = []

    def require(self, name: str) -> None:
        decorator = "@cuda.jit" if self.track == "simt" else "@cann.kernel"
        expected = "kernel" if self.track == "simt" else "cann_kernel"
        binding = self.bindings.get(name)
        if binding is None:
            message = f"kernel '{name}' not found: define it with {decorator} in a code cell"
            kernels = [n for n, b in self.bindings.items() if b.kind == expected]
            close = difflib.get_close_matches(name, kernels, n=1)
            if close:
                message += f" (found '{close[0]}': is it misspelt?)"
            self.findings.append(Finding(None, 0, message))
        elif binding.kind != expected:
            why = binding.reason or f"is a {binding.kind.replace('_', ' ')} without {decorator}"
            message = f"kernel '{name}' {why}: define it with {decorator}"
            self.findings.append(Finding(binding.cell, binding.node.lineno, message))
        else:
            self._add(binding)

    def _add(self, binding: _Binding) -> None:
        if binding.piece in self.pieces:
            return
        self.pieces.append(binding.piece)
        if binding.kind in ("import", "constant"):
            return
        for name, line in _free_names(definition(binding.node)).items():
            used = self.bindings.get(name)
            if used is not None and used.kind in _USES[self.track]:
                self._add(used)
            elif used is None and name in _rules.BUILTINS:
                continue  # provided by the trusted module
            else:
                self.findings.append(Finding(binding.cell, line, self._why(binding, name, used)))

    def _why(self, binding: _Binding, name: str, used: _Binding | None) -> str:
        if used is None and hasattr(builtins, name):
            return f"'{binding.name}' uses the built-in '{name}', which kernels may not use"
        if used is None:
            return f"'{binding.name}' uses '{name}', which is not defined"
        where = Finding(used.cell, used.node.lineno, "").where
        if used.kind == "other":
            return f"'{binding.name}' uses '{name}', which {used.reason} ({where})"
        advice = {
            "function": "mark it @cuda.jit(device=True) to call it from a kernel",
            "class": "a kernel may call only @cuda.jit(device=True) functions",
        }.get(used.kind, "")
        kind = used.kind.replace("_", " ")
        return f"'{binding.name}' uses '{name}', a {kind} ({where}): {advice}".rstrip(": ")
