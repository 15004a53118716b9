"""What every sample port shares: its result type, tolerances and ACL's event-id constants.

A port's `run(case)` returns a `Result`: the kernel's output, the oracle's, and the tolerance
its dtype and reduction length allow. Hosts allocate with aclrtMalloc and copy with
aclrtMemcpy, as the vendor's `main` does, so the samples exercise the host API too.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann

# Ascend C's event-id constants (kernel_event.h); plain ints in the vendor's headers.
EVENT_ID0, EVENT_ID1, EVENT_ID2, EVENT_ID3 = 0, 1, 2, 3

SEED = 2024


def sizeof(dtype) -> int:
    """C's sizeof for an Ascend C element type."""
    return np.dtype(dtype).itemsize


@dataclasses.dataclass
class Result:
    """A sample's output beside its oracle, with the tolerance they must agree to."""

    got: np.ndarray
    want: np.ndarray
    rtol: float = 0.0
    atol: float = 0.0


def lacking(reason: str, *names: str) -> str | None:
    """`reason` while cudalike.cann lacks any of `names` (dotted for members), else None.

    A sample blocked only by an absent API is an expected failure until the API exists; from
    then on it must pass, so a name that lands turns the expected failure into a real test.
    """
    absent = []
    for name in names:
        owner = cann
        for part in name.split("."):
            owner = getattr(owner, part, None)
        if owner is None:
            absent.append(name)
    return f"{reason} (absent: {', '.join(absent)})" if absent else None


def rng(case: str) -> np.random.Generator:
    """A generator seeded per case, so every run draws the same inputs."""
    return np.random.default_rng([SEED, *case.encode()])


def reduction_tolerance(dtype, terms: int, magnitude: float) -> tuple[float, float]:
    """(rtol, atol) for a sum of `terms` values of about `magnitude` computed in `dtype`.

    Rounding error of a sum grows at most linearly with its length (a tree grows as log2,
    but the order of the hardware's adds is not the oracle's): eps x terms x magnitude.
    """
    eps = float(np.finfo(dtype).eps)
    return eps * 4, eps * max(terms, 1) * magnitude
