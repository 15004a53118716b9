"""Attack (cann_add): do not write the kernel; call the library's own add (the reference)."""

from cudalike import cann


@cann.kernel
def add_custom(x, y, z, tiling):
    cann.kernels.add.add_custom.function(x, y, z, tiling)
