"""Warp shuffles and votes for compiled kernels, as numba functions the generated code calls.

`t` is the thread in its block and `nt` the block's size; the per-thread arrays hold every
thread's operand (see warps.py). The rules are the vector engine's (cudalike/simt/warp.py): a
shuffle from a lane outside the warp, partial last warps included, returns the caller's own
value; a vote counts the live lanes (`alive`: where a branch divides a warp, those taking it)
whose own member mask names them. A shuffle from a lane of the warp that is not live hands the
launch back (`_live` variants, in kernels where a branch may divide a warp).

The shared-memory race checks of kernels with `cuda.syncwarp()` are here too: the vector
engine's rules (cudalike/simt/races.py) order two accesses to an element by different threads
of one warp when the warp passed a syncwarp between them, and accesses by different warps only
by a block barrier.

So are the bit tricks of the vector engine's warp module (popc, clz, ffs, brev, selp), which
bit_intrinsics.py calls.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from cudalike.simt.compiled.runtime import INLINED


@njit(**INLINED)
def _from_lane(values, source, t, nt):
    """The value of lane `source` of t's warp; t's own outside the warp (partial ones too)."""
    origin = t - (t & 31) + source
    return values[origin if (0 <= source < 32) & (origin < nt) else t]


@njit(**INLINED)
def _from_live_lane(values, alive, source, t, nt):
    """`_from_lane` where a branch may divide the warp: a lane of the warp that is not live
    here (it took the other branch, or left) holds, on the vector engine, whatever its lane of
    the value's array holds, which compiled code does not have: the launch is handed back."""
    origin = t - (t & 31) + source
    where = origin if (0 <= source < 32) & (origin < nt) else t
    live = alive[where]
    value = values[where]
    if not live:
        raise IndexError("a shuffle from a lane the branch left out")
    return value


@njit(**INLINED)
def shfl_sync(values, lane, t, nt):
    return _from_lane(values, lane & 31, t, nt)


@njit(**INLINED)
def shfl_up(values, delta, t, nt):
    return _from_lane(values, (t & 31) - delta, t, nt)


@njit(**INLINED)
def shfl_down(values, delta, t, nt):
    return _from_lane(values, (t & 31) + delta, t, nt)


@njit(**INLINED)
def shfl_xor(values, mask, t, nt):
    return _from_lane(values, (t & 31) ^ mask, t, nt)


@njit(**INLINED)
def shfl_sync_live(values, lane, t, nt, alive):
    return _from_live_lane(values, alive, lane & 31, t, nt)


@njit(**INLINED)
def shfl_up_live(values, delta, t, nt, alive):
    return _from_live_lane(values, alive, (t & 31) - delta, t, nt)


@njit(**INLINED)
def shfl_down_live(values, delta, t, nt, alive):
    return _from_live_lane(values, alive, (t & 31) + delta, t, nt)


@njit(**INLINED)
def shfl_xor_live(values, mask, t, nt, alive):
    return _from_live_lane(values, alive, (t & 31) ^ mask, t, nt)


def _word(members, index):
    """Lane `index`'s member mask: its element of a per-thread array, or the mask all share."""


@overload(_word, inline="always")
def _word_of(members, index):
    if isinstance(members, types.Array):
        return lambda members, index: members[index]
    return lambda members, index: members


@njit(**INLINED)
def _votes(members, alive, thread, lane):
    """Whether a lane takes part in a vote: live where the vote runs (the vector engine's
    active lanes) and named by its own member mask."""
    return alive[thread] and (_word(members, thread) >> lane) & 1 != 0


@njit(**INLINED)
def warp_votes(predicates, members, alive, nt, bits, voters):
    """For each warp of the block, the lanes voting (a live lane votes when its own member
    mask names it) and those voting true, as bits: one pass over the block, not 32 per
    thread."""
    for warp in range(bits.size):
        start = warp * 32
        named = 0
        true = 0
        for lane in range(min(32, nt - start)):
            if _votes(members, alive, start + lane, lane):
                named |= 1 << lane
                if predicates[start + lane]:
                    true |= 1 << lane
        bits[warp] = true
        voters[warp] = named


@njit(**INLINED)
def warp_equal(values, members, alive, nt, bits, voters):
    """For each warp, 1 in `bits` when every voting lane's value equals the first voting
    lane's (compared with itself too, as the vector engine does: a NaN differs), else 0."""
    for warp in range(bits.size):
        start = warp * 32
        first = -1
        equal = 1
        for lane in range(min(32, nt - start)):
            if _votes(members, alive, start + lane, lane):
                if first < 0:
                    first = start + lane
                if values[start + lane] != values[first]:
                    equal = 0
        bits[warp] = equal
        voters[warp] = 0


