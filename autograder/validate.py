"""Check a shipped exercise end to end: its spec, its reference, its solution and its starter.

Stages, in order: load exercise.toml (a malformed field is reported by `SpecError`); import
reference.py and find every kernel the spec names, and its tiling or host function; grade
solution.py, which must score full marks; grade starter.ipynb, which must be graded (not
rejected, not crash the grader) and score zero.
"""

from __future__ import annotations

from autograder.grade import grade_submission
from autograder.spec import SpecError, load_exercise
from autograder.steps.reference import load_reference

__all__ = ["validate_exercise"]


def validate_exercise(exercise: str) -> list[str]:
    """The problems found with `exercise` (an id or folder); empty when it is sound.

    Example:
        >>> validate_exercise("vector_add")
        []
    """
    try:
        spec = load_exercise(exercise)
    except (SpecError, FileNotFoundError) as error:
        return [str(error)]
    try:
        module = load_reference(spec)
    except Exception as error:  # an instructor's module: report any failure
        return [f"{spec.id}: reference.py cannot be imported: {type(error).__name__}: {error}"]
    wanted = [kernel.name for kernel in spec.kernels]
    wanted += [name for name in (spec.launch.tiling, spec.launch.host) if name]
    problems = [
        f"{spec.id}: reference.py has no {name!r}" for name in wanted if not hasattr(module, name)
    ]
    if problems:
        return problems
    for filename, goal in (("solution.py", "full"), ("starter.ipynb", "zero")):
        path = spec.path / filename
        if not path.is_file():
            problems.append(f"{spec.id}: {filename} is missing")
            continue
        result = grade_submission(spec, path, seed=0)
        if result.status != "graded":
            detail = result.message or "; ".join(result.findings)
            problems.append(f"{spec.id}: {filename} was {result.status}: {detail}")
        elif goal == "full" and not result.full_marks:
            failed = "; ".join(f"{t.name}: {t.output}" for t in result.tests if not t.passed)
            problems.append(
                f"{spec.id}: {filename} scores {result.score}/{result.max_score}: {failed}"
            )
        elif goal == "zero" and result.score != 0:
            problems.append(f"{spec.id}: {filename} scores {result.score}, not 0")
    return problems
