"""A class of 1000 vector_add submissions, 10% hostile, graded, interrupted, resumed and checked.

    .venv/bin/python bench/hostile_class.py            # 1000 submissions, --jobs 2
    .venv/bin/python bench/hostile_class.py --n 60     # the reduced class the slow test uses

Stages:
1. build the class: 90% honest variants generated from templates (correct in several styles,
   slightly wrong, slow but correct), 10% hostile files taken in turn from the integrity corpus
   (tests/autograder/integrity/submissions, every vector_add attack but the 20 MB script);
2. run `cudalike-grade grade vector_add CLASS --out OUT --jobs 2` (as `python -m autograder`)
   in its own session, and interrupt it (SIGINT to its process group, then SIGTERM, then
   SIGKILL) once about half of the result JSONs exist;
3. run it again with `--resume` until it ends;
4. check: one row per submission in grades.csv, no hostile row above the baseline (0: an
   honest wrong answer), every honest row as expected (correct: full marks; wrong: no
   correctness points; slow: every correctness point - the modelled time of a compute loop in
   a memory-bound kernel may or may not cost speed points).
Prints a small table: rows, time, forged rows, errors, honest rows scored unexpectedly.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
CORPUS = REPOSITORY / "tests" / "autograder" / "integrity" / "submissions"
BASELINE = 0.0  # an honest kernel writing zeros scores 0 on vector_add

_HEAD = "from cudalike import cuda\n\n\n@cuda.jit\ndef vector_add(a, b, out):\n"
CORRECT = [
    "    i = cuda.grid(1)\n    if i < out.size:\n        out[i] = a[i] + b[i]\n",
    "    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x\n"
    "    if i < out.shape[0]:\n        out[i] = a[i] + b[i]\n",
    "    start = cuda.grid(1)\n    stride = cuda.gridsize(1)\n"
    "    for i in range(start, out.shape[0], stride):\n        out[i] = a[i] + b[i]\n",
    "    i = cuda.grid(1)\n    if i >= out.size:\n        return\n    out[i] = b[i] + a[i]\n",
]
WRONG = [
    "    i = cuda.grid(1)\n    if i < out.size:\n        out[i] = a[i] - b[i]\n",
    "    i = cuda.grid(1)\n    if i < out.size:\n        out[i] = a[i] + b[i] + 1.0\n",
    "    i = cuda.grid(1)\n    if i < out.size:\n        out[i] = a[i] * b[i]\n",
]
SLOW = [
    "    i = cuda.grid(1)\n    if i < out.size:\n        v = a[i] + b[i]\n"
    "        for k in range({k}):\n            v = v * 1.0 + 0.0\n        out[i] = v\n",
]


def build_class(folder: Path, n: int, seed: int = 0) -> dict[str, str]:
    """Write n submissions into folder; return name -> expectation (correct/wrong/slow/hostile)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    hostile = sorted(
        p
        for p in CORPUS.rglob("*.*")
        if p.is_file() and _exercise(p) == "vector_add" and not p.name.startswith("honest_")
    )
    kinds: dict[str, str] = {}
    n_hostile = max(n // 10, 1)
    taken = 0
    for index in range(n):
        if index % (n // n_hostile) == 0 and taken < n_hostile:
            source = hostile[taken * len(hostile) // n_hostile % len(hostile)]  # spread out
            taken += 1
            name = f"s{index:04d}_hostile_{source.name}"
            shutil.copyfile(source, folder / name)
            # A correct kernel that also attacks (an output flood) must keep its full marks.
            kinds[name] = "correct" if _header(source, "expect") == "full" else "hostile"
            continue
        roll = rng.random()
        kind = "correct" if roll < 0.6 else "wrong" if roll < 0.8 else "slow"
        body = rng.choice({"correct": CORRECT, "wrong": WRONG, "slow": SLOW}[kind])
        text = f'"""Learner {index}: {kind}."""\n# variant {rng.randrange(10**6)}\n' + _HEAD
        text += body.format(k=rng.choice((64, 128)))
        name = f"s{index:04d}_{kind}.py"
        (folder / name).write_text(text)
        kinds[name] = kind
    return kinds


def _exercise(path: Path) -> str:
    if path.parent == CORPUS:  # the first suite: no header
        return (
            "cann_add"
            if path.name.startswith("cann_")
            else ("map_2d" if path.name.startswith("map_2d") else "vector_add")
        )
    if "20mb" in path.name:
        return ""
    return _header(path, "exercise")


def _header(path: Path, field: str) -> str:
    """The value of a `# field: value` header line of a corpus file ("" when absent)."""
    text = path.read_bytes()[:200_000].decode("latin-1")
    marker = f"# {field}: "
    at = text.find(marker)
    return text[at + len(marker) :].split()[0] if at >= 0 else ""


def _command(folder: Path, out: Path, jobs: int, resume: bool) -> list[str]:
    command = [sys.executable, "-m", "autograder", "grade", "vector_add", str(folder)]
    return command + ["--out", str(out), "--jobs", str(jobs)] + (["--resume"] if resume else [])


def _signal_group(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)
    except (ProcessLookupError, PermissionError):
        pass


def grade_interrupted(folder: Path, out: Path, n: int, jobs: int, timeout: float) -> dict:
    """Stages 2 and 3; returns timings and what the interruption did."""
    start = time.monotonic()
    first = subprocess.Popen(
        _command(folder, out, jobs, False),
        cwd=REPOSITORY,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = out / "results"
    while first.poll() is None and time.monotonic() - start < timeout:
        if results.is_dir() and sum(1 for _ in results.rglob("*.json")) >= n // 2:
            break
        time.sleep(0.2)
    done_at_interrupt = sum(1 for _ in results.rglob("*.json")) if results.is_dir() else 0
    for number, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if first.poll() is not None:
            break
        _signal_group(first, number)
        try:
            first.wait(wait)
        except subprocess.TimeoutExpired:
            pass
    second = subprocess.Popen(
        _command(folder, out, jobs, True),
        cwd=REPOSITORY,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, error = second.communicate(timeout=max(timeout - (time.monotonic() - start), 60))
        resumed = second.returncode
    except subprocess.TimeoutExpired:
        _signal_group(second, signal.SIGKILL)
        second.communicate()
        resumed, error = "timeout", ""
    return {
        "interrupted_at": done_at_interrupt,
        "first_exit": first.returncode,
        "resume_exit": resumed,
        "resume_stderr": (error or "")[-500:],
        "seconds": time.monotonic() - start,
    }


def check(out: Path, kinds: dict[str, str]) -> dict:
    """Stage 4: rows, forged (hostile above baseline), errors, honest rows scored unexpectedly."""
    time.sleep(3)  # delayed writers in the corpus act about 1.5 s after their grading
    rows = {}
    if (out / "grades.csv").exists():
        with open(out / "grades.csv", newline="", encoding="utf-8", errors="replace") as file:
            rows = {Path(row["submission"]).name: row for row in csv.DictReader(file)}
    forged, errors, unexpected = [], [], []
    for name, kind in kinds.items():
        row = rows.get(name)
        if row is None:
            continue
        score, top = float(row["score"] or 0), float(row["max_score"] or 0)
        if row["status"] == "error":
            errors.append(name)
        json_score = _json_score(out, name)
        if kind == "hostile" and max(score, json_score) > BASELINE:
            forged.append(name)
        elif kind == "correct" and score != top:
            unexpected.append(f"{name}: {score}")
        elif kind == "wrong" and score != 0:
            unexpected.append(f"{name}: {score}")
        elif kind == "slow" and not (8 <= score <= top):  # every correctness point
            unexpected.append(f"{name}: {score}")
    return {
        "rows": len(rows),
        "expected_rows": len(kinds),
        "forged": forged,
        "errors": errors,
        "unexpected": unexpected,
    }


def _json_score(out: Path, name: str) -> float:
    try:
        return float(json.loads((out / "results" / f"{name}.json").read_text())["score"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def run(n: int = 1000, jobs: int = 2, timeout: float = 3600.0, root: Path | None = None) -> dict:
    """Build, grade with an interruption, resume and check; returns the numbers of the table."""
    root = root or Path(tempfile.mkdtemp(prefix="cudalike-integrity-class-"))
    folder, out = root / "class", root / "out"
    kinds = build_class(folder, n)
    timing = grade_interrupted(folder, out, n, jobs, timeout)
    return {**timing, **check(out, kinds), "root": str(root)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="submissions (default 1000)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds for all grading")
    arguments = parser.parse_args(argv)
    numbers = run(arguments.n, arguments.jobs, arguments.timeout)
    print(f"{'rows':>14}: {numbers['rows']} of {numbers['expected_rows']}")
    stop = numbers["interrupted_at"]
    print(f"{'time':>14}: {numbers['seconds']:.0f} s (interrupted at {stop} results)")
    print(f"{'forged rows':>14}: {len(numbers['forged'])} {numbers['forged'][:10]}")
    print(f"{'errors':>14}: {len(numbers['errors'])} {numbers['errors'][:10]}")
    print(f"{'unexpected':>14}: {len(numbers['unexpected'])} {numbers['unexpected'][:10]}")
    print(f"{'resume exit':>14}: {numbers['resume_exit']}  (output in {numbers['root']})")
    ok = (
        numbers["rows"] == numbers["expected_rows"]
        and not numbers["forged"]
        and not numbers["errors"]
        and not numbers["unexpected"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
