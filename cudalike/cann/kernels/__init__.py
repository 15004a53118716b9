"""The reference CANN-style kernel library: one module per operator, each with its kernel,
its host tiling and a numpy-friendly host wrapper (what the autograder grades against).

    from cudalike.cann.kernels import softmax
    y = softmax.softmax(x)          # x: 2-D numpy array, rows normalised

Element-wise kernels share `_elementwise.py`, row-wise ones `_rowwise.py`; `matmul.py` runs
on the cube through the Matmul object of cudalike/cann/matmul.py.
"""
