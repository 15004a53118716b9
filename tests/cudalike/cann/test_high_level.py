"""The high-level APIs Sum, SoftMax and LayerNorm, their host tilings and tmp-buffer sizes."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors

RNG = np.random.default_rng(11)


def load(pipe, gm, array):
    """Copy a GM array into UB through a VECIN queue; the dequeued tensor."""
    g = cann.GlobalTensor(array.dtype)
    g.SetGlobalBuffer(gm)
    que = cann.TQue(cann.TPosition.VECIN, 1)
    pipe.InitBuffer(que, 1, array.nbytes)
    t = que.AllocTensor(array.dtype)
    cann.DataCopy(t, g, array.size)
    que.EnQue(t)
    return que.DeQue(array.dtype)


def scratch(pipe, dtype, length):
    buf = cann.TBuf(cann.TPosition.VECCALC)
    pipe.InitBuffer(buf, length * np.dtype(dtype).itemsize)
    return buf.Get(dtype)


def run(op, arrays, outputs):
    """Run op(inputs..., outputs...) on one core; outputs are (dtype, length) scratch tensors
    whose contents come back."""
    result = {}

    @cann.kernel
    def kernel(*gms):
        pipe = cann.TPipe()
        inputs = [load(pipe, gm, a) for gm, a in zip(gms, arrays, strict=True)]
        outs = [scratch(pipe, dtype, length) for dtype, length in outputs]
        op(*inputs, *outs)
        result["out"] = [o.numpy() for o in outs]

    kernel[1](*arrays)
    return result["out"]


def test_sum_reduces_the_first_n_of_each_padded_row():
    x = RNG.uniform(-1, 1, (3, 112)).astype(np.float16)  # inner 112 halves = 224 bytes
    params = cann.SumParams(outter=3, inner=112, n=100)
    tmp_bytes = cann.GetSumMaxMinTmpSize(100, 2, False)[1]

    def op(src, dst, tmp):
        cann.Sum(dst, src, tmp, params)

    dst, _ = run(op, [x.ravel()], [(np.float16, 16), (np.uint8, tmp_bytes)])
    want = x[:, :100].astype(np.float64).sum(axis=1)
    np.testing.assert_allclose(dst[:3], want, rtol=1e-2, atol=2e-2)


def test_sum_without_tmp_buffer_and_template_arguments():
    x = RNG.uniform(-1, 1, 64).astype(np.float32)

    def op(src, dst):
        cann.Sum[cann.float, -1, False, False](dst, src, cann.SumParams(1, 64, 64))

    (dst,) = run(op, [x], [(np.float32, 8)])
    np.testing.assert_allclose(dst[0], x.sum(dtype=np.float64), rtol=1e-5)


def test_sum_rejects_an_unaligned_inner_and_a_short_tmp_buffer():
    x = np.ones(64, np.float32)
    with pytest.raises(errors.InstructionError, match=r"inner x sizeof\(T\)"):
        run(lambda s, d: cann.Sum(d, s, cann.SumParams(1, 60, 60)), [x], [(np.float32, 8)])
    with pytest.raises(errors.GlobalOutOfBoundsError, match="sharedTmpBuffer has 0|has 8"):
        run(
            lambda s, d, t: cann.Sum(d, s, t[:8], cann.SumParams(1, 64, 64)),
            [np.ones(2048, np.float32)],
            [(np.float32, 8), (np.uint8, 64)],
        )


def test_get_sum_max_min_tmp_size_is_the_vendor_formula():
    assert cann.GetSumMaxMinTmpSize(2023, 4, False) == (128, 128)  # 32 repeats -> 32 floats
    assert cann.GetSumMaxMinTmpSize(100, 2, False) == (32, 32)


def test_softmax_tiling_func_splits_rows_to_fit_the_tmp_buffer():
    tiling = cann.SoftMaxTiling()
    cann.SoftMaxTilingFunc((16, 960), 4, 61440, tiling)
    assert (tiling.srcM, tiling.srcK, tiling.splitM, tiling.rangeM, tiling.tailM) == (
        16,
        960,
        8,
        2,
        0,
    )
    assert tiling.outMaxK == 8 and tiling.reduceSize == 64
    assert cann.sizeof(cann.SoftMaxTiling) == 64


def test_softmax_half_rows_with_padding_writes_max_and_sum_per_block():
    rows, cols, ori = 4, 32, 30
    x = RNG.standard_normal((rows, cols)).astype(np.float16)
    tiling = cann.SoftMaxTilingFunc((rows, cols), 2, 4096)
    shape = cann.SoftMaxShapeInfo(rows, cols, rows, ori)

    def op(src, dst, sums, maxes, tmp):
        cann.SoftMax[cann.half, False, False](dst, sums, maxes, src, tmp, tiling, shape)

    dst, sums, maxes, _ = run(
        op,
        [x.ravel()],
        [(np.float16, rows * cols), (np.float16, 64), (np.float16, 64), (np.uint8, 4096)],
    )
    x64 = x[:, :ori].astype(np.float64)
    e = np.exp(x64 - x64.max(axis=1, keepdims=True))
    np.testing.assert_allclose(
        dst.reshape(rows, cols)[:, :ori], e / e.sum(axis=1, keepdims=True), atol=2e-3
    )
    np.testing.assert_array_equal(maxes, np.repeat(x[:, :ori].max(axis=1), 16))
    np.testing.assert_allclose(sums.reshape(rows, 16)[:, 0], e.sum(axis=1), rtol=2e-3)


def test_softmax_tmp_buffer_smaller_than_the_tiling_assumed_is_reported():
    x = np.zeros((8, 64), np.float32)
    tiling = cann.SoftMaxTilingFunc((8, 64), 4, 8 * 136 * 4)  # splitM 8 rows

    def op(src, dst, sums, maxes, tmp):
        cann.SoftMax(dst, sums, maxes, src, tmp[: 136 * 4], tiling)

    with pytest.raises(errors.GlobalOutOfBoundsError, match="sharedTmpBuffer has 544 bytes"):
        run(
            op,
            [x.ravel()],
            [(np.float32, 512), (np.float32, 64), (np.float32, 64), (np.uint8, 8 * 544)],
        )


def test_layernorm_normalises_rows_and_returns_mean_and_variance():
    b, s, h = 2, 4, 16
    x = RNG.standard_normal((b, s, h)).astype(np.float32)
    gamma = RNG.uniform(0.5, 1.5, h).astype(np.float32)
    beta = RNG.uniform(-0.5, 0.5, h).astype(np.float32)
    _, min_tmp = cann.GetLayerNormMaxMinTmpSize((b, s, h, h), 4, False)
    tiling = cann.GetLayerNormNDTilingInfo((b, s, h, h), min_tmp, 4, False)

    def op(xl, g, bt, out, mean, var, tmp):
        cann.LayerNorm[cann.float, False](out, mean, var, xl, g, bt, tmp, cann.float(1e-5), tiling)

    out, mean, var, _ = run(
        op,
        [x.ravel(), gamma, beta],
        [(np.float32, b * s * h), (np.float32, 8), (np.float32, 8), (np.uint8, min_tmp)],
    )
    x64 = x.reshape(-1, h).astype(np.float64)
    mu, sigma2 = x64.mean(axis=1), x64.var(axis=1)
    want = (x64 - mu[:, None]) / np.sqrt(sigma2[:, None] + 1e-5) * gamma + beta
    np.testing.assert_allclose(out.reshape(-1, h), want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(mean, mu, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(var, sigma2, rtol=1e-5, atol=1e-6)


def test_layernorm_tiling_is_the_vendor_split():
    _, min_tmp = cann.GetLayerNormMaxMinTmpSize((2, 32, 16, 16), 4, False)
    assert min_tmp == 3 * 64 + 2 * 256
    tiling = cann.GetLayerNormNDTilingInfo((2, 32, 16, 16), min_tmp, 4, False)
    assert (tiling.oneTmpSize, tiling.loopRound, tiling.inputTailSize) == (48, 21, 16)
    assert tiling.lastDimValueBack == 1 / 16
    assert cann.sizeof(cann.LayerNormTiling) == 26 * 4


def test_tbuf_alloc_and_free_tensor():
    @cann.kernel
    def kernel():
        pipe = cann.TPipe()
        buf = cann.TBuf(cann.TPosition.VECCALC)
        pipe.InitBuffer(buf, 256)
        t = buf.AllocTensor(cann.float)
        assert t.GetSize() == 64
        buf.FreeTensor(t)

    kernel[1]()


def test_softmax_without_a_tiling_is_a_type_error_naming_the_forms():
    def op(src, dst):
        cann.SoftMax(dst, dst, dst, src)

    with pytest.raises(TypeError, match=r"SoftMax takes \(dst, sum, max, src"):
        run(op, [np.zeros(64, np.float32)], [(np.float32, 64)])


@pytest.mark.parametrize("extra", [0, 3], ids=["no params", "too many"])
def test_sum_with_the_wrong_arguments_is_a_type_error_naming_the_forms(extra):
    def op(src, dst):
        cann.Sum(dst, src, *[dst] * extra)

    with pytest.raises(TypeError, match=r"Sum takes \(dst, src, sharedTmpBuffer, sumParams\)"):
        run(op, [np.zeros(64, np.float32)], [(np.float32, 64)])


def test_softmax_tmp_sizes_are_the_vendor_formulas():
    assert cann.GetSoftMaxMinTmpSize((16, 960), 4, False) == (8 + 960 + 64) * 4
    assert cann.GetSoftMaxMaxTmpSize((16, 960), 4, False) == 16 * (8 + 960 + 64) * 4
    with pytest.raises(ValueError, match="multiple of 32 bytes"):
        cann.SoftMaxTilingFunc((4, 30), 4, 4096)
