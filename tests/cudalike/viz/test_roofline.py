"""The roofline chart: the kernel's point, roofs, and a PNG that is the same on every run."""

from __future__ import annotations

import dataclasses
import math

import pytest

from cudalike.viz._roofline import kernel_point, roofline_figure, roofline_png


def test_kernel_point_is_flops_over_modelled_time(reduction):
    point = kernel_point(reduction)
    assert point["flops_per_s"] == pytest.approx(4194304 / 48.2e-6)
    assert point["dram_intensity"] == pytest.approx(4194304 / (16777216 + 16384))
    assert point["l2_intensity"] == pytest.approx(4194304 / 16793600)


def test_chart_draws_both_roofs_and_the_point(reduction):
    axes = roofline_figure(reduction).axes[0]
    labels = [line.get_label() for line in axes.get_lines()]
    assert "DRAM roof (3.35 TB/s)" in labels and "L2 roof (10 TB/s)" in labels
    assert any(label.startswith("reduce_interleaved: 87") for label in labels)
    assert axes.get_xscale() == "log" and axes.get_yscale() == "log"


def test_kernel_without_flops_gets_a_note_not_a_point(transpose):
    axes = roofline_figure(transpose).axes[0]
    assert not any("transpose_naive:" in line.get_label() for line in axes.get_lines())
    assert any("no roofline point" in text.get_text() for text in axes.texts)


def test_kernel_without_dram_traffic_sits_at_the_right_edge(reduction):
    metrics = {**reduction.metrics, "dram__bytes_read.sum": 0.0, "dram__bytes_write.sum": 0.0}
    launch = dataclasses.replace(reduction, metrics=metrics)
    assert math.isinf(kernel_point(launch)["dram_intensity"])
    axes = roofline_figure(launch).axes[0]
    assert any("(no DRAM traffic)" in line.get_label() for line in axes.get_lines())


def test_png_is_deterministic(reduction):
    first = roofline_png(reduction)
    assert first.startswith(b"\x89PNG") and first == roofline_png(reduction)
