"""Python outside the kernel language is refused at compile time (jit or first launch).

Each kernel in files/unsupported_kernels.py marks its offending line `# UNSUPPORTED: <name>`;
the error must carry that line and name the construct, in its attributes and its message.
"""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import UnsupportedConstructError

from . import kernels

FILE = "unsupported_kernels"

CONSTRUCTS = [
    # (kernel, marker, regex the message must match to name the construct)
    ("uses_class", "class", r"\bclass"),
    ("uses_try", "try", r"\btry\b"),
    ("uses_with", "with", r"\bwith\b"),
    ("uses_yield", "yield", r"\byield\b|generator"),
    ("uses_lambda", "lambda", r"\blambda\b"),
    ("uses_import", "import", r"\bimport\b"),
    ("uses_global", "global", r"\bglobal\b"),
    ("uses_dunder", "dunder", r"__len__|dunder"),
    ("uses_python_function", "python-call", r"\bhelper\b"),
]


def compile_and_launch(file: str, kernel: str) -> None:
    """jit and launch once: cudalike may refuse at either step."""
    compiled = kernels.jit(file, kernel)
    compiled[1, 4](np.zeros(4))


@pytest.mark.parametrize(
    "kernel, marker, names_construct", CONSTRUCTS, ids=[c[1] for c in CONSTRUCTS]
)
def test_unsupported_construct_names_line_and_construct(kernel, marker, names_construct):
    line = kernels.line_of(FILE, marker)
    with pytest.raises(UnsupportedConstructError) as caught:
        compile_and_launch(FILE, kernel)
    error = caught.value
    message = str(error)
    assert error.line == line, message
    assert error.kernel == kernel, message
    assert error.filename.endswith(f"{FILE}.py"), message
    assert re.search(rf"{FILE}\.py:{line}\b", message), message
    assert re.search(names_construct, message, re.IGNORECASE), message
    assert re.search(names_construct, error.construct, re.IGNORECASE), error.construct


def test_nonlocal_in_nested_function_is_refused():
    # The nested def or the nonlocal inside it may be named first; both are refused constructs.
    nonlocal_line = kernels.line_of(FILE, "nonlocal")
    with pytest.raises(UnsupportedConstructError) as caught:
        compile_and_launch(FILE, "uses_nonlocal")
    assert caught.value.line in (nonlocal_line - 1, nonlocal_line), str(caught.value)


def test_refused_at_jit_or_first_launch_not_later():
    compiled = None
    try:
        compiled = kernels.jit(FILE, "uses_try")
    except UnsupportedConstructError:
        return
    with pytest.raises(UnsupportedConstructError):
        compiled[1, 1](np.zeros(1))


def test_math_and_numba_builtins_are_not_refused():
    out = np.zeros(8)
    kernels.jit(FILE, "uses_math_ok")[1, 8](out)
    i = np.arange(8)
    np.testing.assert_allclose(out, np.sqrt(i) + i + np.minimum(i, 3))


def test_a_kernel_without_source_says_where_kernels_must_be_defined():
    namespace = {}
    exec("def typed_at_the_prompt(a):\n    a[0] = 1\n", namespace)  # no source file, like >>>
    with pytest.raises(UnsupportedConstructError) as caught:
        cuda.jit(namespace["typed_at_the_prompt"])
    message = str(caught.value)
    assert "kernel 'typed_at_the_prompt'" in message
    assert "a file, a notebook or IPython" in message and "plain python prompt" in message
    assert caught.value.construct == "source unavailable" and caught.value.__cause__ is None


def test_the_readme_example_at_the_plain_python_prompt_gets_the_clear_error():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    example = readme.split("## Example\n\n```python\n", 1)[1].split("```", 1)[0]
    done = subprocess.run(
        [sys.executable, "-i"], input=example, capture_output=True, text=True, timeout=120
    )
    assert "cannot read the source of kernel 'add'" in done.stderr
    assert "not at the plain python prompt" in done.stderr
    assert "OSError" not in done.stderr  # no chained internals above the message
