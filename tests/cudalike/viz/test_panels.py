"""Header, resource limits, speed of light and occupancy panels."""

from __future__ import annotations

import dataclasses
import re

from cudalike.viz._panels import header_html, limits_html, occupancy_html


def _limit_row(html: str, key: str) -> str:
    return re.search(rf'<tr[^>]*data-limit="{key}"[^>]*>.*?</tr>', html).group(0)


def test_header_names_the_bound_and_what_it_asks(transpose, reduction):
    assert "bound by" in header_html(transpose) and ">dram<" in header_html(transpose)
    assert "move fewer bytes" in header_html(transpose)
    assert "bank conflicts" in header_html(reduction)
    assert "sampled" not in header_html(transpose)
    assert "sampled 8 blocks of 4,096 and scaled up" in header_html(reduction)


def test_kernel_name_is_escaped(transpose):
    launch = dataclasses.replace(transpose, kernel_name="k<float>")
    assert "k&lt;float&gt;" in header_html(launch)


def test_limits_list_longest_first_with_the_bound_in_bold(reduction):
    html = limits_html(reduction)
    names = re.findall(r"<tr[^>]*><td[^>]*>(\w+)</td>", html)
    assert names[:3] == ["shared", "latency", "compute"]
    assert re.search(r'<tr style="[^"]*font-weight:bold"><td[^>]*>shared</td>', html)
    assert not re.search(r'<tr style="[^"]*font-weight:bold"><td[^>]*>latency</td>', html)


def test_occupancy_highlights_the_named_limiter(transpose, reduction):
    html = occupancy_html(transpose)
    assert 'data-limiter="1"' in _limit_row(html, "limit_warps")
    assert "8 warps per block" in html and "limiter" in _limit_row(html, "limit_warps")
    assert "no limit" in _limit_row(html, "limit_shared_mem")
    assert 'data-limiter="1"' in _limit_row(occupancy_html(reduction), "limit_registers")
    assert 'data-occupancy="100.0"' in html and "achieved 88.0 %" in html


def test_occupancy_finds_the_limiter_when_unnamed(reduction):
    occupancy = {**reduction.occupancy, "limit_shared_mem": 2}
    del occupancy["limiter"]
    html = occupancy_html(dataclasses.replace(reduction, occupancy=occupancy))
    assert 'data-limiter="1"' in _limit_row(html, "limit_shared_mem")
    assert "1 KB shared per block" in html


def test_waves_note_explains_idle_sms(transpose, reduction):
    assert "0.97 waves" in occupancy_html(transpose)
    assert "some SMs stay idle" in occupancy_html(transpose)
    assert "3.88 waves" in occupancy_html(reduction)
    assert "idle" not in occupancy_html(reduction)
