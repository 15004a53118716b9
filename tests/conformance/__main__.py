"""`python -m tests.conformance`: numba-cuda's kernel tests, simulator against cudalike, as a table.

Options: `--mode simulator|cudalike|both` (default both), `--gaps` (also list the tests the
simulator passes and cudalike does not, with why), `--json FILE` (write every outcome),
`--tier vector|compiled|auto` (cudalike's CPU tier in the child process, its CUDALIKE_TIER;
default: inherited), and module names to run only those (e.g. `test_atomics test_math`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tests.conformance import harness


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.conformance", description=__doc__)
    parser.add_argument("modules", nargs="*", help="test modules to run (default: all)")
    parser.add_argument("--mode", choices=("simulator", "cudalike", "both"), default="both")
    parser.add_argument("--gaps", action="store_true", help="list what cudalike fails")
    parser.add_argument("--json", type=Path, help="write every outcome to this file")
    parser.add_argument("--tier", choices=("vector", "compiled", "auto"), help="cudalike's tier")
    options = parser.parse_args()
    names = options.modules or None
    modes = ("simulator", "cudalike") if options.mode == "both" else (options.mode,)
    runs = {mode: harness.run(mode, names, tier=options.tier) for mode in modes}
    print(harness.table(runs.get("simulator"), runs.get("cudalike")))
    if options.gaps and len(runs) == 2:
        print()
        print(harness.gaps(runs["simulator"], runs["cudalike"]))
    if options.json:
        options.json.write_text(
            json.dumps({mode: r.outcomes for mode, r in runs.items()}, indent=1, sort_keys=True)
        )


if __name__ == "__main__":
    main()
