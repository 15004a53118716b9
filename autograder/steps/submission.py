"""Step 4, submission: run the extracted kernels on every case in one sandboxed child.

One child for all sizes keeps a submission's cost near one process start; each size still
fails on its own inside the child (`_jobs.run_cases`). Stages:
1. the plan: what the child needs and nothing more (kernel and argument names, output names,
   the device, each case's arguments and launch as computed here; the host function's module
   text only where the exercise launches through one). No sizes, seed, tolerances or path;
2. `run_job` in the sandbox;
3. the answer is accepted only in the form asked for (`_runs.problem`): one entry per case,
   exactly the expected outputs with the expected dtypes and shapes, a profile of finite,
   non-negative numbers at the speed case. Otherwise, or when the child as a whole gave no
   answer (a limit, a crash), every case carries that outcome's message and scores zero.
A sandbox that could not be set up is the grader's failure (status "error"), never a zero.
"""

from __future__ import annotations

from autograder import _jobs
from autograder.launch import kernel_arguments, launch_config
from autograder.sandbox import run_job
from autograder.steps import _runs
from autograder.steps._state import Case, GraderError, Grading

# Outcome of the whole child -> (the error kind every case reports, its message).
_FAILURES = {
    "timeout": ("TimeoutError", "{message} (is there an endless loop?)"),
    "memory": ("MemoryError", "{message}"),
    "crashed": ("", "the kernel's process ended without a result: {message}"),
    "malformed": ("", "the kernel's process sent back something that is not a result: {message}"),
    "error": ("", "{kind}: {message}"),
}


def step(grading: Grading) -> None:
    """Fill `outcome` and `runs` (one entry per case)."""
    spec = grading.spec
    host = None
    if spec.launch.host is not None:
        source = (spec.path / "reference.py").read_text(encoding="utf-8")
        host = {"source": source, "function": spec.launch.host}
    plan = {
        "kernels": kernel_arguments(spec),
        "outputs": list(spec.outputs),
        "device": spec.device,
        "speed_case": grading.speed_case,
        "host": host,
    }
    cases = [
        {"arguments": case.arguments, "launch": _launch(grading, case)} for case in grading.cases
    ]
    outcome = run_job(
        _jobs.run_cases, plan, cases, submission=grading.extracted, limits=grading.limits
    )
    grading.outcome = outcome
    if outcome.status == "sandbox":
        raise GraderError(outcome.message)
    if outcome.status == "ok":
        problem = _runs.problem(outcome.value, grading)
        if problem is None:
            grading.runs = outcome.value
            return
        (kind, template), message = _FAILURES["malformed"], problem
    else:
        kind, template = _FAILURES.get(outcome.status, _FAILURES["malformed"])
        message = outcome.message or "no result"
    text = template.format(kind=outcome.kind, message=message)
    grading.runs = [{"status": "error", "kind": kind, "message": text} for _ in cases]


def _launch(grading: Grading, case: Case) -> dict:
    """The launch the grader computed for `case`: the reference's tiling (CANN, set by the
    reference step), else grid and block from the spec (or the host function's turn)."""
    return case.launch or launch_config(grading.spec, None, case.size)
