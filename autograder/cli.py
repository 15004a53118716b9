"""`cudalike-grade` (also `python -m autograder`): the command line, thin over the library.

Each command parses its arguments and calls one function: `grade_submission` (check),
`batch.grade_class` (grade), `batch.write_reports` (report), `validate_exercise`,
`list_exercises`, `progress.progress` (progress), `distribute.fetch` and `distribute.release`,
and `scaffold.new_exercise` (new). Commands that name an exercise take `--exercises DIR`
(repeatable), searched before `$CUDALIKE_EXERCISES` and the shipped exercises. Exit codes: 0
success (check: full marks), 1 not (check: points lost; validate-exercise: problems), 2 usage
errors, 3 grader errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from autograder import batch, distribute, report, scaffold
from autograder.grade import grade_submission
from autograder.progress_store import progress as progress_table
from autograder.spec import SpecError, list_exercises, load_exercise
from autograder.validate import validate_exercise
from cudalike import config

OK, NOT_FULL, USAGE, GRADER_ERROR = 0, 1, 2, 3

_EXAMPLES = """examples:
  cudalike-grade list
  cudalike-grade check vector_add my_solution.ipynb
  cudalike-grade check vector_add my_solution.ipynb --gradescope /autograder/results/results.json
  cudalike-grade grade vector_add submissions/ --out graded/ --jobs 4
  cudalike-grade grade vector_add 'submissions/*/*.ipynb' --out graded/ --jobs 4 --resume
  cudalike-grade grade vector_add submissions/ --out graded/ --executor dask://10.0.0.5:8786
  cudalike-grade report graded/
  cudalike-grade validate-exercise vector_add
  cudalike-grade progress
  cudalike-grade fetch vector_add                     # ./vector_add/starter.ipynb
  cudalike-grade new saxpy --dir my-exercises/
  cudalike-grade validate-exercise saxpy --exercises my-exercises/
  cudalike-grade release handout/ --exercises my-exercises/

