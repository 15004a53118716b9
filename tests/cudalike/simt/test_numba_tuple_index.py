"""An index tuple held in a variable (`gid = cuda.grid(2); ary[gid]`) indexes with its parts."""

from __future__ import annotations

import numpy as np

from cudalike import cuda


def test_a_grid_tuple_in_a_variable_indexes_loads_stores_and_atomics() -> None:
    @cuda.jit
    def kernel(res, old, ary, fill):
        gid = cuda.grid(2)
        if gid[0] < res.shape[0] and gid[1] < res.shape[1]:
            old[gid] = cuda.atomic.cas(res, gid, fill, ary[gid])

    res = np.zeros((4, 6), np.int32)
    res[1, 2] = 7
    old = np.full_like(res, -1)
    ary = np.arange(24, dtype=np.int32).reshape(4, 6)
    kernel[(1, 2), (4, 4)](res, old, ary, 0)
    expected = ary.copy()
    expected[1, 2] = 7
    np.testing.assert_array_equal(res, expected)
    expected_old = np.zeros_like(res)
    expected_old[1, 2] = 7
    np.testing.assert_array_equal(old, expected_old)
