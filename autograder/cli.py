"""`cudalike-grade` (also `python -m autograder`): the command line, thin over the library.

Each command parses its arguments and calls one function: `grade_submission` (check),
`batch.grade_class` (grade), `batch.write_reports` (report), `validate_exercise`,
`list_exercises` and `progress.progress` (progress). Exit codes: 0 success (check: full marks),
1 not (check: points lost; validate-exercise: problems), 2 usage errors, 3 grader errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from autograder import batch, report
from autograder.grade import grade_submission
from autograder.progress_store import progress as progress_table
from autograder.spec import SpecError, list_exercises, load_exercise
from autograder.validate import validate_exercise

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

exit codes: 0 success (check: full marks), 1 points lost or problems found, 2 usage error,
3 grader error (never the submission's fault)"""


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments)
    except (FileNotFoundError, SpecError) as error:
        print(f"cudalike-grade: error: {error}", file=sys.stderr)
        return USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cudalike-grade",
        description="Grade cudalike kernel exercises: correctness and modelled speed.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = _command(
        commands,
        "check",
        _check,
        "grade one file and print a readable report",
        "cudalike-grade check vector_add alice.ipynb",
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
    )
    validate.add_argument("exercise", help="exercise id or folder")

    _command(commands, "list", _list, "list the shipped exercises", "cudalike-grade list")
    _command(
        commands,
        "progress",
        _progress,
        "show your best score and speed per exercise (recorded by check in a notebook)",
        "cudalike-grade progress",
    )
    return parser


def _command(commands, name: str, run, summary: str, example: str) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(run=run)
    return command


def _check(arguments) -> int:
    if not arguments.file.is_file():
        raise FileNotFoundError(f"no file {arguments.file}")
    result = grade_submission(arguments.exercise, arguments.file, seed=arguments.seed)
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
    load_exercise(arguments.exercise)  # a wrong id is a usage error before any work
    if arguments.jobs < 1:
        raise FileNotFoundError("--jobs must be at least 1")
    if not batch.find_submissions(arguments.target):
        raise FileNotFoundError(f"no submissions match {arguments.target}")
    if arguments.executor and not arguments.executor.startswith("dask://"):
        raise FileNotFoundError(f"--executor {arguments.executor}: expected dask://HOST:PORT")
    try:
        results = batch.grade_class(
            arguments.exercise,
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
    problems = validate_exercise(arguments.exercise)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{arguments.exercise}: ok (solution full marks, starter zero)")
    return NOT_FULL if problems else OK


def _list(arguments) -> int:
    for exercise_id in list_exercises():
        spec = load_exercise(exercise_id)
        print(f"{spec.id:<14} {spec.track:<5} {spec.title}")
    return OK


def _progress(arguments) -> int:
    print(progress_table())
    return OK
