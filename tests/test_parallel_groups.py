"""`make test` spreads the tests over pytest-xdist workers (--dist loadgroup); the tests that
share machine-wide state or one expensive fixture must carry one `xdist_group` so that they run
on one worker: the hostile corpus and the hostile class (marker files and processes looked for
machine-wide), a module's module-scoped fixture (the wheel built once), the browser tests' one
JupyterLab and Chromium. Other tests carry none and go to any worker.

The groups are read from a collection in a child process (tests/conftest.py marks them there).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the child process imports and collects the files below

ROOT = Path(__file__).resolve().parents[1]

COLLECT = """
import json, sys
import pytest

class Groups:
    found = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        for item in items:
            names = sorted({m.args[0] for m in item.iter_markers("xdist_group")})
            self.found[item.nodeid] = names

code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[1:]],
                   plugins=[Groups()])
print("GROUPS " + json.dumps(Groups.found))
sys.exit(code)
"""

FILES = {
    "corpus": "tests/autograder/integrity/test_corpus.py",
    "class": "tests/autograder/integrity/test_hostile_class.py",
    "wheel": "tests/test_wheel_install.py",
    "browser": "tests/browser/test_lessons_in_jupyterlab.py",
    "plain": "tests/test_temporary_home.py",
}


@pytest.fixture(scope="module")
def groups() -> dict[str, list[str]]:
    """Each collected test's xdist_group names, by node id."""
    done = subprocess.run(
        [sys.executable, "-c", COLLECT, *FILES.values()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("GROUPS ")]
    assert done.returncode == 0 and lines, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(lines[-1].removeprefix("GROUPS "))


def _of(groups: dict[str, list[str]], key: str) -> dict[str, list[str]]:
    found = {node: names for node, names in groups.items() if node.startswith(FILES[key])}
    assert found, f"no test collected from {FILES[key]}"
    return found


def test_the_hostile_corpus_and_class_share_one_group(groups):
    marked = {**_of(groups, "corpus"), **_of(groups, "class")}
    assert {tuple(names) for names in marked.values()} == {("hostile-corpus",)}


def test_a_module_scoped_fixture_keeps_its_tests_together(groups):
    assert {tuple(names) for names in _of(groups, "wheel").values()} == {(FILES["wheel"],)}


def test_the_browser_tests_share_one_jupyterlab(groups):
    assert {tuple(names) for names in _of(groups, "browser").values()} == {(FILES["browser"],)}


def test_other_tests_go_to_any_worker(groups):
    assert all(names == [] for names in _of(groups, "plain").values())
