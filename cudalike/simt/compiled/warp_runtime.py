"""Warp shuffles and votes for compiled kernels, as numba functions the generated code calls.

`t` is the thread in its block and `nt` the block's size; the per-thread arrays hold every
thread's operand (see warps.py). The rules are the vector engine's (cudalike/simt/warp.py): a
shuffle from a lane outside the warp, partial last warps included, returns the caller's own
value; a vote counts the lanes whose own member mask names them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from cudalike.simt.compiled.runtime import INLINED


@njit(**INLINED)
def _from_lane(values, source, t, nt):
    """The value of lane `source` of t's warp; t's own outside the warp (partial ones too)."""
    start = t - t % 32
    if 0 <= source < min(32, nt - start):
        return values[start + source]
    return values[t]


@njit(**INLINED)
def shfl_sync(values, lane, t, nt):
    return _from_lane(values, lane % 32, t, nt)


@njit(**INLINED)
def shfl_up(values, delta, t, nt):
    return _from_lane(values, t % 32 - delta, t, nt)


@njit(**INLINED)
def shfl_down(values, delta, t, nt):
    return _from_lane(values, t % 32 + delta, t, nt)


@njit(**INLINED)
def shfl_xor(values, mask, t, nt):
    return _from_lane(values, (t % 32) ^ mask, t, nt)


@njit(**INLINED)
def _votes(predicates, members, t, nt):
    """(lanes voting, lanes voting true as bits) in t's warp: a lane votes when its own member
    mask names it."""
    start = t - t % 32
    voters = 0
    bits = 0
    for lane in range(min(32, nt - start)):
        if (members[start + lane] >> lane) & 1:
            voters += 1
            if predicates[start + lane]:
                bits |= 1 << lane
    return voters, bits


@njit(**INLINED)
def ballot(predicates, members, t, nt):
    return np.uint32(_votes(predicates, members, t, nt)[1])


@njit(**INLINED)
def vote_all(predicates, members, t, nt):
    voters, bits = _votes(predicates, members, t, nt)
    count = 0
    while bits:
        count += bits & 1
        bits >>= 1
    return np.int32(count == voters)


@njit(**INLINED)
def vote_any(predicates, members, t, nt):
    return np.int32(_votes(predicates, members, t, nt)[1] != 0)


@njit(**INLINED)
def vote_eq(values, members, t, nt):
    """1 when every voting lane holds the first voting lane's value."""
    start = t - t % 32
    first = -1
    for lane in range(min(32, nt - start)):
        if (members[start + lane] >> lane) & 1:
            if first < 0:
                first = start + lane
            elif values[start + lane] != values[first]:
                return np.int32(0)
    return np.int32(1)


@njit(**INLINED)
def warp_uniform(condition, alive, nt):
    """The live threads of each warp agree on `condition` (else the vector engine runs it)."""
    for start in range(0, nt, 32):
        first = -1
        for t in range(start, min(start + 32, nt)):
            if alive[t]:
                if first < 0:
                    first = t
                elif condition[t] != condition[first]:
                    raise IndexError("a warp divided by a branch around warp functions")


@njit(**INLINED)
def take_branch(alive, saved, condition, taken):
    for t in range(alive.size):
        alive[t] = saved[t] and condition[t] == taken
