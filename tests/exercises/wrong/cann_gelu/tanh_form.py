"""Correct, but the literal tanh form, tanh built from Exp: 13 instructions per tile."""

# expect: limited by the vector unit
# expect: count them
from cudalike import cann
from cudalike.cann import (
    Adds,
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    Div,
    Exp,
    GetBlockIdx,
    GlobalTensor,
    Mul,
    Muls,
    TBuf,
    TPipe,
    TPosition,
    TQue,
)

BUFFER_NUM = 2
SQRT_8_OVER_PI = 1.5957691216057308


class KernelGelu:
    def Init(self, x, y, tiling):
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x.cast(cann.float32) + start, self.blockLength)
        self.yGm.SetGlobalBuffer(y.cast(cann.float32) + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueY = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.tmpBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.tmpBuf, self.tileLength * 4)

    def Process(self):
        loopCount = (self.blockLength + self.tileLength - 1) // self.tileLength
        for i in range(loopCount):
            offset = i * self.tileLength
            length = min(self.tileLength, self.blockLength - offset)
            self.CopyIn(offset, length)
            self.Compute(length)
            self.CopyOut(offset, length)

    def CopyIn(self, offset, length):
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        self.Move(xLocal, self.xGm[offset], length)
        self.inQueueX.EnQue(xLocal)

    def Compute(self, length):
        xLocal = self.inQueueX.DeQue(cann.float32)
        yLocal = self.outQueueY.AllocTensor(cann.float32)
        u = self.tmpBuf.Get(cann.float32)
        Mul(u, xLocal, xLocal, length)
        Muls(u, u, 0.044715, length)
        Adds(u, u, 1.0, length)
        Mul(u, u, xLocal, length)
        Muls(u, u, SQRT_8_OVER_PI, length)  # 2t, t = sqrt(2 / pi) * u
        Exp(u, u, length)  # e = exp(2t)
        Adds(yLocal, u, 1.0, length)  # e + 1
        Adds(u, u, -1.0, length)  # e - 1
        Div(u, u, yLocal, length)  # tanh(t) = (e - 1) / (e + 1)
        Adds(u, u, 1.0, length)
        Mul(u, u, xLocal, length)
        Muls(yLocal, u, 0.5, length)
        self.outQueueY.EnQue(yLocal)
        self.inQueueX.FreeTensor(xLocal)

    def CopyOut(self, offset, length):
        yLocal = self.outQueueY.DeQue(cann.float32)
        self.Move(self.yGm[offset], yLocal, length)
        self.outQueueY.FreeTensor(yLocal)

    def Move(self, dst, src, length):
        if length * 4 % 32 == 0:
            DataCopy(dst, src, length)
        else:
            DataCopyPad(dst, src, DataCopyExtParams(1, length * 4, 0, 0, 0))


@cann.kernel
def gelu_custom(x, y, tiling):
    op = KernelGelu()
    op.Init(x, y, tiling)
    op.Process()
