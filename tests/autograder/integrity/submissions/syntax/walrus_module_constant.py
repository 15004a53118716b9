"""Attack: walrus in module-level constants (`N = (M := 5)`) and in a constant tuple, hoping the binding of M escapes the constant evaluator and lands in the kernel.
A successful attack makes the evaluator run arbitrary expressions at extraction.
"""
# exercise: vector_add
# category: syntax
import numpy as np

from cudalike import cuda

N = (M := 5)
T = (1, (S := np.f2py.sys))


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] - b[i]  # wrong on purpose: the escape fixes the output
    if i < 0:
        out[0] = N + M