exit codes: 0 success (check: full marks), 1 points lost or problems found, 2 usage error,
3 grader error (never the submission's fault)"""


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    language = arguments.language or config.get().language
    saved = os.environ.get("CUDALIKE_LANG")
    os.environ["CUDALIKE_LANG"] = language  # worker processes of `grade` speak it too
    try:
        with config.override(language=language):
            return arguments.run(arguments)
    except (FileNotFoundError, FileExistsError, SpecError, ValueError) as error:
        print(f"cudalike-grade: error: {error}", file=sys.stderr)
        return USAGE
    finally:
        if saved is None:
            os.environ.pop("CUDALIKE_LANG", None)
        else:
            os.environ["CUDALIKE_LANG"] = saved


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cudalike-grade",
        description="Grade cudalike kernel exercises: correctness and modelled speed.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--language",
        choices=config.LANGUAGES,
        help="the language of the feedback: en or zh (default: CUDALIKE_LANG, else en)",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    search = argparse.ArgumentParser(add_help=False)
    search.add_argument(
        "--exercises",
        action="append",
        type=Path,
        metavar="DIR",
        help="a folder of exercises, searched first (repeatable; then $CUDALIKE_EXERCISES, "
        "then the shipped exercises)",
    )

    check = _command(
        commands,
        "check",
        _check,
        "grade one file and print a readable report",
        "cudalike-grade check vector_add alice.ipynb",
        search,
    )
    check.add_argument("exercise", help="exercise id (see `list`) or folder")
    check.add_argument("file", type=Path, help="the submission, .ipynb or .py")
    check.add_argument("--seed", type=int, help="the inputs' seed (default: a fresh one)")
    check.add_argument("--json", type=Path, help="also write the result JSON here")
    check.add_argument("--gradescope", type=Path, help="also write Gradescope results.json here")
    check.add_argument("--html", type=Path, help="also write the feedback page here")

    grade = _command(
        commands,
        "grade",
        _grade,
        "grade every submission of a folder or glob",
        "cudalike-grade grade vector_add submissions/ --out graded/ --jobs 4",
        search,
    )
    grade.add_argument("exercise", help="exercise id or folder")
    grade.add_argument("target", help="a folder of submissions, or a glob (quote it)")
    grade.add_argument("--out", type=Path, required=True, help="output folder")
    grade.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    grade.add_argument(
        "--resume", action="store_true", help="keep results already in --out; grade only the others"
    )
    grade.add_argument("--seed", type=int, help="one seed for all (default: fresh per file)")
    grade.add_argument(
        "--executor",
        metavar="dask://HOST:PORT",
        help="grade on this Dask scheduler's cluster (the dask extra; default: local processes)",
    )

    rebuild = _command(
        commands,
        "report",
        _report,
        "rebuild CSV, Gradescope JSON and pages",
        "cudalike-grade report graded/",
    )
    rebuild.add_argument("out", type=Path, help="a folder written by `grade`")

    validate = _command(
        commands,
        "validate-exercise",
        _validate,
        "check an exercise: spec, reference, solution full marks, starter zero",
        "cudalike-grade validate-exercise vector_add",
        search,
    )
    validate.add_argument("exercise", help="exercise id or folder")
    validate.add_argument(
        "--no-notebooks",
        dest="notebooks",
        action="store_false",
        help="skip running the starter notebooks in a Jupyter kernel (faster)",
    )

    _command(commands, "list", _list, "list the exercises found", "cudalike-grade list", search)
    fetch = _command(
        commands,
        "fetch",
        _fetch,
        "copy an exercise's starter (and data files) into DIR/ID/ to work on",
        "cudalike-grade fetch vector_add ~/work",
        search,
    )
    fetch.add_argument("exercise", help="exercise id or folder")
    fetch.add_argument("dir", nargs="?", type=Path, default=Path("."), help="default: here")
    fetch.add_argument("--force", action="store_true", help="overwrite files that exist")

    release = _command(
        commands,
        "release",
        _release,
        "write the learners' version of the exercises (starters and data, no answers)",
        "cudalike-grade release handout/ --exercises my-exercises/",
        search,
    )
    release.add_argument("dir", type=Path, help="the hand-out folder")
    release.add_argument(
        "--only", action="append", metavar="ID", help="release only this exercise (repeatable)"
    )
    release.add_argument("--force", action="store_true", help="overwrite files that exist")

    new = _command(
        commands,
        "new",
        _new,
        "scaffold a new exercise that passes validate-exercise as generated",
        "cudalike-grade new saxpy --track simt --dir my-exercises/",
    )
    new.add_argument("id", help="lower case letters, digits and _ (also the kernel's name)")
    new.add_argument("--track", choices=("simt", "cann"), default="simt", help="default simt")
    new.add_argument("--dir", type=Path, default=Path("."), help="where (default: here)")
    _command(
        commands,
        "progress",
        _progress,
        "show your best score and speed per exercise (recorded by check in a notebook)",
        "cudalike-grade progress",
    )
    return parser


def _command(
    commands, name: str, run, summary: str, example: str, *parents: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=list(parents),
    )
    command.set_defaults(run=run)
    return command


def _check(arguments) -> int:
    if not arguments.file.is_file():
        raise FileNotFoundError(f"no file {arguments.file}")
    spec = load_exercise(arguments.exercise, arguments.exercises)
    result = grade_submission(spec, arguments.file, seed=arguments.seed)
    print(report.text(result))
    if arguments.json:
        report.write_json(result, arguments.json)
    if arguments.gradescope:
        report.write_atomic(arguments.gradescope, json.dumps(report.gradescope(result), indent=1))
    if arguments.html:
        report.write_atomic(arguments.html, report.html(result))
    if result.status == "error":
        return GRADER_ERROR
    return OK if result.full_marks else NOT_FULL


def _grade(arguments) -> int:
    # A wrong id is a usage error before any work; workers get the folder, found here.
    spec = load_exercise(arguments.exercise, arguments.exercises)
    if arguments.jobs < 1:
        raise FileNotFoundError("--jobs must be at least 1")
    if not batch.find_submissions(arguments.target):
        raise FileNotFoundError(f"no submissions match {arguments.target}")
    if arguments.executor and not arguments.executor.startswith("dask://"):
        raise FileNotFoundError(f"--executor {arguments.executor}: expected dask://HOST:PORT")
    try:
        results = batch.grade_class(
            str(spec.path),
            arguments.target,
            arguments.out,
            jobs=arguments.jobs,
            resume=arguments.resume,
            seed=arguments.seed,
            progress=sys.stderr,
            executor=arguments.executor,
        )
    except (ImportError, OSError) as error:  # no Dask installed, or no scheduler there
        if not arguments.executor:
            raise
        print(f"cudalike-grade: error: {arguments.executor}: {error}", file=sys.stderr)
        return USAGE
    print(report.summary(results))
    print(f"wrote {arguments.out / 'grades.csv'}, gradescope/ and feedback/")
    return GRADER_ERROR if any(result.status == "error" for result in results) else OK


def _report(arguments) -> int:
    results, names = batch.load_class(arguments.out)
    if not results:
        raise FileNotFoundError(f"no results under {arguments.out / 'results'}")
    batch.write_reports(results, arguments.out, names)
    print(report.summary(results))
    return GRADER_ERROR if any(result.status == "error" for result in results) else OK


def _validate(arguments) -> int:
    problems = validate_exercise(
        arguments.exercise, search=arguments.exercises, notebooks=arguments.notebooks
    )
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{arguments.exercise}: ok (solution full marks, starter zero)")
    return NOT_FULL if problems else OK


def _list(arguments) -> int:
    for exercise_id in list_exercises(search=arguments.exercises):
        spec = load_exercise(exercise_id, arguments.exercises)
        print(f"{spec.id:<14} {spec.track:<5} {spec.title}")
    return OK


def _fetch(arguments) -> int:
    written = distribute.fetch(
        arguments.exercise, arguments.dir, force=arguments.force, search=arguments.exercises
    )
    print("\n".join(f"wrote {path}" for path in written))
    return OK


def _release(arguments) -> int:
    written = distribute.release(
        arguments.dir, arguments.only, force=arguments.force, search=arguments.exercises
    )
    exercises = sorted({path.relative_to(arguments.dir).parts[0] for path in written})
    print(f"wrote {len(written)} files for {', '.join(exercises)} under {arguments.dir}")
    return OK


def _new(arguments) -> int:
    folder = scaffold.new_exercise(arguments.id, arguments.track, arguments.dir)
    print(f"wrote {folder}/: exercise.toml, reference.py, solution.py, starter.ipynb")
    print(f"next: cudalike-grade validate-exercise {arguments.id} --exercises {arguments.dir}")
    return OK


def _progress(arguments) -> int:
    print(progress_table())
    return OK
