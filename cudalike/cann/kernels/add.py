"""add: z = x + y, the canonical vendor sample (cudalike/cann/examples/add.py), re-exported.

The example is the line-for-line teaching version; the library names it here so that every
reference operator lives in `cudalike.cann.kernels`.
"""

from cudalike.cann.examples.add import AddTilingData, KernelAdd, add, add_custom, add_tiling

__all__ = ["AddTilingData", "KernelAdd", "add", "add_custom", "add_tiling"]
