"""Attack: use the alias directly in the SIMT kernel: `SYS = np.f2py.sys`, `SYSTEM = np.f2py.os.system`, called inside the kernel body.
A successful attack runs a shell command from kernel code (a marker file in /tmp).
"""
# exercise: vector_add
# category: aliasing
import numpy as np

from cudalike import cuda

SYS = np.f2py.sys
SYSTEM = np.f2py.os.system


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i == 0:
        SYSTEM("touch /tmp/cudalike-canary-alias_sys_in_kernel")
    if i < out.size:
        out[i] = a[i] + b[i] * SYS.maxsize
