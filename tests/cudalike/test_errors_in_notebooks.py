"""Kernel errors in Jupyter start at the learner's code and name cells as IPython does.

files/kernel_errors.ipynb launches a SIMT kernel without a bounds guard and a CANN-style
kernel whose DataCopy reads past its GlobalTensor; it runs in a fresh kernel (nbclient) and
the error outputs are read back as the learner would see them.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from cudalike import _ipython, cuda
from cudalike.errors import OutOfBoundsError

NOTEBOOK = Path(__file__).parent / "files" / "kernel_errors.ipynb"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def errors() -> dict[str, str]:
    """{exception name: the error output's traceback as plain text}."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=120, allow_errors=True).execute()
    return {
        output.ename: ANSI.sub("", "\n".join(output.traceback))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    }


def frames(text: str) -> list[str]:
    """The frame headers of an IPython traceback: "Cell In[3], line 3" or "File /x.py:9, ..."."""
    return [line for line in text.splitlines() if re.match(r"Cell In\[\d+\], line|File ", line)]


@pytest.mark.slow
def test_a_simt_error_starts_at_the_learners_cell(errors):
    text = errors["OutOfBoundsError"]
    assert frames(text) == ["Cell In[3], line 3"]
    assert "kernel 'add_unguarded' at Cell In[2]:4" in text
    assert "/cudalike/" not in text  # no frame of the launcher or the engine


@pytest.mark.slow
def test_a_cann_error_starts_at_the_learners_cell_and_names_it(errors):
    text = errors["GlobalOutOfBoundsError"]
    # The launching cell, then the kernel's own line: no launcher, copy or check frames.
    assert frames(text) == ["Cell In[5], line 2", "Cell In[4], line 10, in copy_too_much(x, z)"]
    assert "kernel 'copy_too_much' at Cell In[4]:10" in text
    assert "ipykernel_" not in text and "/cudalike/" not in text


def test_outside_ipython_the_traceback_keeps_every_frame():
    @cuda.jit
    def unguarded(out):
        out[cuda.grid(1)] = 1

    with pytest.raises(OutOfBoundsError) as caught:
        unguarded[1, 64](np.zeros(10))
    printed = "".join(traceback.format_exception(caught.value))
    assert "cudalike/simt/dispatcher.py" in printed  # plain Python is left alone
    assert _ipython.without_internal_frames(caught.value.__traceback__) is not None
    assert _ipython.display_filename(__file__) == __file__
