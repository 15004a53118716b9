"""Launch-configuration errors that are also the exceptions numba raises for the same mistake.

numba refuses `kernel[(1, 2, 3, 4), 32]` with a ValueError, `kernel[2.0, 32]` with a TypeError
and a kernel called without `[grid, block]` with a ValueError; programs (and numba's tests)
catch those. cudalike's errors keep their own class, LaunchConfigError, and add numba's.
"""

from __future__ import annotations

from cudalike.errors import LaunchConfigError


class LaunchValueError(LaunchConfigError, ValueError):
    """A launch configuration of the wrong size, or none at all (numba: ValueError)."""


class LaunchTypeError(LaunchConfigError, TypeError):
    """A launch dimension that is not an integer (numba: TypeError)."""
