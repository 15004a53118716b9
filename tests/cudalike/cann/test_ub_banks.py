"""UB bank conflicts in the NPU timing model, on the vendor's own examples (Ascend C best
practices, "Avoiding Bank Conflicts in the Unified Buffer", architecture 220x)."""

import json

import numpy as np

from cudalike import cann, profiler
from cudalike.cann import ub_banks
from cudalike.model.devices_npu import load_npu_profile

PROFILE = load_npu_profile()
ROW = PROFILE.ub_bank_row_bytes


def rows(*addresses: int) -> np.ndarray:
    """One repeat touching the 32-byte rows at these UB byte addresses."""
    return np.array([[address // ROW for address in addresses]])


def extra(reads=(), writes=(), pace=1.0) -> float:
    return ub_banks.conflict_cycles(PROFILE, pace, list(reads), list(writes))


def test_read_write_conflict_is_a_source_and_dst_in_one_bank():
    assert extra(reads=[rows(0x10020)], writes=[rows(0x10000)]) == 0  # banks 17 and 16
    assert extra(reads=[rows(0x10020)], writes=[rows(0x10E20)]) == 1  # both in bank 17


def test_read_read_conflict_is_two_sources_in_one_bank_group():
    assert extra(reads=[rows(0x10020), rows(0x20020)]) == 1  # banks 17 and 33, group 1
    assert extra(reads=[rows(0x10020), rows(0x10000)]) == 0  # groups 1 and 0
    assert extra(reads=[rows(0x10020), rows(0x10020)]) == 0  # one row, read once


def test_write_write_conflict_takes_a_cycle_per_block_in_one_group():
    # dst 0x1FE00 with block stride 16: all 8 blocks in one group, 8 cycles a repeat;
    # block stride 8: blocks 0, 2, 4, 6 share a group, 4 cycles a repeat.
    stride16 = rows(*(0x1FE00 + k * 16 * 32 for k in range(8)))
    stride8 = rows(*(0x1FE00 + k * 8 * 32 for k in range(8)))
    assert extra(writes=[stride16]) == 7
    assert extra(writes=[stride8]) == 3


def test_a_slow_instruction_absorbs_a_conflict_within_its_pace():
    both = [rows(0x10020), rows(0x20020)]  # 2 read cycles
    assert extra(reads=both, pace=2.0) == 0
    assert extra(reads=both, pace=1.5) == 0.5


def add_at(x_addr: int, y_addr: int, z_addr: int, n: int = 4096):
    """The vendor's z = x + y over 4096 floats with x, y, z placed by hand; the launch record."""

    @cann.kernel
    def kernel(out):
        place = cann.LocalTensor[cann.float32]
        x = place(cann.TPosition.VECCALC, x_addr, n)
        y = place(cann.TPosition.VECCALC, y_addr, n)
        z = place(cann.TPosition.VECCALC, z_addr, n)
        cann.Duplicate(x, 1.0, n)
        cann.Duplicate(y, 2.0, n)
        cann.Add(z, x, y, n)
        result["z"] = z.numpy()

    result = {}
    with profiler.profile() as prof:
        kernel[1](np.zeros(1, np.float32))
    assert (result["z"] == 3.0).all()  # the values are the same wherever the tensors sit
    return prof.launches[0]


def add_event(record):
    (event,) = [e for e in record.events if e.name == "Add"]
    return event


def test_the_vendor_placement_models_slower_by_the_documented_amount():
    # x at 0x0, y at 0x4000, z at 0x8000: each repeat reads x and y from one bank group (2
    # cycles) and writes z into the bank it reads (3 accesses of one bank): 3 cycles a repeat
    # against Add's pace of 2, over 64 repeats. The vendor's fix (y at 0x4100, z at 0x10000)
    # has no conflict.
    conflicted = add_at(0x0, 0x4000, 0x8000)
    spread = add_at(0x0, 0x4100, 0x10000)
    repeats = 4096 * 4 // PROFILE.vector_repeat_bytes
    expected = repeats * (3 - PROFILE.vector_binary_cycles_per_repeat)
    slow, fast = add_event(conflicted), add_event(spread)
    assert slow.ub_bank_conflict_cycles == expected
    assert fast.ub_bank_conflict_cycles == 0
    assert (slow.end_cycle - slow.start_cycle) - (fast.end_cycle - fast.start_cycle) == expected
    assert fast.end_cycle - fast.start_cycle == (
        PROFILE.vector_overhead_cycles + repeats * PROFILE.vector_binary_cycles_per_repeat
    )
    assert conflicted.metrics["ub_bank_conflict_cycles"] == expected
    assert spread.metrics["ub_bank_conflict_cycles"] == 0


def test_the_record_and_trace_name_the_conflicted_line(tmp_path):
    record = add_at(0x0, 0x4000, 0x8000)
    conflicted = [line for line in record.lines if line["ub_bank_conflict_cycles"]]
    assert [line["source"].strip() for line in conflicted] == ["cann.Add(z, x, y, n)"]
    path = tmp_path / "trace.json"
    record.export_trace(path)
    events = json.loads(path.read_text())["traceEvents"]
    marked = [e for e in events if e.get("args", {}).get("ub_bank_conflict_cycles")]
    assert [e["name"] for e in marked] == ["Add"]


def test_a_strided_read_into_one_bank_group_costs_a_cycle_per_block():
    # The vendor's transpose: Adds reading 8 blocks 16 blocks apart, all in one bank group.
    def strided(src_stride: int):
        @cann.kernel
        def kernel(out):
            src = cann.LocalTensor[cann.half](cann.TPosition.VECCALC, 0, 2048)
            dst = cann.LocalTensor[cann.half](cann.TPosition.VECCALC, 0x10000, 128)
            cann.Duplicate(src, 1.0, 2048)
            params = cann.UnaryRepeatParams(1, src_stride, 8, 8)
            cann.Adds(dst, src, 0.0, 128, 1, params)

        with profiler.profile() as prof:
            kernel[1](np.zeros(1, np.float16))
        (event,) = [e for e in prof.launches[0].events if e.name == "Adds"]
        return event.ub_bank_conflict_cycles

    assert strided(16) == 8 - PROFILE.vector_cycles_per_repeat
    assert strided(1) == 0


def test_conflicts_are_deterministic():
    first, second = add_at(0x0, 0x4000, 0x8000), add_at(0x0, 0x4000, 0x8000)
    assert first.metrics == second.metrics and first.time_us == second.time_us


def test_a_reduction_absorbs_strided_reads_up_to_its_pace():
    # WholeReduceSum's pace is 3 Adds (6 cycles): 8 blocks in one bank group cost 2 more.
    def strided(src_stride: int):
        @cann.kernel
        def kernel(out):
            src = cann.LocalTensor[cann.half](cann.TPosition.VECCALC, 0, 2048)
            dst = cann.LocalTensor[cann.half](cann.TPosition.VECCALC, 0x10000, 16)
            cann.Duplicate(src, 1.0, 2048)
            cann.WholeReduceSum(dst, src, 128, 1, 1, src_stride, 8)

        with profiler.profile() as prof:
            kernel[1](np.zeros(1, np.float16))
        (event,) = [e for e in prof.launches[0].events if e.name == "WholeReduceSum"]
        return event.ub_bank_conflict_cycles

    pace = PROFILE.vector_binary_cycles_per_repeat * PROFILE.vector_reduce_factor
    assert strided(16) == 8 - pace
    assert strided(1) == 0
