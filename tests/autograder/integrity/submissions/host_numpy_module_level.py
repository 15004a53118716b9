"""Attack: compute the answer with numpy on the host, at module level, outside any kernel.

The module-level arrays and the `out[:] = a + b` line hope the grader reads these globals;
the kernel itself does nothing.
"""

import numpy as np

from cudalike import cuda

a = np.arange(1000, dtype=np.float32)
b = np.ones(1000, dtype=np.float32)
out = np.empty(1000, dtype=np.float32)
out[:] = a + b
np.add(a, b, out=out)


@cuda.jit
def vector_add(a, b, out):
    pass
