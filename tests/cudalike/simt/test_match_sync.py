"""cuda.match_any_sync and cuda.match_all_sync: warp matching by value, as numba.cuda has them.

numba-cuda types both as returning int32 masks (`cudadecl.py`, `Cuda_match_any_sync`,
`Cuda_match_all_sync`); match_all_sync returns `(mask or 0, predicate)`.
"""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import config, cuda


def _lanes_mask(lanes) -> int:
    """The int32 value of a mask with the given lanes set."""
    return int(
        np.array(sum(1 << lane for lane in lanes), np.uint64).astype(np.uint32).view(np.int32)
    )


@cuda.jit
def _match_any(values, out):
    i = cuda.grid(1)
    out[i] = cuda.match_any_sync(0xFFFFFFFF, values[i])


@cuda.jit
def _match_all(values, out, preds):
    i = cuda.grid(1)
    matched, pred = cuda.match_all_sync(0xFFFFFFFF, values[i])
    out[i] = matched
    preds[i] = pred


def test_match_any_groups_lanes_by_value_within_each_warp() -> None:
    values = (np.arange(64) % 3).astype(np.int32)
    out = np.zeros(64, np.int32)
    _match_any[2, 32](values, out)
    for i in range(64):
        warp = range(32 * (i // 32), 32 * (i // 32) + 32)
        expected = _lanes_mask(j % 32 for j in warp if values[j] == values[i])
        assert out[i] == expected
    assert out.dtype == np.int32 and out[1] < 0  # lane 31 is in lane 1's group: the sign bit


def test_match_any_of_a_partial_warp_counts_only_its_lanes() -> None:
    values = np.arange(10, dtype=np.int32) % 2
    out = np.zeros(10, np.int32)
    _match_any[1, 10](values, out)
    assert list(out) == [0b0101010101, 0b1010101010] * 5


def test_match_any_compares_floats_bit_for_bit() -> None:
    values = np.array([0.0, -0.0, np.nan, np.nan, 1.5, 1.5, 0.0, 2.0])
    out = np.zeros(8, np.int32)
    _match_any[1, 8](values, out)
    assert list(out) == [0b1000001, 0b10, 0b1100, 0b1100, 0b110000, 0b110000, 0b1000001, 0b10000000]


def test_match_any_leaves_inactive_lanes_and_lanes_outside_the_member_mask_out() -> None:
    @cuda.jit
    def even_lanes(values, out):
        i = cuda.grid(1)
        if i % 2 == 0:
            out[i] = cuda.match_any_sync(0x0000FFFF, values[i])

    values = np.zeros(32, np.int32)
    out = np.full(32, -1, np.int32)
    even_lanes[1, 32](values, out)
    assert list(out[0:16:2]) == [0x5555] * 8
    assert out[1] == -1  # the odd lanes did not run the call


def test_match_all_gives_the_members_when_every_lane_agrees() -> None:
    values = np.zeros(40, np.int64)
    values[35] = 4  # the second warp (lanes 32..39) disagrees
    out = np.zeros(40, np.int32)
    preds = np.zeros(40, np.bool_)
    _match_all[1, 40](values, out, preds)
    assert (out[:32] == -1).all() and preds[:32].all()  # 0xFFFFFFFF as an int32
    assert (out[32:] == 0).all() and not preds[32:].any()


def test_match_all_of_numba_cudas_own_example() -> None:
    @cuda.jit("void(int32[:], int32[:])")
    def use_match_all_sync(ary_in, ary_out):
        i = cuda.grid(1)
        ballot, pred = cuda.match_all_sync(0xFFFFFFFF, ary_in[i])
        ary_out[i] = ballot if pred else 0

    ary_in = np.zeros(10, np.int32)
    ary_out = np.empty(10, np.int32)
    use_match_all_sync[1, 10](ary_in, ary_out)
    assert (ary_out == 0b1111111111).all()
    ary_in[1] = 4
    use_match_all_sync[1, 10](ary_in, ary_out)
    assert (ary_out == 0).all()


def test_match_outside_a_kernel_says_it_belongs_in_one() -> None:
    with pytest.raises(RuntimeError, match="inside a kernel"):
        cuda.match_any_sync(0xFFFFFFFF, 1)


def test_match_any_runs_right_when_the_compiled_tier_is_asked_for() -> None:
    """The compiled tier leaves a kernel with warp matching to the vector engine."""
    values = np.arange(10, dtype=np.int32) % 2
    out = np.zeros(10, np.int32)
    with config.override(tier="compiled"):
        _match_any[1, 10](values, out)
    assert list(out) == [0b0101010101, 0b1010101010] * 5
