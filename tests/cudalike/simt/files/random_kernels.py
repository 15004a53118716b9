"""Kernels using cuda.random, as CUDA Python courses write them (Monte Carlo estimate of pi)."""

from numba import float32

from cudalike import cuda
from cudalike.cuda.random import (
    xoroshiro128p_normal_float32,
    xoroshiro128p_uniform_float32,
    xoroshiro128p_uniform_float64,
)


def draw(states, uniform32, uniform64, normal32):
    i = cuda.grid(1)
    if i < uniform32.size:
        uniform32[i] = xoroshiro128p_uniform_float32(states, i)
        uniform64[i] = xoroshiro128p_uniform_float64(states, i)
        normal32[i] = xoroshiro128p_normal_float32(states, i)


def monte_carlo_pi(states, iterations, hits):
    i = cuda.grid(1)
    if i >= hits.size:
        return
    inside = 0
    for _ in range(iterations):
        x = xoroshiro128p_uniform_float32(states, i)
        y = xoroshiro128p_uniform_float32(states, i)
        if x * x + y * y <= float32(1.0):
            inside += 1
    hits[i] = inside
