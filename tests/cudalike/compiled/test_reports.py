"""Buggy kernels give the same reports on the compiled tier as on the vector engine.

The compiled code finds the fault (or only suspects one), restores what the launch wrote and
hands the launch to the vector engine, which reports it. These tests are the vector engine's
own report tests (tests/cudalike/simt/test_checks.py), run again with tier="compiled".
"""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.simt.compiled import launcher
from tests.cudalike.simt import test_checks
from tests.cudalike.simt.test_checks import *  # noqa: F403 (the report tests, collected here)

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def compiled_tier():
    with config.override(tier="compiled"):
        yield


def test_a_fault_found_by_compiled_code_leaves_device_arrays_as_they_were():
    out = cuda.to_device(np.full(100, 5.0, np.float32))
    before = launcher.outcomes["handed back"]
    with pytest.raises(test_checks.OutOfBoundsError):
        test_checks.run_buggy("fill_missing_guard", 2, 64, out, np.float32(2))
    assert launcher.outcomes["handed back"] == before + 1
    assert (out.copy_to_host() == 5.0).all()
