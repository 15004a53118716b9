"""The race checks of reads a fence and an atomic may publish (publication.py), for numba.

`fences` counts each thread's fences (indexed by global thread), `fenced_at` holds the last
barrier epoch in which each block fenced (-1: never), `atomic` marks the threads that did an
atomic on a global array, `atomic_at` the first epoch in which each block did one. `gf` holds,
per element of an array such reads meet, the writer's fence count at its last write.
"""

from __future__ import annotations

from numba import njit

from cudalike.simt.compiled.runtime import _LEP_BITS, _LEP_MASK, INLINED, global_write


@njit(**INLINED)
def fence(fences, fenced_at, block, thread, lep):
    fences[thread] += 1
    fenced_at[block] = lep


@njit(**INLINED)
def acquire(atomic, atomic_at, block, thread, lep):
    atomic[thread] = True
    atomic_at[block] = min(atomic_at[block], lep)


@njit(**INLINED)
def fenced_write(fences, gf, gw, gr, flat, block, thread, threads, lep):
    """runtime.global_write, noting the writing thread's fence count."""
    gf[flat] = fences[thread]
    return global_write(gw, gr, flat, block, thread, threads, lep)


@njit(**INLINED)
def published_read(
    fences, fenced_at, atomic, atomic_at, gf, gw, gr, flat, block, thread, threads, lep
):
    """runtime.global_read, where another block's write passes when the writing thread fenced
    after it or its block fenced in a later epoch, and the reading thread did an atomic before
    or its block did in an earlier epoch."""
    word = gw[flat]
    seen = gr[flat]
    gr[flat] = block + 1 if seen == 0 else (seen if seen == block + 1 else -1)
    writer = max((word >> _LEP_BITS) - 1, 0)  # 0 for no writer or an atomic: raised on below
    epoch = word & _LEP_MASK
    foreign = writer // threads != block
    published = fences[writer] > gf[flat] or fenced_at[writer // threads] > epoch
    acquired = atomic[thread] or atomic_at[block] < lep
    if foreign:
        other = not (published and acquired)
    else:
        other = epoch == lep and writer != thread
    if word != 0 and (word < 0 or other):
        raise IndexError("race with an atomic, another block or another thread")
    return flat
