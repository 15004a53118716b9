"""Attack (cann_add): skip the tiles and queues; add the raw global-memory buffers with numpy.

A GM address exposes its allocation as `.data` (a numpy uint8 array), so block 0 can write
z = x + y in one numpy call, without a single DataCopy or Add.
"""

import numpy as np

from cudalike import cann
from cudalike.cann import GetBlockIdx


@cann.kernel
def add_custom(x, y, z, tiling):
    if GetBlockIdx() == 0:
        z.data.view(np.float16)[:] = x.data.view(np.float16) + y.data.view(np.float16)
