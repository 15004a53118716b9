"""Kernels from graph, hashing, imaging and simulation codes: an open-addressing hash table
filled with compare-and-swap, Bellman-Ford and label propagation with atomic minima, PageRank,
triangle counting, a Hough transform, integral-image rows, Canny's non-maximum suppression,
erosion, a lattice-Boltzmann step, a 2-D FDTD update, SPH densities, CRC-32 and a SHA-256
round on uint32 words, and a Monte-Carlo option price (see survey_grids.py for the `Case`
type)."""

import math

import numpy as np
from numba import float32, int32, uint32

from cudalike import cuda
from cudalike.cuda.random import create_xoroshiro128p_states, xoroshiro128p_normal_float32
from tests.cudalike.compiled.survey_grids import Case, f32

EMPTY = -1
CAPACITY = 1024  # a power of two
LBM_DX = np.array([0, 1, 0, -1, 0, 1, -1, -1, 1], np.int32)
LBM_DY = np.array([0, 0, 1, 0, -1, 1, 1, -1, -1], np.int32)
LBM_W = np.array([4 / 9] + [1 / 9] * 4 + [1 / 36] * 4, np.float32)
CRC_TABLE = np.array(
    [
        (lambda c: [c := (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1 for _ in range(8)][-1])(n)
        for n in range(256)
    ],
    np.uint32,
)
SHA_K = np.array([0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5], np.uint32)


def hash_insert(keys, table, counts):
    i = cuda.grid(1)
    if i < keys.size:
        key = keys[i]
        slot = (key * 40503) & (CAPACITY - 1)
        while True:
            previous = cuda.atomic.cas(table, slot, EMPTY, key)
            if previous == EMPTY or previous == key:
                cuda.atomic.add(counts, slot, 1)
                break
            slot = (slot + 1) & (CAPACITY - 1)


def bellman_ford_relax(src, dst, weight, dist, next_dist, changed):
    e = cuda.grid(1)
    if e < src.size:
        d = dist[src[e]]
        if d < 1e30:
            candidate = d + weight[e]
            if candidate < dist[dst[e]]:
                cuda.atomic.min(next_dist, dst[e], candidate)
                cuda.atomic.max(changed, 0, 1)


def label_propagation(src, dst, labels, next_labels, changed):
    e = cuda.grid(1)
    if e < src.size:
        a = labels[src[e]]
        b = labels[dst[e]]
        if a < b:
            cuda.atomic.min(next_labels, dst[e], a)
            cuda.atomic.max(changed, 0, 1)
        elif b < a:
            cuda.atomic.min(next_labels, src[e], b)
            cuda.atomic.max(changed, 0, 1)


def pagerank_pull(row_start, sources, out_degree, rank, new_rank, damping):
    v = cuda.grid(1)
    if v < new_rank.size:
        total = float32(0)
        for k in range(row_start[v], row_start[v + 1]):
            u = sources[k]
            total += rank[u] / out_degree[u]
        new_rank[v] = (1.0 - damping) / new_rank.size + damping * total


def triangle_count(row_start, neighbours, triangles):
    """Per directed edge u < v, the common neighbours above v by merging the sorted lists."""
    u = cuda.grid(1)
    if u < row_start.size - 1:
        found = 0
        for k in range(row_start[u], row_start[u + 1]):
            v = neighbours[k]
            if v <= u:
                continue
            a, b = row_start[u], row_start[v]
            while a < row_start[u + 1] and b < row_start[v + 1]:
                x, y = neighbours[a], neighbours[b]
                if x == y:
                    if x > v:
                        found += 1
                    a += 1
                    b += 1
                elif x < y:
                    a += 1
                else:
                    b += 1
        cuda.atomic.add(triangles, 0, found)


def hough_lines(edges, accumulator):
    y, x = cuda.grid(2)
    if y < edges.shape[0] and x < edges.shape[1] and edges[y, x]:
        half = accumulator.shape[1] // 2
        for angle in range(accumulator.shape[0]):
            theta = angle * math.pi / accumulator.shape[0]
            r = int(round(x * math.cos(theta) + y * math.sin(theta)))
            cuda.atomic.add(accumulator, (angle, r + half), 1)


def integral_rows(image, out):
    row = cuda.grid(1)
    if row < image.shape[0]:
        running = int32(0)
        for col in range(image.shape[1]):
            running += image[row, col]
            out[row, col] = running


def non_max_suppression(magnitude, gx, gy, out):
    y, x = cuda.grid(2)
    h, w = magnitude.shape
    if 0 < y < h - 1 and 0 < x < w - 1:
        angle = math.atan2(gy[y, x], gx[y, x]) * 180.0 / math.pi
        if angle < 0:
            angle += 180.0
        if angle < 22.5 or angle >= 157.5:
            a, b = magnitude[y, x - 1], magnitude[y, x + 1]
        elif angle < 67.5:
            a, b = magnitude[y - 1, x + 1], magnitude[y + 1, x - 1]
        elif angle < 112.5:
            a, b = magnitude[y - 1, x], magnitude[y + 1, x]
        else:
            a, b = magnitude[y - 1, x - 1], magnitude[y + 1, x + 1]
        m = magnitude[y, x]
        out[y, x] = m if m >= a and m >= b else 0.0


def erode_3x3(image, out):
    y, x = cuda.grid(2)
    h, w = image.shape
    if y < h and x < w:
        lowest = 255
        for dy in range(-1, 2):
            for dx in range(-1, 2):
                yy = min(max(y + dy, 0), h - 1)
                xx = min(max(x + dx, 0), w - 1)
                lowest = min(lowest, image[yy, xx])
        out[y, x] = lowest


def lbm_collide_stream(f, f_next, omega):
    y, x = cuda.grid(2)
    ny, nx = f.shape[1], f.shape[2]
    if y < ny and x < nx:
        rho = float32(0)
        ux = float32(0)
        uy = float32(0)
        for q in range(9):
            rho += f[q, y, x]
            ux += f[q, y, x] * LBM_DX[q]
            uy += f[q, y, x] * LBM_DY[q]
        ux /= rho
        uy /= rho
        usq = ux * ux + uy * uy
        for q in range(9):
            cu = 3.0 * (LBM_DX[q] * ux + LBM_DY[q] * uy)
            feq = LBM_W[q] * rho * (1.0 + cu + 0.5 * cu * cu - 1.5 * usq)
            post = f[q, y, x] + omega * (feq - f[q, y, x])
            f_next[q, (y + LBM_DY[q]) % ny, (x + LBM_DX[q]) % nx] = post


def fdtd_update_e(ez, hx, hy, coefficient):
    i, j = cuda.grid(2)
    if 0 < i < ez.shape[0] and 0 < j < ez.shape[1]:
        curl = (hy[i, j] - hy[i - 1, j]) - (hx[i, j] - hx[i, j - 1])
        ez[i, j] += coefficient * curl


def sph_density(positions, mass, h, density):
    i = cuda.grid(1)
    if i < positions.shape[0]:
        h2 = h * h
        poly6 = 315.0 / (64.0 * math.pi * h**9)
        rho = float32(0)
        for j in range(positions.shape[0]):
            dx = positions[i, 0] - positions[j, 0]
            dy = positions[i, 1] - positions[j, 1]
            dz = positions[i, 2] - positions[j, 2]
            r2 = dx * dx + dy * dy + dz * dz
            if r2 < h2:
                d = h2 - r2
                rho += mass * poly6 * d * d * d
        density[i] = rho


def crc32_rows(data, out):
    row = cuda.grid(1)
    if row < data.shape[0]:
        crc = uint32(0xFFFFFFFF)
        for k in range(data.shape[1]):
            crc = CRC_TABLE[(crc ^ data[row, k]) & 0xFF] ^ (crc >> 8)
        out[row] = crc ^ uint32(0xFFFFFFFF)


@cuda.jit(device=True)
def rotr(x, n):
    return (x >> n) | (x << (32 - n))


def sha256_rounds(state, words, out):
    i = cuda.grid(1)
    if i < state.shape[0]:
        a, b, c, d = state[i, 0], state[i, 1], state[i, 2], state[i, 3]
        e, f, g, h = state[i, 4], state[i, 5], state[i, 6], state[i, 7]
        for r in range(4):
            s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            ch = (e & f) ^ (~e & g)
            t1 = h + s1 + ch + SHA_K[r] + words[i, r]
            s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            maj = (a & b) ^ (a & c) ^ (b & c)
            t2 = s0 + maj
            h, g, f, e = g, f, e, d + t1
            d, c, b, a = c, b, a, t1 + t2
        out[i, 0], out[i, 1], out[i, 2], out[i, 3] = a, b, c, d
        out[i, 4], out[i, 5], out[i, 6], out[i, 7] = e, f, g, h


def monte_carlo_call(states, spot, strike, rate, sigma, years, paths_per_thread, payoff):
    i = cuda.grid(1)
    if i < payoff.size:
        drift = (rate - 0.5 * sigma * sigma) * years
        vol = sigma * math.sqrt(years)
        total = float32(0)
        for _ in range(paths_per_thread):
            z = xoroshiro128p_normal_float32(states, i)
            price = spot * math.exp(drift + vol * z)
            total += max(price - strike, 0.0)
        payoff[i] = math.exp(-rate * years) * total / paths_per_thread


def _graph(r, nodes=60, edges=240):
    src = r.integers(0, nodes, edges).astype(np.int32)
    dst = r.integers(0, nodes, edges).astype(np.int32)
    return src, dst


def _bellman_ford_args(r):
    src, dst = _graph(r)
    dist = np.full(60, 1e30, np.float32)
    dist[:5] = r.random(5).astype(np.float32)
    weight = r.random(src.size).astype(np.float32)
    return [src, dst, weight, dist, dist.copy(), np.zeros(1, np.int32)]


def _labels_args(r):
    src, dst = _graph(r)
    labels = np.arange(60, dtype=np.int32)
    return [src, dst, labels, labels.copy(), np.zeros(1, np.int32)]


def _csr(r, nodes=50):
    """A random undirected graph's sorted adjacency lists, as (row_start, neighbours)."""
    upper = np.triu(r.random((nodes, nodes)) < 0.15, 1)
    adjacency = upper | upper.T
    row_start = np.concatenate([[0], np.cumsum(adjacency.sum(axis=1))]).astype(np.int32)
    return row_start, np.nonzero(adjacency)[1].astype(np.int32)


def _pagerank_args(r):
    row_start, sources = _csr(r)
    degree = np.maximum(np.diff(row_start), 1).astype(np.float32)
    rank = np.full(50, 1 / 50, np.float32)
    return [row_start, sources, degree, rank, np.zeros(50, np.float32), 0.85]


def _edges(r):
    edges = np.zeros((30, 40), np.bool_)
    edges[r.integers(0, 30, 60), r.integers(0, 40, 60)] = True
    return [edges, np.zeros((45, 2 * 51), np.int32)]


def _gradients(r):
    return [np.abs(f32(r, 30, 40)), f32(r, 30, 40), f32(r, 30, 40), np.zeros((30, 40), np.float32)]


def _lbm(r):
    f = (LBM_W[:, None, None] * (1 + 0.1 * f32(r, 9, 20, 24))).astype(np.float32)
    return [f, np.zeros_like(f), 1.2]


def _sha_args(r):
    state = r.integers(0, 2**32, (40, 8), dtype=np.uint64).astype(np.uint32)
    words = r.integers(0, 2**32, (40, 4), dtype=np.uint64).astype(np.uint32)
    return [state, words, np.zeros((40, 8), np.uint32)]


CASES = [
    Case(
        "hash_insert",
        hash_insert,
        4,
        128,
        lambda r: [
            r.integers(0, 200, 500).astype(np.int32),
            np.full(CAPACITY, EMPTY, np.int32),
            np.zeros(CAPACITY, np.int32),
        ],
    ),
    Case("bellman_ford_relax", bellman_ford_relax, 4, 64, _bellman_ford_args),
    Case("label_propagation", label_propagation, 4, 64, _labels_args),
    Case("pagerank_pull", pagerank_pull, 2, 32, _pagerank_args),
    Case("triangle_count", triangle_count, 2, 32, lambda r: [*_csr(r), np.zeros(1, np.int32)]),
    Case("hough_lines", hough_lines, (2, 3), (16, 16), _edges),
    Case(
        "integral_rows",
        integral_rows,
        2,
        32,
        lambda r: [r.integers(0, 256, (50, 70)).astype(np.uint8), np.zeros((50, 70), np.int32)],
    ),
    Case("non_max_suppression", non_max_suppression, (2, 3), (16, 16), _gradients),
    Case(
        "erode_3x3",
        erode_3x3,
        (2, 3),
        (16, 16),
        lambda r: [r.integers(0, 256, (30, 40)).astype(np.uint8), np.zeros((30, 40), np.uint8)],
    ),
    Case("lbm_collide_stream", lbm_collide_stream, (2, 2), (16, 16), _lbm),
    Case(
        "fdtd_update_e",
        fdtd_update_e,
        (3, 3),
        (16, 16),
        lambda r: [f32(r, 40, 44), f32(r, 40, 44), f32(r, 40, 44), 0.5],
    ),
    Case(
        "sph_density",
        sph_density,
        2,
        64,
        lambda r: [r.random((100, 3)).astype(np.float32), 0.02, 0.3, np.zeros(100, np.float32)],
    ),
    Case(
        "crc32_rows",
        crc32_rows,
        2,
        32,
        lambda r: [r.integers(0, 256, (40, 33)).astype(np.uint8), np.zeros(40, np.uint32)],
    ),
    Case("sha256_rounds", sha256_rounds, 2, 32, _sha_args),
    Case(
        "monte_carlo_call",
        monte_carlo_call,
        2,
        64,
        lambda r: [
            create_xoroshiro128p_states(128, seed=3),
            100.0,
            105.0,
            0.03,
            0.2,
            1.0,
            16,
            np.zeros(128, np.float32),
        ],
    ),
]
