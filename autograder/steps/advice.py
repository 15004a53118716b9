"""What to change: the exercise's own advice for each symptom a failed test shows.

An exercise's `[feedback]` table maps symptoms (`SYMPTOMS`) to advice in the exercise's words, e.g.
`race_shared = "Add cuda.syncthreads() between filling the tile and reading it."`. The steps
that fail a test name its symptom; the advice is added under the first failed test with that
symptom, so a report says each thing once. Symptoms come from the grader's own comparison and
from the error class the child reported; the child's message text is only read to tell a race
on shared memory from one on global memory, and a wrong guess there picks the other advice.
"""

from __future__ import annotations

from autograder._spec_reader import SYMPTOMS
from autograder.steps._state import Grading
from cudalike import config
from cudalike.i18n import _

__all__ = ["SYMPTOMS", "advise", "error_symptom"]

# Error class (as the child names it) -> symptom.
_ERROR_SYMPTOMS = {
    "OutOfBoundsError": "out_of_bounds",
    "GlobalOutOfBoundsError": "out_of_bounds",
    "BarrierDivergenceError": "barrier",
    "UninitializedReadError": "uninitialized",
    "RunawayKernelError": "runaway",
    "TimeoutError": "runaway",  # the child ran out of time: an endless or far too long loop
    "SyncError": "sync",
    "BufferStateError": "sync",
    "CapacityError": "capacity",
    "AlignmentError": "alignment",
}


def error_symptom(kind: str, message: str) -> str:
    """The symptom of a kernel error the child reported as `kind: message`."""
    if kind in ("RaceError", "GlobalRaceError"):
        return "race_shared" if "shared array" in message else "race_global"
    return _ERROR_SYMPTOMS.get(kind, "error")


def advise(grading: Grading, symptom: str) -> str:
    """'\\nwhat to change: ...' the first time `symptom` shows in this grading, else ''."""
    feedback = grading.spec.in_language(config.get().language).feedback
    for key in _keys(symptom):
        if key in feedback:
            if key in grading.advised:
                return ""
            grading.advised.add(key)
            return "\n" + _("what to change: {advice}").format(advice=feedback[key])
    return ""


def _keys(symptom: str) -> tuple[str, ...]:
    """The advice keys tried for `symptom`, in order: a race falls back to `race`, and any
    kernel error to `error`."""
    if symptom in ("race_shared", "race_global"):
        return (symptom, "race", "error")
    if symptom in _ERROR_SYMPTOMS.values():
        return (symptom, "error")
    return (symptom,)
