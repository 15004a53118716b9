"""Step 4, submission: run the extracted kernels on every case in one sandboxed child.

One child for all sizes keeps a submission's cost near one process start (about 0.2 s); each
size still fails on its own inside the child (`_jobs.run_cases`). When the child as a whole
gives no answer (wall-clock or CPU limit, memory, a crash, a malformed result), every case
carries that outcome's message and scores zero.
"""

from __future__ import annotations

from autograder import _jobs
from autograder.sandbox import run_job
from autograder.steps._state import Grading

_FAILURES = {
    "timeout": "TimeoutError: {message} (is there an endless loop?)",
    "memory": "MemoryError: {message}",
    "crashed": "the kernel's process ended without a result: {message}",
    "malformed": "the kernel's process sent back something that is not a result: {message}",
    "error": "{kind}: {message}",
}


def step(grading: Grading) -> None:
    """Fill `outcome` and `runs` (one entry per case)."""
    cases = [
        {"size": case.size, "arguments": case.arguments, "launch": case.launch}
        for case in grading.cases
    ]
    outcome = run_job(
        _jobs.run_cases,
        str(grading.spec.path),
        cases,
        grading.speed_case,
        submission=grading.extracted,
        limits=grading.limits,
    )
    grading.outcome = outcome
    runs = outcome.value if outcome.status == "ok" else None
    if isinstance(runs, list) and len(runs) == len(cases) and all(_valid(r) for r in runs):
        grading.runs = runs
        return
    template = _FAILURES.get(outcome.status, _FAILURES["malformed"])
    message = template.format(kind=outcome.kind, message=outcome.message or "no result")
    grading.runs = [{"status": "error", "kind": "", "message": message} for _ in cases]


def _valid(run: object) -> bool:
    if not isinstance(run, dict) or run.get("status") not in ("ok", "error"):
        return False
    if run["status"] == "ok":
        return isinstance(run.get("outputs"), dict)
    return isinstance(run.get("kind"), str) and isinstance(run.get("message"), str)
