"""`python -m cudalike script.py [args]`: run a numba.cuda program on cudalike, unchanged.

Drop-in mode is installed first (see cudalike.dropin), then the script runs as python would
run it: as `__main__`, with `sys.argv` = [script, args...], its folder first on `sys.path`, and
the same exit status. `python -m cudalike -m package.module [args]` runs a module instead.
"""

from __future__ import annotations

import os
import runpy
import sys

from cudalike.dropin import install

USAGE = (
    "usage: python -m cudalike script.py [args ...]\n       python -m cudalike -m module [args ...]"
)


def main(argv: list[str]) -> None:
    """Run the script or module `argv` names with numba.cuda resolved to cudalike."""
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        raise SystemExit(2 if not argv else 0)
    install()
    if argv[0] == "-m":
        if len(argv) < 2:
            print(USAGE, file=sys.stderr)
            raise SystemExit(2)
        sys.argv = argv[1:]
        sys.path.insert(0, os.getcwd())
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return
    script = argv[0]
    if not os.path.exists(script):
        print(f"python -m cudalike: can't open file {script!r}: no such file", file=sys.stderr)
        raise SystemExit(2)
    sys.argv = list(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
