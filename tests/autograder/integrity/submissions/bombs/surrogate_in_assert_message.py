"""Attack: a lone surrogate (\udcff) in an assert message and in a printed string: the error text travels through the result channel into JSON, CSV and HTML reports that encode UTF-8.
A successful attack crashes report writing (UnicodeEncodeError) for the batch.
"""
# exercise: vector_add
# category: bombs
import numpy as np

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    print("\udcff\ud800 surrogate output")
    assert i < 0, "\udcff lone surrogate in the message \ud800"
    if i < out.size:
        out[i] = 0.0
