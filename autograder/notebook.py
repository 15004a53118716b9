"""`check`: grade the learner's kernels from inside their notebook, and show why.

    from autograder import check
    check("vector_add")                # in a notebook: the cells run so far
    check("vector_add", "mine.ipynb")  # anywhere: a file

In a notebook the source is IPython's input history (`In`): every cell run so far, in the order
it ran, so the kernel graded is the one the learner last ran. The cells are written to a
temporary notebook whose cell N is `In[N]` (cell numbers in the feedback are execution counts;
see `history_cells` for front ends that keep no history)
and graded by `grade_submission`: extraction reads the text, the kernels run in the sandboxed
child, and the reference, seed and comparison stay in the grader. Nothing of the submission
runs in the learner's kernel process through `check`.

The feedback is an ipywidgets box (tests with the first wrong element, the modelled time
against the reference as bars, rules, hints after a failure) that also carries a plain text and
an HTML rendering for front ends without widgets; without ipywidgets, or outside IPython, the
text is printed. Every graded attempt is recorded in the local progress store
(`autograder.progress_store`), except a lesson's demonstration, which passes `record=False`:
progress is the learner's own work, checked by the learner.
"""

from __future__ import annotations

import dataclasses
import html
import json
import linecache
import os
import tempfile
from pathlib import Path

from autograder import progress_store, report
from autograder.grade import grade_submission
from autograder.result import SubmissionResult, TestResult
from autograder.spec import load_exercise
from cudalike.i18n import N_, _

__all__ = ["CheckResult", "Feedback", "check", "history_cells"]

_CELL_NOTE = N_("Cells are counted in the order they ran: cell 3 is the cell shown as [3].")


@dataclasses.dataclass(frozen=True, repr=False)
class CheckResult(SubmissionResult):
    """A `SubmissionResult` whose repr is one line (the feedback is displayed by `check`)."""

    def __repr__(self) -> str:
        speed = "" if self.speed is None else f", {self.speed:.2f}x the reference's time"
        score = f"{report.points(self.score, self.max_score)}/{report.points(self.max_score)}"
        return f"<{self.exercise}: {score} ({self.status}){speed}>"


def check(
    exercise: str,
    path: str | os.PathLike | None = None,
    *,
    seed: int | None = None,
    record: bool = True,
    exercises: str | os.PathLike | None = None,
) -> CheckResult:
    """Grade the learner's kernels for `exercise`, show the feedback and record the attempt.

    Args:
        exercise: the exercise id, e.g. "vector_add", found in `exercises`, then in the folders
            of `$CUDALIKE_EXERCISES`, then among the shipped exercises; or its folder.
        path: a `.ipynb` or `.py` file to grade; None in a notebook: the cells run so far.
        seed: the inputs' seed; a fresh one when None.
        record: add the attempt to the learner's progress store. A lesson that checks a
            kernel it supplies itself passes False, so that running the lesson does not mark
            the exercise done before the learner has tried it.
        exercises: a folder of exercises searched first (e.g. an instructor's).

    Returns:
        The result (a `SubmissionResult`).

    Raises:
        RuntimeError: `path` is None outside IPython.
        FileNotFoundError, autograder.spec.SpecError: the exercise does not exist.
    """
    spec = load_exercise(exercise, None if exercises is None else [exercises])
    if path is not None:
        result = grade_submission(spec, path, seed=seed)
        from_history = False
    else:
        cells = history_cells()
        with tempfile.TemporaryDirectory(prefix="cudalike-check-") as folder:
            notebook = Path(folder) / "notebook.ipynb"
            notebook.write_text(json.dumps(_notebook(cells)), encoding="utf-8")
            result = grade_submission(spec, notebook, seed=seed)
        result = dataclasses.replace(result, submission="this notebook")
        from_history = True
    result = CheckResult(**{f.name: getattr(result, f.name) for f in dataclasses.fields(result)})
    if record:
        progress_store.record(result)
    _show(Feedback(result, from_history))
    return result


def history_cells() -> list[str]:
    """The cells run so far in this IPython session, oldest first.

    `In[1:]`, the input history. A front end that runs cells without storing history (nbval
    does) leaves `In` empty; then the cells IPython compiled are read back from `linecache`,
    in the order each was first run.

    Raises:
        RuntimeError: not running under IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError(
            'check("EXERCISE") without a file reads the notebook\'s cells and needs IPython; '
            'outside a notebook pass the file: check("EXERCISE", "my_solution.py")'
        )
    history = [str(cell) for cell in shell.user_ns.get("In", [""])[1:]]
    if any(cell.strip() for cell in history):
        return history
    compiled = getattr(getattr(shell, "compile", None), "_filename_map", {})
    return ["".join(linecache.getlines(name)) for name in compiled]


def _notebook(cells: list[str]) -> dict:
    """An nbformat 4 notebook whose cell N (counted from 1) is `cells[N - 1]`."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "code", "id": f"in{n}", "metadata": {}, "source": source}
            | {"execution_count": None, "outputs": []}
            for n, source in enumerate(cells, start=1)
        ],
    }


