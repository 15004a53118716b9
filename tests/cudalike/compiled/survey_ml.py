"""Kernels as machine-learning code writes them in numba.cuda: activations and their
gradients, optimiser steps, dropout, embeddings and their scattered gradients, direct and
depthwise convolution, pooling, normalisation, online softmax, rotary embeddings, int8
quantisation and an int8 matrix product (see survey_grids.py for the `Case` type)."""

import math

import numpy as np
from numba import float32, int8, int32

from cudalike import cuda
from cudalike.cuda.random import create_xoroshiro128p_states, xoroshiro128p_uniform_float32
from tests.cudalike.compiled.survey_grids import Case, f32

CHANNEL_BLOCK = 128
WARP = 32


def relu_backward(x, grad_out, grad_in):
    i = cuda.grid(1)
    if i < x.size:
        grad_in[i] = grad_out[i] if x[i] > 0 else float32(0)


def bias_gelu_erf(x, bias, out):
    row, col = cuda.grid(2)
    if row < x.shape[0] and col < x.shape[1]:
        v = x[row, col] + bias[col]
        out[row, col] = 0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0)))


def adam_step(param, grad, m, v, lr, beta1, beta2, eps, step):
    i = cuda.grid(1)
    if i < param.size:
        g = grad[i]
        m[i] = beta1 * m[i] + (1.0 - beta1) * g
        v[i] = beta2 * v[i] + (1.0 - beta2) * g * g
        m_hat = m[i] / (1.0 - beta1**step)
        v_hat = v[i] / (1.0 - beta2**step)
        param[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)


def sgd_momentum(param, grad, velocity, lr, momentum, weight_decay):
    for i in range(cuda.grid(1), param.size, cuda.gridsize(1)):
        g = grad[i] + weight_decay * param[i]
        velocity[i] = momentum * velocity[i] + g
        param[i] -= lr * velocity[i]


def dropout(states, x, out, keep):
    i = cuda.grid(1)
    if i < x.size:
        if xoroshiro128p_uniform_float32(states, i) < keep:
            out[i] = x[i] / keep
        else:
            out[i] = 0.0


def embedding_lookup(table, ids, out):
    row, d = cuda.grid(2)
    if row < ids.size and d < table.shape[1]:
        out[row, d] = table[ids[row], d]


def embedding_backward(ids, grad, grad_table):
    row, d = cuda.grid(2)
    if row < ids.size and d < grad.shape[1]:
        cuda.atomic.add(grad_table, (ids[row], d), grad[row, d])


def conv2d_nchw(x, w, out):
    n_oc = cuda.blockIdx.z
    n = n_oc // w.shape[0]
    oc = n_oc % w.shape[0]
    oy, ox = cuda.grid(2)
    if oy < out.shape[2] and ox < out.shape[3]:
        acc = float32(0)
        for c in range(w.shape[1]):
            for ky in range(w.shape[2]):
                for kx in range(w.shape[3]):
                    acc += x[n, c, oy + ky, ox + kx] * w[oc, c, ky, kx]
        out[n, oc, oy, ox] = acc


def depthwise_conv_same(x, w, out):
    c = cuda.blockIdx.z
    y, x0 = cuda.grid(2)
    h, width = x.shape[1], x.shape[2]
    r = w.shape[1] // 2
    if y < h and x0 < width:
        acc = float32(0)
        for dy in range(-r, r + 1):
            for dx in range(-r, r + 1):
                yy, xx = y + dy, x0 + dx
                if 0 <= yy < h and 0 <= xx < width:
                    acc += x[c, yy, xx] * w[c, dy + r, dx + r]
        out[c, y, x0] = acc


def maxpool_with_argmax(x, out, where):
    y, x0 = cuda.grid(2)
    if y < out.shape[0] and x0 < out.shape[1]:
        best = -math.inf
        best_at = -1
        for dy in range(2):
            for dx in range(2):
                at = (2 * y + dy) * x.shape[1] + 2 * x0 + dx
                v = x[2 * y + dy, 2 * x0 + dx]
                if v > best:
                    best = v
                    best_at = at
        out[y, x0] = best
        where[y, x0] = best_at


