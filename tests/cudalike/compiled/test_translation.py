"""The translator meets every SIMT kernel the exercises ship (references and solutions): each
one either translates or is refused with NotCompilable, never with a crash of the translator,
which would silently keep a kernel the tier supports on the vector engine."""

from pathlib import Path

import pytest

from autograder.catalog import list_exercises
from autograder.sandbox import Limits
from autograder.spec import load_exercise
from autograder.steps import cases, reference
from autograder.steps._state import Grading
from cudalike import config
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow

SIMT_EXERCISES = [e for e in list_exercises() if load_exercise(e).track == "simt"]


class _Translated(Exception):
    """Raised instead of compiling: the kernel got through translation and code generation."""


@pytest.mark.parametrize("exercise", SIMT_EXERCISES)
@pytest.mark.parametrize("module", ["reference", "solution"])
def test_every_shipped_kernel_translates_or_is_refused_cleanly(exercise, module, monkeypatch):
    spec = load_exercise(exercise)
    if module == "solution":
        monkeypatch.setattr(reference, "load_reference", lambda spec: _solution(spec))
    monkeypatch.setattr(launcher, "_load", _refuse_to_compile)
    monkeypatch.setattr(launcher, "_drivers", type(launcher._drivers)())
    monkeypatch.setattr(launcher, "reasons", {})
    grading = Grading(spec=spec, path=Path("unused.py"), seed=1, limits=Limits())
    cases.step(grading)
    with config.override(tier="compiled"):
        reference.step(grading)
    crashes = {
        name: reason
        for name, reason in launcher.reasons.items()
        if not reason.startswith(("NotCompilable", "_Translated"))
    }
    assert not crashes


def _refuse_to_compile(source: str, name: str):
    raise _Translated(name)


def _solution(spec):
    return reference._load(str(spec.path / "solution.py"), f"solution_{spec.id}")
