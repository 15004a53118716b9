"""The annotated source: columns, ranking of worst lines, heat coloring, files."""

from __future__ import annotations

import dataclasses
import re

import pytest

from cudalike.viz._source import COLUMNS, source_html, worst_lines


def _cells(html: str, line: int) -> list[str]:
    row = re.search(rf'<tr data-line="{line}"[^>]*>(.*?)</tr>', html).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


def _strip(html: str, line: int) -> str:
    """Style of the heat-strip cell of one line."""
    return re.search(rf'<tr data-line="{line}"[^>]*><td style="([^"]*)"', html).group(1)


def test_worst_lines_rank_by_time_share(transpose, reduction):
    assert worst_lines(transpose, 3) == {4: 1, 3: 2, 2: 3}
    assert worst_lines(reduction, 2) == {6: 1, 2: 2}
    assert worst_lines(reduction, 0) == {}


def test_columns_show_the_line_counters(transpose, reduction):
    store = _cells(source_html(transpose), 5)
    assert "88.0 %" in store[3]
    assert store[4].startswith("18.0") and "ld 4, st 32" in store[4]
    assert store[7] == "98.3k"
    branch = _cells(source_html(reduction), 15)
    assert branch[6] == "62 %"  # 163840 of 262144 warp branches diverged
    shared = _cells(source_html(reduction), 16)
    assert shared[5] == "1.72M"


def test_lines_with_nothing_to_count_leave_cells_blank(transpose):
    assert _cells(source_html(transpose), 6)[3:] == [""] * 5


def test_slider_value_sets_how_many_lines_are_highlighted(reduction):
    html = source_html(reduction, worst=1)
    assert html.count('data-worst-rank="1"') == 1
    assert 'data-worst-rank="2"' not in html
    assert "the line with most modelled time" in html


def test_color_by_underlines_its_column_and_colors_the_strip(reduction):
    html = source_html(reduction, color_by="bank_conflicts")
    header = re.search(r"<tr[^>]*>(<th.*?)</tr>", html).group(1)
    underlined = re.findall(r"<th[^>]*border-bottom:2px[^>]*>(.*?)</th>", header)
    assert underlined == ["bank conflicts"]
    # Only line 16 has bank conflicts: its strip is the darkest, line 12's white.
    assert "rgb(230,85,13)" in _strip(html, 16)
    assert "rgb(255,255,255)" in _strip(html, 12)


def test_unknown_color_metric_is_refused(transpose):
    with pytest.raises(ValueError, match="color_by must be one of"):
        source_html(transpose, color_by="speed")
    assert set(COLUMNS) >= {"time_share", "bank_conflicts"}


def test_device_function_lines_get_a_file_row(transpose):
    helper = dataclasses.replace(transpose.lines[4], filename="helpers.py", line=40)
    launch = dataclasses.replace(transpose, lines=[*transpose.lines, helper])
    html = source_html(launch)
    assert "Cell In[3]</td>" in html and "helpers.py</td>" in html


def test_record_without_lines_says_so(transpose):
    launch = dataclasses.replace(transpose, lines=[])
    assert "no per-line counters" in source_html(launch)
