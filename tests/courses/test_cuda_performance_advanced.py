"""Course 2, lessons 06-09: each has the lesson's parts, and each "try it" stub has a fix.

The lessons run under nbval and in JupyterLab (tests/browser), where every claim about speed
is an assertion in the notebook itself. Here: the parts every lesson must have (a device
switch, a picture, a deliberate mistake, a try-it check, links on), and, run in a fresh
kernel with the stub's `# TODO` lines replaced by the fix the hint names, that the try-it
check passes: a stub whose hint does not fix it would leave a learner stuck.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "courses" / "cuda-performance"

# Per lesson: the stub's lines (whole lines, as committed) and what a learner writes instead.
FIXES = {
    "06-reductions.ipynb": {
        "        acc += g_in[i] + g_in[i + cuda.blockDim.x]  # TODO: add the squares of both"
        " values": "        acc += g_in[i] * g_in[i]"
        " + g_in[i + cuda.blockDim.x] * g_in[i + cuda.blockDim.x]",
    },
    "07-atomics-and-privatisation.ipynb": {
        "        hist[t] += bins[t]  # TODO: several blocks add to hist[t]: make the update"
        " atomic": "        cuda.atomic.add(hist, t, bins[t])",
    },
    "08-matrix-multiply.ipynb": {
        "        sB[ty, tx] = float32(0)  # TODO: load B's element at row t + ty, column col": (
            "        sB[ty, tx] = B[t + ty, col]"
        ),
    },
    "09-profiling-workflow.ipynb": {
        "        for dr in range(3):  # TODO: only the centre and its 4 direct neighbours\n"
        "            for dc in range(3):\n"
        "                acc += tile[ty + dr, tx + dc]": (
            "        acc = tile[ty + 1, tx + 1] + tile[ty, tx + 1] + tile[ty + 2, tx + 1]\n"
            "        acc += tile[ty + 1, tx] + tile[ty + 1, tx + 2]"
        ),
        "        out[row, col] = acc / float32(9)  # TODO: the mean of 5 values": (
            "        out[row, col] = acc / float32(5)"
        ),
    },
}


def cells(lesson: str) -> list[nbformat.NotebookNode]:
    return nbformat.read(COURSE / lesson, as_version=4).cells


def text(lesson: str, kind: str) -> str:
    return "\n".join(cell.source for cell in cells(lesson) if cell.cell_type == kind)


@pytest.mark.parametrize("lesson", sorted(FIXES))
def test_the_lesson_has_every_part(lesson):
    number = lesson[:2]
    heading = cells(lesson)[0].source.splitlines()[0]
    assert re.fullmatch(rf"# {number} · \S.*", heading), heading
    source = text(lesson, "code")
    assert re.search(r'^DEVICE = "H100"', source, re.M), "no device switch at the top"
    assert "viz.accesses(" in source and "viz.show(" in source, "no picture of a launch"
    assert "error" in source, "no deliberate mistake whose report the learner reads"
    assert "try_it(" in source and "# TODO" in source, "no try-it stub and check"
    prose = text(lesson, "markdown")
    assert "../../exercises/" in prose and "## Recap" in prose


@pytest.mark.slow
@pytest.mark.parametrize("lesson", sorted(FIXES))
def test_the_hinted_fix_passes_the_try_it_check(lesson):
    notebook = nbformat.read(COURSE / lesson, as_version=4)
    for stub, fix in FIXES[lesson].items():
        holding = [cell for cell in notebook.cells if stub in cell.source]
        assert len(holding) == 1, f"the stub line is gone from {lesson}: {stub.strip()}"
        holding[0].source = holding[0].source.replace(stub, fix)
    notebook.cells.append(nbformat.v4.new_code_cell("assert passed is True"))
    resources = {"metadata": {"path": str(COURSE)}}
    NotebookClient(notebook, kernel_name="python3", timeout=600, resources=resources).execute()
