"""How long grading takes: each SIMT exercise's solution graded by an older tree and this one.

Every SIMT exercise of this tree is graded from its own `solution.py` with `cudalike-grade
grade` (this tree's exercise folders, `--seed 1`, one process per grading, as an instructor runs
it) in up to three configurations:

- `before` (only with `--before`): the package tree given by `--before` first on PYTHONPATH
  (for example a copy of the commit before the compiled tier);
- `auto`: this tree, default tier, with an empty numba cache;
- `vector`: this tree with CUDALIKE_TIER=vector.

The tier reaches the grader's own process (the reference kernels); the submission's sandboxed
child always starts from the default settings. Configurations alternate exercise by exercise
over `--rounds` rounds and each cell is the fastest round of the wall time of the whole command
(Python start-up included). A grading that failed, or did not give the solution full marks, is
marked `!`; the totals cover the exercises graded in full everywhere.

Usage:
    python bench/grading_times.py [--before TREE] [--rounds 2] [--only TEXT]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.catalog import list_exercises  # noqa: E402
from autograder.spec import load_exercise  # noqa: E402

CONFIGURATIONS = ("before", "auto", "vector")


def exercises(only: str | None) -> list[str]:
    """The SIMT exercises of this tree (the CANN track never launches a SIMT kernel)."""
    folder = ROOT / "exercises"
    found = [e for e in list_exercises(folder) if load_exercise(folder / e).track == "simt"]
    return [e for e in found if only is None or only in e]


def grade(exercise: str, tree: Path, tier: str | None, scratch: Path) -> tuple[float, bool]:
    """Wall seconds of grading the solution once, and whether it got full marks."""
    env = {k: v for k, v in os.environ.items() if k not in ("CUDALIKE_TIER", "PYTHONPATH")}
    env["PYTHONPATH"] = str(tree)
    env["CUDALIKE_CACHE_DIR"] = str(scratch / "numba-cache")
    if tier is not None:
        env["CUDALIKE_TIER"] = tier
    out = scratch / f"out-{exercise}-{tier}-{tree.name}"
    command = [sys.executable, "-m", "autograder", "grade", exercise]
    command += [str(ROOT / "exercises" / exercise / "solution.py"), "--out", str(out)]
    command += ["--seed", "1", "--exercises", str(ROOT / "exercises")]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=scratch)
    seconds = time.perf_counter() - start
    full = done.returncode == 0 and "1 with full marks" in done.stdout
    return seconds, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="an older package tree to compare against")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", help="only the exercises whose id contains this text")
    arguments = parser.parse_args()
    configurations = [c for c in CONFIGURATIONS if c != "before" or arguments.before]
    trees = {"before": arguments.before, "auto": ROOT, "vector": ROOT}
    tiers = {"before": None, "auto": None, "vector": "vector"}
    names = exercises(arguments.only)
    best: dict[tuple[str, str], float] = {}
    full: dict[tuple[str, str], bool] = {}
    with tempfile.TemporaryDirectory(prefix="cudalike-grading-times-") as temporary:
        scratch = Path(temporary)
        for _ in range(arguments.rounds):
            for exercise in names:
                for configuration in configurations:
                    tree, tier = trees[configuration], tiers[configuration]
                    seconds, ok = grade(exercise, tree, tier, scratch)
                    key = (exercise, configuration)
                    best[key] = min(best.get(key, seconds), seconds)
                    full[key] = full.get(key, True) and ok
    print("| exercise | " + " | ".join(configurations) + " |")
    print("|---|" + "---|" * len(configurations))
    totals = dict.fromkeys(configurations, 0.0)
    for exercise in names:
        cells = []
        everywhere = all(full[(exercise, c)] for c in configurations)
        for configuration in configurations:
            key = (exercise, configuration)
            cells.append(f"{best[key]:.1f} s{'' if full[key] else ' !'}")
            if everywhere:
                totals[configuration] += best[key]
        print(f"| {exercise} | " + " | ".join(cells) + " |")
    print("| total (graded in full everywhere) | ", end="")
    print(" | ".join(f"{totals[c]:.1f} s" for c in configurations) + " |")


if __name__ == "__main__":
    main()
