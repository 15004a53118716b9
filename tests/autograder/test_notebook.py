"""Tests for autograder/notebook.py: `check` on a notebook's history or a file, and its display."""

import json
import linecache
import sys
from types import SimpleNamespace
from unittest import mock

import pytest

from autograder import check, grade_submission
from autograder.notebook import CheckResult, Feedback, history_cells
from autograder.progress_store import ENV_VAR, load
from autograder.spec import load_exercise

SPEC = load_exercise("vector_add")
STARTER_CELLS = [
    "".join(cell["source"])
    for cell in json.loads((SPEC.path / "starter.ipynb").read_text())["cells"]
    if cell["cell_type"] == "code"
]
SOLUTION = (SPEC.path / "solution.py").read_text()
NO_GUARD = """from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    out[i] = a[i] + b[i]
"""


@pytest.fixture(autouse=True)
def data(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "data"))


def in_notebook(history, compiled=None):
    """Patch IPython so `check` sees a shell with this `In` list; yields the display mock."""
    shell = SimpleNamespace(user_ns={"In": history}, compile=SimpleNamespace(_filename_map={}))
    shell.compile._filename_map.update(dict.fromkeys(compiled or [], 1))
    return mock.patch("IPython.get_ipython", return_value=shell)


def test_check_grades_the_last_definition_in_the_history():
    history = ["", *STARTER_CELLS, SOLUTION, 'check("vector_add")']
    with in_notebook(history), mock.patch("IPython.display.display") as display:
        result = check("vector_add", seed=1)
    assert isinstance(result, CheckResult) and result.full_marks
    assert result.submission == "this notebook"
    (feedback,), _ = display.call_args
    assert isinstance(feedback, Feedback) and feedback.result is result
    assert repr(result) == "<vector_add: 10/10 (graded), 1.00x the reference's time>"
    assert load()["vector_add"]["best_score"] == 10.0


def test_a_failure_names_the_cell_as_the_learner_numbers_it():
    history = ["", STARTER_CELLS[0], NO_GUARD, "check('vector_add')"]
    with in_notebook(history), mock.patch("IPython.display.display") as display:
        result = check("vector_add", seed=1)
    failed = [test.output for test in result.tests if not test.passed]
    assert "OutOfBoundsError" in failed[0] and "cell 2" in failed[0]
    assert result.hints == list(SPEC.hints)
    text = display.call_args.args[0].text()
    assert "Cells are counted in the order they ran" in text and "hint:" in text


def test_history_falls_back_to_compiled_cells_when_in_is_empty(monkeypatch):
    monkeypatch.setitem(linecache.cache, "<cell-a>", (0, None, [SOLUTION], "<cell-a>"))
    with in_notebook([""], compiled=["<cell-a>"]):
        assert history_cells() == [SOLUTION]


def test_check_outside_a_notebook_needs_a_file(tmp_path, capsys):
    with mock.patch("IPython.get_ipython", return_value=None):
        with pytest.raises(RuntimeError, match="pass the file"):
            check("vector_add")
        path = tmp_path / "mine.py"
        path.write_text(NO_GUARD)
        result = check("vector_add", path, seed=1)
    assert result.submission == str(path) and result.score < result.max_score
    out = capsys.readouterr().out
    assert "FAIL correctness n=1000" in out and "OutOfBoundsError" in out
    assert load()["vector_add"]["attempts"] == 1


def test_a_demonstration_checked_with_record_false_is_shown_but_not_recorded(capsys):
    with mock.patch("IPython.get_ipython", return_value=None):
        result = check("vector_add", SPEC.path / "solution.py", seed=1, record=False)
    assert result.exercise == "vector_add" and "vector_add" in capsys.readouterr().out
    assert load() == {}


@pytest.fixture(scope="module")
def graded():
    return grade_submission("vector_add", SPEC.path / "solution.py", seed=1)


def test_widget_shows_tests_time_bars_and_a_text_fallback(graded):
    import ipywidgets

    widget = Feedback(graded).widget()
    assert isinstance(widget, ipywidgets.VBox)
    bars = [c for c in widget.children if isinstance(c, ipywidgets.FloatProgress)]
    assert [bar.description.split(":")[0] for bar in bars] == ["reference", "yours"]
    assert "correctness n=100003" in widget.children[1].value
    bundle = Feedback(graded)._repr_mimebundle_()
    assert set(bundle) == {
        "text/plain",
        "text/html",
        "application/vnd.jupyter.widget-view+json",
    }
    assert "score: 10/10 (graded)" in bundle["text/plain"]
    assert "1.00x the reference's modelled time" in bundle["text/html"]


def test_without_ipywidgets_the_feedback_is_text_and_html(graded, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import raises ImportError
    bundle = Feedback(graded)._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert "  reference ##############################" in bundle["text/plain"]
    assert str(Feedback(graded)) == bundle["text/plain"]
