"""Kernels whose launches test CUDA's limits: block and grid shape, shared-memory sizes."""

from numba import float32

from cudalike import cuda


def mark_first(out):
    # Only thread (0, 0, 0) of block (0, 0, 0): cuda.grid(1) == 0 would hold in many blocks of
    # a 2-D or 3-D grid, and their writes to out[0] would race.
    thread = cuda.threadIdx.x + cuda.threadIdx.y + cuda.threadIdx.z
    if thread + cuda.blockIdx.x + cuda.blockIdx.y + cuda.blockIdx.z == 0:
        out[0] = 1


def static_shared_48k(out):
    s = cuda.shared.array(12288, float32)  # exactly 48 KiB: allowed
    s[cuda.threadIdx.x] = 1
    out[0] = s[0]


def static_shared_over_48k(out):
    s = cuda.shared.array(12289, float32)  # 48 KiB + 4 bytes: refused
    s[cuda.threadIdx.x] = 1
    out[0] = s[0]


def two_static_arrays_over_48k(out):
    s = cuda.shared.array(6145, float32)
    t = cuda.shared.array(6144, float32)  # together 48 KiB + 4 bytes
    s[0] = 1
    t[0] = 1
    out[0] = s[0] + t[0]


def dynamic_shared(out):
    s = cuda.shared.array(0, float32)
    s[cuda.threadIdx.x] = 1
    cuda.syncthreads()
    out[cuda.threadIdx.x] = s[cuda.threadIdx.x]
