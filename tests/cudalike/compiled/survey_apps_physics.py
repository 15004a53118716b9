"""Application kernels from the Rodinia benchmarks that move particles or cells for the fourth
tier survey (survey_apps.py): nearest-neighbour distances, streamcluster's cost against a
candidate centre (a device function with a loop), lavaMD's particle pairs over neighbour boxes
through shared copies, cfd's flux over an element's neighbours with device functions returning
tuples, and hotspot3D's rotation of three registers along z."""

import math

import numpy as np
from numba import float64

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

NPB = 32  # lavaMD's particles per box
NNB = 4  # cfd's neighbours per element
GAMMA = 1.4


def nn_euclid(locations, distances, num_records, lat, lng):
    global_id = cuda.blockDim.x * (cuda.gridDim.x * cuda.blockIdx.y + cuda.blockIdx.x)
    global_id += cuda.threadIdx.x
    if global_id < num_records:
        d_lat = lat - locations[global_id, 0]
        d_lng = lng - locations[global_id, 1]
        distances[global_id] = math.sqrt(d_lat * d_lat + d_lng * d_lng)


@cuda.jit(device=True)
def d_dist(p1, p2, num, dim, coord):
    retval = 0.0
    for i in range(dim):
        tmp = coord[i * num + p1] - coord[i * num + p2]
        retval += tmp * tmp
    return retval


def streamcluster_cost(
    num, dim, x, weight, cost, assign, switch_membership, work_mem, center_table, coord, k, stride
):
    tid = cuda.blockIdx.y * cuda.gridDim.x * cuda.blockDim.x
    tid += cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if tid < num:
        lower_idx = tid * stride
        x_cost = d_dist(tid, x, num, dim, coord) * weight[tid]
        current_cost = cost[tid]
        if x_cost < current_cost:
            switch_membership[tid] = 1
            work_mem[lower_idx + k] += x_cost - current_cost
        else:
            work_mem[lower_idx + center_table[assign[tid]]] += current_cost - x_cost


def lavamd(alpha, box_offset, box_nn, box_nei, rv, qv, fv):
    ra = cuda.shared.array((NPB, 4), float64)
    rb = cuda.shared.array((NPB, 4), float64)
    qb = cuda.shared.array(NPB, float64)
    bx = cuda.blockIdx.x
    tx = cuda.threadIdx.x
    a2 = 2.0 * alpha * alpha
    first_i = box_offset[bx]
    if tx < NPB:
        for c in range(4):
            ra[tx, c] = rv[first_i + tx, c]
    cuda.syncthreads()
    for k in range(1 + box_nn[bx]):
        pointer = bx if k == 0 else box_nei[bx, k - 1]
        first_j = box_offset[pointer]
        if tx < NPB:
            for c in range(4):
                rb[tx, c] = rv[first_j + tx, c]
            qb[tx] = qv[first_j + tx]
        cuda.syncthreads()
        if tx < NPB:
            for j in range(NPB):
                r2 = (
                    ra[tx, 0]
                    + rb[j, 0]
                    - (ra[tx, 1] * rb[j, 1] + ra[tx, 2] * rb[j, 2] + ra[tx, 3] * rb[j, 3])
                )
                u2 = a2 * r2
                vij = math.exp(-u2)
                fs = 2.0 * vij
                fv[first_i + tx, 0] += qb[j] * vij
                fv[first_i + tx, 1] += qb[j] * fs * (ra[tx, 1] - rb[j, 1])
                fv[first_i + tx, 2] += qb[j] * fs * (ra[tx, 2] - rb[j, 2])
                fv[first_i + tx, 3] += qb[j] * fs * (ra[tx, 3] - rb[j, 3])
        cuda.syncthreads()


@cuda.jit(device=True)
def compute_velocity(density, mx, my):
    return mx / density, my / density


@cuda.jit(device=True)
def compute_pressure(density, energy, speed_sqd):
    return (GAMMA - 1.0) * (energy - 0.5 * density * speed_sqd)


@cuda.jit(device=True)
def flux_contribution(mx, my, energy, pressure, vx, vy):
    de_p = energy + pressure
    return vx * mx + pressure, vx * my, vy * my + pressure, de_p * vx, de_p * vy


