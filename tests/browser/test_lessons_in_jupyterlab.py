"""Run every lesson notebook, and the start page, in a real JupyterLab driven by headless Chromium.

Stages, once per session: start JupyterLab on 127.0.0.1 (free port, known token, every Jupyter
and home directory in a temporary folder) serving a copy of what `make lab` serves (the start
page, the lessons and the exercises), start Debian's Chromium through Playwright. Then per
notebook, on a fresh page: open it, wait for the kernel, run all cells, wait until every prompt
is numbered and the kernel is idle, and fail on page errors, stderr or error outputs, and (for
lessons using ipywidgets) widgets that did not render or a first slider that does not move. On
the start page, every lesson and exercise must be a link, and a click must open it. A
screenshot is saved to the test's tmp dir on failure.

Chromium is never downloaded: without a `chromium` binary the tests skip with a reason, or
fail when the CI environment variable is set. docs/testing.md has the recipe.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COURSES = ROOT / "courses"
START_PAGE = "START-HERE.ipynb"
LESSONS = sorted(
    p.relative_to(COURSES).as_posix()
    for p in COURSES.glob("**/*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT_S = 60
KERNEL_START_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 180_000
KERNEL_STATUS = "#jp-main-statusbar .jp-StatusBar-TextItem[title^='Change kernel']"
PROMPT = ".jp-CodeCell .jp-InputArea-prompt"
NUMBERED = re.compile(r"\[\d+\]:")
# JupyterLab renders both stderr streams and error tracebacks with the stderr MIME type.
STDERR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab: where it listens and the folder it serves."""

    base_url: str
    token: str
    root_dir: Path

    def url(self, path: str, query: str = "") -> str:
        return f"{self.base_url}/{path}?{query}token={self.token}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url(f"api/{path}"), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


def find_chromium() -> str:
    """Path of Debian's Chromium; skip without it, or fail when running under CI."""
    path = shutil.which("chromium")
    if path is None:
        message = "chromium not found; install it with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set: browser tests must run)")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_environment(home: Path) -> dict[str, str]:
    """The server's environment, with every place Jupyter writes to inside `home`."""
    env = dict(os.environ)
    dirs = {
        "HOME": home,
        "XDG_CONFIG_HOME": home / "xdg-config",
        "XDG_DATA_HOME": home / "xdg-data",
        "XDG_CACHE_HOME": home / "xdg-cache",
        "XDG_RUNTIME_DIR": home / "xdg-runtime",
        "JUPYTER_CONFIG_DIR": home / "jupyter-config",
        "JUPYTER_DATA_DIR": home / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": home / "jupyter-runtime",
        "IPYTHONDIR": home / "ipython",
        "MPLCONFIGDIR": home / "matplotlib",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    # No news pop-up covering the notebook.
    settings = dirs["JUPYTER_CONFIG_DIR"] / "lab/user-settings/@jupyterlab/apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    return env


def start_lab(
    root_dir: Path, home: Path, log_path: Path, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, LabServer]:
    """Start JupyterLab serving `root_dir`; return once /api/status answers."""
    port, token = free_port(), "cudalike-test-token"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
        f"--port={port}", "--port-retries=0", "--allow-root",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly", "--expose-app-in-browser",
    ]  # fmt: skip
    log = log_path.open("wb")
    process = subprocess.Popen(
        command,
        cwd=root_dir,
        env={**isolated_environment(home), **(extra_env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = LabServer(f"http://127.0.0.1:{port}", token, root_dir)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            server.api("status")
            return process, server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.25)
    stop_lab(process, server)
    pytest.fail(f"JupyterLab did not start; its log:\n{log_path.read_text(errors='replace')}")


def shutdown_kernels(server: LabServer) -> None:
    for kernel in server.api("kernels"):
        server.api(f"kernels/{kernel['id']}", method="DELETE")


def stop_lab(process: subprocess.Popen, server: LabServer) -> None:
    """Shut down kernels, then SIGTERM the server, then kill its process group."""
    try:
        if process.poll() is None:
            shutdown_kernels(server)
    except (urllib.error.URLError, OSError):
        pass
    for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait_s)
            break
        except subprocess.TimeoutExpired:
            continue


def copy_notebooks(source: Path, target: Path, relative_paths: list[str]) -> None:
    """JupyterLab autosaves; tests only ever touch copies of the lessons."""
    for relative in relative_paths:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, destination)


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab serving a copy of the repository's start page, lessons and exercises."""
    root_dir = tmp_path_factory.mktemp("lab-root")
    home = tmp_path_factory.mktemp("jupyter-home")
    copy_notebooks(COURSES, root_dir / "courses", LESSONS)
    shutil.copy2(ROOT / START_PAGE, root_dir / START_PAGE)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    shutil.copytree(ROOT / "exercises", root_dir / "exercises", ignore=ignore)
    # The copies are the exercises the map links to (the search path finds them first).
    extra = {"CUDALIKE_EXERCISES": str(root_dir / "exercises")}
    process, server = start_lab(root_dir, home, home / "jupyterlab.log", extra)
    yield server
    stop_lab(process, server)


