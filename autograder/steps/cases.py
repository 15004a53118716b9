"""Step 2, cases: draw every size's arguments from the grader's seed.

Public sizes first (visible tests), then hidden sizes (hidden tests). The submission's process
gets a copy of the arguments, never the seed; the grader keeps its own copy. Speed is measured
at the largest public size (most elements), where the modelled time depends least on the
fixed launch overhead.
"""

from __future__ import annotations

import math

from autograder.inputs import make_inputs
from autograder.steps._state import Case, Grading


def step(grading: Grading) -> None:
    """Fill `cases` and `speed_case`."""
    spec = grading.spec
    sizes = [(s, "visible") for s in spec.public_sizes] + [(s, "hidden") for s in spec.hidden_sizes]
    for size, visibility in sizes:
        size = dict(size)
        arguments = make_inputs(spec, size, grading.seed)
        grading.cases.append(Case(size_name(size), size, visibility, arguments))
    public = range(len(spec.public_sizes))
    grading.speed_case = max(public, key=lambda i: math.prod(grading.cases[i].size.values()))


def size_name(size: dict[str, int]) -> str:
    """'n=1000' or 'rows=1, cols=1000'."""
    return ", ".join(f"{name}={value}" for name, value in size.items())


def test_names(grading: Grading) -> list[tuple[str, str]]:
    """(test name, visibility) of each correctness test, in case order."""
    spec = grading.spec
    sizes = [(s, "visible") for s in spec.public_sizes] + [(s, "hidden") for s in spec.hidden_sizes]
    return [(f"correctness {size_name(dict(s))}", v) for s, v in sizes]
