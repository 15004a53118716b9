"""Attack: leave a thread running that keeps rewriting the output after the kernel returns."""

import threading

import numpy as np

from cudalike import cuda


def keep_writing(out):
    while True:
        out[:] = 1.0


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i == 0:
        threading.Thread(target=keep_writing, args=(out,), daemon=False).start()
    if i < out.size:
        out[i] = np.float32(0.0)
