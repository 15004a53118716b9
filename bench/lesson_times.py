"""How long each lesson runs: an older tree against this one, and the vector tier against auto.

Every lesson notebook (courses/**/NN-*.ipynb of this tree) runs top to bottom in a fresh
Jupyter kernel (nbclient, this venv's python3) in three configurations:

- `before` (only with `--before`): the package tree given by `--before` first on the kernel's
  PYTHONPATH (for example a `git worktree` of the commit before the compiled tier), default
  settings;
- `auto`: this tree, default tier ("auto": compile latency included, with an empty numba cache,
  as on a learner's first run);
- `vector`: this tree with CUDALIKE_TIER=vector, which isolates what the compiled tier costs.

The configurations alternate lesson by lesson (before, auto, vector, before, auto, ...) over
`--rounds` rounds to spread the machine's noise over all three; each cell of the table is the
fastest round. A lesson's time is the sum of its cells' execution times (kernel start-up left
out). A lesson that raised in some configuration is marked with `!` (the older tree may lack
what today's lessons use; the cells after an error still run, but on missing names), so a
second total covers only the lessons that ran without an error everywhere.

Usage:
    python bench/lesson_times.py [--before TREE] [--rounds 2] [--only TEXT] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# the folders `make test` points at a temporary home
from tests.conftest import HOME_VARIABLES  # noqa: E402

CONFIGURATIONS = ("before", "auto", "vector")


@dataclass
class Timing:
    """One run of one lesson: seconds spent in its cells, and whether a cell raised."""

    seconds: float
    raised: bool


def lessons() -> list[Path]:
    """Every lesson notebook of this tree, course by course."""
    return sorted(ROOT.glob("courses/**/[0-9][0-9]-*.ipynb"))


def environment(home: Path, tree: Path, tier: str | None, cache: Path) -> dict[str, str]:
    """The kernel's environment: `tree` first on the path, a temporary home, the tier."""
    env = {k: v for k, v in os.environ.items() if k not in ("CUDALIKE_TIER", "PYTHONPATH")}
    env["PYTHONPATH"] = str(tree)
    env["CUDALIKE_CACHE_DIR"] = str(cache)
    if tier is not None:
        env["CUDALIKE_TIER"] = tier
    for name, relative in HOME_VARIABLES.items():
        (home / relative).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / relative)
    return env


def run_lesson(path: Path, env: dict[str, str]) -> Timing:
    """Run the lesson at `path` in a fresh kernel; the sum of its cells' execution times."""
    notebook = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=1800, allow_errors=True, resources=resources
    )
    try:
        client.execute(env=env)
        raised = False
    except (DeadKernelError, AssertionError):  # the kernel was killed (nbclient's clean-up of a
        raised = True  # dead kernel can fail an assertion of its own); counted as raised
    seconds = 0.0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        stamps = cell.metadata.get("execution", {})
        if "iopub.execute_input" in stamps and "shell.execute_reply" in stamps:
            start = datetime.fromisoformat(stamps["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(stamps["shell.execute_reply"].replace("Z", "+00:00"))
            seconds += (end - start).total_seconds()
        raised |= any(output.output_type == "error" for output in cell.outputs)
    return Timing(seconds, raised)


def measure(paths: list[Path], before: Path | None, rounds: int) -> dict[Path, dict[str, Timing]]:
    """The fastest of `rounds` runs of every lesson in every configuration, interleaved."""
    runs: dict[Path, dict[str, list[Timing]]] = {path: {} for path in paths}
    with tempfile.TemporaryDirectory(prefix="lesson-times-") as folder:
        home, cache = Path(folder) / "home", Path(folder) / "cache"
        settings = {
            "before": environment(home, before, None, cache) if before else None,
            "auto": environment(home, ROOT, None, cache),
            "vector": environment(home, ROOT, "vector", cache),
        }
        for round_number in range(rounds):
            for path in paths:
                for name, env in settings.items():
                    if env is None:
                        continue
                    timing = run_lesson(path, env)
                    runs[path].setdefault(name, []).append(timing)
                    print(
                        f"round {round_number + 1} {name:6s} {timing.seconds:7.1f} s"
                        f"{' (raised)' if timing.raised else ''}  {path.relative_to(ROOT)}",
                        file=sys.stderr,
                        flush=True,
                    )
    return {
        path: {
            name: Timing(min(t.seconds for t in timings), any(t.raised for t in timings))
            for name, timings in by_name.items()
        }
        for path, by_name in runs.items()
    }


def table(best: dict[Path, dict[str, Timing]]) -> str:
    """A Markdown table: per lesson the times and the ratios to auto; totals at the end."""
    names = [name for name in CONFIGURATIONS if all(name in t for t in best.values())]
    header = ["lesson"]
    for name in names:
        header.append(f"{name} (s)")
        if name != "auto":
            header.append(f"auto / {name}")
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    for path, timings in best.items():
        cells = [str(path.relative_to(ROOT / "courses"))]
        for name in names:
            timing = timings[name]
            cells.append(f"{timing.seconds:.1f}{' !' if timing.raised else ''}")
            if name != "auto":
                cells.append(f"{timings['auto'].seconds / timing.seconds:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    clean = {
        path: timings
        for path, timings in best.items()
        if not any(timings[name].raised for name in names)
    }
    lines.append(_total_row("**total**", best, names))
    lines.append(_total_row(f"**total, the {len(clean)} lessons without !**", clean, names))
    return "\n".join(lines)


def _total_row(label: str, best: dict[Path, dict[str, Timing]], names: list[str]) -> str:
    totals = {name: sum(timings[name].seconds for timings in best.values()) for name in names}
    cells = [label]
    for name in names:
        cells.append(f"{totals[name]:.1f}")
        if name != "auto":
            cells.append(f"{totals['auto'] / totals[name]:.2f}" if totals[name] else "-")
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="the older package tree (default: none)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", default="", help="only the lessons whose path has this text")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    options = parser.parse_args()
    paths = [path for path in lessons() if options.only in str(path.relative_to(ROOT))]
    before = options.before.resolve() if options.before else None
    result = table(measure(paths, before, options.rounds))
    print(result)
    if options.markdown:
        options.markdown.write_text(result + "\n")


if __name__ == "__main__":
    main()
