"""Extraction cost against file size: it must grow linearly, and a large file must stay cheap.

    python bench/extract_speed.py

Builds notebooks of constant assignments (100 statements a cell) from 25 KB to 800 KB, plus a
kernel, and times `autograder.extract.extract` on each (best of three). The table prints the
time per statement relative to the smallest file: about 1 for a linear extractor (the earlier,
quadratic one took 31 s on a 400 KB file). A 20 MB file is refused by its size before parsing.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from autograder.extract import extract

KERNEL = "from cudalike import cuda\n\n@cuda.jit\ndef k(out):\n    out[0] = X0\n"


def notebook(folder: Path, statements: int) -> Path:
    lines = [f"X{n} = {n} * 2 + 1" for n in range(statements)]
    cells = [{"cell_type": "code", "source": KERNEL}]
    cells += [
        {"cell_type": "code", "source": "\n".join(lines[i : i + 100])}
        for i in range(0, statements, 100)
    ]
    path = folder / f"n{statements}.ipynb"
    path.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}))
    return path


def best_of(path: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = extract(path, ["k"], "simt")
        times.append(time.perf_counter() - start)
    assert result.ok or result.findings, "extraction gave neither pieces nor findings"
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        rows = []
        for statements in (1_000, 4_000, 16_000, 32_000):
            path = notebook(folder, statements)
            rows.append((statements, path.stat().st_size, best_of(path)))
        huge = folder / "huge.py"
        huge.write_text("x = 1\n" * ((20 << 20) // 6))
        huge_seconds = best_of(huge, runs=1)
    base = rows[0][2] / rows[0][0]
    print(f"{'statements':>10} {'KB':>7} {'seconds':>8} {'per statement vs smallest':>26}")
    for statements, size, seconds in rows:
        ratio = (seconds / statements) / base
        print(f"{statements:>10} {size // 1024:>7} {seconds:>8.3f} {ratio:>26.2f}")
    print(f"{'20 MB .py':>10} {20 << 10:>7} {huge_seconds:>8.3f} {'(refused by size)':>26}")


if __name__ == "__main__":
    main()
