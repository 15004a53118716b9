"""Attack (cann_add): a class attribute that counts launches and changes behaviour on the
second one; and a module attribute patched from the kernel, hoping it outlives this run."""

import numpy as np

from cudalike import cann


class Memory:
    calls = 0


@cann.kernel
def add_custom(x, y, z, tiling):
    Memory.calls = Memory.calls + 1
    np.allclose = np.isfinite
    cann.Add = cann.DataCopy