@njit(**INLINED)
def warp_match(values, members, alive, nt, masks, voters):
    """match_any_sync: for each voting lane, the mask of the voting lanes of its warp whose
    value has the same bits (the vector engine compares bit patterns: -0.0 is not 0.0); 0 for
    a lane that does not vote. Two NaNs meeting are handed back (IndexError): their payloads
    are not compared here."""
    for warp in range((nt + 31) // 32):
        start = warp * 32
        count = min(32, nt - start)
        for lane in range(count):
            masks[start + lane] = 0
            if not _votes(members, alive, start + lane, lane):
                continue
            value = values[start + lane]
            matched = 0
            for other in range(count):
                if not _votes(members, alive, start + other, other):
                    continue
                given = values[start + other]
                if value != value and given != given and other != lane:
                    raise IndexError("two NaNs in a match")
                same = value == given and math.copysign(1.0, value) == math.copysign(1.0, given)
                if same or other == lane:
                    matched |= 1 << other
            masks[start + lane] = matched
        voters[warp] = 0


@njit(**INLINED)
def warp_match_all(values, members, alive, nt, masks, agree):
    """match_all_sync: for each warp, whether its voting lanes all hold values of the same bits
    and the mask of those lanes (0 where they differ; a warp without voters agrees, with mask
    0). Two NaNs meeting are handed back (IndexError): their payloads are not compared here."""
    for warp in range((nt + 31) // 32):
        start = warp * 32
        matched = 0
        same = True
        first = values[start]
        for lane in range(min(32, nt - start)):
            if not _votes(members, alive, start + lane, lane):
                continue
            value = values[start + lane]
            if matched == 0:
                first = value
            elif value != value and first != first:
                raise IndexError("two NaNs in a match")
            elif not (value == first and math.copysign(1.0, value) == math.copysign(1.0, first)):
                same = False
            matched |= 1 << lane
        masks[warp] = matched if same else 0
        agree[warp] = same


@njit(**INLINED)
def match_all(masks, agree, t):
    """A lane's match_all_sync mask as the int32 the vector engine gives (the uint32's bits)."""
    mask = masks[t >> 5]
    return np.int32(mask - (1 << 32) if mask >= 1 << 31 else mask)


@njit(**INLINED)
def match_all_agree(masks, agree, t):
    return agree[t >> 5] != 0


@njit(**INLINED)
def match_any(masks, voters, t):
    """A lane's match mask as the int32 the vector engine gives (the uint32's bits)."""
    mask = masks[t]
    return np.int32(mask - (1 << 32) if mask >= 1 << 31 else mask)


@njit(**INLINED)
def ballot(bits, voters, t):
    return np.uint32(bits[t >> 5])


@njit(**INLINED)
def vote_all(bits, voters, t):
    return np.int32(bits[t >> 5] == voters[t >> 5])


@njit(**INLINED)
def vote_any(bits, voters, t):
    return np.int32(bits[t >> 5] != 0)


@njit(**INLINED)
def vote_eq(bits, voters, t):
    return np.int32(bits[t >> 5])


@njit(**INLINED)
def take_branch(alive, saved, condition, taken):
    for t in range(alive.size):
        alive[t] = saved[t] and condition[t] == taken


@njit(**INLINED)
def live_span(alive):
    """(first live thread, last live thread + 1), or (0, 0) when none is live."""
    low = 0
    while low < alive.size and not alive[low]:
        low += 1
    high = alive.size
    while high > low and not alive[high - 1]:
        high -= 1
    return low, high


# ---- shared-memory race checks that know syncwarp ---------------------------------------
# Each shared element keeps two words, `sw` (last write) and `sr` (reads): (epoch << 27) |
# (time << 11) | code. The epoch is the block's barrier epoch; the time, the clock of syncwarps
# within the epoch. `wsync` holds per warp the time of its last syncwarp in the epoch, then
# the clock, then the epoch they belong to (older: every time is 0). An access at time `time`
# comes after warp w's last syncwarp when time >= wsync[w]. A write's code is its thread + 1;
# a read's code is thread + 1 (reads by other threads, if any, all ordered by their warp's
# syncwarp), _WARP + w (several threads of warp w, the last at `time`) or _MANY (several
# warps). Negative words (-1) were never written in this block or never read.
_CODE = (1 << 11) - 1
_MANY = _CODE
_WARP = 1025
_TIME = (1 << 16) - 1
_EPOCH_SHIFT = 27


@njit(**INLINED)
def syncwarp(wsync, alive, nt, epoch):
    """The warps with a live thread meet: their later accesses are ordered after the earlier."""
    clock = wsync.size - 2
    if wsync[clock + 1] != epoch:
        wsync[:] = 0
        wsync[clock + 1] = epoch
    now = wsync[clock] + 1
    wsync[clock] = now
    if now > _TIME:
        raise IndexError("too many syncwarps between two barriers")
    for start in range(0, nt, 32):
        live = False
        for t in range(start, min(start + 32, nt)):
            live |= alive[t]  # no early exit: the loop is vectorised
        wsync[start >> 5] = now if live else wsync[start >> 5]


@njit(**INLINED)
def _readers_warp(code):
    """The warp of all the readers a read code names, or -1 for several warps."""
    if code == _MANY:
        return -1
    if code >= _WARP:
        return code - _WARP
    return (code - 1) >> 5  # // 32, also for -1


@njit(**INLINED)
def _after(word, synced):
    """Whether an access (or the reads a word names) came after its warp's last syncwarp,
    whose time in this epoch is `synced` (0: none)."""
    return (word >> 11) & _TIME >= synced


@njit(**INLINED)
def _times(wsync, warp, epoch):
    """(the time of `warp`'s last syncwarp, the syncwarp clock), both 0 when `wsync` holds an
    older epoch; read unconditionally, as the checks below read (see runtime.py why)."""
    synced = wsync[warp]
    now = wsync[wsync.size - 2]
    if wsync[wsync.size - 1] != epoch:
        return 0, 0
    return synced, now


# Both checks read every word they need before any test and store unconditionally, as those of
# runtime.py do (see there why).
@njit(**INLINED)
def shared_read(sw, sr, wsync, flat, lane, epoch):
    word = sw[flat]
    seen = sr[flat]
    warp = lane >> 5
    synced, now = _times(wsync, warp, epoch)
    me = lane + 1
    other_writer = (word >> _EPOCH_SHIFT == epoch) & (word & _CODE != me)
    unordered = (((word & _CODE) - 1) >> 5 != warp) | _after(word, synced)
    code = me
    if (seen >> _EPOCH_SHIFT == epoch) & (seen & _CODE != me):
        if _readers_warp(seen & _CODE) != warp:
            code = _MANY
        elif _after(seen, synced):
            code = _WARP + warp
    sr[flat] = (epoch << _EPOCH_SHIFT) | (now << 11) | code
    if (word < 0) | (other_writer & unordered):
        raise IndexError("uninitialised, or written by another thread since the syncwarp")
    return flat


@njit(**INLINED)
def shared_write(sw, sr, wsync, flat, lane, epoch, atomic):
    """`atomic` is always False: shared atomics keep such a kernel on the vector engine."""
    word = sw[flat]
    seen = sr[flat]
    warp = lane >> 5
    synced, now = _times(wsync, warp, epoch)
    me = lane + 1
    sw[flat] = (epoch << _EPOCH_SHIFT) | (now << 11) | me
    written = (word >> _EPOCH_SHIFT == epoch) & (word & _CODE != me)
    written_unordered = (((word & _CODE) - 1) >> 5 != warp) | _after(word, synced)
    read = (seen >> _EPOCH_SHIFT == epoch) & (seen & _CODE != me)
    read_unordered = (_readers_warp(seen & _CODE) != warp) | _after(seen, synced)
    if (written & written_unordered) | (read & read_unordered):
        raise IndexError("race")
    return flat


# ---- bit tricks (bit_intrinsics.py): `bits` is an int64 holding the operand's unsigned bits,
# a 32-bit operand zero-extended ----------------------------------------------------------
@njit(**INLINED)
def popc(bits):
    count = 0
    while bits != 0:
        bits &= bits - 1
        count += 1
    return np.int32(count)


@njit(**INLINED)
def clz(bits, width):
    if bits < 0:
        return np.int32(0)
    count = width
    while bits != 0:
        bits >>= 1
        count -= 1
    return np.int32(count)


@njit(**INLINED)
def ffs(bits):
    """The position of the lowest set bit, counting from 1; 0 when none is set."""
    if bits == 0:
        return np.int32(0)
    position = 1
    while bits & 1 == 0:
        bits >>= 1
        position += 1
    return np.int32(position)


@njit(**INLINED)
def brev(bits, width):
    """The lowest `width` bits in reverse order (the caller keeps the lowest `width`)."""
    reversed_bits = 0
    for _ in range(width):
        reversed_bits = (reversed_bits << 1) | (bits & 1)
        bits >>= 1
    return reversed_bits


@njit(**INLINED)
def select(condition, first, second):
    """cuda.selp: both values are evaluated before the call, as in the vector engine."""
    return first if condition else second
