"""The lessons: what they teach agrees with the exercises, their widgets cover every block size,
and running them leaves the learner's progress alone.

The lessons themselves run under nbval and in JupyterLab (tests/browser); these tests run a
lesson in a fresh kernel (nbclient) and then poke at what it left behind.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import progress_store
from autograder.course_map import first_words
from autograder.spec import list_exercises, load_exercise

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "courses" / "cuda-basics"


def code_cells(notebook: Path) -> list[str]:
    return [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]


def run_lesson(path: Path, extra_cell: str = "") -> nbformat.NotebookNode:
    """Run the lesson at `path` top to bottom in a fresh kernel, plus `extra_cell` at the end."""
    notebook = nbformat.read(path, as_version=4)
    if extra_cell:
        notebook.cells.append(nbformat.v4.new_code_cell(extra_cell))
    resources = {"metadata": {"path": str(path.parent)}}
    NotebookClient(notebook, kernel_name="python3", timeout=300, resources=resources).execute()
    return notebook


def grid2_targets(source: str) -> list[tuple[str, ...]]:
    """The names each `a, b = cuda.grid(2)` in `source` assigns, in order."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and ast.unparse(node.value) == "cuda.grid(2)"
            and isinstance(node.targets[0], ast.Tuple)
        ):
            found.append(tuple(ast.unparse(name) for name in node.targets[0].elts))
    return found


def test_lesson_01_teaches_the_2d_convention_of_map_2d():
    # map_2d expects x to be the column (the fast axis): `col, row = cuda.grid(2)`.
    hints = (ROOT / "exercises" / "map_2d" / "exercise.toml").read_text()
    assert "col, row = cuda.grid(2)" in hints
    lesson_01 = LESSONS / "01-threads-blocks-and-grids.ipynb"
    taught = [t for cell in code_cells(lesson_01) for t in grid2_targets(cell)]
    assert taught and set(taught) == {("col", "row")}
    for lesson in ROOT.glob("courses/*/*.ipynb"):
        for cell in code_cells(lesson):
            assert ("row", "col") not in grid2_targets(cell), lesson.name


@pytest.mark.slow
def test_lesson_02_checks_its_own_kernel_without_recording_progress(tmp_path, monkeypatch):
    monkeypatch.setenv(progress_store.ENV_VAR, str(tmp_path / "data"))
    notebook = run_lesson(LESSONS / "02-indexing-guards-and-grid-stride-loops.ipynb")
    outputs = json.dumps([cell.get("outputs", []) for cell in notebook.cells])
    assert "vector_add: " in outputs  # the demonstration was graded and shown
    assert not progress_store.store_path().exists()
    assert progress_store.load() == {}


LESSON_PATHS = sorted(LESSONS.glob("[0-9][0-9]-*.ipynb"))
PICTURE = re.compile(r"\bviz\.(accesses|layout|show)\(|\.banks\(")
EXERCISE_LINK = re.compile(r"\]\(\.\./\.\./exercises/\w+/starter\.ipynb\)")


def markdown_cells(notebook: Path) -> list[str]:
    return [
        c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown"
    ]


@pytest.mark.parametrize("lesson", LESSON_PATHS, ids=lambda path: path.name[:2])
def test_lesson_has_every_part_a_learner_relies_on(lesson):
    # docs/courses.md, "A lesson": what you will do and how long, a picture of your own launch,
    # a deliberate mistake, a try-it with its check, a recap and the lesson's exercises.
    prose = markdown_cells(lesson)
    code = code_cells(lesson)
    opening = prose[0]
    assert re.match(r"# \d\d · ", opening)
    assert re.search(r"After (this\s+lesson|it)\s+you\s+can", opening), (
        "what you will be able to do"
    )
    assert re.search(r"about\s+\d+\s+minutes", opening), (
        "the opening says how long the lesson takes"
    )
    assert any(PICTURE.search(cell) for cell in code), "no picture drawn from a launch"
    headings = [line for cell in prose for line in cell.splitlines() if line.startswith("##")]
    assert any("mistake" in heading.lower() for heading in headings), headings
    assert any(heading.startswith("## Try it") for heading in headings), headings
    assert any("try_it(" in cell for cell in code), "the try-it has no check cell"
    ending = "\n".join(prose[-2:])
    assert "## Recap" in ending and EXERCISE_LINK.search(ending)


def test_every_course_exercise_tries_sizes_that_are_not_whole_blocks():
    # A forgotten guard or a grid rounded down must fail a hidden test.
    for exercise_id in list_exercises():
        spec = load_exercise(exercise_id)
        if spec.course != "cuda-basics":
            continue
        assert spec.points.speed and spec.points.speed_tiers, exercise_id
        awkward = [
            size
            for size in spec.hidden_sizes
            if any(
                value % block.evaluate(size)
                for value in size.values()
                for block in spec.launch.block
            )
        ]
        assert awkward, f"{exercise_id}: every hidden size is a whole number of blocks"


CUDA_NAME = re.compile(r"\bcuda\.[a-z_]+(?:\.[a-z_]+)?")
COURSE_EXERCISES = [
    spec for spec in map(load_exercise, list_exercises()) if spec.course == "cuda-basics"
]


def notebook_text(notebook: Path) -> str:
    return "\n".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells)


def test_every_cuda_name_a_starter_uses_is_taught_by_its_lesson_or_before():
    # A learner who has only the course must have met every API the exercise asks for
    # (cuda.gridsize and cuda.laneid were used by exercises before any lesson showed them).
    taught_by = {}
    taught: set[str] = set()
    for lesson in LESSON_PATHS:
        taught |= set(CUDA_NAME.findall(notebook_text(lesson)))
        taught_by[lesson.name[:2]] = set(taught)
    for spec in COURSE_EXERCISES:
        used = set(CUDA_NAME.findall(notebook_text(spec.path / "starter.ipynb")))
        used |= set(CUDA_NAME.findall(" ".join(spec.hints)))
        missing = used - taught_by[spec.lesson]
        assert not missing, (
            f"{spec.id} uses {sorted(missing)}, which no lesson up to {spec.lesson} shows"
        )


def test_every_starter_draws_the_learners_launch():
    for spec in COURSE_EXERCISES:
        code = code_cells(spec.path / "starter.ipynb")
        assert any("viz.accesses(" in cell for cell in code), f"{spec.id}: no picture of the launch"


def test_the_course_map_calls_vector_add_a_zip():
    # The course's specification names the exercise "zip"; its id stays vector_add. The map
    # shows the starter's first paragraph.
    summary = first_words(ROOT / "exercises" / "vector_add" / "starter.ipynb")[1]
    assert "zip" in summary
