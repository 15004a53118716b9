"""`python -m autograder`: the same as `cudalike-grade`."""

import sys

from autograder.cli import main

if __name__ == "__main__":
    sys.exit(main())
