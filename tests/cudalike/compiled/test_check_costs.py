"""The per-access checks the compiled tier inlines keep numba's reference counting out of the
loops that call them: an inlined function that reads or stores an array argument under a
branch makes numba count references to it on every call (two atomic operations, several
times the cost of the check), so each check reads and stores before it tests."""

import numpy as np
import pytest
from numba import njit

from cudalike.simt.compiled import runtime as rt
from cudalike.simt.compiled import warp_runtime as wrt

pytestmark = pytest.mark.slow

JIT = {"nogil": True, "error_model": "python"}


@njit(**JIT)
def _plain(sw, sr, wsync, f):
    total = np.float32(0)
    for t in range(f.size):
        f[t] = total
        total += f[t]
    return total


@njit(**JIT)
def _shared(sw, sr, wsync, f):
    total = np.float32(0)
    for t in range(f.size):
        f[rt.shared_write(sw, sr, t, t, 1, False)] = total
        total += f[rt.shared_read(sw, sr, t, t, 1)]
    return total


@njit(**JIT)
def _shared_syncwarp(sw, sr, wsync, f):
    total = np.float32(0)
    for t in range(f.size):
        f[wrt.shared_write(sw, sr, wsync, t, t, 1, False)] = total
        total += f[wrt.shared_read(sw, sr, wsync, t, t, 1)]
    return total


@njit(**JIT)
def _shared_reads_only(sw, sr, wsync, f):
    total = np.float32(0)
    full = f.size > 1000
    for t in range(f.size):
        total += f[rt.shared_initialised(sw, t, full)]
    return total


@njit(**JIT)
def _global(gw, gr, wsync, f):
    total = np.float32(0)
    for t in range(f.size):
        f[rt.global_write(gw, gr, t, 0, t, f.size, 1)] = total
        total += f[rt.global_read(gw, gr, t, 0, t, f.size, 1)]
    return total


@njit(**JIT)
def _atomics_and_shuffles(sw, sr, wsync, f):
    total = np.float32(0)
    for t in range(f.size):
        rt.atomic_max(f, t & 7, total)
        rt.atomic_cas(f, t & 7, total, np.float32(t))
        total += wrt.shfl_xor(f, 16, t, f.size) + wrt.shfl_down(f, 3, t, f.size)
    return total


def _increfs(function, arrays) -> int:
    function(*arrays)
    (ir,) = function.inspect_llvm().values()
    return ir.count("call void @NRT_incref")


@pytest.mark.parametrize(
    "loop",
    [_shared, _shared_syncwarp, _shared_reads_only, _global, _atomics_and_shuffles],
    ids=lambda f: f.__name__,
)
def test_checks_add_no_reference_counting_to_the_loop(loop):
    n = 64
    sw = np.full(n, -1, np.int64)
    sr = np.full(n, -1, np.int64)
    wsync = np.zeros(n // 32 + 2, np.int64)
    arrays = (sw, sr, wsync, np.zeros(n, np.float32))
    plain = _increfs(_plain, arrays)
    assert _increfs(loop, (np.zeros(n, np.int64), np.zeros(n, np.int64), *arrays[2:])) == plain
