"""Small numba.cuda conformance fixes: scalar arguments wrap to their declared type, the
scalar type names numba.cuda exports, and a clear error for numba's compiler-only functions."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda


def test_a_python_int_beyond_int32_wraps_to_the_declared_int32() -> None:
    @cuda.jit("void(int32[:], int32)")
    def kernel(out, x):
        out[0] = cuda.ffs(x)
        out[1] = cuda.clz(x)
        out[2] = x

    out = np.zeros(3, np.int32)
    kernel[1, 1](out, 0xFFFFFFFF)
    np.testing.assert_array_equal(out, [1, 0, -1])
    kernel[1, 1](out, 0x80000000)
    assert out[0] == 32


def test_numba_cuda_exports_double_and_the_c_type_names() -> None:
    from numba.core import types

    assert cuda.double is types.double
    assert cuda.ulonglong is types.ulonglong


@pytest.mark.parametrize("name", ["compile_ptx"])
def test_compiler_only_functions_import_and_say_why_they_fail(name) -> None:
    function = getattr(cuda, name)
    with pytest.raises(NotImplementedError, match="cudalike"):
        function(lambda x: x, "float32(float32)")


def test_external_stream_says_cudalike_has_no_cuda_streams() -> None:
    with pytest.raises(RuntimeError, match="External streams are unsupported in the simulator"):
        cuda.external_stream(0x12345678)
