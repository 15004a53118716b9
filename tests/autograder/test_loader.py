"""Tests for autograder/_loader.py: the child defines only inert pieces, whatever it is sent.

The loader is the second check of the extraction boundary: these pieces are built by hand, as
if extraction had let something through, and each must be refused before anything runs.
"""

import inspect

import numpy as np
import pytest

from autograder._loader import NotInert, load
from autograder.extract import Extracted, Piece, extract


def _module(*pieces):
    return load(Extracted("sub.py", tuple(pieces), ()))


def _definition(kind, source, name="k", options=()):
    return Piece(name, kind, None, 5, source, "sub.py", options=options)


@pytest.mark.parametrize(
    "source",
    [
        "def k(out, x=print('pwn')):\n    pass",
        "def k(out, *, x=print('pwn')):\n    pass",
        "class k:\n    X = print('pwn')",
        "class k(object):\n    pass",
        "class k(metaclass=type):\n    pass",
        "class k:\n    @print\n    def m(self):\n        pass",
        "class k:\n    def m(self, x=print('pwn')):\n        pass",
        "k = print('pwn')",
        "def k(out):\n    pass\nprint('pwn')",
    ],
)
def test_definitions_that_would_run_code_are_refused(source, capsys):
    with pytest.raises(NotInert):
        _module(_definition("function", source))
    assert "pwn" not in capsys.readouterr().out


def test_decorators_and_annotations_never_run(capsys):
    source = "@print\ndef k(out: print('a')) -> print('b'):\n    x: print('c') = 1"
    module = _module(_definition("function", source))
    assert capsys.readouterr().out == ""
    assert inspect.getsourcelines(module.k)[1] == 6  # the def line, in the submission's file


@pytest.mark.parametrize(
    "piece",
    [
        Piece("os", "import", None, 1, "", "sub.py", "os", None),
        Piece("save", "import", None, 1, "", "sub.py", "numpy", "save"),
        Piece("sys", "import", None, 1, "", "sub.py", "numpy.f2py", "sys"),
        Piece("C", "constant", None, 1, "", "sub.py", value=np.zeros(3)),
        Piece("C", "constant", None, 1, "", "sub.py", value=[1, 2]),
    ],
)
def test_imports_and_constants_are_checked_again(piece):
    with pytest.raises(NotInert):
        _module(piece)


@pytest.mark.parametrize(
    "signature",
    ["__import__('os')", "'void(float32[:], __import__(\"os\"))'", "float32.__class__"],
)
def test_signatures_name_numba_types_only(signature):
    piece = _definition(
        "kernel", "def k(out):\n    out[0] = 1", options=(("signature", signature),)
    )
    with pytest.raises(NotInert):
        _module(piece)


def test_an_extracted_kernel_loads_and_runs(tmp_path):
    path = tmp_path / "sub.py"
    path.write_text(
        "from numba import cuda, void, float64\nN = 2\n\n"
        "@cuda.jit(device=True)\ndef twice(x):\n    return x * N\n\n"
        "@cuda.jit(void(float64[:]))\ndef k(out):\n    i = cuda.grid(1)\n"
        "    if i < out.size:\n        out[i] = twice(i)\n"
    )
    module = load(extract(path, ["k"], "simt"))
    out = np.zeros(5)
    module.k[1, 8](out)
    np.testing.assert_array_equal(out, 2.0 * np.arange(5))
