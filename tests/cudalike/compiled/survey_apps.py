"""Application kernels from the Rodinia benchmarks for a fourth tier survey, ported to
numba.cuda as their CUDA sources are written: hotspot's pyramid of iterations over a shared
tile, pathfinder's row-by-row dynamic programming (as written, and without its `break`),
srad's two kernels, backprop's layer forward (a shared 2-D tile and a tree reduction) and
weight update (see survey_grids.py for the `Case` type; Gaussian elimination and lud are in
survey_apps_solvers.py, the particle and cell kernels in survey_apps_physics.py, kernels from
the CUDA samples in survey_apps_samples.py, buggy twins in survey_apps_bugs.py)."""

import numpy as np
from numba import float32, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

HS = 16  # hotspot's tile
PF = 64  # pathfinder's block
BP = 16  # backprop's tile (WIDTH = HEIGHT)
BP_LOG = 4
ETA = 0.3
MOMENTUM = 0.3


@cuda.jit(device=True)
def in_range(x, lo, hi):
    return x >= lo and x <= hi


def hotspot(
    iteration,
    power,
    temp_src,
    temp_dst,
    grid_cols,
    grid_rows,
    border_cols,
    border_rows,
    cap,
    rx,
    ry,
    rz,
    step,
):
    temp_on = cuda.shared.array((HS, HS), float32)
    power_on = cuda.shared.array((HS, HS), float32)
    temp_t = cuda.shared.array((HS, HS), float32)
    amb_temp = float32(80.0)
    bx = cuda.blockIdx.x
    by = cuda.blockIdx.y
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    step_div_cap = step / cap
    rx_1 = 1 / rx
    ry_1 = 1 / ry
    rz_1 = 1 / rz
    small_block_rows = HS - iteration * 2
    small_block_cols = HS - iteration * 2
    blk_y = small_block_rows * by - border_rows
    blk_x = small_block_cols * bx - border_cols
    blk_y_max = blk_y + HS - 1
    blk_x_max = blk_x + HS - 1
    yidx = blk_y + ty
    xidx = blk_x + tx
    index = grid_cols * yidx + xidx
    if in_range(yidx, 0, grid_rows - 1) and in_range(xidx, 0, grid_cols - 1):
        temp_on[ty, tx] = temp_src[index]
        power_on[ty, tx] = power[index]
    cuda.syncthreads()
    valid_y_min = -blk_y if blk_y < 0 else 0
    valid_y_max = HS - 1 - (blk_y_max - grid_rows + 1) if blk_y_max > grid_rows - 1 else HS - 1
    valid_x_min = -blk_x if blk_x < 0 else 0
    valid_x_max = HS - 1 - (blk_x_max - grid_cols + 1) if blk_x_max > grid_cols - 1 else HS - 1
    n = ty - 1
    s = ty + 1
    w = tx - 1
    e = tx + 1
    n = valid_y_min if n < valid_y_min else n
    s = valid_y_max if s > valid_y_max else s
    w = valid_x_min if w < valid_x_min else w
    e = valid_x_max if e > valid_x_max else e
    computed = False
    for i in range(iteration):
        computed = False
        if (
            in_range(tx, i + 1, HS - i - 2)
            and in_range(ty, i + 1, HS - i - 2)
            and in_range(tx, valid_x_min, valid_x_max)
            and in_range(ty, valid_y_min, valid_y_max)
        ):
            computed = True
            centre = temp_on[ty, tx]
            temp_t[ty, tx] = centre + step_div_cap * (
                power_on[ty, tx]
                + (temp_on[s, tx] + temp_on[n, tx] - 2.0 * centre) * ry_1
                + (temp_on[ty, e] + temp_on[ty, w] - 2.0 * centre) * rx_1
                + (amb_temp - centre) * rz_1
            )
        cuda.syncthreads()
        if i == iteration - 1:
            break
        if computed:
            temp_on[ty, tx] = temp_t[ty, tx]
        cuda.syncthreads()
    if computed:
        temp_dst[index] = temp_t[ty, tx]


def pathfinder(iteration, wall, src, results, cols, start_step, border):
    prev = cuda.shared.array(PF, int32)
    result = cuda.shared.array(PF, int32)
    bx = cuda.blockIdx.x
    tx = cuda.threadIdx.x
    small_block_cols = PF - iteration * 2
    blk_x = small_block_cols * bx - border
    blk_x_max = blk_x + PF - 1
    xidx = blk_x + tx
    valid_x_min = -blk_x if blk_x < 0 else 0
    valid_x_max = PF - 1 - (blk_x_max - cols + 1) if blk_x_max > cols - 1 else PF - 1
    w = tx - 1
    e = tx + 1
    w = valid_x_min if w < valid_x_min else w
    e = valid_x_max if e > valid_x_max else e
    is_valid = in_range(tx, valid_x_min, valid_x_max)
    if in_range(xidx, 0, cols - 1):
        prev[tx] = src[xidx]
    cuda.syncthreads()
    computed = False
    for i in range(iteration):
        computed = False
        if in_range(tx, i + 1, PF - i - 2) and is_valid:
            computed = True
            shortest = min(prev[w], prev[tx])
            shortest = min(shortest, prev[e])
            result[tx] = shortest + wall[cols * (start_step + i) + xidx]
        cuda.syncthreads()
        if i == iteration - 1:
            break
        if computed:
            prev[tx] = result[tx]
        cuda.syncthreads()
    if computed:
        results[xidx] = result[tx]


