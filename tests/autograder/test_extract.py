"""Tests for autograder/extract.py (and its tables in autograder/_rules.py): nothing runs."""

import ast
import os
import re
from pathlib import Path

import pytest

from autograder import _rules
from autograder.extract import extract

FILES = Path(__file__).parent / "files"


def _errors(extracted):
    return [f for f in extracted.findings if f.level == "error"]


def _script(tmp_path, text, name="submission.py"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_notebook_gives_the_kernel_and_a_grader_written_import():
    extracted = extract(FILES / "vector_add.ipynb", ["vector_add"], "simt")
    assert extracted.ok and not extracted.findings
    assert [(p.name, p.kind) for p in extracted.pieces] == [
        ("cuda", "import"),
        ("vector_add", "kernel"),
    ]
    lines = extracted.source.splitlines()
    assert "import cudalike.cuda as cuda" in lines
    assert "np.zeros_like" not in extracted.source  # the launch cell is not taken
    def_line = lines.index("def vector_add(a, b, out):") + 1
    assert extracted.location(def_line) == (3, 2)  # cell 3 (markdown counted), line 2
    assert extracted.location(2) is None  # written by the grader


def test_script_numba_import_is_graded_with_cudalike(tmp_path):
    extracted = extract(FILES / "vector_add.py", ["vector_add"], "simt")
    assert extracted.ok
    kernel = extracted.pieces[-1]
    assert (kernel.cell, kernel.line, kernel.filename) == (None, 9, "vector_add.py")
    assert "import cudalike.cuda as cuda" in extracted.source
    assert "THREADS_PER_BLOCK" not in extracted.source  # not used by the kernel
    assert "__main__" not in extracted.source


def test_split_cells_bring_device_functions_and_constants_transitively():
    extracted = extract(FILES / "split_cells.ipynb", ["scale_add"], "simt")
    assert extracted.ok
    names = {p.name: p for p in extracted.pieces}
    assert set(names) == {"cuda", "TOTAL", "SCALE", "scaled", "scale_add"}
    assert names["scaled"].kind == "device" and names["scaled"].cell == 4
    assert names["TOTAL"].source == "TOTAL = 128"  # THREADS * BLOCKS, computed statically
    notes = {(f.cell, f.line): f.message for f in extracted.findings}
    assert "%matplotlib" in notes[(1, 1)] and "!nvidia-smi" in notes[(5, 1)]
    assert (1, 5) not in notes  # an ordinary import the kernels do not use: no note


def test_module_level_code_never_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extracted = extract(FILES / "imports_os.ipynb", ["vector_add"], "simt")
    assert extracted.ok
    assert not os.path.exists("PWNED")
    assert "os" not in {p.name for p in extracted.pieces}
    assert not extracted.findings  # the unused import of os is not worth a note


def test_kernel_that_uses_os_is_rejected_with_cell_and_line():
    extracted = extract(FILES / "imports_os.ipynb", ["leaky"], "simt")
    assert not extracted.ok
    (error,) = _errors(extracted)
    assert error.where == "cell 3, line 4"
    assert error.message == (
        "'leaky' uses 'os', which comes from 'import os', which the grader does not provide "
        "(cell 1, line 1)"
    )


def test_syntax_error_in_another_cell_is_a_note_naming_the_cell():
    extracted = extract(FILES / "syntax_error.ipynb", ["vector_add"], "simt")
    assert extracted.ok
    (note,) = extracted.findings
    assert note.level == "note" and note.cell == 2
    assert re.match(r"cell 2 was skipped: it is not valid Python", note.message)


def test_missing_kernel_says_what_to_do():
    extracted = extract(FILES / "missing_kernel.ipynb", ["vector_add", "vector_adx"], "simt")
    plain, absent = _errors(extracted)
    assert plain.where == "cell 2, line 1"
    assert (
        plain.message
        == "kernel 'vector_add' is a function without @cuda.jit: define it with @cuda.jit"
    )
    assert absent.message == (
        "kernel 'vector_adx' not found: define it with @cuda.jit in a code cell "
        "(found 'vector_ad': is it misspelt?)"
    )


def test_kernel_language_is_checked_by_the_runtime_check_subset(tmp_path):
    path = _script(
        tmp_path,
        "from cudalike import cuda\n\n@cuda.jit\ndef k(out):\n"
        "    try:\n        out[0] = 1\n    except Exception:\n        pass\n",
    )
    error = _errors(extract(path, ["k"], "simt"))[-1]
    assert error.line == 5
    assert re.match(r"try/except is not allowed in kernel 'k' \(submission.py:5\)", error.message)


def test_unknown_decorator_and_non_constant_globals_are_refused(tmp_path):
    path = _script(
        tmp_path,
        "import numpy as np\nfrom cudalike import cuda\ndata = np.arange(3)\n\n"
        "@cuda.jit\ndef k(out):\n    out[0] = data[0]\n\n"
        "@(lambda f: f)\ndef sneaky(out):\n    pass\n",
    )
    errors = _errors(extract(path, ["k", "sneaky"], "simt"))
    assert [e.line for e in errors] == [7, 10]
    assert re.match(r"'k' uses 'data', which is not a constant: .* \(line 3\)", errors[0].message)
    assert "'sneaky' is decorated with @lambda f: f (allowed: @cuda.jit" in errors[1].message


def test_last_definition_wins_as_when_cells_run_in_order(tmp_path):
    path = _script(
        tmp_path,
        "from cudalike import cuda\nN = 1\n\n@cuda.jit\ndef k(out):\n    out[0] = 1\n\n"
        "N = 2\n\n@cuda.jit\ndef k(out):\n    out[0] = N\n",
    )
    extracted = extract(path, ["k"], "simt")
    assert extracted.ok
    assert [p.line for p in extracted.pieces if p.name == "k"] == [10]
    assert "N = 2" in extracted.source


def test_not_a_notebook(tmp_path):
    path = _script(tmp_path, "this is not json", "broken.ipynb")
    error, missing = _errors(extract(path, ["k"], "simt"))
    assert error.message.startswith("broken.ipynb is not a Jupyter notebook: Expecting value")
    assert missing.message.startswith("kernel 'k' not found")


def test_cann_track_takes_classes_and_constants():
    extracted = extract(FILES / "cann_add.py", ["add_custom"], "cann")
    assert extracted.ok
    kinds = {p.name: p.kind for p in extracted.pieces}
    assert kinds["add_custom"] == "cann_kernel" and kinds["KernelAdd"] == "class"
    assert kinds["ALIGN"] == "constant" and kinds["DataCopyPad"] == "import"
    assert "AddTilingData" not in kinds  # annotations are never looked up
    assert not extracted.findings  # the import used only in annotations is never taken


def test_cann_allow_list(tmp_path):
    path = _script(
        tmp_path,
        "from cudalike import cann\n\n"
        "class Sneaky:\n"
        "    def __eq__(self, other):\n        return True\n\n"
        "    def Process(self, x):\n"
        "        import os\n"
        "        f = getattr(x, 'data')\n"
        "        return x.__class__\n\n"
        "@cann.kernel\ndef kern(x):\n    Sneaky().Process(x)\n",
    )
    errors = _errors(extract(path, ["kern"], "cann"))
    found = {(e.line, re.match(r"(.*?)( is not allowed|$)", e.message).group(1)) for e in errors}
    assert found == {
        (4, "the name '__eq__' (names starting with _)"),
        (8, "an import inside a function (not part of the CANN kernel language)"),
        (9, "'Sneaky' uses the built-in 'getattr', which kernels may not use"),
        (10, "the attribute .__class__ (names starting with _)"),
    }


@pytest.mark.parametrize(
    "expression, value",
    [("1 << 20", 1 << 20), ("(1, 2) + (3,)", (1, 2, 3)), ("N * 2 - 1", 7), ("-2.5", -2.5)],
)
def test_constants_are_computed_without_eval(expression, value):
    node = ast.parse(expression, mode="eval").body
    assert _rules.evaluate_constant(node, {"N": 4}) == value


@pytest.mark.parametrize("expression", ["10 ** 10 ** 10", "'a' * 10 ** 9", "f()", "np.pi", "M"])
def test_non_constants_and_bombs_are_refused(expression):
    with pytest.raises(_rules.NotConstant):
        _rules.evaluate_constant(ast.parse(expression, mode="eval").body, {})
