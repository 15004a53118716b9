"""Check an exercise end to end before learners see it: spec, reference, solution, starter.

Stages, in order (a stage that fails stops the later ones that depend on it):
1. load exercise.toml (a malformed field is reported by `SpecError`);
2. import reference.py and find every kernel the spec names, and its tiling or host function;
3. run the reference at every size twice, with the outputs filled with two different poison
   patterns (`autograder.inputs.poison`): an element holding the fill after both runs was
   never written. Unless the output is declared `fill = "zeros"`, that is a fault of the
   exercise, since the expected value there would be whatever the grader happened to fill in;
4. grade solution.py, which must score full marks, and starter.ipynb, which must be graded
   (not rejected, not crash the grader) and score zero;
5. run starter.ipynb in a real Jupyter kernel, where every cell must run (the launch cell
   included) and its kernel must score zero, and the starter solved with solution.py, which
   must score full marks (`autograder.starter`).
"""

from __future__ import annotations

import numpy as np

from autograder.catalog import Folders
from autograder.grade import grade_submission
from autograder.inputs import holds_poison, make_inputs, poison
from autograder.launch import launch_kernels
from autograder.spec import Exercise, SpecError, load_exercise
from autograder.steps.cases import size_name
from autograder.steps.reference import load_reference

__all__ = ["validate_exercise"]


def validate_exercise(
    exercise: str, *, search: Folders | None = None, notebooks: bool = True
) -> list[str]:
    """The problems found with `exercise` (an id or folder); empty when it is sound.

    Args:
        exercise: an exercise id (looked up along the search path) or folder.
        search: folders searched before `$CUDALIKE_EXERCISES` and the shipped exercises.
        notebooks: also run the starter and the solved starter in a Jupyter kernel (needs
            nbclient and ipykernel, in the `lab` extra).

    Example:
        >>> validate_exercise("vector_add", notebooks=False)
        []
    """
    try:
        spec = load_exercise(exercise, search)
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
    problems = problems or _unwritten_by_reference(spec, module)
    if problems:
        return problems
    problems += _graded_files(spec)
    missing = [
        name for name in ("starter.ipynb", "solution.py") if not (spec.path / name).is_file()
    ]
    if notebooks and not missing:
        problems += _notebooks(spec)
    return problems


def _unwritten_by_reference(spec: Exercise, module) -> list[str]:
    """Outputs the reference leaves partly unwritten, at the first size where it does."""
    kernels = {kernel.name: getattr(module, kernel.name) for kernel in spec.kernels}
    problems: list[str] = []
    checked = [name for name, output in spec.outputs.items() if output.fill == "poison"]
    for size in (dict(s) for s in spec.public_sizes + spec.hidden_sizes):
        runs = []
        for variant in (0, 1):
            arguments = make_inputs(spec, size, seed=0, fill_variant=variant)
            try:
                launch_kernels(spec, kernels, module, arguments, size)
            except Exception as error:  # an instructor's kernel: report any failure
                name = type(error).__name__
                return [f"{spec.id}: the reference fails at {size_name(size)}: {name}: {error}"]
            runs.append(arguments)
        for name in list(checked):
            left = holds_poison(runs[0][name], poison(runs[0][name].dtype, 0))
            left &= holds_poison(runs[1][name], poison(runs[1][name].dtype, 1))
            if left.any():
                index = ", ".join(str(int(i)) for i in np.argwhere(left)[0])
                problems.append(
                    f"{spec.id}: reference.py never writes {name}[{index}] at {size_name(size)} "
                    f"({int(left.sum())} of {left.size} elements unwritten): write every "
                    f'element, or declare fill = "zeros" under [outputs.{name}] so that '
                    "unwritten elements are expected to stay 0"
                )
                checked.remove(name)
    return problems


def _graded_files(spec: Exercise) -> list[str]:
    problems = []
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


def _notebooks(spec: Exercise) -> list[str]:
    """Run the starter and the solved starter in a Jupyter kernel, as a learner would."""
    from autograder.starter import run_notebook, solved_starter

    try:
        import nbformat

        starter = nbformat.read(spec.path / "starter.ipynb", as_version=4)
        solved = solved_starter(spec)
    except ImportError as error:
        return [f"{spec.id}: cannot run the notebooks ({error}); install cudalike[lab]"]
    except ValueError as error:
        return [f"{spec.id}: {error}"]
    problems = []
    for label, notebook, goal in (
        ("starter.ipynb", starter, "zero"),
        ("starter.ipynb solved with solution.py", solved, "full"),
    ):
        try:
            run = run_notebook(spec, notebook)
        except ImportError as error:
            return [f"{spec.id}: cannot run the notebooks ({error}); install cudalike[lab]"]
        problems += [f"{spec.id}: {label} {error}" for error in run.errors]
        if run.score is None:
            problems.append(f"{spec.id}: {label} was not graded by check({spec.id!r})")
        elif goal == "zero" and run.score != 0:
            problems.append(f"{spec.id}: {label} scores {run.score:g} in a kernel, not 0")
        elif goal == "full" and run.score < run.max_score:
            problems.append(
                f"{spec.id}: {label} scores {run.score:g}/{run.max_score:g} in a kernel "
                f"({run.status}), not full marks"
            )
    return problems
