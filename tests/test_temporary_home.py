"""The session's temporary home (tests/conftest.py) hides the real one from every test."""

import os
import subprocess
import sys
from pathlib import Path

from autograder import progress_store
from tests.conftest import HOME_VARIABLES


def test_home_and_data_directories_are_temporary(temporary_home):
    for name in HOME_VARIABLES:
        assert Path(os.environ[name]).is_relative_to(temporary_home), name
    assert Path.home() == temporary_home
    assert progress_store.store_path().is_relative_to(temporary_home)


def test_child_processes_inherit_the_temporary_home(temporary_home):
    code = "from autograder import progress_store; print(progress_store.store_path())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()).is_relative_to(temporary_home)
