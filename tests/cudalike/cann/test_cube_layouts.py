"""The cube's layouts byte for byte: Nd2Nz with several matrices, LoadData2DParamsV2 windows
against LoadData2DParams loops, LoadData from GM, Fixpipe's NZ output and ReLU."""

import numpy as np
import pytest

from cudalike import cann

H, F = cann.half, cann.float32
P = cann.TPosition


def nz(matrix, height):
    """The NZ bytes of `matrix` (16-column strips `height` rows high; unwritten rows NaN)."""
    rows, cols = matrix.shape
    out = np.full((cols // 16, height, 16), np.nan, matrix.dtype)
    out[:, :rows] = matrix.reshape(rows, cols // 16, 16).transpose(1, 0, 2)
    return out.reshape(-1)


def zz(matrix):
    rows, cols = matrix.shape
    return matrix.reshape(rows // 16, 16, cols // 16, 16).transpose(0, 2, 1, 3).reshape(-1)


def run(body, *arrays):
    seen = {}

    @cann.kernel
    def kernel(*args):
        body(seen, *args)

    kernel[1](*arrays)
    return seen


def test_nd2nz_copies_several_matrices_with_their_strides():
    def body(seen, x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        que = cann.TQue(P.A1, 1)
        pipe.InitBuffer(que, 1, 2 * 2 * 32 * 32)
        t = que.AllocTensor(H)
        # two 16 x 32 matrices side by side in a 16 x 64 source, each to its own NZ block
        cann.DataCopy(t, xGm, cann.Nd2NzParams(2, 16, 32, 32, 64, 32, 1, 1024))
        seen["l1"] = t.numpy()
        que.FreeTensor(t)

    x = np.arange(16 * 64, dtype=np.float16).reshape(16, 64)
    l1 = run(body, x)["l1"].reshape(2, 1024)
    np.testing.assert_array_equal(l1[0], nz(x[:, :32], 32))
    np.testing.assert_array_equal(l1[1], nz(x[:, 32:], 32))


def load_a(use_window, from_gm=False):
    m, k = 48, 32

    def body(seen, a):
        aGm = cann.GlobalTensor(H)
        aGm.SetGlobalBuffer(a)
        pipe = cann.TPipe()
        qA1, qA2 = cann.TQue(P.A1, 1), cann.TQue(P.A2, 1)
        pipe.InitBuffer(qA1, 1, 2 * m * k)
        pipe.InitBuffer(qA2, 1, 2 * m * k)
        a1 = qA1.AllocTensor(H)
        cann.DataCopy(a1, aGm, cann.Nd2NzParams(1, m, k, 0, k, m, 1, 0))
        qA1.EnQue(a1)
        a1 = qA1.DeQue(H)
        a2 = qA2.AllocTensor(H)
        if use_window:
            cann.LoadData(a2, a1, cann.LoadData2DParamsV2(0, 0, m // 16, k // 16, m // 16))
        else:
            source = aGm if from_gm else a1
            for i in range(m // 16):
                params = cann.LoadData2DParams(i, k // 16, m // 16)
                cann.LoadData(a2[i * k * 16], source, params)
        seen["l0a"] = a2.numpy()
        qA1.FreeTensor(a1)
        qA2.FreeTensor(a2)

    a = np.arange(m * k, dtype=np.float16).reshape(m, k)
    return a, run(body, a)["l0a"]


def test_a_window_and_a_loop_of_load2d_give_zz():
    a, by_loop = load_a(use_window=False)
    _, by_window = load_a(use_window=True)
    np.testing.assert_array_equal(by_loop, zz(a))
    np.testing.assert_array_equal(by_window, zz(a))


def test_loaddata_from_gm_reads_fractals_where_they_lie():
    # GM holds ND rows, not NZ: fractal i is elements [256 i, 256 (i + 1)) as they are.
    a, from_gm = load_a(use_window=False, from_gm=True)
    flat = a.reshape(-1, 256)
    expected = np.concatenate([flat[i + 3 * j] for i in range(3) for j in range(2)])
    np.testing.assert_array_equal(from_gm, expected)


@pytest.mark.parametrize("relu", [False, True])
def test_fixpipe_nz_output_to_l1_and_relu(relu):
    m, n = 32, 32

    def body(seen, c):
        pipe = cann.TPipe()
        qC, qL1 = cann.TQue(P.CO1, 1), cann.TQue(P.A1, 1)
        pipe.InitBuffer(qC, 1, 4 * m * n)
        pipe.InitBuffer(qL1, 1, 4 * m * n)
        c1 = qC.AllocTensor(F)
        c1.array[:] = nz(values, m)  # L0C contents put in place by the test, not by Mmad
        params = cann.FixpipeParamsV220(n, m, m, m * 16 * 4 // 32, reluEn=relu)
        out = qL1.AllocTensor(F)
        cann.Fixpipe(out, c1, params, cann.CFG_NZ)
        qL1.EnQue(out)
        out = qL1.DeQue(F)
        seen["l1"] = out.numpy()
        qL1.FreeTensor(out)
        qC.FreeTensor(c1)

    values = np.random.default_rng(1).standard_normal((m, n)).astype(np.float32)
    expected = np.maximum(values, 0) if relu else values
    l1 = run(body, np.zeros(m * n, np.float32))["l1"]
    np.testing.assert_array_equal(l1, nz(expected, m))


def test_negative_fields_are_refused():
    def body(seen, x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        que = cann.TQue(P.A1, 1)
        pipe.InitBuffer(que, 1, 2 * 32 * 32)
        t = que.AllocTensor(H)
        cann.DataCopy(t, xGm, cann.Nd2NzParams(2, 16, 16, -256, 16, 16, 1, 256))

    with pytest.raises(
        cann.errors.InstructionError, match=r"Nd2NzParams.srcNdMatrixStride = -256: .*unsigned"
    ):
        run(body, np.zeros(512, np.float16))


def test_fixpipe_reads_only_the_rows_it_needs_of_the_last_strip():
    m, n, height = 20, 32, 48  # an L0C matrix 48 rows high; the tensor ends after row 32

    def body(seen, c):
        cGm = cann.GlobalTensor(F)
        cGm.SetGlobalBuffer(c)
        pipe = cann.TPipe()
        qC = cann.TQue(P.CO1, 1)
        pipe.InitBuffer(qC, 1, 4 * (height * 16 + 32 * 16))
        c1 = qC.AllocTensor(F)
        c1.array[:] = np.arange(c1.length, dtype=np.float32)  # put in place by the test
        cann.Fixpipe(cGm, c1, cann.FixpipeParamsV220(n, m, height, n))
        qC.FreeTensor(c1)

    c = np.zeros((m, n), np.float32)
    run(body, c)
    flat = np.arange(height * 16 + 32 * 16, dtype=np.float32)
    expected = np.concatenate(
        [flat[: height * 16].reshape(height, 16)[:m], flat[height * 16 :].reshape(32, 16)[:m]],
        axis=1,
    )
    np.testing.assert_array_equal(c, expected)


def test_l1_operands_start_on_32_bytes():
    def body(seen, x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        que = cann.TQue(P.A1, 1)
        pipe.InitBuffer(que, 1, 2 * 32 * 32)
        t = que.AllocTensor(H)
        cann.DataCopy(t[8], xGm, cann.Nd2NzParams(1, 16, 16, 0, 16, 16, 1, 0))

    with pytest.raises(
        cann.errors.AlignmentError, match=r"DataCopy \(Nd2Nz\) operand starts at byte 16 of L1"
    ):
        run(body, np.zeros(256, np.float16))
