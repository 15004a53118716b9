"""The outputs of grading, written from `SubmissionResult`s alone (so `report` can rebuild them).

- `write_json`: one JSON file per submission, written atomically (a temporary
  file in the same folder, then a rename), so an interrupted run never leaves half a file;
- `write_csv`: the class sheet, one row per submission and a column per test;
- `gradescope`: Gradescope's `results.json` (https://gradescope-autograders.readthedocs.io,
  "Autograder Specifications": score, output, tests with name, score, max_score, status,
  output and visibility); the seed stays out of it;
- `html`: a feedback page per submission (tests, speed against the reference as a bar, the
  worst lines, hints), every piece of text escaped;
- `text`: the same for a terminal (`cudalike-grade check`), and `summary` for a class.
"""

from __future__ import annotations

import csv
import html as _html
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from autograder.result import SubmissionResult
from cudalike.i18n import N_, _

__all__ = [
    "gradescope",
    "html",
    "summary",
    "text",
    "write_atomic",
    "write_csv",
    "write_json",
]


def write_atomic(path: str | os.PathLike, content: str) -> None:
    """Write `content` to `path` through a temporary file and a rename (never half a file).

    Text that is not valid Unicode (a lone surrogate from a submission's message) is written
    escaped (backslashreplace), never refused: every report survives what a submission says.

    The file gets the permissions of any new file (0666 less the umask: 0644 under the usual
    umask 022), so grades and feedback written for a class are readable by the group that
    shares them; `tempfile` alone would leave them 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # POSIX; Windows has no modes to set
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows (/proc)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
        line = next(line for line in status.splitlines() if line.startswith("Umask:"))
        return int(line.split()[1], 8)
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)  # elsewhere the only way to read it is to set it
        os.umask(mask)
        return mask


def write_json(result: SubmissionResult, path: str | os.PathLike) -> None:
    """The per-submission JSON (everything, the seed included: it is the instructor's)."""
    write_atomic(path, json.dumps(result.to_dict(), indent=1) + "\n")


def write_csv(results: Iterable[SubmissionResult], path: str | os.PathLike) -> None:
    """The class sheet: submission, status, score, max_score, speed (the modelled time over the
    reference's), then the points of each test in a column "points: TEST NAME"."""
    results = list(results)
    names: list[str] = []
    for result in results:
        names += [test.name for test in result.tests if test.name not in names]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = [f"points: {name}" for name in names]
    writer.writerow(["submission", "status", "score", "max_score", "speed", *columns])
    for result in results:
        scores = {test.name: _number(test.score) for test in result.tests}
        speed = "" if result.speed is None else f"{result.speed:.4f}"
        row = [result.submission, result.status, _number(result.score), _number(result.max_score)]
        writer.writerow([*row, speed, *(scores.get(name, "") for name in names)])
    write_atomic(path, buffer.getvalue())


def _number(value: float) -> str:
    """A number for the CSV sheet: four decimals, trailing zeros dropped."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def points(value: float, maximum: float | None = None) -> str:
    """Points for people: one decimal, trailing zero dropped (2.6667 -> "2.7", 10.0 -> "10").

    Rounding never shows a score that falls short of `maximum` as full marks (9.96 of 10 is
    "9.9", not "10"), nor a few points as none (0.04 is "0.04"). The JSON, CSV and Gradescope
    outputs keep the exact values.
    """
    shown = round(value, 1)
    if maximum is not None and value < maximum <= shown:
        shown = math.floor(value * 10) / 10
    if value > 0 and shown == 0:
        return f"{value:.2g}"
    return f"{shown:.1f}".removesuffix(".0")


def gradescope(result: SubmissionResult) -> dict:
    """Gradescope's results.json for one submission."""
    output = {
        "graded": "",
        "rejected": "The submission was rejected before running:\n" + "\n".join(result.findings),
        "error": "The grader failed (not your fault); your instructor has been told.",
    }[result.status]
    if result.hints:
        output += "\nHints:\n" + "\n".join(f"- {hint}" for hint in result.hints)
    return {
        "score": result.score,
        "output": output.strip(),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": test.name,
                "score": test.score,
                "max_score": test.max_score,
                "status": "passed" if test.passed else "failed",
                "output": test.output,
                "visibility": test.visibility,
            }
            for test in result.tests
        ],
    }


# A result's status in the report's language (the JSON and CSV keep the English word).
_STATUS_WORDS = {"graded": N_("graded"), "rejected": N_("rejected"), "error": N_("error")}


