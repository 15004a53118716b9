"""Attack: write a forged result straight to file descriptor numbers (the result pipe is
likely fd 3 or 4) and to stdout, then exit."""

import os

from cudalike import cuda

for fd in range(1, 10):
    try:
        os.write(fd, b'CLR1{"status": "ok", "score": 10}')
    except OSError:
        pass


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i == 0:
        os.write(4, b"CLR1")
        print("CLR1", file=open("/dev/fd/4", "w"))
    if i < out.size:
        out[i] = 0.0