def kernel_is_idle(page) -> bool:
    status = page.locator(KERNEL_STATUS)
    return status.count() > 0 and status.first.inner_text().strip().endswith("| Idle")


def run_all_cells(page, server: LabServer, notebook: str) -> None:
    """Open `notebook`, run every cell, and return when all have run and the kernel is idle."""
    # `reset` starts from an empty workspace: otherwise JupyterLab reopens the notebooks of
    # earlier tests and "run all" may run one of those instead.
    page.goto(server.url(f"lab/tree/{notebook}", query="reset&"))
    # The toolbar says idle before a kernel exists; the status bar names the kernel.
    page.wait_for_function(
        """([selector, path]) => {
            const item = document.querySelector(selector);
            const current = window.jupyterapp?.shell?.currentWidget?.context?.path;
            return current === path
                && item !== null && /\\| Idle$/.test(item.textContent.trim());
        }""",
        arg=[KERNEL_STATUS, notebook],
        timeout=KERNEL_START_TIMEOUT_MS,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # Done when the kernel is idle and no cell is queued or running ([*]), and either every
    # prompt is numbered or an error stopped the run (the cells after it stay unnumbered).
    page.wait_for_function(
        """([promptSelector, statusSelector, errorSelector]) => {
            const prompts = [...document.querySelectorAll(promptSelector)]
                .map((p) => p.textContent.trim());
            const status = document.querySelector(statusSelector);
            const idle = status !== null && /\\| Idle$/.test(status.textContent.trim());
            const numbered = prompts.length > 0
                && prompts.every((p) => /^\\[\\d+\\]:$/.test(p));
            const stopped = !prompts.includes("[*]:")
                && document.querySelector(errorSelector) !== null;
            return idle && (numbered || stopped);
        }""",
        arg=[PROMPT, KERNEL_STATUS, STDERR_OUTPUT],
        timeout=RUN_ALL_TIMEOUT_MS,
        polling=250,
    )


# A cudalike.viz call in a notebook, and the class of the SVG picture it must show.
PICTURES = {"viz.accesses(": "accesses", "viz.layout(": "layout", ".banks(": "banks"}


def check_first_slider_is_live(page) -> None:
    """If the notebook shows a slider, moving it with the keyboard must change its readout."""
    slider = page.locator(".jp-OutputArea-output .widget-slider").first
    if page.locator(".jp-OutputArea-output .widget-slider").count() == 0:
        return
    readout = slider.locator(".widget-readout")
    before = readout.text_content()
    for key in ("ArrowRight", "ArrowLeft"):  # ArrowLeft in case the slider sits at its maximum
        slider.locator(".noUi-handle").focus()
        page.keyboard.press(key)
        page.wait_for_timeout(300)
        if readout.text_content() != before:
            return
    raise AssertionError(f"the first slider did not move (readout stayed {before!r})")


def check_outputs(page, notebook_text: str, page_errors: list[str]) -> None:
    """Fail on page errors, stderr or error outputs, pictures or widgets that did not render,
    and widgets that do not react.

    Text is read with textContent: JupyterLab skips rendering cells outside the viewport
    (CSS content-visibility), and innerText of those is empty.
    """
    assert_no_errors(page, page_errors)
    unrun = [p for p in page.locator(PROMPT).all_text_contents() if not NUMBERED.match(p.strip())]
    assert not unrun, f"{len(unrun)} cells did not run"
    for call, kind in PICTURES.items():
        if call in notebook_text:
            drawn = page.locator(f".jp-OutputArea-output svg.{kind}")
            assert drawn.count() > 0, f"the notebook calls {call} but no {kind} picture rendered"
    if re.search(r"\bipywidgets\b", notebook_text):
        widgets = page.locator(".jp-OutputArea-output .jupyter-widgets")
        assert widgets.count() > 0, "the notebook uses ipywidgets but no widget rendered"
        check_first_slider_is_live(page)
        # Widget callbacks run in the kernel: let them finish before reading outputs.
        page.wait_for_function(
            "(s) => /\\| Idle$/.test(document.querySelector(s).textContent.trim())",
            arg=KERNEL_STATUS,
            timeout=KERNEL_START_TIMEOUT_MS,
        )
        assert_no_errors(page, page_errors)


def assert_no_errors(page, page_errors: list[str]) -> None:
    assert not page_errors, f"errors in the page: {page_errors}"
    stderr = page.locator(STDERR_OUTPUT).all_text_contents()
    assert not stderr, "stderr or error outputs:\n" + "\n---\n".join(stderr)


def run_and_check(browser, server: LabServer, notebook: str, artifacts: Path) -> None:
    """Run one notebook in a fresh page; on failure save a screenshot into `artifacts`."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        run_all_cells(page, server, notebook)
        check_outputs(page, (server.root_dir / notebook).read_text(), page_errors)
    except Exception:
        screenshot = artifacts / (Path(notebook).stem + "-failure.png")
        page.screenshot(path=str(screenshot), full_page=True)
        print(f"screenshot of the failure: {screenshot}")
        raise
    finally:
        page.close()
        shutdown_kernels(server)


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_in_jupyterlab(browser, lab_server, lesson, tmp_path):
    run_and_check(browser, lab_server, f"courses/{lesson}", tmp_path)


def test_start_page_links_every_lesson_and_exercise(browser, lab_server, tmp_path):
    """What `make lab` opens: run it, find a link to each lesson and exercise, click one."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        run_all_cells(page, lab_server, START_PAGE)
        check_outputs(page, (ROOT / START_PAGE).read_text(), page_errors)
        links = page.eval_on_selector_all(
            ".jp-OutputArea-output a", "(anchors) => anchors.map((a) => a.getAttribute('href'))"
        )
        # JupyterLab rewrites a relative link to the file's URL on the server and opens the
        # file in the lab when it is clicked.
        files = f"{lab_server.base_url}/files/"
        targets = {
            urllib.parse.unquote(urllib.parse.urlsplit(link).path.removeprefix("/files/"))
            for link in links
            if link and link.startswith(files)
        }
        exercises = sorted(p.parent.name for p in (ROOT / "exercises").glob("*/exercise.toml"))
        wanted = [f"courses/{lesson}" for lesson in LESSONS]
        wanted += [f"exercises/{name}/starter.ipynb" for name in exercises]
        missing = [path for path in wanted if path not in targets]
        assert not missing, f"not linked from the start page: {missing} (links: {sorted(targets)})"
        first = wanted[0]
        link = f"{files}{urllib.parse.quote(first)}"
        page.locator(f".jp-OutputArea-output a[href^='{link}']").first.click()
        page.wait_for_function(
            "(path) => window.jupyterapp?.shell?.currentWidget?.context?.path === path",
            arg=first,
            timeout=KERNEL_START_TIMEOUT_MS,
        )
    except Exception:
        screenshot = tmp_path / "start-page-failure.png"
        page.screenshot(path=str(screenshot), full_page=True)
        print(f"screenshot of the failure: {screenshot}")
        raise
    finally:
        page.close()
        shutdown_kernels(lab_server)
