"""Checks on the project's shape: dependency lists agree, modules stay small, imports flow one way.

- pyproject.toml and environment.yml name the same packages (runtime + lab + dev extras).
- No module under cudalike/ or autograder/ exceeds MAX_LINES (data tables excepted).
- autograder may import cudalike, never the reverse; cudalike.simt and cudalike.model never
  import cudalike.viz (the engine emits records, viz draws them).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cudalike", "autograder")
MAX_LINES = 800
# Modules that are data tables (device profiles, lookup tables) may be longer; none yet.
DATA_TABLES: set[str] = set()
# conda-forge names that differ from the PyPI names (PyPI name -> conda name).
CONDA_NAMES: dict[str, str] = {}
# (importing package prefix, forbidden imported prefix, why)
FORBIDDEN_IMPORTS = [
    ("cudalike", "autograder", "autograder depends on cudalike, never the reverse"),
    ("cudalike.simt", "cudalike.viz", "the engine emits records; viz draws them"),
    ("cudalike.model", "cudalike.viz", "the model emits records; viz draws them"),
]


def normalise(name: str) -> str:
    """Return a requirement's bare project name, PEP 503-normalised."""
    bare = re.split(r"[\s;\[<>=!~]", name.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def pyproject_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in ("lab", "dev"):
        requirements += project["optional-dependencies"][extra]
    names = {normalise(r) for r in requirements}
    names.discard(normalise(project["name"]))  # "cudalike[lab]" inside the dev extra
    return names


def environment_dependencies() -> set[str]:
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = set()
    for entry in spec["dependencies"]:
        if isinstance(entry, dict):
            # pip requirements; "-e ." installs cudalike itself.
            names |= {normalise(r) for r in entry["pip"] if not r.startswith("-")}
        else:
            names.add(normalise(entry))
    return names - {"python", "pip"}


def test_pyproject_and_environment_list_the_same_dependencies():
    from_pyproject = {CONDA_NAMES.get(n, n) for n in pyproject_dependencies()}
    from_environment = environment_dependencies()
    assert from_pyproject == from_environment, (
        f"only in pyproject.toml: {sorted(from_pyproject - from_environment)}; "
        f"only in environment.yml: {sorted(from_environment - from_pyproject)}"
    )


def test_dependency_lists_are_not_empty():
    assert {"numpy", "numba", "jupyterlab", "pytest", "numba-cuda"} <= pyproject_dependencies()


def package_modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_modules_stay_under_the_size_cap():
    too_long = {}
    for path in package_modules():
        name = str(path.relative_to(ROOT))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and name not in DATA_TABLES:
            too_long[name] = lines
    assert not too_long, f"modules over {MAX_LINES} lines (split them): {too_long}"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved, lazy imports included."""
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            # `from pkg import sub` may import the submodule pkg.sub.
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_imports_flow_one_way():
    violations = []
    for path in package_modules():
        importer = module_name(path)
        for imported in imported_modules(path):
            for source, target, why in FORBIDDEN_IMPORTS:
                if within(importer, source) and within(imported, target):
                    violations.append(f"{path.relative_to(ROOT)} imports {imported}: {why}")
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import autograder.grade", {"autograder.grade"}),
        ("from ..viz import widgets", {"cudalike.viz", "cudalike.viz.widgets"}),
        ("from . import memory", {"cudalike.simt", "cudalike.simt.memory"}),
        ("def f():\n    from cudalike import viz", {"cudalike", "cudalike.viz"}),
    ],
)
def test_import_scanner_resolves_imports(tmp_path, monkeypatch, source, expected):
    module = tmp_path / "cudalike" / "simt" / "engine.py"
    module.parent.mkdir(parents=True)
    module.write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert imported_modules(module) == expected
