"""The global race shadows of a checked compiled launch come from the shadow pool and go back to
it clean: a later launch, whatever order its blocks run in, sees no access of an earlier one."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import RaceError
from cudalike.simt import shadow_pool
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow


def shifted_store(out, shift):
    # Element e is stored by a different block for each shift: a shadow left over from an
    # earlier launch would name another block as its writer (a race between blocks).
    i = cuda.grid(1)
    out[(i + shift) % out.size] = out.size - i


def test_launches_reuse_clean_shadows_from_the_pool():
    kernel = cuda.jit(shifted_store)
    out = np.zeros(256, np.int64)
    with config.override(tier="compiled", checks=True):
        for shift in (0, 8, 16):
            before = dict(launcher.outcomes)
            kernel[32, 8](out, shift)
            assert launcher.outcomes["compiled"] == before.get("compiled", 0) + 1
            assert launcher.outcomes["handed back"] == before.get("handed back", 0)
            assert shadow_pool._pool.get((out.size, np.dtype(np.int64), 0))
            assert shadow_pool._pool.get((out.size, np.dtype(np.int32), 0))
        expected = np.empty(256, np.int64)
        expected[(np.arange(256) + 16) % 256] = 256 - np.arange(256)
        assert np.array_equal(out, expected)
        # A launch handed back (two blocks store the same elements) leaves no stale shadow.
        with pytest.raises(RaceError):
            kernel[64, 8](np.zeros(256, np.int64), 0)
        before = launcher.outcomes["compiled"]
        kernel[32, 8](out, 24)
        assert launcher.outcomes["compiled"] == before + 1
