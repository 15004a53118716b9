"""The lessons print the same things under the compiled tier as under the vector tier.

Each lesson in LESSONS runs top to bottom in a fresh kernel twice, with CUDALIKE_TIER=vector and
with CUDALIKE_TIER=compiled, and every code cell must give the same outputs: the text/plain form
of what it displays or returns, what it prints (stdout and stderr, each joined over the cell:
how the kernel splits a stream into messages depends on timing) and the type and message of
any error it raises. Object addresses (`0x7f...`) are blanked; the HTML and widget forms are
left out, since their element and model ids differ from run to run.

Running all 39 lessons twice costs far more than the ~4 minutes a test may take in CI (the
compiled run compiles every kernel the lesson launches inside the compiled subset), so only the
lessons with a launch that ran compiled under CUDALIKE_TIER=compiled are compared: the others
launch no SIMT kernel (most of the Ascend C course), or only kernels outside the subset or only
profiled launches, which run on the vector engine under either tier. A launch handed back counts
as entering the subset: the compiled code ran and found something to report, so the vector
engine's report must follow as if nothing had run. The Chinese lessons of the
Ascend C course are left out too: their code cells are those of their English twins
(tests/courses/test_cuda_to_ascend_c.py checks it), so they launch the same kernels.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[3]
# Lesson (under courses/) -> how many of its launches ran compiled, and how many were handed back
# to the vector engine (a check fired), under CUDALIKE_TIER=compiled when this was written.
LESSONS = {
    "cuda-basics/01-threads-blocks-and-grids.ipynb": (6, 0),
    "cuda-basics/02-indexing-guards-and-grid-stride-loops.ipynb": (11, 0),
    "cuda-basics/03-host-and-device-memory.ipynb": (4, 1),
    "cuda-basics/04-debugging-kernels.ipynb": (1, 5),
    "cuda-basics/05-shared-memory-and-barriers.ipynb": (1, 1),
    "cuda-basics/06-atomics-and-histograms.ipynb": (0, 2),
    "cuda-basics/07-reductions.ipynb": (3, 0),
    "cuda-basics/08-warps.ipynb": (5, 0),
    "cuda-basics/09-scan.ipynb": (4, 0),
    "cuda-basics/10-capstone-tiled-matmul.ipynb": (2, 1),
    "cuda-performance/01-how-a-gpu-runs-a-kernel.ipynb": (2, 0),
    "cuda-performance/02-global-memory-coalescing.ipynb": (1, 0),
    "cuda-performance/03-shared-memory-and-bank-conflicts.ipynb": (4, 0),
    "cuda-performance/04-occupancy-and-launch-configuration.ipynb": (3, 0),
    "cuda-performance/05-divergence-and-instruction-throughput.ipynb": (2, 1),
    "cuda-performance/06-reductions.ipynb": (5, 0),
    "cuda-performance/07-atomics-and-privatisation.ipynb": (2, 1),
    "cuda-performance/08-matrix-multiply.ipynb": (6, 1),
    "cuda-performance/09-profiling-workflow.ipynb": (5, 0),
    "cuda-to-ascend-c/07-reductions-and-softmax.ipynb": (1, 0),
}
# Lessons whose outputs differ between the tiers, each with the reason; the test fails when one
# of them agrees again, so the set only shrinks.
EXPECTED_DIVERGENT: dict[str, str] = {}
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
# Appended to the lesson: how its launches went (cudalike.simt.compiled.launcher.outcomes).
COUNT_LAUNCHES = """\
import json as _json
from cudalike.simt.compiled import launcher as _launcher
print("LAUNCHES", _json.dumps(dict(_launcher.outcomes)))
"""


def run_lesson(path: Path, tier: str, cache: Path) -> tuple[list[tuple], dict[str, int]]:
    """Run the lesson at `path` under `tier`; each code cell's outputs, and how launches went."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(COUNT_LAUNCHES))
    env = dict(os.environ, CUDALIKE_TIER=tier, CUDALIKE_CACHE_DIR=str(cache))
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=600, allow_errors=True, resources=resources
    )
    client.execute(env=env)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    *lesson, counted = cells
    launches = json.loads(_comparable(counted.outputs)[0].split("LAUNCHES", 1)[1])
    return [_comparable(cell.outputs) for cell in lesson], launches


def _comparable(outputs: list[nbformat.NotebookNode]) -> tuple:
    """What must agree between the tiers in one cell's outputs: stdout, stderr, the rest."""
    streams = {"stdout": "", "stderr": ""}
    others = []
    for output in outputs:
        if output.output_type == "stream":
            streams[output.name] += ADDRESS.sub("0x?", output.text)
        elif output.output_type == "error":
            others.append((output.ename, ADDRESS.sub("0x?", output.evalue)))
        else:
            others.append(ADDRESS.sub("0x?", output.get("data", {}).get("text/plain", "")))
    return streams["stdout"], streams["stderr"], others


@pytest.fixture(scope="session")
def compiled_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One numba disk cache for this session's lessons (kernels recur from lesson to lesson)."""
    return tmp_path_factory.mktemp("compiled-cache")


def test_the_compared_lessons_are_lessons() -> None:
    present = {str(p.relative_to(ROOT / "courses")) for p in ROOT.glob("courses/**/*.ipynb")}
    assert set(LESSONS) <= present
    assert set(EXPECTED_DIVERGENT) <= set(LESSONS)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_lesson_gives_the_same_outputs_under_both_tiers(lesson: str, compiled_cache: Path) -> None:
    path = ROOT / "courses" / lesson
    vector, vector_launches = run_lesson(path, "vector", compiled_cache)
    compiled, compiled_launches = run_lesson(path, "compiled", compiled_cache)
    print(f"{lesson}: {compiled_launches}")
    assert set(vector_launches) == {"vector"}
    entered = compiled_launches.get("compiled", 0) + compiled_launches.get("handed back", 0)
    assert entered >= 1, f"no launch of {lesson} entered the compiled subset: {compiled_launches}"
    differ = [
        (index, left, right)
        for index, (left, right) in enumerate(zip(vector, compiled, strict=True))
        if left != right
    ]
    if lesson in EXPECTED_DIVERGENT:
        assert differ, f"{lesson} agrees under both tiers now: take it out of EXPECTED_DIVERGENT"
    else:
        assert not differ, differ
