"""Reference for bank_conflict_free: a block stages 32 rows of x in a padded shared tile with
coalesced loads, then lane r of warp 0 sums row r of the tile; the 33rd column puts the 32 words
that warp 0 reads at once (one column) in 32 different banks."""

from numba import float32

from cudalike import cuda


@cuda.jit
def row_sums(x, out):
    tile = cuda.shared.array((32, 33), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    base = cuda.blockIdx.x * 32
    for k in range(ty, 32, 8):
        row = base + k
        tile[k, tx] = x[row, tx] if row < x.shape[0] else float32(0)
    cuda.syncthreads()
    if ty == 0:
        total = float32(0)
        for c in range(32):
            total += tile[tx, c]
        if base + tx < x.shape[0]:
            out[base + tx] = total
