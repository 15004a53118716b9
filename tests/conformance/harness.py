"""The conformance harness: numba-cuda's kernel tests under numba's simulator and under cudalike.

Each mode runs in one child process (tests/conformance/child.py) over every module of
numba-cuda's `tests/cudapy` and `tests/doc_examples` folders that is not excluded whole (see
exclusions.py); the table compares, per module, how many tests pass under the simulator and
under cudalike, the documentation examples in rows of their own at the end. `tier` runs cudalike
on one tier of its CPU engine (the child's CUDALIKE_TIER); each run also says how its launches
went, per module.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conformance.child import DOC_PREFIX, cudapy_folder, doc_examples_folder
from tests.conformance.exclusions import EXCLUDED, is_excluded, module_of

REPOSITORY = Path(__file__).resolve().parents[2]


def modules() -> list[str]:
    """numba-cuda's kernel test modules, then its documentation examples, less those excluded."""
    names = sorted(path.stem for path in cudapy_folder().glob("test_*.py"))
    names += sorted(DOC_PREFIX + path.stem for path in doc_examples_folder().glob("test_*.py"))
    return [name for name in names if name not in EXCLUDED]


@dataclass
class Run:
    """The outcome of every test in one mode, the wall time of the child process, and per module
    its seconds and how cudalike's launches went (launcher.outcomes: "compiled", "vector", ...)."""

    mode: str
    outcomes: dict[str, dict]
    seconds: float
    launches: dict[str, dict[str, int]] = field(default_factory=dict)
    module_seconds: dict[str, float] = field(default_factory=dict)

    def launch_totals(self) -> collections.Counter:
        """How every launch of the run went, summed over the modules."""
        return sum((collections.Counter(n) for n in self.launches.values()), collections.Counter())

    def passed(self) -> set[str]:
        return {
            test
            for test, result in self.outcomes.items()
            if result["outcome"] == "pass" and not is_excluded(test)
        }


def run(
    mode: str,
    names: list[str] | None = None,
    timeout: float = 1800,
    tier: str | None = None,
    cache_dir: Path | None = None,
) -> Run:
    """Run the modules `names` (default: all) in a child process under `mode`.

    `tier` ("vector", "compiled", "auto") sets the child's CUDALIKE_TIER and `cache_dir` its
    CUDALIKE_CACHE_DIR (where the compiled tier keeps its modules and numba's cache); by
    default the child inherits both from this process.
    """
    names = modules() if names is None else names
    environment = dict(os.environ)
    if tier is not None:
        environment["CUDALIKE_TIER"] = tier
    if cache_dir is not None:
        environment["CUDALIKE_CACHE_DIR"] = str(cache_dir)
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "outcomes.json"
        start = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-m", "tests.conformance.child", mode, str(output), *names],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment,
        )
        seconds = time.perf_counter() - start
        if not output.exists():
            raise RuntimeError(f"the {mode} run wrote no outcomes:\n{child.stderr[-3000:]}")
        result = json.loads(output.read_text())
    return Run(mode, result["outcomes"], seconds, result.get("launches", {}), result["seconds"])


def table(simulator: Run | None, cudalike: Run | None) -> str:
    """Per module: tests passing under the simulator and under cudalike; totals at the end."""
    runs = [r for r in (simulator, cudalike) if r is not None]
    counts = {r.mode: collections.Counter(module_of(t) for t in r.passed()) for r in runs}
    excluded = collections.Counter(
        module_of(test) for r in runs for test in r.outcomes if is_excluded(test) and r is runs[0]
    )
    names = sorted({module_of(t) for r in runs for t in r.outcomes})
    header = f"{'module':40s} {'simulator':>9s} {'cudalike':>9s} {'excluded':>9s}"
    lines = [header, "-" * len(header)]
    for name in sorted(names, key=lambda name: name.startswith(DOC_PREFIX)):
        cells = [
            str(counts[mode][name]) if mode in counts else "-" for mode in ("simulator", "cudalike")
        ]
        lines.append(f"{name:40s} {cells[0]:>9s} {cells[1]:>9s} {excluded[name]:>9d}")
    totals = {mode: sum(c.values()) for mode, c in counts.items()}
    docs = {
        mode: sum(n for name, n in c.items() if name.startswith(DOC_PREFIX))
        for mode, c in counts.items()
    }
    lines.append("-" * len(header))
    cells = [str(totals.get(mode, "-")) for mode in ("simulator", "cudalike")]
    lines.append(f"{'total':40s} {cells[0]:>9s} {cells[1]:>9s} {sum(excluded.values()):>9d}")
    cells = [str(docs.get(mode, "-")) for mode in ("simulator", "cudalike")]
    lines.append(f"{'  of which documentation examples':40s} {cells[0]:>9s} {cells[1]:>9s}")
    if "simulator" in totals and "cudalike" in totals and totals["simulator"]:
        share = 100 * totals["cudalike"] / totals["simulator"]
        lines.append(f"cudalike passes {share:.1f}% of the tests the simulator passes")
    for r in runs:
        lines.append(f"{r.mode}: {r.seconds:.1f} s wall time")
        if r.launch_totals():
            how = ", ".join(f"{kind} {n}" for kind, n in sorted(r.launch_totals().items()))
            lines.append(f"{r.mode} launches: {how}")
    lines.append("left out of the count (tests/conformance/exclusions.py):")
    lines += [f"  {name}: {reason}" for name, reason in EXCLUDED.items()]
    return "\n".join(lines)


def gaps(simulator: Run, cudalike: Run) -> str:
    """Tests the simulator passes and cudalike does not, each with the last line of why."""
    lines = []
    for test in sorted(simulator.passed() - cudalike.passed()):
        result = cudalike.outcomes.get(test) or cudalike.outcomes.get(
            f"{module_of(test)} (import)", {"outcome": "missing", "why": ""}
        )
        lines.append(f"{test}: {result['outcome']}: {result['why'][:200]}")
    return "\n".join(lines)