class Feedback:
    """How a result is shown: an ipywidgets box, with text and HTML for other front ends.

    Args:
        result: the graded result.
        from_history: True when the source was the notebook's history (cell numbers are
            execution counts, and the feedback says so).
    """

    def __init__(self, result: SubmissionResult, from_history: bool = False):
        self.result = result
        self.from_history = from_history

    def _explains_cells(self) -> bool:
        failed = self.result.findings or any(not test.passed for test in self.result.tests)
        return self.from_history and bool(failed)

    def text(self) -> str:
        """The feedback as plain text: `report.text`, the time bars and the cell note."""
        lines = [report.text(self.result), *_text_bars(self.result)]
        if self._explains_cells():
            lines.append(_(_CELL_NOTE))
        return "\n".join(lines)

    def html(self) -> str:
        """The feedback as an HTML fragment (tests, time bars, hints), every text escaped."""
        result = self.result
        parts = [f"<p><b>{html.escape(_headline(result))}</b></p>"]
        if result.status == "error":
            parts.append(f"<p>{html.escape(result.message)}</p>")
        parts += [f"<p>{html.escape(finding)}</p>" for finding in result.findings]
        parts.append(_tests_table(result.tests))
        parts += [
            f"<p>{label}: {value:.3f} us</p><div style='background:{colour};height:.9em;"
            f"width:{fraction:.0%}'></div>"
            for label, value, fraction, colour in _bars(result)
        ]
        if result.speed is not None:
            parts.append(f"<p>{html.escape(_speed_words(result.speed), quote=False)}</p>")
        if result.hints:
            items = "".join(f"<li>{html.escape(hint)}</li>" for hint in result.hints)
            parts.append(f"<p>{html.escape(_('Hints:'))}</p><ol>{items}</ol>")
        if self._explains_cells():
            parts.append(f"<p><small>{html.escape(_(_CELL_NOTE))}</small></p>")
        return "\n".join(parts)

    def widget(self):
        """The ipywidgets box: headline, tests, one progress bar per modelled time, hints.

        Raises:
            ImportError: ipywidgets is not installed.
        """
        import ipywidgets as widgets

        result = self.result
        children = [widgets.HTML(f"<b>{html.escape(_headline(result))}</b>")]
        if result.status == "error":
            children.append(widgets.HTML(f"<p>{html.escape(result.message)}</p>"))
        if result.findings:
            findings = "".join(f"<li>{html.escape(f)}</li>" for f in result.findings)
            children.append(widgets.HTML(f"<ul>{findings}</ul>"))
        if result.tests:
            children.append(widgets.HTML(_tests_table(result.tests)))
        for number, (label, value, fraction, _colour) in enumerate(_bars(result)):
            style = "success" if number == 0 or (result.speed or 0) <= 1.1 else "warning"
            children.append(
                widgets.FloatProgress(
                    value=fraction,
                    max=1.0,
                    description=f"{label}: {value:.3f} us",
                    bar_style=style,
                    style={"description_width": "14em"},
                    layout=widgets.Layout(width="40em"),
                )
            )
        if result.speed is not None:
            children.append(widgets.HTML(html.escape(_speed_words(result.speed), quote=False)))
        if result.hints:
            items = "".join(f"<li>{html.escape(hint)}</li>" for hint in result.hints)
            children.append(widgets.HTML(f"{html.escape(_('Hints:'))}<ol>{items}</ol>"))
        if self._explains_cells():
            children.append(widgets.HTML(f"<small>{html.escape(_(_CELL_NOTE))}</small>"))
        return widgets.VBox(children)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = {"text/plain": self.text(), "text/html": self.html()}
        try:
            widget = self.widget()
        except ImportError:
            return bundle
        view = widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        key = "application/vnd.jupyter.widget-view+json"
        return bundle | ({key: view[key]} if key in view else {})

    def __str__(self) -> str:
        return self.text()


def _show(feedback: Feedback) -> None:
    """Display the feedback in IPython; print its text anywhere else."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(feedback)
    else:
        print(feedback.text())


def _headline(result: SubmissionResult) -> str:
    score = f"{report.points(result.score, result.max_score)} / {report.points(result.max_score)}"
    verdict = {
        "graded": "",
        "rejected": " " + _("(rejected: nothing ran)"),
        "error": " " + _("(grader error)"),
    }
    return f"{result.exercise}: {score}{verdict[result.status]}"


def _speed_words(speed: float) -> str:
    return _("{ratio:.2f}x the reference's modelled time").format(ratio=speed)


def _tests_table(tests: list[TestResult]) -> str:
    rows = "".join(
        f"<tr><td style='color:{'#176b2c' if t.passed else '#a01d1d'}'>"
        f"{html.escape(_('passed') if t.passed else _('FAILED'))}</td>"
        f"<td>{html.escape(t.name)}</td>"
        f"<td>{report.points(t.score, t.max_score)}/{report.points(t.max_score)}</td>"
        f"<td><pre style='margin:0;white-space:pre-wrap'>{html.escape(t.output)}</pre></td></tr>"
        for t in tests
    )
    return f"<table>{rows}</table>"


def _bars(result: SubmissionResult) -> list[tuple[str, float, float, str]]:
    """(label, modelled time in us, fraction of the longer time, colour), reference first."""
    if result.time_us is None or not result.reference_time_us:
        return []
    longest = max(result.time_us, result.reference_time_us)
    return [
        (_("reference"), result.reference_time_us, result.reference_time_us / longest, "#888"),
        (_("yours"), result.time_us, result.time_us / longest, "#2a6fb0"),
    ]


def _text_bars(result: SubmissionResult, width: int = 30) -> list[str]:
    lines = [
        f"  {label:<9} {'#' * max(1, round(fraction * width)):<{width}} {value:.3f} us"
        for label, value, fraction, _colour in _bars(result)
    ]
    if result.speed is not None and lines:
        lines.append(f"  {_speed_words(result.speed)}")
    return lines
