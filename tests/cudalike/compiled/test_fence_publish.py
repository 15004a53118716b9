"""The "last block" pattern on the compiled tier with checks on: a read of another block's
write that the writer published with a fence and the reader acquired with an atomic runs
compiled, as the vector engine's race check lets it pass, and every variant the vector engine
reports (no fence, a fence before the write, no atomic, an atomic on shared memory, a reader
that is not the last block) is handed back, so the report is the vector engine's. Each case
runs with one chunk of blocks, a chunk per block and chunks of two blocks (max_lanes)."""

import inspect

import numpy as np
import pytest
from numba import float32, int32

from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled import survey_idioms
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow

BLOCK = 32
GRID = 6
CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
# one chunk for the whole grid, one block per chunk, two blocks per chunk
LANES = pytest.mark.parametrize("lanes", [None, BLOCK, 2 * BLOCK], ids=["one", "per-block", "two"])
RACE = "reads global array 'partial'"


def _reports(error, text: str) -> bool:
    return str(error).startswith("data race") and text in str(error)


def fence_block(x, partial, count, total):
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        partial[b] = x[b] * float32(2)
        cuda.threadfence_block()  # the vector engine counts every kind of fence alike
        ticket = cuda.atomic.inc(count, 0, cuda.gridDim.x)
        if ticket == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(cuda.gridDim.x):
                acc += partial[k]
            total[0] = acc


def fence_system(x, partial, count, total):
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        partial[b] = x[b] * float32(2)
        cuda.threadfence_system()
        ticket = cuda.atomic.inc(count, 0, cuda.gridDim.x)
        if ticket == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(cuda.gridDim.x):
                acc += partial[k]
            total[0] = acc


def fence_later_epoch(x, partial, count, total):
    """Every thread writes, and thread 0 fences for the block after a barrier."""
    i = cuda.grid(1)
    partial[i] = x[i]
    cuda.syncthreads()
    if cuda.threadIdx.x == 0:
        cuda.threadfence()
        ticket = cuda.atomic.add(count, 0, 1)
        if ticket == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(partial.size):
                acc += partial[k]
            total[0] = acc


def last_block_2d(x, partial, count, total):
    """The survey's pattern on a 2-D grid of 2-D blocks."""
    cache = cuda.shared.array((4, 8), float32)
    is_last = cuda.shared.array(1, int32)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    b = cuda.blockIdx.y * cuda.gridDim.x + cuda.blockIdx.x
    blocks = cuda.gridDim.x * cuda.gridDim.y
    cache[ty, tx] = x[b * 32 + ty * 8 + tx]
    cuda.syncthreads()
    if tx == 0 and ty == 0:
        acc = float32(0)
        for r in range(4):
            for c in range(8):
                acc += cache[r, c]
        partial[b] = acc
        cuda.threadfence()
        ticket = cuda.atomic.inc(count, 0, blocks)
        is_last[0] = ticket == blocks - 1
    cuda.syncthreads()
    if is_last[0] and tx == 0 and ty == 0:
        acc = float32(0)
        for k in range(blocks):
            acc += partial[k]
        total[0] = acc


def no_fence(x, partial, count, total):
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        partial[b] = x[b] * float32(2)
        ticket = cuda.atomic.inc(count, 0, cuda.gridDim.x)
        if ticket == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(cuda.gridDim.x):
                acc += partial[k]
            total[0] = acc


def fence_before_write(x, partial, count, total):
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        cuda.threadfence()
        partial[b] = x[b] * float32(2)
        ticket = cuda.atomic.inc(count, 0, cuda.gridDim.x)
        if ticket == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(cuda.gridDim.x):
                acc += partial[k]
            total[0] = acc


def every_thread_fences_first(x, partial, count, total):
    """Each thread fences, then writes: no fence follows any write (counted per block, the
    fences of later threads would seem to)."""
    i = cuda.grid(1)
    cuda.threadfence()
    partial[i] = x[i]
    if cuda.threadIdx.x == 0:
        ticket = cuda.atomic.add(count, 0, 1)
        if ticket == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(partial.size):
                acc += partial[k]
            total[0] = acc