def pathfinder_no_break(iteration, wall, src, results, cols, start_step, border):
    """pathfinder with the copy back under `if i < iteration - 1` in place of the `break`."""
    prev = cuda.shared.array(PF, int32)
    result = cuda.shared.array(PF, int32)
    tx = cuda.threadIdx.x
    blk_x = (PF - iteration * 2) * cuda.blockIdx.x - border
    blk_x_max = blk_x + PF - 1
    xidx = blk_x + tx
    valid_x_min = -blk_x if blk_x < 0 else 0
    valid_x_max = PF - 1 - (blk_x_max - cols + 1) if blk_x_max > cols - 1 else PF - 1
    w = max(tx - 1, valid_x_min)
    e = min(tx + 1, valid_x_max)
    is_valid = in_range(tx, valid_x_min, valid_x_max)
    if in_range(xidx, 0, cols - 1):
        prev[tx] = src[xidx]
    cuda.syncthreads()
    computed = False
    for i in range(iteration):
        computed = False
        if in_range(tx, i + 1, PF - i - 2) and is_valid:
            computed = True
            shortest = min(min(prev[w], prev[tx]), prev[e])
            result[tx] = shortest + wall[cols * (start_step + i) + xidx]
        cuda.syncthreads()
        if i < iteration - 1:
            if computed:
                prev[tx] = result[tx]
            cuda.syncthreads()
    if computed:
        results[xidx] = result[tx]


def srad_1(lam, nr, ne, i_n, i_s, j_e, j_w, d_n, d_s, d_w, d_e, q0sqr, c, image):
    ei = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    row = (ei + 1) % nr - 1
    col = (ei + 1) // nr + 1 - 1
    if (ei + 1) % nr == 0:
        row = nr - 1
        col = col - 1
    if ei < ne:
        jc = image[ei]
        n_loc = image[i_n[row] + nr * col] - jc
        s_loc = image[i_s[row] + nr * col] - jc
        w_loc = image[row + nr * j_w[col]] - jc
        e_loc = image[row + nr * j_e[col]] - jc
        d_n[ei] = n_loc
        d_s[ei] = s_loc
        d_w[ei] = w_loc
        d_e[ei] = e_loc
        g2 = (n_loc * n_loc + s_loc * s_loc + w_loc * w_loc + e_loc * e_loc) / (jc * jc)
        lap = (n_loc + s_loc + w_loc + e_loc) / jc
        num = (0.5 * g2) - ((1.0 / 16.0) * (lap * lap))
        den = 1 + (0.25 * lap)
        qsqr = num / (den * den)
        den = (qsqr - q0sqr) / (q0sqr * (1 + q0sqr))
        c_loc = 1.0 / (1.0 + den)
        if c_loc < 0:
            c_loc = 0
        elif c_loc > 1:
            c_loc = 1
        c[ei] = c_loc


def srad_2(lam, nr, ne, i_s, j_e, d_n, d_s, d_w, d_e, c, image):
    ei = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    row = (ei + 1) % nr - 1
    col = (ei + 1) // nr + 1 - 1
    if (ei + 1) % nr == 0:
        row = nr - 1
        col = col - 1
    if ei < ne:
        c_n = c[ei]
        c_s = c[i_s[row] + nr * col]
        c_w = c[ei]
        c_e = c[row + nr * j_e[col]]
        d = c_n * d_n[ei] + c_s * d_s[ei] + c_w * d_w[ei] + c_e * d_e[ei]
        image[ei] = image[ei] + 0.25 * lam * d


