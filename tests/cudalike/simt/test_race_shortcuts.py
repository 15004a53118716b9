"""The race checker defers read bookkeeping and skips epochs with no writes: it must still
find every race it found before, including after blocks exit early (non-uniform epochs)."""

import re

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import RaceError
from tests.cudalike.simt.files import race_shortcut_kernels as kernels


def launch(name):
    kernel = cuda.jit(getattr(kernels, name))
    a = np.arange(64, dtype=np.float32)
    out = np.zeros(128, np.float32)
    kernel[2, 64](a, out)
    return a, out


def test_write_after_read_is_found_after_a_whole_block_exited():
    with pytest.raises(RaceError) as caught:
        launch("war_after_exited_block")
    message = str(caught.value)
    assert re.search(r"block \(1, 0, 0\), thread \(0, 0, 0\)", message), message
    assert "a thread of warp 1 (linear threads 32-63) read" in message


def test_read_after_write_is_found_two_barriers_later():
    with pytest.raises(RaceError, match=r"which thread \(63, 0, 0\) wrote with no barrier"):
        launch("raw_after_two_barriers")


def test_the_same_accesses_separated_by_barriers_are_clean():
    a, out = launch("reads_then_barrier_then_write")
    expected = np.tile(a + 1, 2)
    np.testing.assert_array_equal(out, expected)
