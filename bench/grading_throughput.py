"""Grading throughput: 100 generated vector_add submissions, graded as `cudalike-grade grade`.

The batch mixes correct kernels (the instructor solution), wrong ones (subtracting), broken
ones (no bounds guard: out-of-bounds at the awkward sizes) and files that are not notebooks.
Prints submissions per minute and seconds per submission (issue 5 wants under 5 s).

    .venv/bin/python bench/grading_throughput.py            # 100 submissions, --jobs 2
    .venv/bin/python bench/grading_throughput.py --count 20 --jobs 1
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from autograder.batch import grade_class
from autograder.spec import load_exercise

_WRONG = """from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] - b[i]
"""
_NO_GUARD = """from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    out[i] = a[i] + b[i]
"""


def make_batch(folder: Path, count: int) -> None:
    """Write `count` submissions: correct, wrong, broken and not-a-notebook in turn."""
    solution = (load_exercise("vector_add").path / "solution.py").read_text()
    kinds = [("correct.py", solution), ("wrong.py", _WRONG), ("broken.py", _NO_GUARD)]
    kinds.append(("garbage.ipynb", '{"cells": "not a notebook"'))
    for index in range(count):
        name, text = kinds[index % len(kinds)]
        (folder / f"student{index:03d}_{name}").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder, out = Path(temporary) / "submissions", Path(temporary) / "out"
        folder.mkdir()
        make_batch(folder, arguments.count)
        start = time.perf_counter()
        results = grade_class("vector_add", folder, out, jobs=arguments.jobs)
        seconds = time.perf_counter() - start
    statuses = {s: sum(r.status == s for r in results) for s in ("graded", "rejected", "error")}
    print(f"{len(results)} submissions with --jobs {arguments.jobs} in {seconds:.1f} s: {statuses}")
    print(f"{60 * len(results) / seconds:.0f} submissions per minute")
    print(f"{seconds / len(results):.2f} s per submission (wall, {arguments.jobs} workers)")
    print(f"{seconds * arguments.jobs / len(results):.2f} s per submission per worker")


if __name__ == "__main__":
    main()
