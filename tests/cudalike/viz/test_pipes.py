"""Display of CANN launches (cudalike/viz/_pipes.py): Gantt, utilisation bars, dispatch."""

import numpy as np
import pytest

from cudalike import profiler, viz
from cudalike.cann.examples.add import add
from cudalike.model.pipe_model import PipeEvent, PipeLaunchRecord
from cudalike.viz import _pipes

pytest.importorskip("matplotlib")


def hand_record() -> PipeLaunchRecord:
    """Two cores, a copy overlapping an Add, a `<` in a source line to test escaping."""
    events = [
        PipeEvent(core, pipe, name, start, end, "k.py", line)
        for core in (0, 1)
        for pipe, name, start, end, line in (
            ("MTE2", "DataCopy", 1, 95, 3),
            ("V", "Add", 95, 183, 4),
            ("MTE2", "DataCopy", 95, 189, 3),
            ("MTE3", "DataCopy", 183, 277, 5),
        )
    ]
    metrics = {"aiv_vec_ratio": 0.32, "aiv_mte2_ratio": 0.68, "aiv_mte3_ratio": 0.34,
               "aiv_scalar_ratio": 0.01, "aic_cube_ratio": 0.0, "aic_mte1_ratio": 0.0,
               "aic_fixpipe_ratio": 0.0, "gm_bandwidth_ratio": 0.1}  # fmt: skip
    lines = [
        {"filename": "k.py", "line": 3, "source": "DataCopy(x, g, n)", "cycles": 376.0,
         "share": 0.6},
        {"filename": "k.py", "line": 4, "source": "if n < 2: Add(z, x, y, n)", "cycles": 176.0,
         "share": 0.28},
    ]  # fmt: skip
    return PipeLaunchRecord("tiny_add", 2, "Ascend 910B-like NPU", 0.15, 277.0, "latency",
                            metrics, lines, events, [277.0, 277.0])  # fmt: skip


def test_gantt_has_a_row_per_pipe_and_core():
    figure = _pipes.gantt_figure(hand_record())
    labels = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert labels[0] == "core 0 S" and labels[-1] == "core 1 FIX" and len(labels) == 14
    assert len(_pipes.gantt_figure(hand_record(), cores=[1]).axes[0].get_yticks()) == 7


def test_gantt_png_of_a_real_launch(tmp_path):
    x = np.ones(2**14, np.float16)
    with profiler.profile() as prof:
        add(x, x, num_blocks=2, tile_length=1024)
    png = viz.gantt_png(prof.launches[0])
    assert png.startswith(b"\x89PNG")
    (tmp_path / "gantt.png").write_bytes(png)


def test_html_has_vendor_ratios_bound_and_escaped_lines():
    page = viz.to_html(hand_record())
    assert "aiv_vec_ratio" in page and "aic_cube_ratio" in page and "32.0%" in page
    assert "latency bound" in page and "data:image/png;base64," in page
    assert "if n &lt; 2" in page and "k.py:3" in page


def test_overview_mixes_simt_and_cann_launches(transpose):
    page = viz.to_html([transpose, hand_record()])
    assert "2 block(s)" in page and "tiny_add" in page and "transpose" in page


def test_widget_has_a_core_picker():
    ipywidgets = pytest.importorskip("ipywidgets")
    box = viz.view([hand_record()])
    pane = box.children[-1].children[0]
    sliders = [child for child in pane.children if isinstance(child, ipywidgets.IntSlider)]
    assert sliders and sliders[0].max == 1
    sliders[0].value = 1  # redraws the Gantt from core 1
