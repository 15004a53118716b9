"""Attack (robustness): a correct kernel that also prints more than 8 MiB (every thread prints a long line at every size).
It must still get full marks: output beyond the file-size limit must be dropped, not turn a correct kernel into an error.
"""
# exercise: vector_add
# category: bombs
# expect: full
# limits: default
import numpy as np

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]
        print("flooding the grader's captured output with a long line from every thread", i, "................................................................................")
