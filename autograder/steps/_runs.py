"""What the sandboxed child may answer: exactly the form the grader asked for, or nothing.

Arbitrary code in the child could send any well-formed message, so the grader accepts the
answer of `_jobs.run_cases` only when it is, per case, {"status": "error", "kind": str,
"message": str} or {"status": "ok", "outputs": ...} (plus "profile" at the speed case and
there only), with outputs of exactly the expected names, dtypes and shapes, and a profile of
the keys `_jobs.summarise` writes, every number finite and non-negative, and limiting
resources only of the model's names. Anything else is
described in words (`problem`) and the submission's runs are scored as malformed; nothing
here can raise on what the child sent.
"""

from __future__ import annotations

import math

import numpy as np

from autograder._jobs import PROFILE_KEYS
from autograder.steps._state import Grading
from cudalike.model.pipe_model import BOUNDS as PIPE_BOUNDS
from cudalike.model.pipe_model import RATIO_NAMES
from cudalike.model.records import BOUNDS as SIMT_BOUNDS

_NUMBERS = ("time_us", "roof_us", "atomics", "shared", "loads_per_thread", "ub_bytes")
_LINE_KEYS = {"filename", "line", "source", "share"}
_MOST_LINES = 100


def problem(runs: object, grading: Grading) -> str | None:
    """What is wrong with the child's answer `runs`, or None when it has the asked-for form."""
    if type(runs) is not list or len(runs) != len(grading.cases):
        return f"expected a list of {len(grading.cases)} case results"
    for index, (run, case) in enumerate(zip(runs, grading.cases, strict=True)):
        found = _run_problem(run, case.expected, index == grading.speed_case)
        if found:
            return f"case {index + 1}: {found}"
    return None


def _run_problem(run: object, expected: dict, speed_case: bool) -> str | None:
    if type(run) is not dict:
        return "not a dict"
    if run.get("status") == "error":
        plain = all(type(run.get(key)) is str for key in ("kind", "message"))
        return None if plain and set(run) == {"status", "kind", "message"} else "a bad error"
    if run.get("status") != "ok":
        return "an unknown status"
    keys = {"status", "outputs"} | ({"profile"} if speed_case else set())
    if set(run) != keys:
        return f"the fields {sorted(run)}, not {sorted(keys)}"
    outputs = run["outputs"]
    if type(outputs) is not dict or set(outputs) != set(expected):
        return f"outputs other than {sorted(expected)}"
    for name, value in outputs.items():
        want = np.asarray(expected[name])
        if type(value) is not np.ndarray or value.dtype != want.dtype or value.shape != want.shape:
            return f"output {name!r} is not a {want.dtype} array of shape {want.shape}"
    return _profile_problem(run["profile"]) if speed_case else None


def _profile_problem(profile: object) -> str | None:
    if type(profile) is not dict or set(profile) != PROFILE_KEYS:
        return "a profile of unknown form"
    if not all(_amount(profile[key]) for key in _NUMBERS):
        return "a profile number that is not finite and non-negative"
    sizes, lines = profile["block_sizes"], profile["lines"]
    if type(sizes) is not list or not all(type(n) is int and n >= 0 for n in sizes):
        return "block sizes that are not counts"
    if type(lines) is not list or len(lines) > _MOST_LINES or not all(map(_line, lines)):
        return "profile lines of unknown form"
    bounds = profile["bounds"]
    if type(bounds) is not dict or not set(bounds) <= set(SIMT_BOUNDS + PIPE_BOUNDS):
        return "limiting resources of unknown names"
    if not all(_amount(time) for time in bounds.values()):
        return "a limiting resource's time that is not finite and non-negative"
    pipes = profile["pipes"]
    if type(pipes) is not dict or not set(pipes) <= set(RATIO_NAMES):
        return "pipes of unknown names"
    if not all(_amount(share) for share in pipes.values()):
        return "a pipe's busy share that is not finite and non-negative"
    return None


def _amount(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and value >= 0


def _line(line: object) -> bool:
    return (
        type(line) is dict
        and set(line) == _LINE_KEYS
        and type(line["filename"]) is str
        and type(line["source"]) is str
        and type(line["line"]) is int
        and _amount(line["share"])
    )
