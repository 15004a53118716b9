"""Checked memory accesses for compiled kernels, as numba functions the generated code calls.

Every function here either performs the access or raises: the launcher treats any exception as "run
this launch again on the vector engine", which then reports exactly what it always reported.
The checks are conservative (they may raise where the vector engine finds nothing, which only
costs speed) but never miss a fault the vector engine would report.

Shadow words:
- shared write `SW`: -1 never written in this block, else (epoch << 11) | (thread + 1), with
  thread + 1 == 0 for an atomic; shared read `SR`: the same packing, thread + 1 == 2047 for
  several readers.
- global write `GW`: 0 never written, -1 written by an atomic, else ((global thread + 1) << 20)
  | barrier count of its block; global read `GR`: 0 never read, block + 1, or -1 for several.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit, objmode

from cudalike.simt import shadow_pool
from cudalike.simt.compiled.numpy_scalars import maximum, minimum

# No cache of their own: they are inlined into each generated kernel, whose module is cached.
# (A cache here is set up at import, in ~/.cache when the package folder is read-only, as it
# is for the grader's sandboxed child.)
INLINED = {"nogil": True, "error_model": "python", "inline": "always"}
_MANY = 2047
_LEP_BITS = 20
_LEP_MASK = (1 << _LEP_BITS) - 1
_CLOCK_MASK = (1 << 14) - 1
_INT64_MAX = np.iinfo(np.int64).max


@njit(**INLINED)
def bound(index, size):
    """`index` when 0 <= index < size; otherwise the access is out of bounds."""
    if index < 0 or index >= size:
        raise IndexError("out of bounds")
    return index


@njit(**INLINED)
def fits(value, low, high):
    """`value`, a Python integer meeting a narrower integer type, when that type holds it;
    numpy refuses the others (OverflowError), so the vector engine reports them."""
    if value < low or value > high:
        raise OverflowError("Python integer out of bounds")
    return value


@njit(**INLINED)
def float_fits(value, low, above):
    """`value`, a float converted to an integer type, when it lies in [type's min, max + 1),
    where conversion is truncation everywhere; what the others become depends on the machine
    (the vector engine answers)."""
    if not low <= value < above:  # NaN fails too
        raise OverflowError("float out of the integer type's range")
    return value


@njit(**INLINED)
def trip(low, high, step):
    """Iterations of range(low, high, step)."""
    if step == 0:
        raise ValueError("range() step must not be zero")
    if step > 0:
        if high - low <= step:  # at most one (a grid-stride loop's usual count): no division
            return 1 if low < high else 0
        return (high - low + step - 1) // step
    if low - high <= -step:
        return 1 if low > high else 0
    return (low - high - step - 1) // -step


@njit(**INLINED)
def while_trips(start, stop, step):
    """Iterations of `while i < stop: ...; i += step` from i = start. A loop that would not end
    (step <= 0) or whose counter would wrap raises: the vector engine reports it."""
    if start >= stop:
        return 0
    if step <= 0 or start < 0:
        raise IndexError("loop budget")
    trips = (stop - start - 1) // step + 1
    if start + (trips - 1) * step > _INT64_MAX - step:
        raise IndexError("loop budget")
    return trips


@njit(**INLINED)
def tick(ticks, site, lane, count, budget):
    """Count `count` iterations of a loop for one thread; past the budget the loop may be
    endless."""
    total = ticks[site, lane] + count
    ticks[site, lane] = total
    if total > budget:
        raise IndexError("loop budget")


@njit(**INLINED)
def fold_ticks(ticks, chunk_max, totals, chunk, budget):
    """After a block: its per-thread loop counts raise the maxima of its chunk (the vector
    engine's chunk of blocks, whatever order the blocks run in), and are zeroed for the next
    block. `totals`, the sum of the chunk maxima so far, only grows and ends at the vector
    engine's count, so it passes the budget exactly when the vector engine's count does."""
    for site in range(ticks.shape[0]):
        row = ticks[site]
        most = 0
        for lane in range(row.size):  # a branch-free loop the compiler vectorises
            most = max(most, row[lane])
            row[lane] = 0
        if most > chunk_max[chunk, site]:
            totals[site] += most - chunk_max[chunk, site]
            chunk_max[chunk, site] = most
            if totals[site] > budget:
                raise IndexError("loop budget")


@njit
def past(deadline):
    """Whether time.perf_counter() is past `deadline` (a call into Python: call it rarely)."""
    with objmode(now="float64"):
        now = time.perf_counter()
    return now > deadline


@njit(**INLINED)
def clock_tick(clock, deadline):
    """Count one iteration of any while loop; every 2**14 of them, compare the time with the
    launch's time budget (the vector engine then reports the loop still running)."""
    count = clock[0] + 1
    clock[0] = count
    if count & _CLOCK_MASK == 0 and past(deadline):
        raise IndexError("time budget")


@njit(**INLINED)
def tick_while(ticks, site, lane, budget, clock, deadline):
    """One iteration of a thread's while loop: the loop budget and the time budget."""
    tick(ticks, site, lane, 1, budget)
    clock_tick(clock, deadline)


@njit(**INLINED)
def any_alive(alive):
    for value in alive:
        if value:
            return True
    return False


@njit(**INLINED)
def same_trips(low, high, step, first, count, reached):
    """Whether the `count` threads from `first` on reached a jammed loop with as many
    iterations and the same step (their starts may differ)."""
    if first + count > reached:
        return False
    trips = trip(low[first], high[first], step[first])
    for j in range(first + 1, first + count):
        if step[j] != step[first] or trip(low[j], high[j], step[j]) != trips:
            return False
    return True


@njit(**INLINED)
def same_bounds(low, high, step, first, count, reached):
    """Whether the `count` threads from `first` on reached a jammed loop with equal bounds."""
    if first + count > reached:
        return False
    for j in range(first + 1, first + count):
        if low[j] != low[first] or high[j] != high[first] or step[j] != step[first]:
            return False
    return True


@njit(**INLINED)
def uniform(values, alive):
    """The value all live threads of the block hold (a block-level condition or bound)."""
    first = -1
    for lane in range(alive.size):
        if alive[lane]:
            if first < 0:
                first = lane
            elif values[lane] != values[first]:
                raise IndexError("divergent")
    return values[max(first, 0)]


@njit
def take_global_shadows(size):
    """The write and read shadows of a global array of `size` elements, all 0, from the pool
    of shadow arrays: reused memory costs far less than fresh pages faulting in."""
    with objmode(written="int64[::1]", read="int32[::1]"):
        written = shadow_pool.take(size, np.int64, 0)
        read = shadow_pool.take(size, np.int32, 0)
    return written, read


@njit
def give_back_global_shadows(written, read):
    """Return the shadows to the pool (reset to 0) after a launch that found nothing."""
    with objmode():
        shadow_pool.give_back(written, 0)
        shadow_pool.give_back(read, 0)


# ---- shared memory (each check returns the element it allowed) -----------------------------
# Every check reads the words it needs and stores its new word before any test: an array read
# or store under a branch keeps numba from pairing the reference counts of an inlined
# function's array arguments, which then cost two atomic operations per access (a checked
# shared read took 4 ns where it now takes 1). Whether it raises before or after the store
# does not matter: a raise discards the launch's shadows with the launch.
@njit(**INLINED)
def shared_read(sw, sr, flat, lane, epoch):
    """Epochs only grow, so a word >= epoch << 11 was stamped in the current epoch."""
    word = sw[flat]
    seen = sr[flat]
    base = epoch << 11
    me = base | (lane + 1)
    sr[flat] = me if seen < base else (seen if seen == me else base | _MANY)
    if (word < 0) | ((word >= base) & (word != me)):
        raise IndexError("uninitialised, or written by another thread since the barrier")
    return flat


@njit(**INLINED)
def shared_initialised(sw, flat, full):
    """A read between two barriers of a segment that does not write the array: only the
    initialisation check can fire, and not at all when every element is written (`full`)."""
    word = sw[flat]
    if (not full) & (word < 0):
        raise IndexError("uninitialised")
    return flat


@njit(**INLINED)
def all_written(sw):
    """Whether every element of a shared array was written in this block (one scan before a
    segment that only reads it spares a check per read)."""
    for word in sw:
        if word < 0:
            return False
    return True


@njit(**INLINED)
def shared_write(sw, sr, flat, lane, epoch, atomic):
    """One raise for both races (the vector engine's report names the race)."""
    word = sw[flat]
    seen = sr[flat]
    sw[flat] = (epoch << 11) | (0 if atomic else lane + 1)
    written = (word >= 0) & (word >> 11 == epoch) & (word & _MANY != lane + 1)
    read = (seen >= 0) & (seen >> 11 == epoch) & (seen & _MANY != lane + 1)
    if (written & (not (atomic & (word & _MANY == 0)))) | read:
        raise IndexError("race")
    return flat


# ---- global memory ----------------------------------------------------------------------
@njit(**INLINED)
def global_read(gw, gr, flat, block, thread, threads, lep):
    """A read after an atomic, after another block's write, or after another thread's write
    since the barrier; read and stored unconditionally, as the shared-memory checks are."""
    word = gw[flat]
    seen = gr[flat]
    gr[flat] = block + 1 if seen == 0 else (seen if seen == block + 1 else -1)
    writer = (word >> _LEP_BITS) - 1
    other_block = (writer // threads != block) | ((word & _LEP_MASK == lep) & (writer != thread))
    if (word != 0) & ((word < 0) | other_block):
        raise IndexError("race with an atomic, another block or another thread")
    return flat


@njit(**INLINED)
def global_write(gw, gr, flat, block, thread, threads, lep):
    """A race with another block's read or write, a thread's since the barrier, or an atomic;
    one raise site, as in shared_write."""
    seen = gr[flat]
    word = gw[flat]
    gw[flat] = ((thread + 1) << _LEP_BITS) | lep
    writer = (word >> _LEP_BITS) - 1
    other_block = (writer // threads != block) | ((word & _LEP_MASK == lep) & (writer != thread))
    other = (word != 0) & ((word < 0) | other_block)
    if ((seen != 0) & (seen != block + 1)) | other | (lep > _LEP_MASK):
        raise IndexError("race, or too many barriers")
    return flat


@njit(**INLINED)
def global_atomic(gw, gr, flat):
    if gw[flat] > 0 or gr[flat] != 0:
        raise IndexError("atomic meets a plain access")
    gw[flat] = -1
    return flat


# ---- local memory: stored thread after thread; `written` marks what each thread stored -----
@njit(**INLINED)
def local_read(written, flat):
    if not written[flat]:
        raise IndexError("uninitialised")
    return flat


@njit(**INLINED)
def local_write(written, flat):
    written[flat] = True
    return flat


# ---- atomics: one update, returning the old value (the vector engine's lane order is kept
# by running each site thread after thread, see statements.ordered_atomics) ------------------
@njit(**INLINED)
def atomic_add(array, flat, value):
    old = array[flat]
    array[flat] = old + value
    return old


@njit(**INLINED)
def atomic_sub(array, flat, value):
    old = array[flat]
    array[flat] = old - value
    return old


@njit(**INLINED)
def atomic_max(array, flat, value):
    """numba's atomic max: a NaN operand leaves the element, a NaN element stays NaN."""
    old = array[flat]
    array[flat] = maximum(old, value) if value == value else old
    return old


@njit(**INLINED)
def atomic_min(array, flat, value):
    old = array[flat]
    array[flat] = minimum(old, value) if value == value else old
    return old


@njit(**INLINED)
def atomic_and(array, flat, value):
    old = array[flat]
    array[flat] = old & value
    return old


@njit(**INLINED)
def atomic_or(array, flat, value):
    old = array[flat]
    array[flat] = old | value
    return old


@njit(**INLINED)
def atomic_xor(array, flat, value):
    old = array[flat]
    array[flat] = old ^ value
    return old


@njit(**INLINED)
def atomic_exch(array, flat, value):
    old = array[flat]
    array[flat] = value
    return old


@njit(**INLINED)
def atomic_inc(array, flat, limit):
    old = array[flat]
    array[flat] = 0 if old >= limit else old + 1
    return old


@njit(**INLINED)
def atomic_dec(array, flat, limit):
    old = array[flat]
    array[flat] = limit if old == 0 or old > limit else old - 1
    return old


@njit(**INLINED)
def atomic_cas(array, flat, expected, value):
    old = array[flat]
    array[flat] = value if old == expected else old
    return old