def bpnn_layerforward(input_cuda, input_hidden_cuda, hidden_partial_sum, hid):
    input_node = cuda.shared.array(BP, float32)
    weight_matrix = cuda.shared.array((BP, BP), float32)
    by = cuda.blockIdx.y
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    index = (hid + 1) * BP * by + (hid + 1) * ty + tx + 1 + (hid + 1)
    index_in = BP * by + ty + 1
    if tx == 0:
        input_node[ty] = input_cuda[index_in]
    cuda.syncthreads()
    weight_matrix[ty, tx] = input_hidden_cuda[index]
    cuda.syncthreads()
    weight_matrix[ty, tx] = weight_matrix[ty, tx] * input_node[ty]
    cuda.syncthreads()
    for i in range(1, BP_LOG + 1):
        power_two = 2**i
        if ty % power_two == 0:
            weight_matrix[ty, tx] = weight_matrix[ty, tx] + weight_matrix[ty + power_two // 2, tx]
        cuda.syncthreads()
    input_hidden_cuda[index] = weight_matrix[ty, tx]
    cuda.syncthreads()
    if tx == 0:
        hidden_partial_sum[by * hid + ty] = weight_matrix[tx, ty]


def bpnn_adjust_weights(delta, hid, ly, w, oldw):
    by = cuda.blockIdx.y
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    index = (hid + 1) * BP * by + (hid + 1) * ty + tx + 1 + (hid + 1)
    index_y = BP * by + ty + 1
    index_x = tx + 1
    w[index] += (ETA * delta[index_x] * ly[index_y]) + (MOMENTUM * oldw[index])
    oldw[index] = (ETA * delta[index_x] * ly[index_y]) + (MOMENTUM * oldw[index])
    cuda.syncthreads()
    if ty == 0 and by == 0:
        w[index_x] += (ETA * delta[index_x]) + (MOMENTUM * oldw[index_x])
        oldw[index_x] = (ETA * delta[index_x]) + (MOMENTUM * oldw[index_x])


def _hotspot(rng, rows: int = 40, cols: int = 40, pyramid: int = 2):
    t_chip, chip = 0.0005, 0.016
    grid_h, grid_w = chip / rows, chip / cols
    cap = 0.5 * 1.75e6 * t_chip * grid_w * grid_h
    rx = grid_w / (2.0 * 100 * t_chip * grid_h)
    ry = grid_h / (2.0 * 100 * t_chip * grid_w)
    rz = t_chip / (100 * grid_h * grid_w)
    step = 0.001 / (3.0e6 / (0.5 * t_chip * 1.75e6))
    temp = (323.0 + 10 * rng.random(rows * cols)).astype(np.float32)
    power = (0.01 * rng.random(rows * cols)).astype(np.float32)
    scalars = [np.float32(v) for v in (cap, rx, ry, rz, step)]
    return [pyramid, power, temp, np.zeros_like(temp), cols, rows, pyramid, pyramid, *scalars]


def _pathfinder(rng, rows: int = 6, cols: int = 150, pyramid: int = 4):
    wall = rng.integers(0, 10, (rows, cols), dtype=np.int32)
    results = np.zeros(cols, np.int32)
    return [pyramid, wall[1:].ravel(), wall[0].copy(), results, cols, 0, pyramid]


def _srad_indices(nr: int, nc: int):
    rows, cols = np.arange(nr, dtype=np.int32), np.arange(nc, dtype=np.int32)
    north, south = np.maximum(rows - 1, 0), np.minimum(rows + 1, nr - 1)
    west, east = np.maximum(cols - 1, 0), np.minimum(cols + 1, nc - 1)
    return north, south, east, west


def _srad_1(rng, nr: int = 20, nc: int = 24):
    image = np.exp(rng.random(nr * nc)).astype(np.float32)
    q0sqr = np.float32(image.var() / image.mean() ** 2)
    derivatives = [np.zeros_like(image) for _ in range(4)]
    north, south, east, west = _srad_indices(nr, nc)
    return [np.float32(0.5), nr, nr * nc, north, south, east, west, *derivatives, q0sqr,
            np.zeros_like(image), image]  # fmt: skip


def _srad_2(rng, nr: int = 20, nc: int = 24):
    derivatives = [f32(rng, nr * nc) for _ in range(4)]
    c = rng.random(nr * nc).astype(np.float32)
    image = np.exp(rng.random(nr * nc)).astype(np.float32)
    _, south, east, _ = _srad_indices(nr, nc)
    return [np.float32(0.5), nr, nr * nc, south, east, *derivatives, c, image]


def _layerforward(rng, blocks: int = 3, hid: int = BP):
    n_in = blocks * BP
    weights = f32(rng, (n_in + 1) * (hid + 1))
    return [f32(rng, n_in + 1), weights, np.zeros(blocks * hid, np.float32), hid]


def _adjust_weights(rng, blocks: int = 3, hid: int = BP):
    n_in = blocks * BP
    size = (n_in + 1) * (hid + 1)
    return [f32(rng, hid + 1), hid, f32(rng, n_in + 1), f32(rng, size), f32(rng, size)]


CASES = [
    Case("hotspot", hotspot, (4, 4), (HS, HS), _hotspot),
    Case("pathfinder", pathfinder, 3, PF, _pathfinder),
    Case("pathfinder_no_break", pathfinder_no_break, 3, PF, _pathfinder),
    Case("srad_1", srad_1, 8, 64, _srad_1),
    Case("srad_2", srad_2, 8, 64, _srad_2),
    Case("bpnn_layerforward", bpnn_layerforward, (1, 3), (BP, BP), _layerforward),
    Case("bpnn_adjust_weights", bpnn_adjust_weights, (1, 3), (BP, BP), _adjust_weights),
]
