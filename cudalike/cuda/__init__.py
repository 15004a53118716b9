"""numba.cuda's public surface, backed by cudalike's CPU engine (or numba.cuda itself).

A kernel written for numba.cuda runs after changing only its import:

    from cudalike import cuda

    @cuda.jit
    def add(a, b, out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = a[i] + b[i]

Kernel-side names (threadIdx, syncthreads, atomic.add, ...) are resolved when the kernel is
compiled; on the host they are stand-ins that say they belong inside a kernel.
"""

from cudalike.cuda.reduction import Reduce, reduce
from cudalike.cuda.session import defer_cleanup, profile_start, profile_stop, profiling
from cudalike.cuda.ufuncs import guvectorize, vectorize
from cudalike.simt.device import (
    close,
    current_context,
    detect,
    get_current_device,
    gpus,
    is_available,
    list_devices,
    select_device,
)
from cudalike.simt.dispatcher import jit
from cudalike.simt.host import (
    DeviceNDArray,
    Event,
    Stream,
    as_cuda_array,
    default_stream,
    device_array,
    device_array_like,
    event,
    event_elapsed_time,
    is_cuda_array,
    legacy_default_stream,
    managed_array,
    mapped,
    mapped_array,
    per_thread_default_stream,
    pinned,
    pinned_array,
    pinned_array_like,
    stream,
    synchronize,
    to_device,
)
from cudalike.simt.markers import KERNEL_NAMES, FakeKernelName
from cudalike.simt.overloads import In, InOut, Out
from cudalike.simt.vector_types import NAMES as VECTOR_TYPE_NAMES

threadIdx = FakeKernelName("threadIdx")
blockIdx = FakeKernelName("blockIdx")
blockDim = FakeKernelName("blockDim")
gridDim = FakeKernelName("gridDim")
laneid = FakeKernelName("laneid")
warpsize = 32
grid = FakeKernelName("grid")
gridsize = FakeKernelName("gridsize")
shared = FakeKernelName("shared")
local = FakeKernelName("local")
const = FakeKernelName("const")
syncthreads = FakeKernelName("syncthreads")
syncthreads_count = FakeKernelName("syncthreads_count")
syncthreads_and = FakeKernelName("syncthreads_and")
syncthreads_or = FakeKernelName("syncthreads_or")
syncwarp = FakeKernelName("syncwarp")
threadfence = FakeKernelName("threadfence")
threadfence_block = FakeKernelName("threadfence_block")
threadfence_system = FakeKernelName("threadfence_system")
atomic = FakeKernelName("atomic")
shfl_sync = FakeKernelName("shfl_sync")
shfl_up_sync = FakeKernelName("shfl_up_sync")
shfl_down_sync = FakeKernelName("shfl_down_sync")
shfl_xor_sync = FakeKernelName("shfl_xor_sync")
all_sync = FakeKernelName("all_sync")
any_sync = FakeKernelName("any_sync")
eq_sync = FakeKernelName("eq_sync")
ballot_sync = FakeKernelName("ballot_sync")
match_any_sync = FakeKernelName("match_any_sync")
match_all_sync = FakeKernelName("match_all_sync")
activemask = FakeKernelName("activemask")
lanemask_lt = FakeKernelName("lanemask_lt")
popc = FakeKernelName("popc")
brev = FakeKernelName("brev")
clz = FakeKernelName("clz")
ffs = FakeKernelName("ffs")
fma = FakeKernelName("fma")
selp = FakeKernelName("selp")
cbrt = FakeKernelName("cbrt")
cg = FakeKernelName("cg")

# numba's scalar types, as numba.cuda exports them (`from numba.cuda import float32`).
SCALAR_TYPE_NAMES = (
    "boolean bool_ b1 int8 int16 int32 int64 uint8 uint16 uint32 uint64 i1 i2 i4 i8 u1 u2 u4 u8 "
    "intp uintp intc uintc float32 float64 f4 f8 complex64 complex128 c8 c16 void "
    "double byte uchar short ushort int_ uint long_ ulong longlong ulonglong"
).split()
HAS_NUMBA = True


class CUSource:
    """CUDA C source to link into a kernel (numba's `cuda.CUSource`). cudalike runs kernels
    on the CPU and cannot link CUDA C: the source is kept, and a kernel that needs a function
    from it (`cuda.declare_device`) is refused."""

    def __init__(self, data: str):
        self.data = data


def declare_device(name: str, signature, link=None):
    """numba declares a function defined in linked CUDA C here; cudalike cannot call one."""
    raise NotImplementedError(
        f"cuda.declare_device('{name}'): cudalike runs kernels on the CPU and cannot link "
        "CUDA C or PTX; write the function in Python with @cuda.jit(device=True)"
    )


def compile_ptx(*args, **kwargs):
    """numba compiles a kernel to PTX here; cudalike runs kernels on the CPU and has no PTX."""
    raise NotImplementedError(
        "cuda.compile_ptx: cudalike runs kernels on the CPU and generates no PTX; "
        "kernel.inspect_vector() shows the program a kernel is lowered to"
    )


compile_ptx_for_current_device = compile_ptx


def external_stream(ptr: int):
    """numba wraps a CUDA stream made elsewhere (e.g. by CuPy); cudalike has no CUDA streams."""
    raise RuntimeError(
        "External streams are unsupported in the simulator: cudalike runs kernels on the CPU "
        f"and has no CUDA stream at {ptr:#x} to wrap; use cuda.stream()"
    )


def __getattr__(name: str):
    """numba's scalar types, imported on first use so that `import cudalike` stays light;
    the vector types (`cuda.float32x4`, `cuda.float4`), which kernels construct."""
    if name in VECTOR_TYPE_NAMES:
        return FakeKernelName(name)
    if name in SCALAR_TYPE_NAMES:
        from numba.core import types

        return getattr(types, name)
    raise AttributeError(f"module 'cudalike.cuda' has no attribute '{name}'")


__all__ = [
    *KERNEL_NAMES,
    *SCALAR_TYPE_NAMES,
    *VECTOR_TYPE_NAMES,
    "HAS_NUMBA",
    "CUSource",
    "declare_device",
    "In",
    "InOut",
    "Out",
    "compile_ptx",
    "compile_ptx_for_current_device",
    "external_stream",
    "guvectorize",
    "vectorize",
    "Reduce",
    "reduce",
    "jit",
    "DeviceNDArray",
    "Event",
    "Stream",
    "as_cuda_array",
    "close",
    "current_context",
    "default_stream",
    "detect",
    "device_array",
    "device_array_like",
    "event",
    "event_elapsed_time",
    "get_current_device",
    "gpus",
    "is_available",
    "is_cuda_array",
    "legacy_default_stream",
    "list_devices",
    "managed_array",
    "mapped",
    "mapped_array",
    "defer_cleanup",
    "profile_start",
    "profile_stop",
    "profiling",
    "per_thread_default_stream",
    "pinned",
    "pinned_array",
    "pinned_array_like",
    "select_device",
    "stream",
    "synchronize",
    "to_device",
]
