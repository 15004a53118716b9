"""The course "From CUDA to Ascend C": English lessons, their Chinese twins, and their anatomy.

Every English lesson has a Simplified Chinese twin in `zh/` with the same file name and the
same code cells, byte for byte and in the same order, so a fix to one is a fix to both; the
Markdown of a twin is actually Chinese. Each lesson has the parts docs/courses.md lists. The
lessons themselves run under nbval and in JupyterLab (tests/browser).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from autograder.course_map import build_course_map

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "courses" / "cuda-to-ascend-c"
ENGLISH = sorted(COURSE.glob("[0-9][0-9]-*.ipynb"))
CHINESE = sorted((COURSE / "zh").glob("[0-9][0-9]-*.ipynb"))
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def cells(path: Path, kind: str) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == kind]


def prose(path: Path) -> str:
    """The Markdown of a lesson without code spans, fenced code and link targets."""
    text = "\n".join(cells(path, "markdown"))
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def test_the_course_has_its_first_three_lessons_in_both_languages():
    names = [path.name for path in ENGLISH]
    assert names[:3] == [
        "01-the-npu-for-a-cuda-programmer.ipynb",
        "02-the-first-operator-add-both-ways.ipynb",
        "03-tiling-and-many-cores.ipynb",
    ]
    assert [path.name for path in CHINESE] == names


@pytest.mark.parametrize("english", ENGLISH, ids=lambda path: path.stem)
def test_chinese_twin_has_the_same_code_cells_in_the_same_order(english):
    chinese = COURSE / "zh" / english.name
    assert chinese.exists(), f"{english.name} has no Chinese twin in zh/"
    english_code, chinese_code = cells(english, "code"), cells(chinese, "code")
    assert len(english_code) == len(chinese_code)
    for index, (one, other) in enumerate(zip(english_code, chinese_code, strict=True)):
        assert one == other, f"code cell {index} of {english.name} differs between the languages"
    assert len(cells(english, "markdown")) == len(cells(chinese, "markdown"))


@pytest.mark.parametrize("chinese", CHINESE, ids=lambda path: path.stem)
def test_every_chinese_lesson_has_an_english_original(chinese):
    assert (COURSE / chinese.name).exists()


@pytest.mark.parametrize("chinese", CHINESE, ids=lambda path: path.stem)
def test_chinese_markdown_is_chinese(chinese):
    for index, markdown in enumerate(cells(chinese, "markdown")):
        text = re.sub(r"`[^`]*`|\]\([^)]*\)|[\s\W\d_]", "", markdown)
        share = len(CJK.findall(text)) / max(len(text), 1)
        assert share > 0.5, f"Markdown cell {index} of zh/{chinese.name} is {share:.0%} Chinese"


@pytest.mark.parametrize("english", ENGLISH, ids=lambda path: path.stem)
def test_english_markdown_has_no_chinese(english):
    assert CJK.findall(prose(english)) == []


@pytest.mark.parametrize("lesson", ENGLISH + CHINESE, ids=lambda p: str(p.relative_to(COURSE)))
def test_lesson_has_the_anatomy_of_a_lesson(lesson):
    markdown, code = cells(lesson, "markdown"), cells(lesson, "code")
    number = lesson.name[:2]
    assert re.match(rf"# {number} · \S", markdown[0]), markdown[0].splitlines()[0]
    assert re.search(r"\d+ (minutes|分钟)", markdown[0]), "the first paragraph gives the minutes"
    assert any("# TODO" in source for source in code), "a Try it with a stub marked # TODO"
    assert any("try_it(" in source for source in code), "a check cell"
    assert any("viz." in source for source in code), "a picture of the learner's launch"
    assert any("except " in source and "print(" in source for source in code), (
        "a deliberate mistake whose report is printed"
    )
    links = re.findall(r"\]\(([^)\s]+)\)", "\n".join(markdown))
    following = sorted(lesson.parent.glob("[0-9][0-9]-*.ipynb"))
    index = following.index(lesson)
    if index + 1 < len(following):
        assert following[index + 1].name in links, "links to the next lesson"
    for link in links:
        assert (lesson.parent / link).resolve().exists(), f"{lesson.name} links to missing {link}"


def test_the_course_map_lists_the_english_lessons_once():
    course = next(c for c in build_course_map(ROOT, progress={}).courses if c.name == COURSE.name)
    assert [lesson.path.resolve() for lesson in course.lessons] == [p.resolve() for p in ENGLISH]
    assert course.lessons[0].title == "01 · The NPU for a CUDA programmer"


SOLUTIONS = {
    "01-the-npu-for-a-cuda-programmer.ipynb": (
        "pass  # TODO: add 1 to every element of zLocal with Adds",
        "Adds(zLocal, zLocal, 1.0, length)",
    ),
    "02-the-first-operator-add-both-ways.ipynb": (
        "Add(zLocal, xLocal, yLocal, self.tileLength)  # TODO: multiply instead",
        "Mul(zLocal, xLocal, yLocal, self.tileLength)",
    ),
    "03-tiling-and-many-cores.ipynb": (
        "totalLength // numBlocks // HALVES_PER_BLOCK * HALVES_PER_BLOCK  # TODO: round up",
        "ceil_div(ceil_div(totalLength, numBlocks), HALVES_PER_BLOCK) * HALVES_PER_BLOCK",
    ),
    "04-the-three-stage-pipeline-and-double-buffering.ipynb": (
        "BUFFER_NUM = 1  # TODO: let the next tile's CopyIn overlap this tile's Compute",
        "BUFFER_NUM = 2",
    ),
    "05-synchronisation-queues-flags-and-hazards.ipynb": (
        "pass  # TODO: make the Add's z visible to MTE3 before the copy out",
        "SetFlag(HardEvent.V_MTE3, 0); WaitFlag(HardEvent.V_MTE3, 0)",
    ),
    "06-vector-instructions-masks-repeats-and-strides.ipynb": (
        "Muls(z, a, 2.0, 128, 8, UnaryRepeatParams())  # TODO: only the even DataBlocks",
        "Muls(z, a, 2.0, 128, 4, UnaryRepeatParams(2, 2, 16, 16))",
    ),
    "07-reductions-and-softmax.ipynb": (
        "ReduceSum(yLocal, xLocal, work, self.cols)  # TODO: the row's maximum",
        "ReduceMax(yLocal, xLocal, work, self.cols)",
    ),
    "08-fused-normalisation.ipynb": (
        "pass  # TODO: sum[0] = 1 / sqrt(sum[0] / cols + eps) with Muls, Adds, Sqrt, Div",
        "Muls(sum, sum, np.float32(1 / self.cols), 1); Adds(sum, sum, self.eps, 1); "
        "Sqrt(sum, sum, 1); Div(sum, one, sum, 1)",
    ),
    "09-the-cube-unit-and-matmul.ipynb": (
        "pass  # TODO: Mmad(c1, a2, b2, MmadParams(m, n, k)) with this kernel's shape",
        "Mmad(c1, a2, b2, MmadParams(self.m, self.n, self.k))",
    ),
    "10-capstone-port-your-cuda-kernel.ipynb": (
        "rowsPerCore = rows // numBlocks  # TODO: round up so that every row has a core",
        "rowsPerCore = ceil_div(rows, numBlocks)",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SOLUTIONS), ids=lambda name: name[:2])
def test_try_it_fails_as_given_and_passes_once_solved(name):
    from nbclient import NotebookClient

    stub, fix = SOLUTIONS[name]
    verdicts = []
    for source in (stub, fix):
        notebook = nbformat.read(COURSE / name, as_version=4)
        (cell,) = [c for c in notebook.cells if c.cell_type == "code" and stub in c.source]
        cell.source = cell.source.replace(stub, source)
        resources = {"metadata": {"path": str(COURSE)}}
        NotebookClient(notebook, kernel_name="python3", timeout=300, resources=resources).execute()
        printed = "".join(
            output.get("text", "")
            for c in notebook.cells
            if c.cell_type == "code"
            for output in c.outputs
        )
        verdicts.append(("✓" in printed, "✗" in printed))
    assert verdicts == [(False, True), (True, False)]
