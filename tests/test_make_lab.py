"""`make lab` serves the repository on START-HERE.ipynb, headless, and prints the URL.

Run as the tests run (no display): no browser is opened, the URL with its token is printed and
opens the start page, the port is the one asked for, and as root it still starts (--allow-root).
The install step is skipped (`-o STAMP`): this environment is already installed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_prints_the_start_page_url_without_a_display(tmp_path):
    port = _free_port()
    venv = sys.prefix
    command = ["make", "-s", "-o", f"{venv}/.cudalike-installed", f"VENV={venv}", "lab"]
    command += [f"PORT={port}", "OPEN=no"]
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        pattern = re.compile(rf"http://\S+:{port}/lab/tree/START-HERE\.ipynb\?token=\w+")
        deadline = time.monotonic() + 120
        while not pattern.search(log.read_text()) and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.5)
        text = log.read_text()
        assert pattern.search(text), text
        assert "browser: no" in text
        assert f"Serving notebooks from local directory: {ROOT}" in text
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_refuses_an_unknown_open_value():
    venv = sys.prefix
    command = ["make", "-s", "-o", f"{venv}/.cudalike-installed", f"VENV={venv}", "lab"]
    done = subprocess.run([*command, "OPEN=maybe"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0 and "OPEN=maybe: use yes, no or auto" in done.stdout
