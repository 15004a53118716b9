"""The cube path (cudalike/cann/cube.py), the Matmul object and the reference matmul."""

import numpy as np
import pytest

from cudalike import cann, profiler
from cudalike.cann import errors
from cudalike.cann.kernels.matmul import matmul
from tests.tolerances import assert_close_reduction

H, F = cann.half, cann.float32
P = cann.TPosition


def c16(value):
    return -(-value // 16) * 16


def cube_kernel(m, n, k, out=np.float32, sync=True, k_steps=1, quant=None):
    """C = A @ B by hand: GM -> L1 (Nd2Nz) -> L0A/L0B (LoadData) -> Mmad -> Fixpipe."""
    m16, n16, k16 = c16(m), c16(n), c16(k)

    @cann.kernel
    def kernel(a, b, c):
        aGm, bGm, cGm = cann.GlobalTensor(H), cann.GlobalTensor(H), cann.GlobalTensor(out)
        aGm.SetGlobalBuffer(a, m * k)
        bGm.SetGlobalBuffer(b, k * n)
        cGm.SetGlobalBuffer(c, m * n)
        pipe = cann.TPipe()
        qA1, qB1, qA2 = cann.TQue(P.A1, 1), cann.TQue(P.B1, 1), cann.TQue(P.A2, 1)
        qB2, qC = cann.TQue(P.B2, 1), cann.TQue(P.CO1, 1)
        for que, size in ((qA1, m16 * k16), (qA2, m16 * k16), (qB1, k16 * n16), (qB2, k16 * n16)):
            pipe.InitBuffer(que, 1, 2 * size)
        pipe.InitBuffer(qC, 1, 4 * m16 * n16)
        c1 = qC.AllocTensor(F)
        for step in range(k_steps):
            a1 = qA1.AllocTensor(H)
            cann.DataCopy(a1, aGm, cann.Nd2NzParams(1, m, k, 0, k, m16, 1, 0))
            if sync:
                qA1.EnQue(a1)
                a1 = qA1.DeQue(H)
            a2 = qA2.AllocTensor(H)
            for i in range(m16 // 16):  # NZ -> zZ: one fractal row of A per call
                params = cann.LoadData2DParams(i, k16 // 16, m16 // 16)
                cann.LoadData(a2[i * k16 * 16], a1, params)
            qA2.EnQue(a2)
            qA1.FreeTensor(a1)
            b1 = qB1.AllocTensor(H)
            cann.DataCopy(b1, bGm, cann.Nd2NzParams(1, k, n, 0, n, k16, 1, 0))
            qB1.EnQue(b1)
            b1 = qB1.DeQue(H)
            b2 = qB2.AllocTensor(H)
            for i in range(k16 // 16):  # NZ -> nZ: each fractal transposed
                params = cann.LoadData2DParams(i, n16 // 16, k16 // 16, 0, 0, True)
                cann.LoadData(b2[i * n16 * 16], b1, params)
            qB2.EnQue(b2)
            qB1.FreeTensor(b1)
            a2, b2 = qA2.DeQue(H), qB2.DeQue(H)
            cann.Mmad(c1, a2, b2, cann.MmadParams(m, n, k, cmatrixInitVal=step == 0))
            qA2.FreeTensor(a2)
            qB2.FreeTensor(b2)
        qC.EnQue(c1)
        c1 = qC.DeQue(F)
        mode = cann.QuantMode_t.F322F16 if out == np.float16 else cann.QuantMode_t.NoQuant
        cann.Fixpipe(cGm, c1, cann.FixpipeParamsV220(n, m, m16, n, False, quant or mode))
        qC.FreeTensor(c1)

    return kernel


def operands(m, n, k, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, k)).astype(np.float16)
    b = rng.standard_normal((k, n)).astype(np.float16)
    return a, b, a.astype(np.float32) @ b.astype(np.float32)


def assert_matmul_close(c, expected, a, b, k_steps=1):
    """c matches a float32-accumulated A @ B (summed `k_steps` times) within the bound of a
    length-k fp32 reduction (docs/testing.md): BLAS and the cube add in different orders."""
    scale = k_steps * (np.abs(a.astype(np.float32)) @ np.abs(b.astype(np.float32)))
    assert_close_reduction(c, expected, np.float32, k_steps * a.shape[1], scale=scale)


@pytest.mark.parametrize("out", [np.float32, np.float16])
def test_cube_path_by_hand_on_awkward_shapes(out):
    a, b, expected = operands(20, 30, 37)
    c = np.zeros((20, 30), out)
    cube_kernel(20, 30, 37, out)[1](a, b, c)
    assert_matmul_close(c, expected.astype(out), a, b)


def test_mmad_accumulates_when_init_flag_is_off():
    a, b, expected = operands(16, 16, 16)
    c = np.zeros((16, 16), np.float32)
    cube_kernel(16, 16, 16, k_steps=3)[1](a, b, c)
    assert_matmul_close(c, 3 * expected, a, b, k_steps=3)


def test_mmad_cost_is_one_cycle_per_fractal_block():
    a, b, _ = operands(32, 48, 64)
    with profiler.profile() as prof:
        cube_kernel(32, 48, 64)[1](a, b, np.zeros((32, 48), np.float32))
    record = prof.launches[0]
    (mmad,) = [e for e in record.events if e.name == "Mmad"]
    assert mmad.pipe == "M" and mmad.end_cycle - mmad.start_cycle == 2 * 3 * 4
    pipes = {e.name: e.pipe for e in record.events}
    assert pipes["LoadData"] == "MTE1" and pipes["Fixpipe"] == "FIX"
    assert record.metrics["aic_cube_ratio"] > 0 and record.metrics["aic_mte1_ratio"] > 0


def test_l1_holds_nz_fractals():
    @cann.kernel
    def kernel(a):
        aGm = cann.GlobalTensor(H)
        aGm.SetGlobalBuffer(a)
        pipe = cann.TPipe()
        que = cann.TQue(P.A1, 1)
        pipe.InitBuffer(que, 1, 2 * 16 * 32)
        t = que.AllocTensor(H)
        cann.DataCopy(t, aGm, cann.Nd2NzParams(1, 3, 20, 0, 20, 16, 1, 0))
        seen.append(t.numpy().reshape(2, 16, 16))  # two column strips of 16 x C0
        que.FreeTensor(t)

    seen = []
    a = np.arange(60, dtype=np.float16).reshape(3, 20)
    kernel[1](a)
    np.testing.assert_array_equal(seen[0][0, :3], a[:, :16])
    np.testing.assert_array_equal(seen[0][1, :3, :4], a[:, 16:])
    assert not seen[0][1, :3, 4:].any()  # the last 32-byte block of a row is zero-padded
    assert np.isnan(seen[0][:, 3:]).all()  # rows past nValue are not written (fresh memory)


@pytest.mark.parametrize(
    ("position", "num", "size", "store"),
    [
        (P.A2, 2, 40_000, "L0A"),
        (P.B2, 1, 70_000, "L0B"),
        (P.CO1, 2, 66_000, "L0C"),
        (P.A1, 3, 200_000, "L1"),
    ],  # fmt: skip
)
def test_capacity_of_l1_and_l0(position, num, size, store):
    @cann.kernel
    def kernel(x):
        cann.TPipe().InitBuffer(cann.TQue(position, 1), num, size)

    with pytest.raises(errors.CapacityError, match=rf"(?s)test_cube\.py:\d+.*bytes of {store}"):
        kernel[1](np.zeros(16, np.float16))


def test_l0_buffers_are_512_byte_aligned():
    @cann.kernel
    def kernel(x):
        pipe = cann.TPipe()
        qA1, qA2 = cann.TQue(P.A1, 1), cann.TQue(P.A2, 1)
        pipe.InitBuffer(qA1, 1, 2 * 256)
        pipe.InitBuffer(qA2, 2, 100)  # rounded up to 512 each
        assert qA2.slots[1].offset == 512
        a1, a2 = qA1.AllocTensor(H), qA2.AllocTensor(H)
        cann.LoadData(a2[128], a1, cann.LoadData2DParams(0, 1, 1))

    with pytest.raises(errors.AlignmentError, match=r"LoadData operand starts at byte 256 of L0A"):
        kernel[1](np.zeros(16, np.float16))


def test_load_before_the_copy_is_synchronised_is_a_race():
    a, b, _ = operands(16, 16, 16)
    with pytest.raises(errors.SyncError, match=r"LoadData on pipe MTE1 reads .* pipe MTE2"):
        cube_kernel(16, 16, 16, sync=False)[1](a, b, np.zeros((16, 16), np.float32))


def test_fixpipe_output_type_must_match_the_conversion():
    a, b, _ = operands(16, 16, 16)
    kernel = cube_kernel(16, 16, 16, out=np.float16, quant=cann.QuantMode_t.NoQuant)
    with pytest.raises(errors.InstructionError, match=r"quantPre=NoQuant writes float32"):
        kernel[1](a, b, np.zeros((16, 16), np.float16))


@pytest.mark.parametrize(
    ("m", "n", "k", "cores"),
    [(1, 1, 1, 24), (20, 30, 40, 24), (100, 200, 300, 24), (257, 129, 77, 7), (300, 17, 513, 24)],
)
def test_reference_matmul_against_numpy(m, n, k, cores):
    a, b, expected = operands(m, n, k, seed=m + n + k)
    c32 = matmul(a, b, out_dtype=np.float32, num_cores=cores, base_m=64, base_n=64, base_k=32)
    assert_matmul_close(c32, expected, a, b)
    # Other tilings sum in other orders, so the fp32 sums may differ in their last bit and
    # round to neighbouring halves: equal within the bound, not bit for bit.
    c16_ = matmul(a, b, num_cores=cores)
    assert_matmul_close(c16_, matmul(a, b, out_dtype=np.float32).astype(np.float16), a, b)


def test_reference_matmul_bias_and_transposed_b():
    a, b, expected = operands(70, 50, 90, seed=3)
    bias = np.linspace(-1, 1, 50).astype(np.float32)
    c = matmul(a, np.ascontiguousarray(b.T), bias, np.float32, num_cores=5, transpose_b=True)
    assert_matmul_close(c, expected + bias, a, b)


def test_matmul_tiling_spreads_c_over_the_cores():
    blocks, tiling = cann.matmul_tiling(1024, 1024, 512, num_cores=24)
    assert blocks <= 24 and tiling.singleCoreM % 16 == 0 and tiling.singleCoreN % 16 == 0
    assert blocks * tiling.singleCoreM * tiling.singleCoreN >= 1024 * 1024
    assert (tiling.baseM, tiling.baseN, tiling.baseK) == (128, 128, 64)


def test_matmul_record_uses_the_cube_pipes():
    a, b, _ = operands(256, 256, 256)
    with profiler.profile() as prof:
        matmul(a, b, num_cores=4)
    record = prof.launches[0]
    assert record.num_blocks == 4
    assert {e.pipe for e in record.events} >= {"MTE2", "MTE1", "M", "FIX"}
    # 256^3 MACs over 4 cores at 4096 per cycle: at least 1024 cycles of M per core.
    busy = sum(e.end_cycle - e.start_cycle for e in record.events if e.pipe == "M")
    assert busy == 256**3 / 4096


def test_mmad_names_the_sizes_that_do_not_fit():
    @cann.kernel
    def kernel(x):
        pipe = cann.TPipe()
        qA, qB, qC = cann.TQue(P.A2, 1), cann.TQue(P.B2, 1), cann.TQue(P.CO1, 1)
        pipe.InitBuffer(qA, 1, 2 * 32 * 48)
        pipe.InitBuffer(qB, 1, 2 * 48 * 16)  # sized for n = 16, used with n = 20
        pipe.InitBuffer(qC, 1, 4 * 32 * 32)
        a2, b2, c1 = qA.AllocTensor(H), qB.AllocTensor(H), qC.AllocTensor(F)
        cann.Mmad(c1, a2, b2, cann.MmadParams(32, 20, 48))

    with pytest.raises(
        errors.GlobalOutOfBoundsError,
        match=r"Mmad needs 1536 elements for b \(m=32, n=20, k=48: 48 x 32 padded\) in a "
        r"LocalTensor of 768 in L0B",
    ):
        kernel[1](np.zeros(16, np.float16))


def test_loaddata_outside_the_source_and_transpose_of_floats():
    @cann.kernel
    def kernel(x, params, dtype):
        pipe = cann.TPipe()
        qA1, qA2 = cann.TQue(P.A1, 1), cann.TQue(P.A2, 1)
        pipe.InitBuffer(qA1, 1, 2048)
        pipe.InitBuffer(qA2, 1, 2048)
        cann.LoadData(qA2.AllocTensor(dtype), qA1.AllocTensor(dtype), params)

    with pytest.raises(
        errors.GlobalOutOfBoundsError, match=r"LoadData reads fractal 4 .*\(4 fractals\)"
    ):
        kernel[1](np.zeros(16, np.float16), cann.LoadData2DParams(1, 2, 3), H)
    with pytest.raises(errors.InstructionError, match=r"ifTranspose of float32"):
        kernel[1](np.zeros(16, np.float16), cann.LoadData2DParams(0, 1, 1, 0, 0, True), F)


def test_int8_mmad_accumulates_in_int32_with_b_stored_n_by_k():
    m, n, k = 32, 16, 64  # int8 fractals are 16 x 32: two along k
    rng = np.random.default_rng(5)
    a = rng.integers(-128, 128, (m, k), dtype=np.int8)
    b_t = rng.integers(-128, 128, (n, k), dtype=np.int8)  # B stored N x K

    @cann.kernel
    def kernel(a, b, c):
        aGm, bGm = cann.GlobalTensor(cann.int8), cann.GlobalTensor(cann.int8)
        cGm = cann.GlobalTensor(cann.int32)
        aGm.SetGlobalBuffer(a)
        bGm.SetGlobalBuffer(b)
        cGm.SetGlobalBuffer(c)
        pipe = cann.TPipe()
        qA1, qB1, qA2 = cann.TQue(P.A1, 1), cann.TQue(P.B1, 1), cann.TQue(P.A2, 1)
        qB2, qC = cann.TQue(P.B2, 1), cann.TQue(P.CO1, 1)
        for que, size in ((qA1, m * k), (qA2, m * k), (qB1, n * k), (qB2, n * k), (qC, 4 * m * n)):
            pipe.InitBuffer(que, 1, size)
        a1, b1 = qA1.AllocTensor(cann.int8), qB1.AllocTensor(cann.int8)
        cann.DataCopy(a1, aGm, cann.Nd2NzParams(1, m, k, 0, k, m, 1, 0))
        cann.DataCopy(b1, bGm, cann.Nd2NzParams(1, n, k, 0, k, n, 1, 0))
        qA1.EnQue(a1)
        qB1.EnQue(b1)
        a1, b1 = qA1.DeQue(cann.int8), qB1.DeQue(cann.int8)
        a2, b2 = qA2.AllocTensor(cann.int8), qB2.AllocTensor(cann.int8)
        for i in range(m // 16):
            cann.LoadData(a2[i * k * 16], a1, cann.LoadData2DParams(i, k // 32, m // 16))
        cann.LoadData(b2, b1, cann.LoadData2DParams(0, (k // 32) * (n // 16), 1))
        qA2.EnQue(a2)
        qB2.EnQue(b2)
        a2, b2 = qA2.DeQue(cann.int8), qB2.DeQue(cann.int8)
        c1 = qC.AllocTensor(cann.int32)
        cann.Mmad(c1, a2, b2, cann.MmadParams(m, n, k))
        qC.EnQue(c1)
        c1 = qC.DeQue(cann.int32)
        cann.Fixpipe(cGm, c1, cann.FixpipeParamsV220(n, m, m, n))
        for que, t in ((qA1, a1), (qB1, b1), (qA2, a2), (qB2, b2), (qC, c1)):
            que.FreeTensor(t)

    c = np.zeros((m, n), np.int32)
    with profiler.profile() as prof:
        kernel[1](a, b_t, c)
    np.testing.assert_array_equal(c, a.astype(np.int32) @ b_t.T.astype(np.int32))
    (mmad,) = [e for e in prof.launches[0].events if e.name == "Mmad"]
    assert mmad.end_cycle - mmad.start_cycle == 2 * 1 * 4 / 2  # int8 at twice fp16's rate
