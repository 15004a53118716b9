"""Vector instructions against numpy, computed in the operand type; Cast rounding modes."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.tolerances import assert_close_reduction, assert_close_ulps


def apply(op, arrays, out_dtype=None, extra=(), count=None):
    """Run `op(dst, *srcs, *extra, count)` on UB copies of `arrays`; return dst."""
    n = arrays[0].size
    count = n if count is None else count
    out_dtype = out_dtype or arrays[0].dtype
    result = {}

    @cann.kernel
    def kernel(*gms):
        pipe = cann.TPipe()
        tensors = []
        for gm, array in zip(gms, arrays, strict=True):
            g = cann.GlobalTensor(array.dtype)
            g.SetGlobalBuffer(gm)
            que = cann.TQue(cann.TPosition.VECIN, 1)
            pipe.InitBuffer(que, 1, array.nbytes)
            t = que.AllocTensor(array.dtype)
            cann.DataCopy(t, g, n)
            que.EnQue(t)
            tensors.append(que.DeQue(array.dtype))
        out = cann.TBuf()
        pipe.InitBuffer(out, n * np.dtype(out_dtype).itemsize)
        dst = out.Get(out_dtype)
        op(dst, *tensors, *extra, count)
        result["dst"] = dst.numpy()

    kernel[1](*arrays)
    return result["dst"]


rng = np.random.default_rng(0)
A = (rng.standard_normal(256) * 4).astype(np.float16)
B = (rng.standard_normal(256) * 4 + 0.5).astype(np.float16)


@pytest.mark.parametrize(
    "op, ref",
    [
        (cann.Add, np.add),
        (cann.Sub, np.subtract),
        (cann.Mul, np.multiply),
        (cann.Div, np.divide),
        (cann.Max, np.maximum),
        (cann.Min, np.minimum),
    ],
)
def test_binary_half(op, ref):
    np.testing.assert_array_equal(apply(op, [A, B]), ref(A, B))


def test_half_rounding_happens_per_instruction():
    big = np.full(32, 2048, np.float16)
    one = np.ones(32, np.float16)
    # 2048 + 1 is not a half: rounds to 2048 (ties to even), as fp16 hardware does.
    np.testing.assert_array_equal(apply(cann.Add, [big, one]), big)


@pytest.mark.parametrize(
    "op, scalar, ref",
    [
        (cann.Adds, 1.5, np.add),
        (cann.Muls, -2.0, np.multiply),
        (cann.Maxs, 0.25, np.maximum),
        (cann.Mins, 0.25, np.minimum),
    ],
)
def test_scalar_ops(op, scalar, ref):
    np.testing.assert_array_equal(apply(op, [A], extra=(scalar,)), ref(A, np.float16(scalar)))


@pytest.mark.parametrize(
    "op, ref",
    [
        (cann.Abs, np.abs),
        (cann.Relu, lambda x: np.maximum(x, np.float16(0))),
        (cann.Sqrt, lambda x: np.sqrt(np.abs(x).astype(np.float32)).astype(np.float16)),
    ],
)
@pytest.mark.filterwarnings("ignore:overflow")
def test_unary(op, ref):
    source = np.abs(A) if op is cann.Sqrt else A
    np.testing.assert_array_equal(apply(op, [source]), ref(source))


@pytest.mark.filterwarnings("ignore:overflow")
def test_exp_within_the_ulps_of_a_float32_exp():
    # exp is a SIMD polynomial on some CPUs and libm on others: close, not bit for bit.
    expected = np.exp(A.astype(np.float32)).astype(np.float16)
    assert_close_ulps(apply(cann.Exp, [A]), expected, np.float32)


def test_first_n_leaves_the_rest():
    out = apply(cann.Abs, [A], count=64)
    np.testing.assert_array_equal(out[:64], np.abs(A[:64]))
    assert np.isnan(out[64:]).all()  # untouched poison


def test_duplicate_and_reduce_sum():
    np.testing.assert_array_equal(apply(lambda d, s, c: cann.Duplicate(d, 3.0, c), [A]), 3.0)
    x = rng.random(1000).astype(np.float32)
    work = np.zeros(1000, np.float32)
    out = apply(cann.ReduceSum, [x, work], out_dtype=np.float32, count=1000)
    assert_close_reduction(out[:1], [x.sum()], np.float32, 1000, scale=x.sum())
    out = apply(cann.ReduceMax, [x, work], out_dtype=np.float32, count=1000)
    assert out[0] == x.max()


def test_cast_modes():
    x = np.array([1.5, 2.5, -1.5, -0.7, 3.2, 65519.0, 1e-8, 1 + 2**-12], np.float32)
    x = np.resize(x, 64).astype(np.float32)
    RM = cann.RoundMode
    np.testing.assert_array_equal(
        apply(lambda d, s, c: cann.Cast(d, s, RM.CAST_RINT, c), [x], np.int32),
        np.rint(x).astype(np.int32),
    )
    np.testing.assert_array_equal(
        apply(lambda d, s, c: cann.Cast(d, s, RM.CAST_FLOOR, c), [x], np.int32),
        np.floor(x).astype(np.int32),
    )
    np.testing.assert_array_equal(
        apply(lambda d, s, c: cann.Cast(d, s, RM.CAST_ROUND, c), [x], np.int32)[:3], [2, 3, -2]
    )
    half = apply(lambda d, s, c: cann.Cast(d, s, RM.CAST_NONE, c), [x], np.float16)
    np.testing.assert_array_equal(half, x.astype(np.float16))
    floor = apply(lambda d, s, c: cann.Cast(d, s, RM.CAST_FLOOR, c), [x], np.float16)
    ceil = apply(lambda d, s, c: cann.Cast(d, s, RM.CAST_CEIL, c), [x], np.float16)
    assert (floor.astype(np.float32) <= x).all() and (ceil.astype(np.float32) >= x).all()
    assert floor[7] == 1.0 and ceil[7] == np.nextafter(np.float16(1), np.float16(2))


def test_mixed_types_are_refused():
    with pytest.raises(
        errors.InstructionError, match=r"test_vector\.py:\d+.*\n.*\n.*Add needs one element type"
    ):
        apply(cann.Add, [A, B.astype(np.float32)])


def test_count_larger_than_operand():
    with pytest.raises(
        errors.GlobalOutOfBoundsError, match=r"Add of 512 elements on a LocalTensor of 256"
    ):
        apply(cann.Add, [A, B], count=512)


def test_exp_on_integers_is_refused():
    with pytest.raises(errors.InstructionError, match=r"Exp takes half or float"):
        apply(cann.Exp, [np.arange(16, dtype=np.int16)])
