"""Ingestion: a learner's notebook or script -> a trusted module holding the kernels asked for.

Nothing from the submission runs here: it is read as text and parsed. Stages, in order:
1. `_notebook.read_cells` splits a `.ipynb` (JSON) or `.py` file into numbered cells; IPython
   magics and shell lines become `pass`, with a note.
2. `_Reader` parses each cell with `ast` (a cell that does not parse is skipped, with a note
   naming it) and records what every module-level name is bound to: an allowed import, a
   `@cuda.jit` kernel or device function, a `@cann.kernel` function, a plain function, a
   class, a constant (computed by `_rules.evaluate_constant`, never `eval`) or something else.
   The last binding of a name wins, as when the cells run top to bottom.
3. `_Closure` starts from the requested kernels and adds everything they use, transitively.
4. `_check` holds each function to the kernel language: SIMT ones with the runtime's own
   `check_subset`, CANN-track code with `_rules.python_violations`.
5. `Extracted` keeps the pieces with their cell and line; `Extracted.source` is the module.

Cells are numbered from 1 in notebook order, markdown cells included, as a learner counts them.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import difflib
from pathlib import Path
from typing import Literal

from autograder import _rules
from autograder._notebook import Finding, read_cells
from cudalike.errors import UnsupportedConstructError
from cudalike.simt.frontend import ParsedFunction, check_subset

Kind = Literal["import", "constant", "kernel", "device", "cann_kernel", "function", "class"]
_FUNCTIONS = ("kernel", "device", "cann_kernel", "function", "class")
_SIMT_DECORATOR = "cudalike.cuda.jit"
_CANN_DECORATOR = "cudalike.cann.kernel"


@dataclasses.dataclass(frozen=True)
class Piece:
    """One module-level definition copied into the trusted module.

    Attributes:
        name: the name it binds.
        kind: import, constant, kernel, device, cann_kernel, function or class.
        cell: its notebook cell (None in a script).
        line: its first line in that cell, decorators included.
        source: its text; imports and constants are written by the grader.
        filename: what the runtime calls its file ('cell 3' or the script's name).
        module: for an import, the module the grader imports.
        attribute: for `from module import attribute`, the attribute.
    """

    name: str
    kind: Kind
    cell: int | None
    line: int
    source: str
    filename: str
    module: str = ""
    attribute: str | None = None


@dataclasses.dataclass(frozen=True)
class Extracted:
    """The trusted module built from a submission, and what was found on the way.

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
        """The text of the trusted module."""
        return "\n".join(text for text, _ in self._lines())

    def location(self, module_line: int) -> tuple[int | None, int] | None:
        """The (cell, line) a line of `source` came from; None for lines the grader wrote."""
        return self._lines()[module_line - 1][1]

    def _lines(self) -> list[tuple[str, tuple[int | None, int] | None]]:
        lines = [(f'"""Trusted module extracted from {self.filename}."""', None)]
        for piece in self.pieces:
            if piece.kind in _FUNCTIONS:
                lines += [("", None), ("", None)]
            for offset, text in enumerate(piece.source.splitlines()):
                where = None if piece.kind == "import" else (piece.cell, piece.line + offset)
                lines.append((text, where))
        return lines


_NO_VALUE = object()  # a binding that is not a computed constant


@dataclasses.dataclass
class _Binding:
    """What a module-level name is bound to; `reason` says why "other" is not taken."""

    name: str
    kind: Kind | Literal["other"]
    cell: int | None
    node: ast.stmt
    piece: Piece | None = None
    reason: str = ""
    value: object = _NO_VALUE
    uses: dict[str, int] = dataclasses.field(default_factory=dict)


def extract(path: str | Path, kernels: list[str], track: Literal["simt", "cann"]) -> Extracted:
    """Build the trusted module holding `kernels` of the submission at `path`, statically.

    Args:
        path: a `.ipynb` notebook or a `.py` script.
        kernels: the names the exercise asks for: `@cuda.jit` kernels on the SIMT track,
            `@cann.kernel` functions on the CANN track.
        track: "simt" or "cann".

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
    closure = _Closure(bindings, findings)
    for name in kernels:
        closure.require(name, track)
    modules = {
        b.name: b.piece.module
        for b in bindings.values()
        if b.kind == "import" and b.piece is not None and b.piece.attribute is None
    }
    for piece in closure.pieces:
        findings.extend(_check(piece, bindings[piece.name].node, modules))
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
            except SyntaxError as error:
                message = f"{display} was skipped: it is not valid Python ({error.msg})"
                self.findings.append(Finding(cell, error.lineno or 0, message, "note"))
                continue
            for statement in tree.body:
                for binding in self._bind(statement, cell, display, code.splitlines()):
                    self.bindings[binding.name] = binding
                    self.constants.pop(binding.name, None)
                    if binding.value is not _NO_VALUE:
                        self.constants[binding.name] = binding.value
        return self.bindings

    def _bind(self, statement, cell, display, code_lines) -> list[_Binding]:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            return [self._import(statement, alias, cell, display) for alias in statement.names]
        if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
            first = min([statement.lineno] + [d.lineno for d in statement.decorator_list])
            text = "\n".join(code_lines[first - 1 : statement.end_lineno])
            kind, reason = self._definition_kind(statement)
            piece = Piece(statement.name, kind, cell, first, text, display) if kind else None
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
        else:
            module, attribute = alias.name, None
            written = f"import {module}"
        name = alias.asname or attribute or module.split(".")[0]
        target = None
        if getattr(statement, "level", 0) == 0 and (attribute or alias.asname or "." not in module):
            target = _rules.resolve_import(module, attribute)
        if target is None:
            note = Finding(cell, statement.lineno, f"not used for grading: {written}", "note")
            self.findings.append(note)
            reason = f"comes from '{written}', which the grader does not provide"
            return _Binding(name, "other", cell, statement, reason=reason)
        text = f"from {target[0]} import {target[1]}" if target[1] else f"import {target[0]}"
        text += f" as {name}" if name != (target[1] or target[0]) else ""
        piece = Piece(name, "import", cell, statement.lineno, text, display, *target)
        return _Binding(name, "import", cell, statement, piece)

    def _definition_kind(self, node) -> tuple[Kind | None, str]:
        if isinstance(node, ast.ClassDef):
            return "class", ""
        if not node.decorator_list:
            return "function", ""
        if len(node.decorator_list) == 1:
            decorator = node.decorator_list[0]
            call = decorator if isinstance(decorator, ast.Call) else None
            path = self._dotted(call.func if call else decorator)
            if path == _SIMT_DECORATOR and (call is None or self._safe_arguments(call)):
                return ("device" if _is_device(call) else "kernel"), ""
            if path == _CANN_DECORATOR and call is None:
                return "cann_kernel", ""
        written = ", ".join("@" + ast.unparse(d) for d in node.decorator_list)
        return None, f"is decorated with {written} (allowed: @cuda.jit(...) and @cann.kernel)"

    def _dotted(self, node: ast.expr) -> str | None:
        """'cudalike.cuda.jit' for `cuda.jit` when cuda is an allowed import, else None."""
        parts = []
        while isinstance(node, ast.Attribute) and not node.attr.startswith("_"):
            parts.append(node.attr)
            node = node.value
        binding = self.bindings.get(node.id) if isinstance(node, ast.Name) else None
        if binding is None or binding.kind != "import":
            return None
        piece = binding.piece
        root = piece.module + (f".{piece.attribute}" if piece.attribute else "")
        return ".".join([root, *reversed(parts)])

    def _safe_arguments(self, call: ast.Call) -> bool:
        """Decorator arguments: literals, and numba signatures built from imported type names.

        Nothing else: no attribute access, no operators, no calls but to an imported type
        (`void(float32[:])`), since whatever stands here runs when the module is loaded.
        """
        values = [*call.args, *(keyword.value for keyword in call.keywords)]
        return all(self._signature_part(value) for value in values)

    def _signature_part(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, bool, int, type(None)))
        if isinstance(node, ast.Name):
            binding = self.bindings.get(node.id)
            return (
                binding is not None
                and binding.kind == "import"
                and (binding.piece is not None and binding.piece.attribute in _rules.NUMBA_TYPES)
            )
        if isinstance(node, ast.Call):
            return (
                not node.keywords
                and self._signature_part(node.func)
                and all(self._signature_part(argument) for argument in node.args)
            )
        if isinstance(node, ast.Subscript):
            return self._signature_part(node.value) and self._signature_part(node.slice)
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return all(part is None or self._signature_part(part) for part in parts)
        if isinstance(node, (ast.Tuple, ast.List)):
            return all(self._signature_part(element) for element in node.elts)
        return False

    def _constant(self, statement, name, value, cell, display) -> _Binding:
        try:
            result = _rules.evaluate_constant(value, self.constants)
            text = f"{name} = {ast.unparse(ast.Constant(result))}"
            uses = {}
        except _rules.NotConstant as error:
            if self._dotted(value) is None:  # nor an alias such as DTYPE = np.float32
                return _Binding(
                    name, "other", cell, statement, reason=f"is not a constant: {error}"
                )
            result, text, uses = _NO_VALUE, f"{name} = {ast.unparse(value)}", _free_names(value)
        piece = Piece(name, "constant", cell, statement.lineno, text, display)
        return _Binding(name, "constant", cell, statement, piece, value=result, uses=uses)


def _is_device(call: ast.Call | None) -> bool:
    return call is not None and any(
        k.arg == "device" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in call.keywords
    )


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
    """Names a definition reads but does not bind, with the line of first use.

    Annotations are left out: the trusted module postpones them, so they are never looked up.
    """
    annotations = set()
    for child in ast.walk(node):
        for field in ("annotation", "returns"):
            if getattr(child, field, None) is not None:
                annotations.update(id(n) for n in ast.walk(getattr(child, field)))
    local = {a.arg for a in ast.walk(node) if isinstance(a, ast.arg)}
    local |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and not _is_load(n)}
    local |= {d.name for d in ast.walk(node) if isinstance(d, (ast.FunctionDef, ast.ClassDef))}
    free: dict[str, int] = {}
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and id(child) not in annotations and child.id not in local:
            free[child.id] = min(free.get(child.id, child.lineno), child.lineno)
    return free


def _is_load(node: ast.Name) -> bool:
    return isinstance(node.ctx, ast.Load)


class _Closure:
    """Step 3: the requested kernels and everything they use, each found once."""

    def __init__(self, bindings: dict[str, _Binding], findings: list[Finding]):
        self.bindings = bindings
        self.findings = findings
        self.pieces: list[Piece] = []

    def require(self, name: str, track: Literal["simt", "cann"]) -> None:
        decorator = "@cuda.jit" if track == "simt" else "@cann.kernel"
        binding = self.bindings.get(name)
        expected = "kernel" if track == "simt" else "cann_kernel"
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
        uses = binding.uses if binding.kind == "constant" else _free_names(binding.node)
        for name, line in uses.items():
            used = self.bindings.get(name)
            if used is not None and used.kind != "other":
                self._add(used)
                continue
            if used is None and name in _rules.BUILTINS or name in _rules.FORBIDDEN_NAMES:
                continue  # built-ins are provided; forbidden names are reported by step 4
            where = Finding(used.cell, used.node.lineno, "").where if used else ""
            why = f"which {used.reason} ({where})" if used else "which is not defined"
            message = f"'{binding.name}' uses '{name}', {why}"
            self.findings.append(Finding(binding.cell, line, message))


def _check(piece: Piece, node: ast.AST, modules: dict[str, str]) -> list[Finding]:
    """Step 4: hold a function or class to the kernel language of its track.

    `modules` maps the names the submission bound to whole modules (`np`) to the module.
    """
    if piece.kind in ("import", "constant"):
        return []
    node = copy.deepcopy(node)
    node.decorator_list = []  # checked in step 2
    lines = {piece.line + k: text for k, text in enumerate(piece.source.splitlines())}
    if piece.kind in ("kernel", "device"):
        params = [a.arg for a in node.args.args]
        try:
            check_subset(ParsedFunction(piece.name, piece.filename, node, lines, params))
        except UnsupportedConstructError as error:
            return [Finding(piece.cell, error.line, str(error))]
        modules = {}  # module attributes in SIMT kernels: the runtime's resolver decides
    return [
        Finding(
            piece.cell,
            line,
            f"{construct} is not allowed in '{piece.name}' ({piece.filename}:{line})\n"
            f"    {lines.get(line, '').strip()}",
        )
        for line, construct in _rules.python_violations(node, modules)
    ]
