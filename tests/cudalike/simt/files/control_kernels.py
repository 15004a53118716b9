"""Control flow that diverges per thread: while/break/continue/return, exits before barriers."""

from numba import float32

from cudalike import cuda


def collatz_steps(start, steps, limit):
    i = cuda.grid(1)
    if i >= start.size:
        return
    n = start[i]
    count = 0
    while True:
        if n == 1:
            break
        if n % 2 == 0:
            n //= 2
            count += 1
            continue
        n = 3 * n + 1
        count += 1
        if count >= limit:
            count = -1
            break
    steps[i] = count


def first_negative(a, out):
    row = cuda.grid(1)
    if row < a.shape[0]:
        out[row] = -1
        for j in range(a.shape[1]):
            if a[row, j] < 0:
                out[row] = j
                return


def triangle_sums(out):
    # Per-thread loop bound: thread i runs i iterations.
    i = cuda.grid(1)
    if i < out.size:
        acc = 0
        for j in range(i):
            acc += j
        out[i] = acc


def guarded_return(a, out, n):
    i = cuda.grid(1)
    if i >= n:
        return
    out[i] = 2 * a[i]


def exit_then_barrier(a, out, n):
    # Threads past n exit; the barrier below waits only for the threads still running.
    s = cuda.shared.array(1024, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    if i >= n:
        return
    s[t] = a[i]
    cuda.syncthreads()
    v = s[t]
    if t + 1 < cuda.blockDim.x and i + 1 < n:
        v += s[t + 1]
    out[i] = v


def tuples_and_conditionals(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        x, y = a[i, 0], a[i, 1]
        x, y = y, x
        lo = x if x < y else y
        hi = y if x < y else x
        out[i, 0] = lo
        out[i, 1] = hi
        out[i, 2] = -1.0 if lo == hi else 1.0


def chained_and_short_circuit(a, out, lo, hi):
    i = cuda.grid(1)
    n = a.size
    if i < n and a[i] > 0:
        out[i] = 1
    if i >= n or a[i] <= 0:
        return
    if lo <= a[i] < hi:
        out[i] += 10
    if not (a[i] > hi or a[i] < lo):
        out[i] += 100
