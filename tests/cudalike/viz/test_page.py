"""to_html / save_html: the static page has every piece, escaped, with a real PNG inside."""

from __future__ import annotations

import base64
import re
import struct

import pytest

from cudalike import viz
from cudalike.viz._style import HIGHLIGHT

from .conftest import FakeProfile

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _row(page: str, line: int) -> str:
    """The `<tr>` of one source line (first launch that has it)."""
    match = re.search(rf'<tr data-line="{line}"[^>]*>.*?</tr>', page)
    assert match, f"no row for line {line}"
    return match.group(0)


def test_page_names_each_kernel_and_its_shape(profile):
    page = viz.to_html(profile)
    assert "transpose_naive" in page and "reduce_interleaved" in page
    assert "grid (32, 32) &times; block (32, 8)" in page
    assert "NVIDIA H100 SXM5" in page
    assert "21.4 us" in page and "48.2 us" in page


def test_speed_of_light_bars_have_the_metric_percentages(transpose):
    page = viz.to_html(transpose)
    compute = re.search(r'data-metric="sm__throughput[^"]*".*?</tr>', page).group(0)
    memory = re.search(r'data-metric="gpu__compute_memory[^"]*".*?</tr>', page).group(0)
    assert "width:12.5%" in compute and "12.5 %" in compute
    assert "width:78.3%" in memory and "78.3 %" in memory
    # Colored by level: 12.5 % is poor (red), 78.3 % good (green).
    assert "#d62728" in compute and "#2ca02c" in memory


def test_source_is_escaped(transpose):
    page = viz.to_html(transpose)
    assert "if x &lt; a.shape[1] and y &lt; a.shape[0]:" in page
    assert "if x < a.shape" not in page


def test_worst_lines_are_highlighted_and_ranked(transpose):
    page = viz.to_html(transpose)
    worst = _row(page, 5)
    assert 'data-worst-rank="1"' in worst and HIGHLIGHT in worst and "#1" in worst
    assert 'data-worst-rank="2"' in _row(page, 4)
    assert 'data-worst-rank="3"' in _row(page, 3)
    assert 'data-worst-rank="0"' in _row(page, 6)


def test_lines_without_counters_are_dimmed(transpose):
    page = viz.to_html(transpose)
    assert 'data-dim="1"' in _row(page, 1) and "color:#aaaaaa" in _row(page, 1)
    assert 'data-dim="0"' in _row(page, 5)


def test_roofline_is_an_inline_png(transpose):
    page = viz.to_html(transpose)
    encoded = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page).group(1)
    png = base64.b64decode(encoded)
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])  # IHDR follows the signature
    assert width > 100 and height > 100


def test_sampled_launch_says_so(profile):
    page = viz.to_html(profile)
    assert page.count('data-sampled="1"') == 1
    assert "sampled 8 blocks of 4,096 and scaled up" in page


def test_overview_only_for_several_launches(profile, transpose):
    assert ">Launches<" in viz.to_html(profile)
    assert ">Launches<" not in viz.to_html(transpose)


def test_profile_list_and_record_are_all_accepted(profile, transpose):
    from_profile = viz.to_html(FakeProfile([transpose]))
    assert from_profile == viz.to_html([transpose]) == viz.to_html(transpose)
    assert viz.to_html(profile) == viz.to_html(profile.launches)


def test_empty_profile_says_nothing_ran():
    assert "no kernel launches were profiled" in viz.to_html(FakeProfile([]))


def test_anything_else_is_refused_with_the_accepted_forms():
    with pytest.raises(TypeError, match=r"profile .*list of launch records"):
        viz.to_html(42)
    with pytest.raises(TypeError, match="not a launch record"):
        viz.to_html([1, 2])


def test_output_is_deterministic(profile):
    assert viz.to_html(profile) == viz.to_html(profile)


def test_save_html_writes_a_whole_page(profile, tmp_path):
    path = viz.save_html(profile, tmp_path / "profile.html", color_by="bank_conflicts")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "reduce_interleaved" in text and "data:image/png;base64," in text
