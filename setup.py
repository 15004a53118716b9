"""Build hook: the wheel carries the exercises as `autograder/exercises/` (pyproject.toml has
everything else).

The repository's `exercises/` folder stays the one source of truth: a source checkout and an
editable install read it in place (autograder/catalog.py looks there when the package holds no
copy), and building a wheel copies it into the package, so `pip install cudalike` gives every
exercise to `cudalike-grade` and `check()`. Python caches and hidden files are left out.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

EXERCISES = Path(__file__).resolve().parent / "exercises"


class BuildWithExercises(build_py):
    """build_py, then a copy of exercises/ into the built package autograder/exercises/."""

    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads exercises/ in place
            return
        target = Path(self.build_lib) / "autograder" / "exercises"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(
            EXERCISES, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]", ".*")
        )


setup(cmdclass={"build_py": BuildWithExercises})
