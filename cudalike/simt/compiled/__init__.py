"""The compiled tier: a kernel translated to per-thread numba code for compute-heavy launches.

See docs/compiled-tier.md. `run_compiled` is the one entry point the launch path calls.
"""

from cudalike.simt.compiled.launcher import run_compiled

__all__ = ["run_compiled"]
