"""`import cudalike.viz` is light: the drawing libraries load only when something is drawn."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("matplotlib", "ipywidgets", "IPython")
HERE = Path(__file__).resolve().parent


def test_import_loads_no_drawing_library():
    code = (
        "import sys, cudalike.viz\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_drawing_never_touches_pyplot(tmp_path):
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "from conftest import transpose_record\n"
        "from cudalike import viz\n"
        "viz.to_html(transpose_record())\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_public_names():
    import cudalike.viz

    assert sorted(cudalike.viz.__all__) == [
        "accesses",
        "fractals",
        "gantt_png",
        "layout",
        "repeats",
        "roofline_png",
        "save_html",
        "show",
        "side_by_side",
        "tiling",
        "to_html",
        "ub_occupancy",
        "view",
    ]