def no_atomic(x, partial, count, total):
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        partial[b] = x[b] * float32(2)
        cuda.threadfence()
        if b == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(cuda.gridDim.x):
                acc += partial[k]
            total[0] = acc


def shared_atomic(x, partial, count, total):
    """An atomic on shared memory acquires nothing."""
    seen = cuda.shared.array(1, int32)
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        seen[0] = 0
        partial[b] = x[b] * float32(2)
        cuda.threadfence()
        cuda.atomic.add(seen, 0, 1)
        if b == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(cuda.gridDim.x):
                acc += partial[k]
            total[0] = acc


def first_block_reads(x, partial, count, total):
    """Block 0 reads block 1's partial sum after its own fence and atomic."""
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        partial[b] = x[b] * float32(2)
        cuda.threadfence()
        cuda.atomic.add(count, 0, 1)
        if b == 0:
            total[0] = partial[1]


def fence_after_read(x, partial, count, total):
    """The fence follows the read: within a chunk the read comes before other blocks' fences."""
    b = cuda.blockIdx.x
    if cuda.threadIdx.x == 0:
        partial[b] = x[b] * float32(2)
        ticket = cuda.atomic.inc(count, 0, cuda.gridDim.x)
        if ticket == cuda.gridDim.x - 1:
            acc = float32(0)
            for k in range(cuda.gridDim.x):
                acc += partial[k]
            total[0] = acc
        cuda.threadfence()


def other_thread_acquires(x, partial, count, total):
    """Thread 1 does the atomic and thread 0 reads, with no barrier between: the vector engine
    runs the atomic's statement first, compiled code runs thread 0 first and cannot tell."""
    b = cuda.blockIdx.x
    t = cuda.threadIdx.x
    if t == 0:
        partial[b] = x[b] * float32(2)
        cuda.threadfence()
    cuda.syncthreads()
    if t == 1:
        cuda.atomic.add(count, 0, 1)
    if t == 0 and b == cuda.gridDim.x - 1:
        acc = float32(0)
        for k in range(cuda.gridDim.x):
            acc += partial[k]
        total[0] = acc


def atomic_after_the_read(x, partial, count, total):
    """Thread 0's atomic follows thread 1's read in the kernel: the vector engine runs the read
    first (reported), compiled code runs thread 0 first."""
    b = cuda.blockIdx.x
    t = cuda.threadIdx.x
    if t == 0:
        partial[b] = x[b] * float32(2)
        cuda.threadfence()
    cuda.syncthreads()
    if t == 1 and b == cuda.gridDim.x - 1:
        acc = float32(0)
        for k in range(cuda.gridDim.x):
            acc += partial[k]
        total[0] = acc
    if t == 0:
        cuda.atomic.add(count, 0, 1)


def _arguments(rng):
    size = GRID * BLOCK
    x = rng.standard_normal(size).astype(np.float32)
    return [x, np.zeros(size, np.float32), np.zeros(1, np.uint32), np.zeros(1, np.float32)]


def _run(function, griddim, blockdim, make_args, checks, lanes):
    """(the vector engine's error, how the compiled tier ran) after comparing the tiers."""
    overrides = {} if lanes is None else {"max_lanes": lanes}
    with config.override(**overrides):
        error, counts, _ = compare_tiers(
            cuda.jit(function), griddim, blockdim, make_args, checks, KernelError
        )
    return error, how_it_ran(counts)


PUBLISHED = [fence_block, fence_system, fence_later_epoch]


@CHECKS
@LANES
@pytest.mark.parametrize("function", PUBLISHED, ids=lambda f: f.__name__)
def test_a_published_read_runs_compiled(function, checks, lanes):
    error, ran = _run(function, GRID, BLOCK, _arguments, checks, lanes)
    assert error is None
    assert ran == "compiled", launcher.reasons.get(function.__name__)


