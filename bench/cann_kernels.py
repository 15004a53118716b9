"""Modelled times of the reference CANN kernels and of the ported vendor samples: two tables.

.venv/bin/python bench/cann_kernels.py

The second table runs each sample of tests/cudalike/cann/samples on its BENCH_CASE (the
vendor's own size where the sample fixes one); a sample still waiting on a runtime feature
shows what it needs instead of a time.
"""

import importlib
import sys
from pathlib import Path

import numpy as np

from cudalike import profiler
from cudalike.cann.kernels import (
    add,
    axpy,
    cast,
    layernorm,
    mul,
    reduce_sum,
    relu,
    rmsnorm,
    silu,
    softmax,
    transpose,
)

BLOCKS = 48
rng = np.random.default_rng(0)
flat = rng.standard_normal(2**20)
table = rng.standard_normal((4096, 1024))
small = rng.standard_normal((1024, 1024))
h, f = np.float16, np.float32
CASES = [
    ("add", "2^20", "fp16", lambda: add.add(flat.astype(h), flat.astype(h), BLOCKS)),
    ("mul", "2^20", "fp16", lambda: mul.mul(flat.astype(h), flat.astype(h), BLOCKS)),
    ("axpy", "2^20", "fp32", lambda: axpy.axpy(2.0, flat.astype(f), flat.astype(f), BLOCKS)),
    ("relu", "2^20", "fp16", lambda: relu.relu(flat.astype(h), BLOCKS)),
    ("silu", "2^20", "fp16", lambda: silu.silu(flat.astype(h), BLOCKS)),
    (
        "cast fp32->fp16",
        "2^20",
        "fp32->fp16",
        lambda: cast.cast_fp32_to_fp16(flat.astype(f), BLOCKS),
    ),
    (
        "reduce_sum (rows)",
        "4096 x 1024",
        "fp16",
        lambda: reduce_sum.reduce_sum(table.astype(h), BLOCKS),
    ),
    ("softmax (rows)", "4096 x 1024", "fp16", lambda: softmax.softmax(table.astype(h), BLOCKS)),
    (
        "layernorm",
        "4096 x 1024",
        "fp16",
        lambda: layernorm.layernorm(
            table.astype(h), np.ones(1024, h), np.zeros(1024, h), 1e-5, BLOCKS
        ),
    ),
    (
        "rmsnorm",
        "4096 x 1024",
        "fp16",
        lambda: rmsnorm.rmsnorm(table.astype(h), np.ones(1024, h), 1e-6, BLOCKS),
    ),
    ("transpose", "1024 x 1024", "fp16", lambda: transpose.transpose(small.astype(h), BLOCKS)),
]


def sample_rows() -> list[str]:
    """One markdown row per ported sample: its bench case, blocks, modelled time and bound."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    samples = importlib.import_module("tests.cudalike.cann.samples.test_samples")
    rows = []
    for name, module in samples.SAMPLES.items():
        case = module.BENCH_CASE
        reason = samples.missing(module, case)
        if reason:
            rows.append(f"| {name} | {case} | | needs: {reason} | |")
            continue
        with profiler.profile() as prof:
            module.run(case)
        time_us = sum(record.time_us for record in prof.launches)
        record = prof.launches[-1]
        rows.append(f"| {name} | {case} | {record.num_blocks} | {time_us:.2f} | {record.bound} |")
    return rows


def main() -> None:
    print("| kernel | shape | dtype | blocks | modelled us | bound |")
    print("|---|---|---|---|---|---|")
    for name, shape, dtype, run in CASES:
        with profiler.profile() as prof:
            run()
        record = prof.launches[0]
        print(
            f"| {name} | {shape} | {dtype} | {record.num_blocks} | {record.time_us:.2f} "
            f"| {record.bound} |"
        )
    print()
    print("| sample | case | blocks | modelled us | bound |")
    print("|---|---|---|---|---|")
    for row in sample_rows():
        print(row)


if __name__ == "__main__":
    main()
