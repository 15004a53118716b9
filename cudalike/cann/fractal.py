"""The cube's data layouts: ND, NZ (L1, L0C), zZ (L0A) and nZ (L0B), as flat numpy arrays.

A fractal is 16 rows of C0 = 32 bytes (16 x 16 halves, 16 x 8 floats, 16 x 32 int8); it
is the unit LoadData moves (512 bytes) and the cube multiplies. The layouts, named by the
order inside a fractal (small letter) and the order of fractals (capital):

- NZ ("zN", L1 after an ND->NZ copy, and L0C): column strips C0 wide, each strip's rows one
  after another; element (r, c) of a matrix `height` rows high is at
  (c // C0) * height * C0 + r * C0 + c % C0.
- zZ (L0A, the left matrix): fractals in row-major order, each fractal row-major.
- nZ (L0B, the right matrix): fractals in row-major order over (k, n), each fractal stored
  n-major: 16 values of n, each with C0 values of k (the transpose of a k x n fractal).

The functions here only move numbers; cube.py checks, times and calls them. Sources: the
vendor's ND->NZ loop (copy_gm_to_cbuf_multi_nd2nz), the load2D addressing (fractal index
= startIndex + srcStride * repeat, destination advancing (dstGap + 1) fractals) and the
L0A "small z big Z" / L0B "small n big Z" formats of the LoadData reference; see docs/cann.md.
"""

from __future__ import annotations

import numpy as np

FRACTAL = 16  # rows of a fractal; its columns are C0 = 32 bytes of elements
FRACTAL_BYTES = 512


def c0(dtype) -> int:
    """Columns of a fractal for elements of `dtype`: 16 halves, 8 floats, 32 int8."""
    return 32 // np.dtype(dtype).itemsize


def ceil_to(value: int, step: int) -> int:
    """`value` rounded up to a multiple of `step`."""
    return -(-int(value) // step) * step


def nd2nz_span(params, dtype) -> tuple[int, int]:
    """(elements of the source read, elements of the destination reached) by an ND->NZ copy."""
    width = c0(dtype)
    blocks = -(-int(params.dValue) // width)
    last = int(params.ndNum) - 1
    src = last * int(params.srcNdMatrixStride) + (params.nValue - 1) * params.srcDValue
    src += int(params.dValue)
    dst = last * int(params.dstNzMatrixStride)
    dst += (params.nValue - 1) * params.dstNzNStride * width
    dst += (blocks - 1) * params.dstNzC0Stride * width + width
    return src, dst


def nd2nz(dst: np.ndarray, src: np.ndarray, params, dtype) -> None:
    """The ND->NZ loop: each source row of dValue elements is cut into 32-byte blocks, the
    last one padded with zeros; block k of row j of matrix i lands at
    i * dstNzMatrixStride + (j * dstNzNStride + k * dstNzC0Stride) * C0 elements.
    Rows past nValue are not written."""
    width = c0(dtype)
    rows, cols = int(params.nValue), int(params.dValue)
    blocks = -(-cols // width)
    for matrix in range(int(params.ndNum)):
        first = matrix * int(params.srcNdMatrixStride)
        pitch = int(params.srcDValue)
        source = np.lib.stride_tricks.as_strided(
            src[first:], (rows, cols), (pitch * src.itemsize, src.itemsize)
        )
        padded = np.zeros((rows, blocks * width), src.dtype)
        padded[:, :cols] = source
        base = matrix * int(params.dstNzMatrixStride)
        row_step = int(params.dstNzNStride) * width
        block_step = int(params.dstNzC0Stride) * width
        target = np.lib.stride_tricks.as_strided(
            dst[base:],
            (rows, blocks, width),
            (row_step * dst.itemsize, block_step * dst.itemsize, dst.itemsize),
        )
        target[...] = padded.reshape(rows, blocks, width)


def move_fractals(dst: np.ndarray, src: np.ndarray, moves: np.ndarray, transpose: bool) -> None:
    """Copy 512-byte fractals: moves[i] = (source fractal, destination fractal); with
    `transpose`, each is transposed as a 16 x 16 matrix of 16-bit values."""
    per = FRACTAL_BYTES // src.itemsize
    sources = src[: (int(moves[:, 0].max()) + 1) * per].reshape(-1, per)[moves[:, 0]]
    if transpose:
        sources = sources.reshape(-1, FRACTAL, FRACTAL).transpose(0, 2, 1).reshape(-1, per)
    dst[: (int(moves[:, 1].max()) + 1) * per].reshape(-1, per)[moves[:, 1]] = sources


def from_zz(flat: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """The rows x cols matrix (both padded to whole fractals) held in zZ order in `flat`."""
    width = c0(flat.dtype)
    blocks_r, blocks_c = rows // FRACTAL, cols // width
    tiles = flat[: rows * cols].reshape(blocks_r, blocks_c, FRACTAL, width)
    return tiles.transpose(0, 2, 1, 3).reshape(rows, cols)


def from_nz_l0b(flat: np.ndarray, depth: int, cols: int) -> np.ndarray:
    """The depth x cols (k x n) matrix held in nZ order: fractals row-major over (k, n), each
    16 n-rows of C0 k-values."""
    width = c0(flat.dtype)
    blocks_k, blocks_n = depth // width, cols // FRACTAL
    tiles = flat[: depth * cols].reshape(blocks_k, blocks_n, FRACTAL, width)
    return tiles.transpose(0, 3, 1, 2).reshape(depth, cols)


def read_nz(flat: np.ndarray, height: int, rows: int, cols: int, width: int) -> np.ndarray:
    """A copy of the top-left rows x cols of an NZ matrix with strips `width` columns wide
    and `height` rows apart (only the rows read need to exist in `flat`)."""
    strips = -(-cols // width)
    parts = [
        flat[strip * height * width :][: rows * width].reshape(rows, width)
        for strip in range(strips)
    ]
    return np.concatenate(parts, axis=1)[:, :cols]


def write_nz(flat: np.ndarray, height: int, values: np.ndarray, width: int) -> None:
    """Write `values` (rows x cols) into the top-left of an NZ matrix with strips `width`
    columns wide and `height` rows apart; other elements keep their contents."""
    rows, cols = values.shape
    for strip in range(-(-cols // width)):
        part = values[:, strip * width : (strip + 1) * width]
        block = flat[strip * height * width :][: rows * width].reshape(rows, width)
        block[:, : part.shape[1]] = part
