"""Reading a submission file into numbered code cells, and the findings reported on the way.

A notebook's cells are numbered from 1 in notebook order, markdown cells included, as a learner
counts them; a script is one cell, numbered None. Nothing is executed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Literal


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
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        findings.append(Finding(None, 0, f"cannot read {path.name}: {error}"))
        return []
    if path.suffix != ".ipynb":
        return [(None, _strip_magics(text, None, findings))]
    try:
        cells = json.loads(text)["cells"]
        sources = [(c["cell_type"], c["source"]) for c in cells]
    except (ValueError, KeyError, TypeError) as error:
        message = f"{path.name} is not a Jupyter notebook (nbformat 4): {error!r}"
        findings.append(Finding(None, 0, message))
        return []
    return [
        (number, _strip_magics("".join(source), number, findings))
        for number, (cell_type, source) in enumerate(sources, start=1)
        if cell_type == "code"
    ]


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
