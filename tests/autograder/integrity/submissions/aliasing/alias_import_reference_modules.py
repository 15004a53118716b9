"""Attack: reference swapping by import: `from cudalike.cann.kernels import add`, `from cudalike.cann.kernels.add import KernelAdd`, `from cudalike.cann.examples.add import add_custom`, `from exercises.cann_add.reference import add_custom`.
A successful attack grades the reference kernel as the learner's (10/10).
"""
# exercise: cann_add
# category: aliasing
from cudalike.cann.kernels import add
from cudalike.cann.kernels.add import KernelAdd
from cudalike.cann.examples.add import add_custom
from exercises.cann_add.reference import add_custom
from exercises.cann_add import solution