def maxpool_backward(grad_out, where, grad_in):
    y, x0 = cuda.grid(2)
    if y < grad_out.shape[0] and x0 < grad_out.shape[1]:
        at = where[y, x0]
        cuda.atomic.add(grad_in, at, grad_out[y, x0])


def batchnorm_stats(x, mean, var):
    """One block per channel of an (N, C) batch: a shared-memory sum and sum of squares."""
    sums = cuda.shared.array(CHANNEL_BLOCK, float32)
    squares = cuda.shared.array(CHANNEL_BLOCK, float32)
    c = cuda.blockIdx.x
    t = cuda.threadIdx.x
    s = float32(0)
    q = float32(0)
    for n in range(t, x.shape[0], cuda.blockDim.x):
        v = x[n, c]
        s += v
        q += v * v
    sums[t] = s
    squares[t] = q
    cuda.syncthreads()
    stride = cuda.blockDim.x // 2
    while stride > 0:
        if t < stride:
            sums[t] += sums[t + stride]
            squares[t] += squares[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        mu = sums[0] / x.shape[0]
        mean[c] = mu
        var[c] = squares[0] / x.shape[0] - mu * mu


def batchnorm_apply(x, mean, var, gamma, beta, out, eps):
    n, c = cuda.grid(2)
    if n < x.shape[0] and c < x.shape[1]:
        inv = 1.0 / math.sqrt(var[c] + eps)
        out[n, c] = gamma[c] * (x[n, c] - mean[c]) * inv + beta[c]


def online_softmax_rows(x, out):
    row = cuda.grid(1)
    if row < x.shape[0]:
        running_max = -math.inf
        running_sum = 0.0
        for j in range(x.shape[1]):
            v = x[row, j]
            new_max = max(running_max, v)
            running_sum = running_sum * math.exp(running_max - new_max) + math.exp(v - new_max)
            running_max = new_max
        for j in range(x.shape[1]):
            out[row, j] = math.exp(x[row, j] - running_max) / running_sum


def cross_entropy_grad(logits, labels, grad, loss):
    row = cuda.grid(1)
    if row < logits.shape[0]:
        top = logits[row, 0]
        for j in range(1, logits.shape[1]):
            top = max(top, logits[row, j])
        total = float32(0)
        for j in range(logits.shape[1]):
            total += math.exp(logits[row, j] - top)
        for j in range(logits.shape[1]):
            p = math.exp(logits[row, j] - top) / total
            grad[row, j] = p - (1.0 if j == labels[row] else 0.0)
        cuda.atomic.add(loss, 0, math.log(total) + top - logits[row, labels[row]])


def l2_normalize_warp_rows(x, out):
    """One warp per row: a shuffle reduction of the squares, then a scaled copy."""
    row = cuda.grid(1) // WARP
    lane = cuda.threadIdx.x % WARP
    if row < x.shape[0]:
        acc = float32(0)
        for j in range(lane, x.shape[1], WARP):
            acc += x[row, j] * x[row, j]
        offset = WARP // 2
        while offset > 0:
            acc += cuda.shfl_down_sync(0xFFFFFFFF, acc, offset)
            offset //= 2
        norm = cuda.shfl_sync(0xFFFFFFFF, acc, 0)
        scale = 1.0 / math.sqrt(norm + 1e-12)
        for j in range(lane, x.shape[1], WARP):
            out[row, j] = x[row, j] * scale


def rotary_embedding(q, positions, out):
    token, pair = cuda.grid(2)
    half = q.shape[1] // 2
    if token < q.shape[0] and pair < half:
        theta = positions[token] * 10000.0 ** (-2.0 * pair / q.shape[1])
        c = math.cos(theta)
        s = math.sin(theta)
        a = q[token, pair]
        b = q[token, pair + half]
        out[token, pair] = a * c - b * s
        out[token, pair + half] = a * s + b * c


def causal_mask_scale(scores, scale):
    i, j = cuda.grid(2)
    if i < scores.shape[0] and j < scores.shape[1]:
        if j > i:
            scores[i, j] = -math.inf
        else:
            scores[i, j] *= scale


def split_heads(x, out, heads):
    """(tokens, heads * dim) to (heads, tokens, dim)."""
    token, col = cuda.grid(2)
    if token < x.shape[0] and col < x.shape[1]:
        dim = x.shape[1] // heads
        out[col // dim, token, col % dim] = x[token, col]


def quantize_int8(x, scale, q):
    i = cuda.grid(1)
    if i < x.size:
        v = round(x[i] / scale[0])
        q[i] = int8(max(-128, min(127, v)))


def dequantize_int8(q, scale, zero, out):
    i = cuda.grid(1)
    if i < q.size:
        out[i] = (float32(q[i]) - zero[0]) * scale[0]


def int8_matmul(a, b, c):
    row, col = cuda.grid(2)
    if row < c.shape[0] and col < c.shape[1]:
        acc = int32(0)
        for k in range(a.shape[1]):
            acc += int32(a[row, k]) * int32(b[k, col])
        c[row, col] = acc


def cumsum_rows(x, out):
    row = cuda.grid(1)
    if row < x.shape[0]:
        total = float32(0)
        for j in range(x.shape[1]):
            total += x[row, j]
            out[row, j] = total


def bce_with_logits_sum(logits, targets, loss):
    i = cuda.grid(1)
    if i < logits.size:
        z = logits[i]
        y = targets[i]
        term = max(z, 0.0) - z * y + math.log1p(math.exp(-abs(z)))
        cuda.atomic.add(loss, 0, term)


def topk_mask_rows(x, k, keep):
    """Marks each row's k largest values (ties to the earlier column) by counting larger ones."""
    row, col = cuda.grid(2)
    if row < x.shape[0] and col < x.shape[1]:
        v = x[row, col]
        above = 0
        for j in range(x.shape[1]):
            w = x[row, j]
            if w > v or (w == v and j < col):
                above += 1
        keep[row, col] = 1 if above < k else 0


def _states(n: int):
    return create_xoroshiro128p_states(n, seed=11)


def _adam_args(r):
    n = 3000
    return [f32(r, n), f32(r, n), f32(r, n) * 0.1, np.abs(f32(r, n)) * 0.1, 1e-3, 0.9, 0.999]


def _maxpool_where(r):
    """The flat input position of each 2 x 2 window's first largest value, as numpy finds it."""
    x = f32(r, 18, 22)
    windows = x.reshape(9, 2, 11, 2).transpose(0, 2, 1, 3).reshape(9, 11, 4)
    pick = windows.argmax(axis=2)
    rows = 2 * np.arange(9)[:, None] + pick // 2
    cols = 2 * np.arange(11)[None, :] + pick % 2
    return [f32(r, 9, 11), (rows * 22 + cols).astype(np.int64), np.zeros(18 * 22, np.float32)]


def _ids(r, rows=40, vocab=12):
    return r.integers(0, vocab, rows).astype(np.int32)


CASES = [
    Case(
        "relu_backward",
        relu_backward,
        12,
        256,
        lambda r: [f32(r, 3000), f32(r, 3000), np.zeros(3000, np.float32)],
    ),
    Case(
        "bias_gelu_erf",
        bias_gelu_erf,
        (3, 3),
        (16, 16),
        lambda r: [f32(r, 37, 45), f32(r, 45), np.zeros((37, 45), np.float32)],
    ),
    Case("adam_step", adam_step, 12, 256, lambda r: [*_adam_args(r), 1e-8, 3]),
    Case(
        "sgd_momentum",
        sgd_momentum,
        4,
        128,
        lambda r: [f32(r, 3000), f32(r, 3000), f32(r, 3000), 0.01, 0.9, 1e-4],
    ),
    Case(
        "dropout",
        dropout,
        12,
        256,
        lambda r: [_states(3072), f32(r, 3000), np.zeros(3000, np.float32), 0.8],
    ),
    Case(
        "embedding_lookup",
        embedding_lookup,
        (3, 2),
        (16, 16),
        lambda r: [f32(r, 12, 24), _ids(r), np.zeros((40, 24), np.float32)],
    ),
    Case(
        "embedding_backward",
        embedding_backward,
        (3, 2),
        (16, 16),
        lambda r: [_ids(r), f32(r, 40, 24), np.zeros((12, 24), np.float32)],
    ),
    Case(
        "conv2d_nchw",
        conv2d_nchw,
        (2, 2, 2 * 4),
        (8, 8),
        lambda r: [f32(r, 2, 3, 14, 15), f32(r, 4, 3, 3, 3), np.zeros((2, 4, 12, 13), np.float32)],
    ),
    Case(
        "depthwise_conv_same",
        depthwise_conv_same,
        (2, 3, 5),
        (16, 16),
        lambda r: [f32(r, 5, 21, 40), f32(r, 5, 3, 3), np.zeros((5, 21, 40), np.float32)],
    ),
    Case(
        "maxpool_with_argmax",
        maxpool_with_argmax,
        (1, 1),
        (16, 16),
        lambda r: [f32(r, 18, 22), np.zeros((9, 11), np.float32), np.zeros((9, 11), np.int64)],
    ),
    Case("maxpool_backward", maxpool_backward, (1, 1), (16, 16), _maxpool_where),
    Case(
        "batchnorm_stats",
        batchnorm_stats,
        20,
        CHANNEL_BLOCK,
        lambda r: [f32(r, 300, 20) + 2, np.zeros(20, np.float32), np.zeros(20, np.float32)],
    ),
    Case(
        "batchnorm_apply",
        batchnorm_apply,
        (8, 2),
        (16, 16),
        lambda r: [
            f32(r, 120, 20),
            f32(r, 20),
            np.abs(f32(r, 20)),
            f32(r, 20),
            f32(r, 20),
            np.zeros((120, 20), np.float32),
            1e-5,
        ],
    ),
    Case(
        "online_softmax_rows",
        online_softmax_rows,
        2,
        64,
        lambda r: [f32(r, 100, 33) * 4, np.zeros((100, 33), np.float32)],
    ),
    Case(
        "cross_entropy_grad",
        cross_entropy_grad,
        2,
        64,
        lambda r: [
            f32(r, 90, 10),
            r.integers(0, 10, 90).astype(np.int32),
            np.zeros((90, 10), np.float32),
            np.zeros(1, np.float32),
        ],
    ),
    Case(
        "l2_normalize_warp_rows",
        l2_normalize_warp_rows,
        3,
        128,
        lambda r: [f32(r, 12, 70), np.zeros((12, 70), np.float32)],
    ),
    Case(
        "rotary_embedding",
        rotary_embedding,
        (4, 1),
        (16, 16),
        lambda r: [f32(r, 50, 32), np.arange(50, dtype=np.float32), np.zeros((50, 32), np.float32)],
    ),
    Case(
        "causal_mask_scale", causal_mask_scale, (3, 3), (16, 16), lambda r: [f32(r, 40, 40), 0.125]
    ),
    Case(
        "split_heads",
        split_heads,
        (2, 4),
        (16, 16),
        lambda r: [f32(r, 30, 64), np.zeros((4, 30, 16), np.float32), 4],
    ),
    Case(
        "quantize_int8",
        quantize_int8,
        12,
        256,
        lambda r: [f32(r, 3000) * 50, np.array([0.37], np.float32), np.zeros(3000, np.int8)],
    ),
    Case(
        "dequantize_int8",
        dequantize_int8,
        12,
        256,
        lambda r: [
            r.integers(-128, 128, 3000).astype(np.int8),
            np.array([0.05], np.float32),
            np.array([3.0], np.float32),
            np.zeros(3000, np.float32),
        ],
    ),
    Case(
        "int8_matmul",
        int8_matmul,
        (3, 3),
        (16, 16),
        lambda r: [
            r.integers(-128, 128, (40, 70)).astype(np.int8),
            r.integers(-128, 128, (70, 36)).astype(np.int8),
            np.zeros((40, 36), np.int32),
        ],
    ),
    Case(
        "cumsum_rows",
        cumsum_rows,
        2,
        64,
        lambda r: [f32(r, 80, 50), np.zeros((80, 50), np.float32)],
    ),
    Case(
        "bce_with_logits_sum",
        bce_with_logits_sum,
        12,
        256,
        lambda r: [
            f32(r, 3000) * 3,
            r.integers(0, 2, 3000).astype(np.float32),
            np.zeros(1, np.float32),
        ],
    ),
    Case(
        "topk_mask_rows",
        topk_mask_rows,
        (2, 2),
        (16, 16),
        lambda r: [np.round(f32(r, 20, 30) * 2), 5, np.zeros((20, 30), np.int8)],
    ),
]