def cfd_flux(neighbours, normals, density, mx, my, energy, fluxes):
    i = cuda.grid(1)
    if i >= density.size:
        return
    d_i = density[i]
    mx_i = mx[i]
    my_i = my[i]
    e_i = energy[i]
    vx_i, vy_i = compute_velocity(d_i, mx_i, my_i)
    speed_sqd_i = vx_i * vx_i + vy_i * vy_i
    speed_i = math.sqrt(speed_sqd_i)
    p_i = compute_pressure(d_i, e_i, speed_sqd_i)
    c_i = math.sqrt(GAMMA * p_i / d_i)
    fxx_i, fxy_i, fyy_i, fex_i, fey_i = flux_contribution(mx_i, my_i, e_i, p_i, vx_i, vy_i)
    flux_d = 0.0
    flux_mx = 0.0
    flux_my = 0.0
    flux_e = 0.0
    for j in range(NNB):
        nb = neighbours[i, j]
        nx = normals[i, j, 0]
        ny = normals[i, j, 1]
        normal_len = math.sqrt(nx * nx + ny * ny)
        if nb >= 0:
            d_nb = density[nb]
            vx_nb, vy_nb = compute_velocity(d_nb, mx[nb], my[nb])
            speed_sqd_nb = vx_nb * vx_nb + vy_nb * vy_nb
            p_nb = compute_pressure(d_nb, energy[nb], speed_sqd_nb)
            c_nb = math.sqrt(GAMMA * p_nb / d_nb)
            fxx, fxy, fyy, fex, fey = flux_contribution(
                mx[nb], my[nb], energy[nb], p_nb, vx_nb, vy_nb
            )
            factor = -normal_len * 0.2 * 0.5 * (speed_i + math.sqrt(speed_sqd_nb) + c_i + c_nb)
            flux_d += factor * (d_i - d_nb)
            flux_e += factor * (e_i - energy[nb])
            flux_mx += factor * (mx_i - mx[nb])
            flux_my += factor * (my_i - my[nb])
            flux_d += 0.5 * (nx * (mx[nb] + mx_i) + ny * (my[nb] + my_i))
            flux_e += 0.5 * (nx * (fex + fex_i) + ny * (fey + fey_i))
            flux_mx += 0.5 * (nx * (fxx + fxx_i) + ny * (fxy + fxy_i))
            flux_my += 0.5 * (nx * (fxy + fxy_i) + ny * (fyy + fyy_i))
        elif nb == -1:
            flux_mx += nx * p_i
            flux_my += ny * p_i
    fluxes[i, 0] = flux_d
    fluxes[i, 1] = flux_mx
    fluxes[i, 2] = flux_my
    fluxes[i, 3] = flux_e


def hotspot3d(p, t_in, t_out, sdc, nx, ny, nz, ce, cw, cn, cs, ct, cb, cc):
    amb_temp = 80.0
    i = cuda.blockDim.x * cuda.blockIdx.x + cuda.threadIdx.x
    j = cuda.blockDim.y * cuda.blockIdx.y + cuda.threadIdx.y
    c = i + j * nx
    xy = nx * ny
    w = c if i == 0 else c - 1
    e = c if i == nx - 1 else c + 1
    n = c if j == 0 else c - nx
    s = c if j == ny - 1 else c + nx
    temp1 = t_in[c]
    temp2 = temp1
    temp3 = t_in[c + xy]
    t_out[c] = (
        cc * temp2
        + cw * t_in[w]
        + ce * t_in[e]
        + cs * t_in[s]
        + cn * t_in[n]
        + cb * temp1
        + ct * temp3
        + sdc * p[c]
        + ct * amb_temp
    )
    c += xy
    w += xy
    e += xy
    n += xy
    s += xy
    for _ in range(1, nz - 1):
        temp1 = temp2
        temp2 = temp3
        temp3 = t_in[c + xy]
        t_out[c] = (
            cc * temp2
            + cw * t_in[w]
            + ce * t_in[e]
            + cs * t_in[s]
            + cn * t_in[n]
            + cb * temp1
            + ct * temp3
            + sdc * p[c]
            + ct * amb_temp
        )
        c += xy
        w += xy
        e += xy
        n += xy
        s += xy
    temp1 = temp2
    temp2 = temp3
    t_out[c] = (
        cc * temp2
        + cw * t_in[w]
        + ce * t_in[e]
        + cs * t_in[s]
        + cn * t_in[n]
        + cb * temp1
        + ct * temp3
        + sdc * p[c]
        + ct * amb_temp
    )


