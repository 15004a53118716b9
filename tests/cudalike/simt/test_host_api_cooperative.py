"""Cooperative launches: kernels that call cuda.cg.this_grid() are marked cooperative, a grid
larger than the device holds at once is refused, and grid.sync() orders global memory
between blocks (the engine's half; tests drive it directly)."""

import numpy as np
import pytest
from numba import int32

from cudalike import config, cuda
from cudalike.errors import LaunchConfigError, RaceError
from cudalike.simt import engine, memory, races


def sequential_rows(M):
    col = cuda.grid(1)
    g = cuda.cg.this_grid()
    for row in range(1, M.shape[0]):
        M[row, col] = M[row - 1, M.shape[1] - col - 1] + 1
        g.sync()


def no_sync(A):
    A[0] = cuda.grid(1)


def test_overload_is_cooperative_and_sizes_the_grid():
    sig = (int32[:, ::1],)
    overload = cuda.jit(sig)(sequential_rows).overloads[sig]
    assert overload.cooperative
    per_1d = overload.max_cooperative_grid_blocks(256)
    assert per_1d == overload.max_cooperative_grid_blocks((16, 16))
    assert per_1d == overload.max_cooperative_grid_blocks((16, 4, 4))
    with config.override(device="H100"):
        # 132 SMs, each holding 2048 threads: 8 blocks of 256, 2 of 1024
        assert overload.max_cooperative_grid_blocks(256) == 132 * 8
        assert overload.max_cooperative_grid_blocks(1024) == 132 * 2
    assert not cuda.jit((int32[::1],))(no_sync).overloads[(int32[::1],)].cooperative


def test_too_large_a_cooperative_grid_is_refused():
    kernel = cuda.jit(sequential_rows)
    with config.override(device="H100"), pytest.raises(LaunchConfigError) as refused:
        kernel[132 * 8 + 1, 256](np.zeros((2, 4), np.int32))
    message = str(refused.value)
    assert "1057 blocks" in message and "at most 1056" in message
    assert "cudaErrorCooperativeLaunchTooLarge" in message


def _launch(kernel, blocks: int, threads: int, tracked: dict):
    return engine.Launch(kernel, (blocks, 1, 1), (threads, 1, 1), 0, config.get(), tracked)


def test_a_cooperative_grid_runs_as_one_chunk():
    kernel = cuda.jit(sequential_rows)
    with config.override(max_lanes=64):
        assert list(_launch(kernel, 8, 32, {}).chunks()) == [(0, 8)]
        assert len(list(_launch(cuda.jit(no_sync), 8, 32, {}).chunks())) == 4


def test_grid_sync_orders_global_memory_between_blocks():
    kernel = cuda.jit(sequential_rows)
    lanes = np.arange(64)
    for synchronised in (True, False):
        data = np.zeros(64, np.float32)
        buffer = memory.Buffer("M", "global", data, data.shape, base=data)
        ctx = engine.ChunkContext(_launch(kernel, 2, 32, {id(buffer): buffer}), 0, 2)
        races.global_write(ctx, buffer, lanes, lanes, line=1)  # each thread its own element
        if synchronised:
            ctx.grid_sync(True, line=2)
            races.global_read(ctx, buffer, lanes[::-1].copy(), lanes, line=3)
        else:
            with pytest.raises(RaceError, match="which block"):
                races.global_read(ctx, buffer, lanes[::-1].copy(), lanes, line=3)
