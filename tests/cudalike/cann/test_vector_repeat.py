"""The repeat/mask/stride form of vector instructions against numpy, and its checks."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors


def on_ub(op, arrays, out_dtype, out_length, fill=-7.0):
    """Copy `arrays` into UB, fill a dst of `out_length` with `fill`, run op(dst, *srcs)."""
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
            cann.DataCopy(t, g, array.size)
            que.EnQue(t)
            tensors.append(que.DeQue(array.dtype))
        out = cann.TBuf()
        pipe.InitBuffer(out, out_length * np.dtype(out_dtype).itemsize)
        dst = out.Get(out_dtype)
        cann.Duplicate(dst, fill, out_length)
        op(dst, *tensors)
        result["dst"] = dst.numpy()

    kernel[1](*arrays)
    return result["dst"]


rng = np.random.default_rng(1)
A = (rng.standard_normal(1024) * 4).astype(np.float16)
B = (rng.standard_normal(1024) * 4).astype(np.float16)
AF = A.astype(np.float32)


def test_continuous_mask_leaves_masked_lanes():
    params = cann.BinaryRepeatParams()
    out = on_ub(lambda d, a, b: cann.Add(d, a, b, 100, 4, params), [A, B], np.float16, 1024)
    expected = np.full(1024, -7.0, np.float16)
    for r in range(4):
        expected[r * 128 : r * 128 + 100] = A[r * 128 : r * 128 + 100] + B[r * 128 : r * 128 + 100]
    np.testing.assert_array_equal(out, expected)


def test_bit_mask_half_and_float():
    low, high = 0xF0F0_0000_0000_000F, 1 << 63
    out = on_ub(
        lambda d, a: cann.Abs(d, a, [low, high], 1, cann.UnaryRepeatParams()),
        [A],
        np.float16,
        128,
    )
    lanes = [i for i in range(64) if low >> i & 1] + [127]
    expected = np.full(128, -7.0, np.float16)
    expected[lanes] = np.abs(A[lanes])
    np.testing.assert_array_equal(out, expected)
    out = on_ub(
        lambda d, a: cann.Muls(d, a, 2.0, [0b101, 0], 2, cann.UnaryRepeatParams()),
        [AF],
        np.float32,
        128,
    )
    expected = np.full(128, -7.0, np.float32)
    expected[[0, 2, 64, 66]] = AF[[0, 2, 64, 66]] * 2
    np.testing.assert_array_equal(out, expected)


def test_strides_count_32_byte_blocks():
    # Read every other block of src (srcBlkStride 2), write dst densely, repeats 16 blocks apart.
    params = cann.UnaryRepeatParams(dstBlkStride=1, srcBlkStride=2, dstRepStride=8, srcRepStride=16)
    out = on_ub(lambda d, a: cann.Relu(d, a, 128, 2, params), [A], np.float16, 256)
    blocks = A.reshape(-1, 16)  # 64 blocks of 16 halves
    taken = np.concatenate([blocks[0:16:2], blocks[16:32:2]]).reshape(-1)
    np.testing.assert_array_equal(out, np.maximum(taken, np.float16(0)))


def test_duplicate_repeat_form_and_zero_repeats():
    out = on_ub(lambda d: cann.Duplicate(d, 1.0, 8, 3, 1, 16), [], np.float16, 768)
    rows = out.reshape(3, 256)  # repeats start 16 blocks = 256 halves apart
    assert (rows[:, :8] == 1).all() and (rows[:, 8:] == -7).all()
    out = on_ub(lambda d, a: cann.Exp(d, a, 128, 0, cann.UnaryRepeatParams()), [A], np.float16, 128)
    assert (out == -7).all()


def test_repeat_cost_matches_first_n_cost():
    from cudalike import profiler

    def cycles(op):
        with profiler.profile() as prof:
            on_ub(op, [A, B], np.float16, 1024)
        return [e.end_cycle - e.start_cycle for e in prof.launches[0].events if e.name == "Add"]

    first_n = cycles(lambda d, a, b: cann.Add(d, a, b, 1024))
    repeat = cycles(lambda d, a, b: cann.Add(d, a, b, 64, 8, cann.BinaryRepeatParams()))
    assert first_n == repeat


@pytest.mark.parametrize(
    "args, pattern",
    [
        ((128, 256), r"repeatTimes=256: the hardware takes 0 to 255"),
        ((128, -1), r"repeatTimes=-1"),
        ((129, 1), r"mask=129: a continuous mask for float16 takes 1 to 128"),
        ((0, 1), r"mask=0"),
        ((128, 9), r"repeat 8 of 9 reaches element 1151 of dst, a LocalTensor of 1024"),
    ],
)
def test_checks_name_the_learners_line(args, pattern):
    with pytest.raises(
        errors.CannKernelError, match=r"test_vector_repeat\.py:\d+(.|\n)*" + pattern
    ):
        on_ub(
            lambda d, a, b: cann.Add(d, a, b, *args, cann.BinaryRepeatParams()),
            [A, B],
            np.float16,
            1024,
        )


def test_float_mask_limits():
    with pytest.raises(errors.InstructionError, match=r"mask=65: .* float32 takes 1 to 64"):
        on_ub(lambda d, a: cann.Abs(d, a, 65, 1, cann.UnaryRepeatParams()), [AF], np.float32, 64)
    with pytest.raises(errors.InstructionError, match=r"set mask\[1\] = 0"):
        on_ub(
            lambda d, a: cann.Abs(d, a, [1, 1], 1, cann.UnaryRepeatParams()), [AF], np.float32, 64
        )


def test_source_overrun_names_the_operand():
    params = cann.UnaryRepeatParams(srcRepStride=16)
    with pytest.raises(errors.GlobalOutOfBoundsError, match=r"repeat 4 of 5 .* of src0"):
        on_ub(lambda d, a: cann.Abs(d, a, 128, 5, params), [A], np.float16, 1024)


def test_wrong_arity_is_a_type_error():
    with pytest.raises(TypeError, match=r"Add takes \(dst, src0, src1, count\) or"):
        on_ub(lambda d, a, b: cann.Add(d, a, b, 128, 2), [A, B], np.float16, 1024)
