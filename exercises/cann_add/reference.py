"""Reference for cann_add: the library's add (the vendor's add_custom sample) and its tiling."""

from cudalike.cann.kernels.add import add_custom, add_tiling

__all__ = ["add_custom", "add_tiling"]
