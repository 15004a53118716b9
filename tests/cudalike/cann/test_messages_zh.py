"""The CANN runtime's reports in Chinese: the frame and the synchronisation, buffer, capacity,
event and write-after-read messages, still naming the file:line, the core and the pipes, and
the English reports unchanged."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cudalike import cann, config
from cudalike.cann import errors
from cudalike.errors import OutOfBoundsError

ROOT = Path(__file__).resolve().parents[3]
H = cann.half
E = cann.HardEvent
VECIN, VECOUT = cann.TPosition.VECIN, cann.TPosition.VECOUT
CJK = re.compile(r"[\u4e00-\u9fff]")


def report(kernel, *args, language: str) -> errors.CannKernelError:
    """The error `kernel[1](*args)` raises, its message made in `language`."""
    with config.override(language=language), pytest.raises(errors.CannKernelError) as info:
        kernel[1](*args)
    return info.value


def both(kernel, *args) -> tuple[str, str]:
    english = report(kernel, *args, language="en")
    chinese = report(kernel, *args, language="zh")
    assert type(english) is type(chinese)
    assert (english.filename, english.line) == (chinese.filename, chinese.line)
    assert not CJK.search(str(english))
    where = f"test_messages_zh.py:{english.line}"
    assert where in str(english) and where in str(chinese)
    return str(english), str(chinese)


@cann.kernel
def no_deque(x):
    xGm = cann.GlobalTensor(H)
    xGm.SetGlobalBuffer(x)
    pipe = cann.TPipe()
    que = cann.TQue(VECIN, 1)
    pipe.InitBuffer(que, 1, 64)
    a = que.AllocTensor(H)
    cann.DataCopy(a, xGm, 32)
    cann.Adds(a, a, 1.0, 32)  # read on V with no EnQue/DeQue in between


def test_a_missing_deque_has_the_chinese_frame():
    english, chinese = both(no_deque, np.ones(32, np.float16))
    assert english.startswith("missing synchronisation in kernel 'no_deque' at ")
    assert "\nblock 0: " in english and "\nhint: " in english
    assert chinese.startswith("缺少同步：核函数 'no_deque'，位于 ")
    assert "\n核 0：" in chinese and "\n提示：" in chinese
    assert "MTE2" in chinese and "V" in chinese


@cann.kernel
def never_freed(x):
    xGm = cann.GlobalTensor(H)
    xGm.SetGlobalBuffer(x)
    pipe = cann.TPipe()
    que = cann.TQue(VECIN, 1)
    pipe.InitBuffer(que, 1, 64)
    for i in range(2):
        a = que.AllocTensor(H)  # the second tile finds the only buffer taken
        cann.DataCopy(a, xGm[i * 32], 32)
        que.EnQue(a)
        a = que.DeQue(H)
        cann.Adds(a, a, 1.0, 32)


def test_a_forgotten_free_tensor_is_reported_in_chinese():
    english, chinese = both(never_freed, np.ones(64, np.float16))
    assert english.startswith("buffer state error in kernel 'never_freed' at ")
    assert "block 0: AllocTensor with all 1 buffer(s) in use" in english
    assert "a FreeTensor that never comes (a deadlock)" in english
    assert chinese.startswith("缓冲区状态错误：核函数 'never_freed'，位于 ")
    assert "核 0：AllocTensor 时全部 1 块内存都在使用中" in chinese
    assert "永远不会到来的 FreeTensor（死锁）" in chinese
    assert "提示：每个张量用完后（DeQue 之后）用 FreeTensor 释放" in chinese


@cann.kernel
def tile_over_ub(x):
    pipe = cann.TPipe()
    que = cann.TQue(VECIN, 2)
    pipe.InitBuffer(que, 2, 128 * 1024)


def test_a_tile_over_ub_is_a_capacity_error_in_chinese():
    english, chinese = both(tile_over_ub, np.ones(32, np.float16))
    assert (
        "InitBuffer asks for 2 x 131072 = 262144 bytes of UB for TQue(VECIN, depth 2), but "
        "only 196608 of its 196608 bytes are left (0 already given to other buffers)"
    ) in english
    assert english.startswith("on-chip memory exceeded in kernel 'tile_over_ub' at ")
    assert chinese.startswith("片上内存容量不足：核函数 'tile_over_ub'，位于 ")
    assert (
        "核 0：InitBuffer 为 TQue(VECIN, depth 2) 申请 2 x 131072 = 262144 字节的 UB，"
        "但其 196608 字节中只剩 196608 字节"
    ) in chinese
    assert "提示：减小每块数据的长度（tileLength）" in chinese


@cann.kernel
def event_id_nine(x):
    cann.SetFlag[E.MTE2_V](9)


def test_an_event_id_out_of_range_is_reported_in_chinese():
    english, chinese = both(event_id_nine, np.ones(32, np.float16))
    assert "SetFlag<HardEvent::MTE2_V>(9): event ids are 0-7 on this generation" in english
    assert chinese.startswith("非法指令：核函数 'event_id_nine'，位于 ")
    assert "核 0：SetFlag<HardEvent::MTE2_V>(9)：这一代硬件的事件ID只能是 0-7" in chinese


@cann.kernel
def reload_without_flag(x, z):
    xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
    xGm.SetGlobalBuffer(x)
    zGm.SetGlobalBuffer(z)
    pipe = cann.TPipe()
    inBuf, outQ = cann.TBuf(), cann.TQue(VECOUT, 1)
    pipe.InitBuffer(inBuf, 128)
    pipe.InitBuffer(outQ, 1, 128)
    tile = inBuf.Get(H)
    for i in range(2):
        cann.DataCopy(tile, xGm[i * 64], 64)  # the reload V may still be reading
        cann.SetFlag[E.MTE2_V](0)
        cann.WaitFlag[E.MTE2_V](0)
        out = outQ.AllocTensor(H)
        cann.Adds(out, tile, 1.0, 64)
        outQ.EnQue(out)
        out = outQ.DeQue(H)
        cann.DataCopy(zGm[i * 64], out, 64)
        outQ.FreeTensor(out)


def test_a_write_after_read_is_reported_in_chinese_with_both_pipes():
    english, chinese = both(reload_without_flag, np.ones(128, np.float16), np.zeros(128, H))
    assert "block 0: DataCopy on pipe MTE2 overwrites a buffer that Adds on pipe V" in english
    assert "write after read" in english
    assert chinese.startswith("缺少同步：核函数 'reload_without_flag'，位于 ")
    assert "核 0：MTE2 流水线上的 DataCopy 覆写了一块 V 流水线上的 Adds" in chinese
    assert "读后写" in chinese
    assert "提示：在两者之间插入 SetFlag/WaitFlag<HardEvent::V_MTE2>" in chinese


def test_a_simt_kernel_error_frame_in_both_languages():
    where = dict(kernel="add", filename="add.py", line=7, source="  out[i] = x[i]\n")
    who = dict(block=(1, 0, 0), thread=(3, 0, 0), warp=0, hint="check i < out.size")
    english = OutOfBoundsError("index 9 is out of bounds", **where, **who)
    assert str(english) == (
        "out-of-bounds access in kernel 'add' at add.py:7\n"
        "    out[i] = x[i]\n"
        "block (1, 0, 0), thread (3, 0, 0) (warp 0): index 9 is out of bounds\n"
        "hint: check i < out.size"
    )
    with config.override(language="zh"):
        chinese = OutOfBoundsError("index 9 is out of bounds", **where, **who)
    assert str(chinese) == (
        "越界访问：核函数 'add'，位于 add.py:7\n"
        "    out[i] = x[i]\n"
        "线程块 (1, 0, 0)，线程 (3, 0, 0)（warp 0）：index 9 is out of bounds\n"
        "提示：check i < out.size"
    )
    assert chinese.kind == english.kind == "out-of-bounds access"


@pytest.mark.slow
def test_grading_a_broken_cann_add_in_chinese_shows_the_runtime_message():
    # `python -m autograder` is the `cudalike-grade` command; the child gets CUDALIKE_LANG.
    wrong = ROOT / "tests/exercises/wrong/cann_add/inputs_never_freed.py"
    grade = [sys.executable, "-m", "autograder", "--language", "zh", "check", "cann_add"]
    result = subprocess.run(
        [*grade, str(wrong)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode != 0
    out = result.stdout
    assert (
        "BufferStateError: 缓冲区状态错误：核函数 'add_custom'，位于 inputs_never_freed.py:" in out
    )
    assert "核 0：AllocTensor 时全部 2 块内存都在使用中" in out
    assert "提示：每个张量用完后（DeQue 之后）用 FreeTensor 释放" in out


def test_the_missing_deque_message_itself_is_chinese():
    english, chinese = both(no_deque, np.ones(32, np.float16))
    assert "reads a tensor written on pipe MTE2 with no synchronisation" in english
    assert "读取了由流水 MTE2 写入的张量，两者之间没有同步" in chinese
    assert "SetFlag/WaitFlag<HardEvent::MTE2_V>" in chinese


@cann.kernel
def negative_length(x):
    xGm = cann.GlobalTensor(H)
    xGm.SetGlobalBuffer(x + 16 * cann.GetBlockIdx(), 16 - 32)


def test_a_negative_global_buffer_length_is_reported_in_chinese():
    english, chinese = both(negative_length, np.ones(32, np.float16))
    assert "SetGlobalBuffer of -16 float16 elements at byte offset 0: neither may be" in english
    assert "两者都不能为负（该分配有 64 字节）" in chinese


@cann.kernel
def read_past_allocation(x):
    xGm = cann.GlobalTensor(H)
    xGm.SetGlobalBuffer(x + 16 * cann.GetBlockIdx() + 16, 32)
    xGm.GetValue(16)


def test_a_read_past_the_allocation_is_reported_in_chinese():
    english, chinese = both(read_past_allocation, np.ones(32, np.float16))
    assert "past the end of its allocation (16 elements)" in english
    assert "超出了其分配的末尾（16 个元素）" in chinese
    assert "SetGlobalBuffer gave this GlobalTensor 32 elements, but only 16 fit" in english
    assert "但从它的起点到分配末尾只容得下 16 个" in chinese


@cann.kernel
def copy_of_ten_halves(x):
    xGm = cann.GlobalTensor(H)
    xGm.SetGlobalBuffer(x)
    pipe = cann.TPipe()
    que = cann.TQue(VECIN, 1)
    pipe.InitBuffer(que, 1, 64)
    a = que.AllocTensor(H)
    cann.DataCopy(a, xGm, 10)  # 20 bytes: not whole 32-byte blocks


def test_a_copy_of_a_partial_block_is_reported_in_chinese():
    english, chinese = both(copy_of_ten_halves, np.ones(32, np.float16))
    assert "is not a multiple of 32 bytes" in english
    assert "不是 32 字节的整数倍" in chinese and "DataCopyPad" in chinese


@cann.kernel
def mmad_of_mixed_types():
    pipe = cann.TPipe()
    qa = cann.TQue(cann.TPosition.A2, 1)
    qb = cann.TQue(cann.TPosition.B2, 1)
    qc = cann.TQue(cann.TPosition.CO1, 1)
    pipe.InitBuffer(qa, 1, 512)
    pipe.InitBuffer(qb, 1, 1024)
    pipe.InitBuffer(qc, 1, 1024)
    a, b, c = qa.AllocTensor(H), qb.AllocTensor(cann.float), qc.AllocTensor(cann.float)
    cann.Mmad(c, a, b, cann.MmadParams(16, 16, 16))


def test_a_mmad_of_mixed_types_is_reported_in_chinese():
    english, chinese = both(mmad_of_mixed_types)
    assert "a and b share a type" in english
    assert "a 与 b 类型必须相同" in chinese


@cann.kernel
def aiv_waiting_for_a_flag_nobody_sets():
    cann.KERNEL_TASK_TYPE_DEFAULT(cann.KERNEL_TYPE_MIX_AIC_1_2)
    if cann.ASCEND_IS_AIV:
        cann.CrossCoreWaitFlag(3)


def test_a_cross_core_deadlock_is_reported_in_chinese():
    english, chinese = both(aiv_waiting_for_a_flag_nobody_sets)
    assert "waits for a set that no core will make" in english
    assert "CrossCoreWaitFlag(3) 等待的设置不会有任何核来发出" in chinese
    assert "死锁" in chinese and "核 0 (AIV0)" in chinese
