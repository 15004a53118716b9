"""The vendor's Arithmetic sample: LeakyRelu in repeat form on UB from a LocalMemAllocator.

Source: cannmirror/asc-devkit, examples/01_simd_cpp_api/02_features/03_basic_api/
02_memory_vector_compute/arithmetic/arithmetic.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/03_basic_api/02_memory_vector_compute/arithmetic/arithmetic.asc)

512 halves: DataCopy in, SetFlag/WaitFlag MTE2_V, LeakyRelu(dst, src, 0.01, mask 128, 4 repeats,
{1, 1, 8, 8}), SetFlag/WaitFlag V_MTE3, DataCopy out: static-tensor programming, no queues.

Changed: nothing beyond Python spelling.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import EVENT_ID0, Result, lacking, rng, sizeof


class KernelLeakyRelu:
    """KernelLeakyRelu<count, mask>."""

    def __init__(self, count, mask):
        self.count, self.mask = count, mask

    def Init(self, src, dstGm):
        self.srcGlobal = cann.GlobalTensor(cann.half)
        self.dstGlobal = cann.GlobalTensor(cann.half)
        self.srcGlobal.SetGlobalBuffer(src.cast(cann.half))
        self.dstGlobal.SetGlobalBuffer(dstGm.cast(cann.half))

    def Process(self):
        ubAllocator = cann.LocalMemAllocator(cann.Hardware.UB)
        srcLocal = ubAllocator.Alloc(cann.half, self.count)
        dstLocal = ubAllocator.Alloc(cann.half, self.count)
        cann.DataCopy(srcLocal, self.srcGlobal, self.count)
        cann.SetFlag(cann.HardEvent.MTE2_V, EVENT_ID0)
        cann.WaitFlag(cann.HardEvent.MTE2_V, EVENT_ID0)
        scalar = cann.half(0.01)
        cann.LeakyRelu(dstLocal, srcLocal, scalar, self.mask, 4, cann.UnaryRepeatParams(1, 1, 8, 8))
        cann.SetFlag(cann.HardEvent.V_MTE3, EVENT_ID0)
        cann.WaitFlag(cann.HardEvent.V_MTE3, EVENT_ID0)
        cann.DataCopy(self.dstGlobal, dstLocal, self.count)


def arithmetic_kernel(count, mask):
    @cann.kernel
    def arithmetic(src, dstGm):
        cann.InitSocState()
        op = KernelLeakyRelu(count, mask)
        op.Init(src, dstGm)
        op.Process()
        cann.PipeBarrier(cann.PIPE_ALL)

    return arithmetic


CASES = {"sample_512_mask_128": (512, 128), "512_mask_64": (512, 64)}
LITERAL = True
MISSING = lacking(
    "LocalMemAllocator<Hardware::UB>, InitSocState, LeakyRelu (tensor-scalar op)",
    "LocalMemAllocator",
    "Hardware",
    "InitSocState",
    "LeakyRelu",
)
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_512_mask_128"


def run(case: str) -> Result:
    count, mask = CASES[case]
    x = rng(case).standard_normal(count).astype(np.float16)
    byteSize = count * sizeof(cann.half)
    outHost = np.zeros(count, np.float16)
    xDevice = cann.aclrtMalloc(byteSize)
    outDevice = cann.aclrtMalloc(byteSize)
    cann.aclrtMemcpy(xDevice, byteSize, x, byteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    arithmetic_kernel(count, mask)[1, None, None](xDevice, outDevice)
    cann.aclrtMemcpy(outHost, byteSize, outDevice, byteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST)
    want = np.where(x >= 0, x, x * np.float16(0.01)).astype(np.float16).astype(np.float64)
    # lanes the mask leaves off keep what the allocator's memory held: compare active lanes
    lanes = np.arange(count) % 128 < mask
    return Result(outHost[lanes], want[lanes], rtol=1e-3)
