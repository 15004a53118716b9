"""Matrix kernels: naive, coalesced and shared-memory tiled matmul; transpose through a tile.

C = A @ B with A of shape (M, K), B (K, N), C (M, N); sizes need not be multiples of the tile.
"""

from numba import float32

from cudalike import cuda

TPB = 16  # matmul tile: TPB x TPB threads per block
TILE = 32  # transpose tile
BLOCK_ROWS = 8  # transpose: a (TILE, BLOCK_ROWS) block copies a TILE x TILE tile


def matmul_naive(A, B, C):
    # x -> row: neighbouring threads walk down a column of C, so their accesses are strided.
    row, col = cuda.grid(2)
    if row < C.shape[0] and col < C.shape[1]:
        acc = float32(0)
        for k in range(A.shape[1]):
            acc += A[row, k] * B[k, col]
        C[row, col] = acc


def matmul_coalesced(A, B, C):
    # x -> column: neighbouring threads touch neighbouring words of B and C.
    col, row = cuda.grid(2)
    if row < C.shape[0] and col < C.shape[1]:
        acc = float32(0)
        for k in range(A.shape[1]):
            acc += A[row, k] * B[k, col]
        C[row, col] = acc


def matmul_tiled(A, B, C):
    sA = cuda.shared.array(shape=(TPB, TPB), dtype=float32)
    sB = cuda.shared.array(shape=(TPB, TPB), dtype=float32)
    col, row = cuda.grid(2)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    acc = float32(0)
    for tile in range((A.shape[1] + TPB - 1) // TPB):
        a_col = tile * TPB + tx
        b_row = tile * TPB + ty
        if row < A.shape[0] and a_col < A.shape[1]:
            sA[ty, tx] = A[row, a_col]
        else:
            sA[ty, tx] = 0
        if b_row < B.shape[0] and col < B.shape[1]:
            sB[ty, tx] = B[b_row, col]
        else:
            sB[ty, tx] = 0
        cuda.syncthreads()  # the tile is complete before anyone reads it
        for k in range(TPB):
            acc += sA[ty, k] * sB[k, tx]
        cuda.syncthreads()  # everyone has read the tile before it is overwritten
    if row < C.shape[0] and col < C.shape[1]:
        C[row, col] = acc


def transpose_padded(a, out):
    # One extra column puts the words of a tile column in 32 different banks.
    tile = cuda.shared.array((TILE, TILE + 1), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    x = cuda.blockIdx.x * TILE + tx
    y = cuda.blockIdx.y * TILE + ty
    for j in range(0, TILE, BLOCK_ROWS):
        if x < a.shape[1] and y + j < a.shape[0]:
            tile[ty + j, tx] = a[y + j, x]
    cuda.syncthreads()
    x = cuda.blockIdx.y * TILE + tx
    y = cuda.blockIdx.x * TILE + ty
    for j in range(0, TILE, BLOCK_ROWS):
        if x < out.shape[1] and y + j < out.shape[0]:
            out[y + j, x] = tile[tx, ty + j]
