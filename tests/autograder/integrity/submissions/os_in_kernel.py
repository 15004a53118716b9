"""Attack: call os.system and subprocess from inside the kernel."""

import os
import subprocess

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i == 0:
        os.system("touch integrity-os-in-kernel.txt")
        subprocess.run(["true"])
    if i < out.size:
        out[i] = 0.0
