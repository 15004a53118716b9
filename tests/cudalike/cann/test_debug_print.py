"""AscendC::printf / PRINTF, DumpTensor and DumpAccChkPoint: each block's records print after
the block under its DumpHead, blocks in index order."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors


@cann.kernel
def print_custom(x):
    xGm = cann.GlobalTensor(cann.half)
    xGm.SetGlobalBuffer(x.cast(cann.half), 16)
    cann.printf(
        "block %d of %u: %ld %x %s %f\n", cann.GetBlockIdx(), cann.GetBlockNum(), 7, 255, "ok", 0.5
    )
    cann.PRINTF("100%%\n")
    cann.DumpTensor(xGm, 5, 4)


def test_printf_and_dump_print_per_block_with_a_dump_head(capsys):
    print_custom[2](np.arange(16, dtype=np.float16))
    lines = capsys.readouterr().out.splitlines()
    head = (
        "opType=PrintCustom, DumpHead: AIV-{b}, CoreType=AIV, block dim=2, total_block_num=2, "
        "block_remain_len={r}, block_initial_space=1048576, rsv=0, magic=5aa5bccd"
    )
    # 32 (DumpHead) + 64 (printf) + 64 (PRINTF) + 64 (DumpTensor) bytes used
    remain = 1048576 - 32 - 64 - 64 - 64
    block = [
        "block {b} of 2: 7 ff ok 0.500000",
        "100%",
        "DumpTensor: desc=5, addr=0, data_type=DT_FLOAT16, position=GM",
        "[0, 1, 2, 3]",
    ]
    want = []
    for b in range(2):
        want += [head.format(b=b, r=remain)] + [line.format(b=b) for line in block]
    assert lines == want


def test_dump_of_a_local_tensor_with_shape_and_offset(capsys):
    @cann.kernel
    def dump_custom():
        pipe = cann.TPipe()
        buf = cann.TBuf(cann.TPosition.VECCALC)
        pipe.InitBuffer(buf, 64)
        t = buf.Get(cann.float)
        cann.Duplicate(t, cann.float(1.25), 16)
        cann.DumpTensor(t, 1, 4, cann.ShapeInfo(2, [2, 2]))
        cann.DumpAccChkPoint(t, 2, 8, 2)

    dump_custom[1]()
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines == [
        "DumpTensor: desc=1, addr=0, data_type=DT_FLOAT, position=UB",
        "[[1.25, 1.25],",
        " [1.25, 1.25]]",
        "DumpAccChkPoint: desc=2, addr=32, data_type=DT_FLOAT, position=UB",
        "[1.25, 1.25]",
    ]


def test_bad_printf_arguments_and_dump_past_the_tensor_are_reported():
    @cann.kernel
    def bad_printf():
        cann.printf("%d %d\n", 1)

    with pytest.raises(errors.InstructionError, match="one argument per % conversion"):
        bad_printf[1]()

    @cann.kernel
    def bad_dump(x):
        xGm = cann.GlobalTensor(cann.half)
        xGm.SetGlobalBuffer(x.cast(cann.half), 16)
        cann.DumpTensor(xGm, 0, 32)

    with pytest.raises(errors.GlobalOutOfBoundsError, match=r"DumpTensor of elements \[0, 32\)"):
        bad_dump[1](np.zeros(16, np.float16))
