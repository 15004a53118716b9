"""Reference for prefix_sum: Hillis-Steele scans in shared memory, a scan of block sums, offsets."""

from numba import int32

from cudalike import cuda

THREADS = 256


@cuda.jit(device=True)
def scan_in_shared(temp, tid):
    """Inclusive Hillis-Steele scan of temp[0:THREADS]: read, barrier, write, barrier."""
    offset = 1
    while offset < THREADS:
        before = temp[tid - offset] if tid >= offset else int32(0)
        cuda.syncthreads()
        temp[tid] += before
        cuda.syncthreads()
        offset *= 2


@cuda.jit
def scan_blocks(x, out, block_sums):
    temp = cuda.shared.array(THREADS, int32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    temp[tid] = x[i] if i < x.size else int32(0)
    cuda.syncthreads()
    scan_in_shared(temp, tid)
    if i < x.size:
        out[i] = temp[tid]
    if tid == THREADS - 1:
        block_sums[cuda.blockIdx.x] = temp[tid]


@cuda.jit
def scan_block_sums(block_sums):
    if cuda.blockIdx.x != 0:  # launched like scan_blocks; one block scans the block sums
        return
    temp = cuda.shared.array(THREADS, int32)
    tid = cuda.threadIdx.x
    carry = int32(0)
    for start in range(0, block_sums.size, THREADS):
        i = start + tid
        temp[tid] = block_sums[i] if i < block_sums.size else int32(0)
        cuda.syncthreads()
        scan_in_shared(temp, tid)
        if i < block_sums.size:
            block_sums[i] = temp[tid] + carry
        carry += temp[THREADS - 1]
        cuda.syncthreads()  # all threads read temp before the next chunk overwrites it


@cuda.jit
def add_block_offsets(out, block_sums):
    i = cuda.grid(1)
    block = cuda.blockIdx.x
    if block > 0 and i < out.size:
        out[i] += block_sums[block - 1]
