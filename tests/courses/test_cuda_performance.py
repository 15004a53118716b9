"""The course "Making kernels fast": what its lessons leave behind for the learner to use.

The lessons run under nbval and in JupyterLab (tests/browser); these tests run a lesson in a
fresh kernel (nbclient), then drive what it built (a widget) the way a learner would.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

LESSONS = Path(__file__).resolve().parents[2] / "courses" / "cuda-performance"


def run_lesson(path: Path, extra_cell: str = "", device: str = "") -> nbformat.NotebookNode:
    """Run the lesson at `path` top to bottom in a fresh kernel, plus `extra_cell` at the end.

    With `device`, the lesson's `DEVICE = "H100"` line picks that device instead, as a learner
    would edit it.
    """
    notebook = nbformat.read(path, as_version=4)
    if device:
        first = next(cell for cell in notebook.cells if cell.cell_type == "code")
        first.source = first.source.replace('DEVICE = "H100"', f'DEVICE = "{device}"')
    if extra_cell:
        notebook.cells.append(nbformat.v4.new_code_cell(extra_cell))
    resources = {"metadata": {"path": str(path.parent)}}
    NotebookClient(notebook, kernel_name="python3", timeout=300, resources=resources).execute()
    return notebook


@pytest.mark.slow
def test_occupancy_lesson_block_size_slider_covers_every_element():
    # 288, 352 and 992 threads do not divide the lesson's 2**22 elements.
    check = """
for size in (288, 352, 992):
    target[:] = 0
    slider.value = size
    assert f"{size:4d} threads/block" in report.value, report.value
    np.testing.assert_array_equal(target[: n - n % size], 2 * source[: n - n % size])
    model_block_size(size)
    np.testing.assert_array_equal(target, 2 * source)  # the tail past the last whole block too
print("every element scaled")
"""
    notebook = run_lesson(LESSONS / "04-occupancy-and-launch-configuration.ipynb", check)
    assert "every element scaled" in notebook.cells[-1].outputs[0]["text"]


FIRST_FIVE = sorted(LESSONS.glob("0[1-5]-*.ipynb"))


@pytest.mark.parametrize("lesson", FIRST_FIVE, ids=lambda path: path.stem)
def test_lesson_lets_the_learner_switch_device_draw_and_try(lesson):
    # Each lesson names its device in one variable at the top, draws the learner's own launch
    # and ends its "Try it" with a check cell around a stub marked # TODO.
    code = [c.source for c in nbformat.read(lesson, as_version=4).cells if c.cell_type == "code"]
    assert 'DEVICE = "H100"' in code[0]
    assert any("viz.accesses(" in cell or "viz.layout(" in cell for cell in code)
    assert any("viz.show(" in cell for cell in code)
    assert any("# TODO" in cell and "try_it(" in cell for cell in code)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", FIRST_FIVE, ids=lambda path: path.stem)
def test_lesson_runs_on_the_t4_the_learner_may_pick(lesson):
    # The lessons invite the learner to set DEVICE = "T4", where several conclusions change;
    # every assertion must hold there too (the cells assert what changes).
    notebook = run_lesson(lesson, 'print("ran on", DEVICE)', device="T4")
    assert "ran on T4" in notebook.cells[-1].outputs[0]["text"]


def test_the_first_five_lessons_are_all_there():
    assert [path.name[:2] for path in FIRST_FIVE] == ["01", "02", "03", "04", "05"]
