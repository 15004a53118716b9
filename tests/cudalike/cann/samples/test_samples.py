"""Every ported Ascend C sample, run with all checks on, against its numpy oracle.

A sample that needs a runtime feature cudalike lacks is an expected failure naming that
feature (strict: the test fails once the feature lands, so the mark gets removed). Any
CannKernelError raised by a sample that runs is a false alarm: the vendor's code is correct.
`test_literal_share` reports how many samples run exactly as the vendor wrote them.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

SAMPLE_NAMES = [
    "add_tque",
    "sub_former_tail",
    "leaky_relu",
    "add_tiling",
    "add_bf16_tbuf",
    "data_copy_pad",
    "leaky_relu_repeat",
    "pipe_barrier_static",
    "axpy_half_float",
    "add_relu_axpy",
    "cast_half_int32",
    "whole_reduce_rows",
    "whole_reduce_scenarios",
    "pair_reduce_sum",
    "compare_lt",
    "abs_gather_mask",
    "reduce_min_atomic",
    "rms_norm",
    "add_rms_norm",
    "softmax_api",
    "layernorm_api",
    "matmul_api",
    "mmad_cube",
    "matmul_basic_cube",
    "sum_api",
]
SAMPLES = {name: importlib.import_module(f"{__package__}.{name}") for name in SAMPLE_NAMES}

# The literal ports that run today; raise it as runtime features land (never lower it).
LITERAL_RUNNING_AT_LEAST = 24


def missing(module, case: str) -> str | None:
    """The runtime feature a sample's case still needs, or None if it should run."""
    return module.MISSING or module.MISSING_CASES.get(case)


def _params():
    for name, module in SAMPLES.items():
        for case in module.CASES:
            reason = missing(module, case)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            if case in getattr(module, "SLOW_CASES", ()):
                marks.append(pytest.mark.slow)
            yield pytest.param(name, case, marks=marks, id=f"{name}-{case}")


@pytest.mark.parametrize(("name", "case"), list(_params()))
def test_sample_matches_oracle(name: str, case: str) -> None:
    result = SAMPLES[name].run(case)
    got = np.asarray(result.got)
    assert got.shape == result.want.shape, f"{name}/{case}: shape {got.shape}"
    np.testing.assert_allclose(
        got.astype(np.float64),
        np.asarray(result.want).astype(np.float64),
        rtol=result.rtol,
        atol=result.atol,
        err_msg=f"{name}/{case}",
    )


def test_every_sample_names_its_source_and_changes() -> None:
    for name, module in SAMPLES.items():
        doc = module.__doc__ or ""
        assert "Source:" in doc and "https://" in doc, name
        assert "Changed:" in doc, name
        assert module.BENCH_CASE in module.CASES, name


def test_literal_share() -> None:
    running = [
        name
        for name, module in SAMPLES.items()
        if module.LITERAL and not module.MISSING and not any(module.MISSING_CASES.values())
    ]
    share = len(running) / len(SAMPLES)
    print(f"\n{len(running)} of {len(SAMPLES)} samples run literally ({share:.0%}): {running}")
    assert len(running) >= LITERAL_RUNNING_AT_LEAST
