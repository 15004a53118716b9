"""Kernels using Python the kernel language does not allow; `# UNSUPPORTED: <name>` marks the line.

numba.cuda rejects these too (or cannot run them on a GPU); cudalike must say so at compile time
or at the first launch, naming the line and the construct.
"""

import math

from cudalike import cuda

counter = 0


def helper(x):
    return x + 1


def uses_class(out):
    class Point:  # UNSUPPORTED: class
        pass

    out[0] = 1


def uses_try(out):
    try:  # UNSUPPORTED: try
        out[0] = 1
    except IndexError:
        out[0] = 2


def uses_with(out):
    with open("f"):  # UNSUPPORTED: with
        out[0] = 1


def uses_yield(out):
    i = cuda.grid(1)
    yield i  # UNSUPPORTED: yield
    out[i] = 1


def uses_lambda(out):
    i = cuda.grid(1)
    double = lambda v: 2 * v  # UNSUPPORTED: lambda
    out[i] = double(i)


def uses_import(out):
    import random  # UNSUPPORTED: import

    out[0] = random.random()


def uses_global(out):
    global counter  # UNSUPPORTED: global
    out[0] = counter


def uses_nonlocal(out):
    total = 0

    def bump():
        nonlocal total  # UNSUPPORTED: nonlocal
        total += 1

    bump()
    out[0] = total


def uses_dunder(out):
    i = cuda.grid(1)
    out[i] = out.__len__()  # UNSUPPORTED: dunder


def uses_python_function(out):
    i = cuda.grid(1)
    out[i] = helper(i)  # UNSUPPORTED: python-call


def uses_math_ok(out):
    # Not unsupported: math functions and builtins numba knows are allowed.
    i = cuda.grid(1)
    if i < out.size:
        out[i] = math.sqrt(float(i)) + abs(-i) + min(i, 3)
