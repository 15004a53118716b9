"""numba.cuda.random for cudalike: xoroshiro128+ generators, one state per thread.

Host side: `create_xoroshiro128p_states(n, seed)` makes the states exactly as numba does
(the same seed gives the same numbers as numba on a GPU). Kernel side:
`xoroshiro128p_uniform_float32(states, i)` and friends advance `states[i]` and return a number;
the engine runs them for every active lane at once.

    from cudalike import cuda
    from cudalike.cuda.random import create_xoroshiro128p_states, xoroshiro128p_uniform_float32
"""

from __future__ import annotations

import numpy as np

from cudalike.simt.host import DeviceNDArray, to_device
from cudalike.simt.markers import FakeKernelName

xoroshiro128p_dtype = np.dtype([("s0", np.uint64), ("s1", np.uint64)], align=True)

KERNEL_FUNCTIONS = (
    "xoroshiro128p_next",
    "xoroshiro128p_uniform_float32",
    "xoroshiro128p_uniform_float64",
    "xoroshiro128p_normal_float32",
    "xoroshiro128p_normal_float64",
)
xoroshiro128p_next = FakeKernelName("random.xoroshiro128p_next")
xoroshiro128p_uniform_float32 = FakeKernelName("random.xoroshiro128p_uniform_float32")
xoroshiro128p_uniform_float64 = FakeKernelName("random.xoroshiro128p_uniform_float64")
xoroshiro128p_normal_float32 = FakeKernelName("random.xoroshiro128p_normal_float32")
xoroshiro128p_normal_float64 = FakeKernelName("random.xoroshiro128p_normal_float64")


def init_xoroshiro128p_states(
    states: DeviceNDArray, seed: int, subsequence_start: int = 0, stream=0
) -> None:
    """Fill `states` so that generator i starts 2**64 * (subsequence_start + i) steps in."""
    from cudalike.dropin import real_module

    init_xoroshiro128p_states_cpu = real_module("numba.cuda.random").init_xoroshiro128p_states_cpu
    host = np.empty(states.shape, dtype=xoroshiro128p_dtype)
    init_xoroshiro128p_states_cpu(host, seed, subsequence_start)
    states.copy_to_device(host)


def create_xoroshiro128p_states(
    n: int, seed: int, subsequence_start: int = 0, stream=0
) -> DeviceNDArray:
    """A device array of `n` independent generator states (one per thread, typically).

    Differences: none in the numbers; the states are initialised by numba's own CPU code.
    """
    states = to_device(np.empty(int(n), dtype=xoroshiro128p_dtype))
    init_xoroshiro128p_states(states, seed, subsequence_start, stream)
    return states


__all__ = [
    "create_xoroshiro128p_states",
    "init_xoroshiro128p_states",
    "xoroshiro128p_dtype",
    *KERNEL_FUNCTIONS,
]
