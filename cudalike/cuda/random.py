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


_MASK = (1 << 64) - 1
_JUMP = (0xBEAC0467EBA5FACB, 0xD86B048B86AA9922)


def _splitmix64(seed: int) -> int:
    z = (seed + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def init_xoroshiro128p_states(
    states: DeviceNDArray, seed: int, subsequence_start: int = 0, stream=0
) -> None:
    """Fill `states` so that generator i starts 2**64 * (subsequence_start + i) steps in."""
    from cudalike.dropin import real_module

    host = np.empty(states.shape, dtype=xoroshiro128p_dtype)
    try:
        numba_init = real_module("numba.cuda.random").init_xoroshiro128p_states_cpu
        numba_init(host, seed, subsequence_start)
    except NameError:
        # Under numba's simulator settings numba compiles its initialiser in object mode,
        # where it cannot see its own globals; the same algorithm compiled for the CPU here.
        _init_compiled(host, seed, subsequence_start)
    states.copy_to_device(host)


def _init_compiled(host: np.ndarray, seed: int, subsequence_start: int) -> None:
    """numba's initialisation, compiled with `numba.njit` (a million states take a second)."""
    global _compiled_init
    if _compiled_init is None:
        _compiled_init = _compile_init()
    flat = host.reshape(-1)
    first = np.array(_splitmix64(int(seed) & _MASK), dtype=np.uint64)
    s0, s1 = _compiled_init(flat["s0"], flat["s1"], first, np.int64(subsequence_start))
    flat["s0"], flat["s1"] = s0, s1


_compiled_init = None


def _compile_init():
    """numba's initialiser as a CPU function: splitmix64 of the seed, then one jump of 2**64
    steps (xoroshiro128+'s jump polynomial) per subsequence, in uint64 arithmetic."""
    import numba

    jump = np.array(_JUMP, dtype=np.uint64)

    @numba.njit(cache=False)
    def rotl(x, k):
        return (x << np.uint64(k)) | (x >> np.uint64(64 - k))

    @numba.njit(cache=False)
    def advance(s0, s1):
        t0 = np.uint64(0)
        t1 = np.uint64(0)
        for word in jump:
            for bit in range(64):
                if (word >> np.uint64(bit)) & np.uint64(1):
                    t0 ^= s0
                    t1 ^= s1
                s1 ^= s0
                s0 = rotl(s0, 55) ^ s1 ^ (s1 << np.uint64(14))
                s1 = rotl(s1, 36)
        return t0, t1

    @numba.njit(cache=False)
    def initialise(out0, out1, first, subsequence_start):
        s0 = first[()]
        s1 = first[()]
        for _ in range(subsequence_start):
            s0, s1 = advance(s0, s1)
        for i in range(out0.size):
            if i:
                s0, s1 = advance(s0, s1)
            out0[i] = s0
            out1[i] = s1
        return out0, out1

    return initialise


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