@CHECKS
@LANES
def test_the_surveys_last_block_sum_runs_compiled(checks, lanes):
    case = next(c for c in survey_idioms.CASES if c.name == "last_block_sum")
    lanes = lanes and lanes * survey_idioms.BLOCK // BLOCK
    error, ran = _run(case.kernel, case.griddim, case.blockdim, case.make_args, checks, lanes)
    assert error is None
    assert ran == "compiled", launcher.reasons.get("last_block_sum")


@CHECKS
@LANES
def test_a_2d_grid_runs_compiled(checks, lanes):
    def arguments(rng):
        x = rng.standard_normal(GRID * 32).astype(np.float32)
        return [x, np.zeros(GRID, np.float32), np.zeros(1, np.uint32), np.zeros(1, np.float32)]

    error, ran = _run(last_block_2d, (3, 2), (8, 4), arguments, checks, lanes)
    assert error is None
    assert ran == "compiled", launcher.reasons.get("last_block_2d")


REPORTED = [no_fence, fence_before_write, every_thread_fences_first, no_atomic, shared_atomic]
REPORTED += [atomic_after_the_read]


@LANES
@pytest.mark.parametrize("function", REPORTED, ids=lambda f: f.__name__)
def test_an_unpublished_read_is_handed_back_and_reported(function, lanes):
    error, ran = _run(function, GRID, BLOCK, _arguments, True, lanes)
    assert _reports(error, RACE)
    assert ran == "handed back"


@LANES
def test_a_reader_that_is_not_last_is_handed_back(lanes):
    """In one chunk block 1 wrote before block 0 reads (the vector engine lets it pass); in
    chunks of their own block 0 reads first, and block 1's write is reported."""
    error, ran = _run(first_block_reads, GRID, BLOCK, _arguments, True, lanes)
    if lanes == BLOCK:
        assert _reports(error, "writes global array 'partial'[1], which block (0, 0, 0) reads")
    else:
        assert error is None
    assert ran == "handed back"


@LANES
def test_a_fence_after_the_read_is_handed_back(lanes):
    """Blocks of the read's chunk have not fenced yet when it runs (reported); blocks of
    earlier chunks have (not reported): compiled code, running each block to its end, cannot
    tell the two apart and hands both back."""
    error, ran = _run(fence_after_read, GRID, BLOCK, _arguments, True, lanes)
    if lanes == BLOCK:
        assert error is None
    else:
        assert _reports(error, RACE)
    assert ran == "handed back"


@LANES
def test_an_atomic_by_another_thread_since_no_barrier_is_handed_back(lanes):
    error, ran = _run(other_thread_acquires, GRID, BLOCK, _arguments, True, lanes)
    assert error is None
    assert ran == "handed back"


@pytest.mark.parametrize("function", REPORTED + [first_block_reads], ids=lambda f: f.__name__)
def test_racy_variants_run_compiled_with_checks_off(function):
    """A race is undefined with checks off: both tiers run it, and the compiled one ran."""
    kernel = cuda.jit(function)
    before = launcher.outcomes["compiled"]
    with config.override(tier="compiled", checks=False):
        kernel[GRID, BLOCK](*_arguments(np.random.default_rng(0)))
    assert launcher.outcomes["compiled"] - before == 1


def test_kernels_without_a_published_read_count_no_fence():
    """A fence no read needs, and a kernel without fences, cost nothing."""

    def fence_only(x, out):
        i = cuda.grid(1)
        out[i] = x[i]
        cuda.threadfence()

    for function in (fence_only, no_fence):
        kernel = cuda.jit(function)
        args = _arguments(np.random.default_rng(0))[: 2 if function is fence_only else 4]
        with config.override(tier="compiled", checks=True):
            try:
                kernel[GRID, BLOCK](*args)
            except KernelError:
                pass
        source = "".join(inspect.getsource(d.py_func) for d in launcher._drivers[kernel].values())
        assert "prt." not in source and "pb_" not in source
