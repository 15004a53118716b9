"""Reading a submission file into numbered code cells, and the findings reported on the way.

A notebook's cells are numbered from 1 in notebook order, markdown cells included, as a learner
counts them; a script is one cell, numbered None. Nothing is executed. Whatever the file holds
(invalid JSON, a cell whose source is a number, lone surrogates, NUL bytes, gigabytes), the
answer is cells or a finding, never an exception: the file is capped in size before it is read
and every field is checked before it is used.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Literal

MAX_FILE_BYTES = 16 << 20  # a notebook with plots stays well under this
MAX_CODE_CHARS = 1 << 20  # the code cells together: kernels are short
SUFFIXES = (".ipynb", ".py")


@dataclasses.dataclass(frozen=True)
class Finding:
    """Something the learner should know: an error stops grading, a note does not."""

    cell: int | None
    line: int
    message: str
    level: Literal["error", "note"] = "error"

    @property
    def where(self) -> str:
        """'cell 3, line 4' in a notebook, 'line 4' in a script."""
        line = f"line {self.line}"
        return f"cell {self.cell}, {line}" if self.cell is not None else line


def read_cells(path: Path, findings: list[Finding]) -> list[tuple[int | None, str]]:
    """Return (cell number, code) for each code cell; a script is one cell numbered None."""
    text = _read_text(path, findings)
    if text is None:
        return []
    if path.suffix == ".py":
        cells = [(None, text)]
    else:
        cells = _notebook_cells(path.name, text, findings)
    if sum(len(code) for _, code in cells) > MAX_CODE_CHARS:
        limit = MAX_CODE_CHARS // 1024
        findings.append(Finding(None, 0, f"{path.name} holds more than {limit} KiB of code"))
        return []
    return [(number, _strip_magics(code, number, findings)) for number, code in cells]


def _read_text(path: Path, findings: list[Finding]) -> str | None:
    if path.suffix not in SUFFIXES:
        message = f"{path.name} is not a notebook (.ipynb) or a Python script (.py)"
        findings.append(Finding(None, 0, message))
        return None
    try:
        if path.is_symlink() or not path.is_file():
            findings.append(Finding(None, 0, f"{path.name} is not a regular file (or a link)"))
            return None
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        findings.append(Finding(None, 0, f"cannot read {path.name}: {error.strerror}"))
        return None
    if len(data) > MAX_FILE_BYTES:
        message = f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MiB"
        findings.append(Finding(None, 0, message))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"{path.name} is not UTF-8 text (byte {error.start} cannot be read)"
        findings.append(Finding(None, 0, message))
        return None


def _notebook_cells(name: str, text: str, findings: list[Finding]) -> list[tuple[int, str]]:
    """The code cells of a notebook (nbformat 4), each checked field by field."""
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError) as error:
        findings.append(Finding(None, 0, f"{name} is not a Jupyter notebook: {_short(error)}"))
        return []
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        findings.append(Finding(None, 0, f"{name} is not a Jupyter notebook (no list of cells)"))
        return []
    found = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            message = f"cell {number} was skipped: its source is not text"
            findings.append(Finding(number, 0, message, "note"))
            continue
        found.append((number, source))
    return found


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


def _strip_magics(code: str, cell: int | None, findings: list[Finding]) -> str:
    """Replace IPython magics and shell escapes with `pass`, keeping line numbers."""
    lines = code.splitlines()
    if lines and lines[0].startswith("%%"):
        findings.append(Finding(cell, 1, f"skipped: the cell magic {lines[0].split()[0]}", "note"))
        return ""
    for number, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            lines[number] = line[: len(line) - len(stripped)] + "pass"
            message = f"ignored the IPython line {stripped.split()[0]!r}"
            findings.append(Finding(cell, number + 1, message, "note"))
    return "\n".join(lines)