def text(result: SubmissionResult) -> str:
    """A readable report for a terminal."""
    lines = [f"{result.exercise}: {result.submission}"]
    if result.status == "error":
        failed = _("GRADER ERROR (not the submission's fault): {message}")
        return "\n".join([*lines, failed.format(message=result.message)])
    lines += [f"  {finding}" for finding in result.findings]
    for test in result.tests:
        mark = _("PASS") if test.passed else _("FAIL")
        earned = f"{points(test.score, test.max_score)}/{points(test.max_score)}"
        body = test.output.replace("\n", "\n        ")
        lines.append(f"  {mark} {test.name} [{earned}]\n        {body}")
    for line in result.worst_lines:
        share = _("time {share:6.1%}").format(share=line["share"])
        lines.append(f"  {share}  {line['where']}: {line['source']}")
    lines += ["  " + _("hint: {hint}").format(hint=hint) for hint in result.hints]
    score = f"{points(result.score, result.max_score)}/{points(result.max_score)}"
    status = _(_STATUS_WORDS[result.status])
    lines.append(_("score: {score} ({status})").format(score=score, status=status))
    return "\n".join(lines)


def summary(results: Iterable[SubmissionResult]) -> str:
    """Counts by status, full marks and the mean score of a class."""
    results = list(results)
    if not results:
        return "no results"
    counts = {
        status: sum(r.status == status for r in results)
        for status in ("graded", "rejected", "error")
    }
    full = sum(result.full_marks for result in results)
    mean = sum(result.score for result in results) / len(results)
    parts = ", ".join(f"{count} {status}" for status, count in counts.items())
    return f"{len(results)} submissions: {parts}; {full} with full marks; mean score {mean:.2f}"


_STYLE = """body{font-family:sans-serif;max-width:52em;margin:2em auto;color:#222}
.pass{color:#176b2c}.fail{color:#a01d1d}pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap}
.bar{height:1.1em;margin:.2em 0}.bar div{height:100%}td,th{padding:.2em .6em;text-align:left}"""


def html(result: SubmissionResult) -> str:
    """The feedback page of one submission; every piece of text is escaped."""
    e = _html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(result.exercise)}: feedback</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(result.exercise)}</h1><p>{e(result.submission)}</p>",
        f"<p><strong>Score: {points(result.score, result.max_score)} / "
        f"{points(result.max_score)}</strong>"
        f" ({e(result.status)})</p>",
    ]
    if result.status == "error":
        parts.append("<p>The grader failed (not your fault); your instructor has been told.</p>")
    if result.findings:
        items = "".join(f"<li>{e(finding)}</li>" for finding in result.findings)
        parts.append(f"<h2>What the grader found in your file</h2><ul>{items}</ul>")
    if result.tests:
        parts.append("<h2>Tests</h2><table><tr><th></th><th>test</th><th>points</th></tr>")
        for test in result.tests:
            mark, css = ("passed", "pass") if test.passed else ("failed", "fail")
            earned = f"{points(test.score, test.max_score)} / {points(test.max_score)}"
            parts.append(
                f'<tr><td class="{css}">{mark}</td><td>{e(test.name)}'
                f"<pre>{e(test.output)}</pre></td><td>{earned}</td></tr>"
            )
        parts.append("</table>")
    parts += _speed_bars(result)
    if result.worst_lines:
        rows = "".join(
            f"<tr><td>{line['share']:.0%}</td><td>{e(line['where'])}</td>"
            f"<td><code>{e(line['source'])}</code></td></tr>"
            for line in result.worst_lines
        )
        parts.append(f"<h2>Where the modelled time goes</h2><table>{rows}</table>")
    if result.hints:
        items = "".join(f"<li>{e(hint)}</li>" for hint in result.hints)
        parts.append(f"<h2>Hints</h2><ol>{items}</ol>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _speed_bars(result: SubmissionResult) -> list[str]:
    if result.time_us is None or not result.reference_time_us:
        return []
    longest = max(result.time_us, result.reference_time_us)
    bars = ["<h2>Modelled time</h2>"]
    for label, value, colour in (
        ("reference", result.reference_time_us, "#888"),
        ("yours", result.time_us, "#2a6fb0"),
    ):
        width = 100 * value / longest
        bars.append(
            f"<p>{label}: {value:.3f} us</p>"
            f'<div class="bar"><div style="width:{width:.1f}%;background:{colour}"></div></div>'
        )
    bars.append(f"<p>{result.speed:.2f}x the reference's time</p>")
    return bars
