"""Differential tests: cudalike against numpy oracles over random sizes and block sizes.

Sizes are drawn freely, so most are not multiples of the block size, and block sizes are not
always multiples of 32 (partial warps). Inputs are integer-valued so answers compare exactly.
"""

import functools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from . import kernels
from .correct_cases import blocks, small_ints

SETTINGS = settings(max_examples=25, deadline=None)
sizes = st.integers(min_value=1, max_value=5000)
block_sizes = st.integers(min_value=1, max_value=1024)
powers_of_two = st.sampled_from([2**k for k in range(11)])
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@functools.cache
def jitted(file: str, kernel: str):
    """One compiled kernel per test module, relaunched with new shapes by each example."""
    return kernels.jit(file, kernel)


@SETTINGS
@given(n=sizes, block=block_sizes, seed=seeds)
def test_vector_add(n, block, seed):
    rng = np.random.default_rng(seed)
    a, b = small_ints(rng, n), small_ints(rng, n)
    out = np.zeros(n, np.float32)
    jitted("basic_kernels", "vector_add")[blocks(n, block), block](a, b, out)
    assert_array_equal(out, a + b)


@SETTINGS
@given(n=sizes, block=block_sizes, alpha=st.integers(-4, 4), seed=seeds)
def test_saxpy(n, block, alpha, seed):
    rng = np.random.default_rng(seed)
    x, y = small_ints(rng, n), small_ints(rng, n)
    out = np.zeros(n, np.float32)
    kernel = jitted("basic_kernels", "saxpy")
    kernel[blocks(n, block), block](np.float32(alpha), x, y, out)
    assert_array_equal(out, np.float32(alpha) * x + y)


@SETTINGS
@given(n=sizes, block=powers_of_two, seed=seeds)
def test_tree_reduction(n, block, seed):
    a = small_ints(np.random.default_rng(seed), n)
    partial = np.zeros(blocks(n, block), np.float32)
    jitted("reduction_kernels", "block_sum")[partial.size, block](a, partial)
    padded = np.zeros(partial.size * block, np.float32)
    padded[:n] = a
    assert_array_equal(partial, padded.reshape(-1, block).sum(1))


@SETTINGS
@given(
    m=st.integers(1, 70),
    k=st.integers(1, 70),
    n=st.integers(1, 70),
    kernel=st.sampled_from(["matmul_tiled", "matmul_coalesced"]),
    seed=seeds,
)
def test_matmul(m, k, n, kernel, seed):
    rng = np.random.default_rng(seed)
    A, B = small_ints(rng, (m, k), low=-4, high=4), small_ints(rng, (k, n), low=-4, high=4)
    C = np.zeros((m, n), np.float32)
    tile = 16
    jitted("matmul_kernels", kernel)[(blocks(n, tile), blocks(m, tile)), (tile, tile)](A, B, C)
    assert_array_equal(C, A @ B)


@SETTINGS
@given(n=sizes, block=st.integers(min_value=3, max_value=1024), seed=seeds)
def test_stencil_with_halo(n, block, seed):
    a = small_ints(np.random.default_rng(seed), n)
    out = np.zeros(n, np.float32)
    jitted("reduction_kernels", "stencil_1d")[blocks(n, block), block](a, out)
    assert_array_equal(out, np.convolve(a, np.ones(7, np.float32))[3 : 3 + n])


@SETTINGS
@given(n=st.integers(0, 5000), block=block_sizes, grid=st.integers(1, 8), seed=seeds)
def test_histogram(n, block, grid, seed):
    data = np.random.default_rng(seed).integers(0, 16, n).astype(np.int32)
    hist = np.zeros(16, np.int32)
    jitted("reduction_kernels", "histogram")[grid, block](data, hist)
    assert_array_equal(hist, np.bincount(data, minlength=16))


@SETTINGS
@given(n=sizes, block=block_sizes, seed=seeds)
def test_block_scan(n, block, seed):
    a = small_ints(np.random.default_rng(seed), n)
    out = np.zeros(n, np.float32)
    jitted("reduction_kernels", "block_inclusive_scan")[blocks(n, block), block](a, out)
    padded = np.zeros(blocks(n, block) * block, np.float32)
    padded[:n] = a
    assert_array_equal(out, padded.reshape(-1, block).cumsum(1).ravel()[:n])
