"""The real-GPU backend reaches numba-cuda's own numba.cuda even in drop-in mode, where the
name numba.cuda means cudalike."""

import numba.cuda as real_numba_cuda

import cudalike
from cudalike.simt import numba_backend


def test_backend_gets_the_real_numba_cuda_in_drop_in_mode():
    cudalike.install()
    try:
        from numba import cuda as aliased

        assert aliased is not real_numba_cuda  # drop-in mode is on
        assert numba_backend._numba_cuda() is real_numba_cuda
        assert numba_backend._translate(aliased, real_numba_cuda) is real_numba_cuda
    finally:
        cudalike.uninstall()
    assert numba_backend._numba_cuda() is real_numba_cuda
