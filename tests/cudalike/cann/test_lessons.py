"""The lessons of issue 4 item 7: what the pipe model must get right, with the reason for each
range (the figures are also in docs/cann.md, "Lessons the model teaches")."""

import numpy as np

from cudalike import cann, profiler
from cudalike.cann.examples.add import add
from cudalike.cann.kernels.matmul import matmul
from tests.tolerances import assert_close_reduction


def modelled(run):
    with profiler.profile() as prof:
        run()
    return prof.launches[0]


def square_time(buffers, n=2**16, tile=4096):
    """z = x * x with one input queue: copy in, compute and copy out take about equal time."""

    @cann.kernel
    def square(x, z):
        xGm, zGm = cann.GlobalTensor(cann.half), cann.GlobalTensor(cann.half)
        xGm.SetGlobalBuffer(x)
        zGm.SetGlobalBuffer(z)
        pipe = cann.TPipe()
        qin = cann.TQue(cann.TPosition.VECIN, buffers)
        qout = cann.TQue(cann.TPosition.VECOUT, buffers)
        pipe.InitBuffer(qin, buffers, 2 * tile)
        pipe.InitBuffer(qout, buffers, 2 * tile)
        for i in range(n // tile):
            t = qin.AllocTensor(cann.half)
            cann.DataCopy(t, xGm[i * tile], tile)
            qin.EnQue(t)
            t = qin.DeQue(cann.half)
            out = qout.AllocTensor(cann.half)
            cann.Mul(out, t, t, tile)
            qout.EnQue(out)
            qin.FreeTensor(t)
            out = qout.DeQue(cann.half)
            cann.DataCopy(zGm[i * tile], out, tile)
            qout.FreeTensor(out)

    x = np.full(n, 3, np.float16)
    z = np.zeros_like(x)
    record = modelled(lambda: square[1](x, z))
    assert (z == 9).all()
    return record.time_us


def test_double_buffering_about_2x_when_copy_and_compute_are_equal():
    # A tile of 4096 halves: MTE2 30 + 8192 / 128 = 94 cycles, Mul 24 + 32 x 2 = 88, MTE3 94.
    # One buffer runs the three stages one after another (about 276 cycles per tile); two let
    # the copy-in of tile i + 1 overlap the Mul and copy-out of tile i, but each slot's reuse
    # waits for its FreeTensor, so about 2x less the pipeline's fill and drain. Measured 1.78x.
    assert 1.7 < square_time(1) / square_time(2) < 2.1


def test_double_buffering_does_little_for_a_copy_bound_kernel():
    # 48 cores adding 2^20 halves are held by the GM roof (6 MB over 865 B/cycle), which no
    # overlap inside a core can lift: measured 4.57 vs 4.26 us, 1.07x.
    x = np.ones(2**20, np.float16)
    one = modelled(lambda: add(x, x, num_blocks=48, buffer_num=1))
    two = modelled(lambda: add(x, x, num_blocks=48, buffer_num=2))
    assert two.bound == one.bound == "gm_bandwidth"
    assert 1.0 <= one.time_us / two.time_us < 1.2


def test_more_cores_scale_until_the_gm_roof():
    # One core's MTE2 moves 128 B/cycle; GM moves 865 B/cycle for everyone, so up to about
    # six cores each core added adds its full bandwidth (1 -> 4 cores: measured 3.98x), and
    # beyond that the launch sits on the roof: 6 MB / 1.6 TB/s = 3.93 us, whatever the count.
    x = np.ones(2**20, np.float16)
    times = {n: modelled(lambda n=n: add(x, x, num_blocks=n)).time_us for n in (1, 4, 16, 48)}
    roof_us = 3 * x.nbytes / 1600e9 * 1e6
    assert 3.5 < times[1] / times[4] <= 4.05
    assert times[16] >= 0.99 * roof_us and times[48] >= 0.99 * roof_us
    assert times[48] > 0.9 * times[16]  # 48 cores buy nothing over 16


def test_tiles_too_small_to_amortise_overheads_are_slower():
    # Each tile pays 30 cycles per transfer and 24 per vector instruction whatever its size;
    # a 64-half tile (128 B) moves 1 cycle's worth of data per 30-cycle transfer, a 4096-half
    # tile 64 cycles' worth. Measured on 2^16 halves, one core: 34.7 us vs 1.72 us (20x).
    y = np.ones(2**16, np.float16)
    tiny = modelled(lambda: add(y, y, num_blocks=1, tile_length=64)).time_us
    large = modelled(lambda: add(y, y, num_blocks=1, tile_length=4096)).time_us
    assert tiny > 10 * large


def vector_matmul_kernel(m, n, k):
    """C = A @ B on the vector unit: for each row, C[i] = sum over k of A[i, k] * B[k] (fp32)."""

    @cann.kernel
    def vector_matmul(a, b, c):
        aGm, bGm, cGm = (cann.GlobalTensor(cann.float32) for _ in range(3))
        aGm.SetGlobalBuffer(a)
        bGm.SetGlobalBuffer(b)
        cGm.SetGlobalBuffer(c)
        pipe = cann.TPipe()
        qin, qout = cann.TQue(cann.TPosition.VECIN, 2), cann.TQue(cann.TPosition.VECOUT, 2)
        scratch = cann.TBuf()
        pipe.InitBuffer(qin, 2, 4 * k * n)
        pipe.InitBuffer(qout, 2, 4 * n)
        pipe.InitBuffer(scratch, 4 * n)
        aLocal, bLocal = qin.AllocTensor(cann.float32), qin.AllocTensor(cann.float32)
        cann.DataCopy(aLocal, aGm, m * k)
        cann.DataCopy(bLocal, bGm, k * n)
        qin.EnQue(aLocal)
        qin.EnQue(bLocal)
        aLocal, bLocal = qin.DeQue(cann.float32), qin.DeQue(cann.float32)
        tmp = scratch.Get(cann.float32)
        for i in range(m):
            row = qout.AllocTensor(cann.float32)
            cann.Duplicate(row, 0.0, n)
            for j in range(k):
                cann.Muls(tmp, bLocal[j * n], aLocal.GetValue(i * k + j), n)
                cann.Add(row, row, tmp, n)
            qout.EnQue(row)
            row = qout.DeQue(cann.float32)
            cann.DataCopy(cGm[i * n], row, n)
            qout.FreeTensor(row)
        qin.FreeTensor(aLocal)
        qin.FreeTensor(bLocal)

    return vector_matmul


def test_the_cube_beats_a_vector_matmul_by_far():
    # 64^3 MACs: the cube does 4096 per cycle (64 cycles of Mmad); the vector unit does 64
    # floats per 256-byte repeat with 24 cycles of overhead per instruction and two
    # instructions (Muls, Add) per row and k, about 8192 x 26 cycles. Data movement is
    # the same for both, so the ratio is far above 10 (measured about 480x); the floats the
    # vector version uses cost it at most 2x against halves.
    rng = np.random.default_rng(1)
    a = rng.standard_normal((64, 64)).astype(np.float16)
    b = rng.standard_normal((64, 64)).astype(np.float16)
    expected = a.astype(np.float32) @ b.astype(np.float32)
    c = np.zeros((64, 64), np.float32)
    vector = modelled(
        lambda: vector_matmul_kernel(64, 64, 64)[1](a.astype(np.float32), b.astype(np.float32), c)
    )
    scale = np.abs(a.astype(np.float32)) @ np.abs(b.astype(np.float32))
    assert_close_reduction(c, expected, np.float32, 64, scale=scale)
    cube = modelled(lambda: matmul(a, b, out_dtype=np.float32, num_cores=1))
    assert vector.time_us / cube.time_us > 10
    assert cube.metrics["aic_cube_ratio"] > 0 and vector.metrics["aiv_vec_ratio"] > 0.5


def copy_time(offset, count):
    @cann.kernel
    def kernel(x):
        xGm = cann.GlobalTensor(cann.half)
        xGm.SetGlobalBuffer(x + offset)
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 2 * count)
        cann.DataCopy(buf.Get(cann.half), xGm, count)

    return modelled(lambda: kernel[1](np.zeros(count + 512, np.float16))).cycles


def test_unaligned_and_small_transfers_cost_more():
    # Official practice guide: 32 B-aligned GM addresses reach about 70% of 512 B-aligned
    # ones (16 KB: 30 + 128 vs 30 + 183 cycles, 1.35x), and transfers under 16 KB do not
    # approach peak: 32 bytes pay the same 30-cycle overhead as 16 KB (per byte, about 100x).
    assert copy_time(16, 8192) > 1.3 * copy_time(0, 8192)
    assert copy_time(0, 16) / 16 > 20 * copy_time(0, 8192) / 8192
