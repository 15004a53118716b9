"""The vendor's PipeBarrier sample: static UB tensors at fixed addresses, ordered by hand.

Source: cannmirror/asc-devkit,
examples/01_simd_cpp_api/02_features/03_basic_api/06_sync_control/pipe_barrier/pipe_barrier.asc
(https://github.com/cannmirror/asc-devkit/blob/master/examples/01_simd_cpp_api/02_features/03_basic_api/06_sync_control/pipe_barrier/pipe_barrier.asc)

Five float tensors are placed at fixed UB addresses (src1 and src2 overlap by 128 floats).
MTE2 copies src0 and src2, PipeBarrier<PIPE_MTE2> orders the src1 copy after them (src1 then
overwrites the overlap), SetFlag/WaitFlag MTE2_V, Add, PipeBarrier<PIPE_V>, Mul on the Add's
result, SetFlag/WaitFlag V_MTE3, and two copies out ordered by PipeBarrier<PIPE_MTE3>:
output[0:256] = src0 + src1, output[256:512] = (src0 + src1) * src0.

Changed: nothing beyond Python spelling (`LocalTensor<float> t(pos, addr, len)` is
`cann.LocalTensor[cann.float](pos, addr, len)`, as `GlobalTensor[half]()`).
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import EVENT_ID0, Result, lacking, rng, sizeof


class KernelPipeBarrier:
    # UB addresses of src0, src1, src2, dst, dst2; src1 and src2 share 128 floats
    src0Addr = 0
    src1Addr = 256 * 4
    src2Addr = (256 + 128) * 4
    dstAddr = (256 * 3) * 4
    dst2Addr = (256 * 4) * 4
    srcDataSize = 256
    totalDataSize = 512  # the two outputs: dst (256) then dst2 (256)

    def Init(self, src0Gm, src1Gm, src2Gm, dstGm):
        self.src0Global, self.src1Global, self.src2Global, self.dstGlobal = (
            cann.GlobalTensor(cann.float) for _ in range(4)
        )
        self.src0Global.SetGlobalBuffer(src0Gm.cast(cann.float), self.srcDataSize)
        self.src1Global.SetGlobalBuffer(src1Gm.cast(cann.float), self.srcDataSize)
        self.src2Global.SetGlobalBuffer(src2Gm.cast(cann.float), self.srcDataSize)
        self.dstGlobal.SetGlobalBuffer(dstGm.cast(cann.float), self.totalDataSize)

    def Process(self):
        n = self.srcDataSize
        VECCALC = cann.TPosition.VECCALC
        src0Local = cann.LocalTensor[cann.float](VECCALC, self.src0Addr, n)
        src1Local = cann.LocalTensor[cann.float](VECCALC, self.src1Addr, n)
        src2Local = cann.LocalTensor[cann.float](VECCALC, self.src2Addr, n)
        dstLocal = cann.LocalTensor[cann.float](VECCALC, self.dstAddr, n)
        dst2Local = cann.LocalTensor[cann.float](VECCALC, self.dst2Addr, n)
        # copy in (PIPE_MTE2): src2 first, then src1 over the shared addresses
        cann.DataCopy(src0Local, self.src0Global, n)
        cann.DataCopy(src2Local, self.src2Global, n)
        cann.PipeBarrier(cann.PIPE_MTE2)
        cann.DataCopy(src1Local, self.src1Global, n)
        # MTE2 -> V
        cann.SetFlag(cann.HardEvent.MTE2_V, EVENT_ID0)
        cann.WaitFlag(cann.HardEvent.MTE2_V, EVENT_ID0)
        # compute (PIPE_V): dst = src0 + src1, then dst2 = dst * src0
        cann.Add(dstLocal, src0Local, src1Local, n)
        cann.PipeBarrier(cann.PIPE_V)
        cann.Mul(dst2Local, dstLocal, src0Local, n)
        # V -> MTE3
        cann.SetFlag(cann.HardEvent.V_MTE3, EVENT_ID0)
        cann.WaitFlag(cann.HardEvent.V_MTE3, EVENT_ID0)
        # copy out (PIPE_MTE3)
        cann.DataCopy(self.dstGlobal[0], dstLocal, n)
        cann.PipeBarrier(cann.PIPE_MTE3)
        cann.DataCopy(self.dstGlobal[n], dst2Local, n)


@cann.kernel
def pipe_barrier_custom(src0, src1, src2, dst):
    cann.InitSocState()
    op = KernelPipeBarrier()
    op.Init(src0, src1, src2, dst)
    op.Process()


CASES = {"sample_256": 256}
LITERAL = True
MISSING = lacking("InitSocState", "InitSocState") or (
    None
    if hasattr(cann.LocalTensor, "__class_getitem__")
    else "LocalTensor<T>(TPosition, addr, len): a tensor at a fixed UB address without a TPipe"
)
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "sample_256"


def run(case: str) -> Result:
    gen = rng(case)
    hosts = [gen.standard_normal(256).astype(np.float32) for _ in range(3)]
    inputByteSize = 256 * sizeof(cann.float)
    outputByteSize = 512 * sizeof(cann.float)
    dstHost = np.empty(512, np.float32)
    devices = [cann.aclrtMalloc(inputByteSize) for _ in range(3)]
    dstDevice = cann.aclrtMalloc(outputByteSize)
    for device, host in zip(devices, hosts, strict=True):
        cann.aclrtMemcpy(device, inputByteSize, host, inputByteSize, cann.ACL_MEMCPY_HOST_TO_DEVICE)
    pipe_barrier_custom[1, None, None](*devices, dstDevice)
    cann.aclrtMemcpy(
        dstHost, outputByteSize, dstDevice, outputByteSize, cann.ACL_MEMCPY_DEVICE_TO_HOST
    )
    src0, src1, _ = hosts
    total = src0 + src1
    return Result(dstHost, np.concatenate([total, total * src0]).astype(np.float64))
