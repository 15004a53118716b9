"""Host-side stand-ins for the kernel-only names of numba.cuda (threadIdx, syncthreads, ...).

Inside a kernel these names are resolved by the front end, never called. Outside a kernel
they exist so that `from cudalike.cuda import threadIdx` works, and using one says clearly
that it belongs inside a kernel.
"""

from __future__ import annotations


class FakeKernelName:
    """A name that only means something inside a kernel; `path` is its dotted name in `cuda`."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def __getattr__(self, attribute: str) -> FakeKernelName:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return FakeKernelName(f"{self.path}.{attribute}")

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            f"cuda.{self.path} can only be used inside a kernel or device function "
            "(a function decorated with @cuda.jit)"
        )

    def __repr__(self) -> str:
        return f"<kernel-only name cuda.{self.path}>"


KERNEL_NAMES = (
    "threadIdx blockIdx blockDim gridDim laneid warpsize grid gridsize "
    "shared local const syncthreads syncthreads_count syncthreads_and syncthreads_or "
    "syncwarp threadfence threadfence_block threadfence_system atomic "
    "shfl_sync shfl_up_sync shfl_down_sync shfl_xor_sync all_sync any_sync eq_sync "
    "ballot_sync match_any_sync match_all_sync activemask lanemask_lt popc brev clz ffs fma "
    "selp cbrt cg"
).split()
