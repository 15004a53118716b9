"""show() and view(): the widget, its controls, and the static fallbacks."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from cudalike import viz
from cudalike.viz._notebook import WIDGET_VIEW

ipywidgets = pytest.importorskip("ipywidgets", reason="the notebook view needs ipywidgets")


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """A bare IPython shell, so `display()` publishes outputs that can be captured."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    yield InteractiveShell.instance(config=config)
    InteractiveShell.clear_instance()


def _captured(shell, *args, **kwargs) -> list[dict]:
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        viz.show(*args, **kwargs)
    return [output.data for output in captured.outputs]


def test_view_has_one_tab_per_launch(profile):
    box = viz.view(profile)
    overview, tab = box.children
    assert isinstance(tab, ipywidgets.Tab) and len(tab.children) == 2
    assert tab.titles == ("0 transpose_naive", "1 reduce_interleaved")
    assert "Launches" in overview.value


def test_controls_redraw_the_source(reduction):
    panels, controls, source = viz.view(reduction).children[0].children[0].children
    color_by, worst = controls.children
    assert "data:image/png;base64," in panels.value
    assert source.value.count('data-worst-rank="') - source.value.count('data-worst-rank="0"') == 3
    worst.value = 1
    assert 'data-worst-rank="2"' not in source.value
    color_by.value = "divergent_branches"
    assert "strip at left: divergent %" in source.value


def test_show_displays_the_widget_with_html_inside_the_same_output(shell, profile):
    outputs = _captured(shell, profile)
    assert len(outputs) == 1
    bundle = outputs[0]
    assert re.fullmatch("[0-9a-f]{32}", bundle[WIDGET_VIEW]["model_id"])
    assert "transpose_naive" in bundle["text/html"]
    assert "data:image/png;base64," in bundle["text/html"]


def test_static_show_displays_html_and_png_outputs(shell, profile):
    outputs = _captured(shell, profile, static=True)
    assert not any(WIDGET_VIEW in data for data in outputs)
    assert sum("image/png" in data for data in outputs) == 2
    html = "".join(data.get("text/html", "") for data in outputs)
    assert "Launches" in html and "if x &lt; a.shape[1]" in html


def test_show_without_ipywidgets_falls_back_to_static(shell, monkeypatch, transpose):
    import sys

    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import now raises ImportError
    outputs = _captured(shell, transpose)
    assert [sorted(data) for data in outputs] == [
        ["text/html", "text/plain"],
        ["image/png", "text/plain"],
        ["text/html", "text/plain"],
    ]


def test_outside_a_notebook_show_writes_a_file_and_prints_one_line(
    profile, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    viz.show(profile)  # no IPython shell: a plain script
    (line,) = capsys.readouterr().out.splitlines()
    path = tmp_path / "cudalike-profile-transpose_naive-reduce_interleaved.html"
    assert str(path) in line and "not in a notebook" in line
    assert path.read_text().startswith("<!DOCTYPE html>") and "transpose_naive" in path.read_text()


def test_a_script_profiling_a_real_kernel_gets_a_file_not_html(tmp_path):
    script = tmp_path / "profile_add.py"
    script.write_text(
        "import numpy as np\n"
        "from cudalike import cuda, profiler, viz\n\n\n"
        "@cuda.jit\n"
        "def add(a, out):\n"
        "    i = cuda.grid(1)\n"
        "    if i < out.size:\n"
        "        out[i] = a[i] + 1\n\n\n"
        "a = np.arange(1000.0)\n"
        "with profiler.profile() as prof:\n"
        "    add[8, 128](a, np.zeros_like(a))\n"
        "viz.show(prof)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.count("\n") == 1 and "<" not in done.stdout
    assert (tmp_path / "cudalike-profile-add.html").stat().st_size > 1000