def _streamcluster(rng, num: int = 200, dim: int = 4, k: int = 5):
    assign = rng.integers(0, num, num, dtype=np.int32)
    table = rng.integers(0, k, num, dtype=np.int32)
    cost = rng.random(num).astype(np.float32) * 4
    work_mem = np.zeros(num * (k + 1), np.float32)
    return [num, dim, 7, rng.random(num).astype(np.float32), cost, assign,
            np.zeros(num, np.bool_), work_mem, table, f32(rng, dim * num), k, k + 1]  # fmt: skip


def _lavamd(rng, side: int = 3):
    boxes = side * side
    box_nn = np.zeros(boxes, np.int32)
    box_nei = np.full((boxes, 26), -1, np.int32)
    for b in range(boxes):
        y, x = divmod(b, side)
        for other in range(boxes):
            oy, ox = divmod(other, side)
            if other != b and abs(oy - y) <= 1 and abs(ox - x) <= 1:
                box_nei[b, box_nn[b]] = other
                box_nn[b] += 1
    offsets = (np.arange(boxes) * NPB).astype(np.int32)
    rv = 0.1 + 0.9 * rng.random((boxes * NPB, 4))
    qv = 0.1 + 0.9 * rng.random(boxes * NPB)
    return [0.5, offsets, box_nn, box_nei, rv, qv, np.zeros((boxes * NPB, 4))]


def _cfd(rng, nel: int = 120):
    neighbours = rng.integers(-2, nel, (nel, NNB)).astype(np.int32)
    normals = rng.standard_normal((nel, NNB, 2))
    density = 1.0 + 0.1 * rng.random(nel)
    mx = 0.1 * rng.standard_normal(nel)
    my = 0.1 * rng.standard_normal(nel)
    energy = 2.5 + rng.random(nel)
    return [neighbours, normals, density, mx, my, energy, np.zeros((nel, 4))]


def _hotspot3d(rng, nx: int = 16, ny: int = 16, nz: int = 6):
    t_chip, chip = 0.0005, 0.016
    dx, dy, dz = chip / nx, chip / ny, t_chip / nz
    cap = 0.5 * 1.75e6 * t_chip * dx * dy
    rx = dy / (2.0 * 100 * t_chip * dx)
    ry = dx / (2.0 * 100 * t_chip * dy)
    rz = dz / (100 * dx * dy)
    dt = 0.001 / (3.0e6 / (0.5 * t_chip * 1.75e6))
    sdc = dt / cap
    ce, cn, ct = sdc / rx, sdc / ry, sdc / rz
    cc = 1.0 - (2.0 * ce + 2.0 * cn + 3.0 * ct)
    size = nx * ny * nz
    power = (0.01 * rng.random(size)).astype(np.float32)
    temp = (323.0 + 10 * rng.random(size)).astype(np.float32)
    coefficients = [np.float32(v) for v in (ce, ce, cn, cn, ct, ct, cc)]
    return [power, temp, np.zeros_like(temp), np.float32(sdc), nx, ny, nz, *coefficients]


CASES = [
    Case(
        "nn_euclid",
        nn_euclid,
        (3, 2),
        64,
        lambda r: [
            (90 * r.random((300, 2))).astype(np.float32),
            np.zeros(300, np.float32),
            300,
            np.float32(30.0),
            np.float32(60.0),
        ],
    ),
    Case("streamcluster_cost", streamcluster_cost, (4, 1), 64, _streamcluster),
    Case("lavamd", lavamd, 9, 48, _lavamd),
    Case("cfd_flux", cfd_flux, 2, 64, _cfd),
    Case("hotspot3d", hotspot3d, (2, 2), (8, 8), _hotspot3d),
]
