"""The element-wise kernel skeleton shared by mul, axpy, relu, silu and cast.

Each block takes a contiguous share of the elements (a multiple of 32 bytes, the last block
what remains) and walks it tile by tile in the canonical three stages: CopyIn (GM -> UB on
MTE2, EnQue), Compute (DeQue, vector instructions on V, EnQue), CopyOut (DeQue, UB -> GM on
MTE3). With bufferNum = 2 every queue has two buffers, so the copies of one tile overlap the
compute of the next. Ragged tails: the last tile of a block may be short, and a tail that is
not a multiple of 32 bytes moves with DataCopyPad. Subclasses write `Compute` only.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike.cann import (
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    TPipe,
    TPosition,
    TQue,
)

ALIGN = 32  # bytes: DataCopy moves whole 32-byte blocks; UB addresses are 32-byte aligned


@dataclasses.dataclass
class ElementwiseTilingData:
    """What the host tells every block of an element-wise kernel.

    Attributes:
        totalLength: elements in each operand.
        blockLength: elements per block (the last block may have fewer).
        tileLength: elements per tile, a multiple of 32 bytes of every operand type.
        bufferNum: buffers per queue: 2 for double buffering.
    """

    totalLength: int
    blockLength: int
    tileLength: int
    bufferNum: int = 2


def elementwise_tiling(
    total_length: int, num_blocks: int, tile_length: int, buffer_num: int, itemsize: int
) -> tuple[int, ElementwiseTilingData]:
    """Host tiling: (numBlocks actually used, tiling) for `total_length` elements.

    `itemsize` is the smallest element size among the operands, so that block and tile
    boundaries fall on 32 bytes in every operand.

    Example:
        >>> elementwise_tiling(1000, 8, 256, 2, 2)[0]
        8
    """
    per_block = ALIGN // itemsize
    block_length = -(-total_length // num_blocks)
    block_length = -(-block_length // per_block) * per_block
    tile_length = min(-(-tile_length // per_block) * per_block, block_length)
    used_blocks = -(-total_length // block_length)
    return used_blocks, ElementwiseTilingData(total_length, block_length, tile_length, buffer_num)


def copy_in(local, gm: GlobalTensor, length: int) -> None:
    """GM -> UB: DataCopy for whole 32-byte blocks, DataCopyPad for a ragged tail."""
    nbytes = length * local.dtype.itemsize
    if nbytes % ALIGN == 0:
        DataCopy(local, gm, length)
    else:
        DataCopyPad(local, gm, DataCopyExtParams(1, nbytes, 0, 0, 0))


def copy_out(gm: GlobalTensor, local, length: int) -> None:
    """UB -> GM: DataCopy for whole 32-byte blocks, DataCopyPad for a ragged tail."""
    nbytes = length * local.dtype.itemsize
    if nbytes % ALIGN == 0:
        DataCopy(gm, local, length)
    else:
        DataCopyPad(gm, local, DataCopyExtParams(1, nbytes, 0, 0, 0))


class ElementwiseKernel:
    """Init / Process / CopyIn / Compute / CopyOut over tiles, as the vendor's samples.

    Subclasses implement `Compute(self, outLocal, inLocals, length)`.
    """

    def Init(self, inputs, output, tiling: ElementwiseTilingData, inTypes, outType):
        self.inTypes = [np.dtype(t) for t in inTypes]
        self.outType = np.dtype(outType)
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.inGm = []
        for gm, dtype in zip(inputs, self.inTypes, strict=True):
            tensor = GlobalTensor(dtype)
            tensor.SetGlobalBuffer(gm.cast(dtype) + start, self.blockLength)
            self.inGm.append(tensor)
        self.outGm = GlobalTensor(self.outType)
        self.outGm.SetGlobalBuffer(output.cast(self.outType) + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueues = [TQue(TPosition.VECIN, tiling.bufferNum) for _ in self.inTypes]
        self.outQueue = TQue(TPosition.VECOUT, tiling.bufferNum)
        for queue, dtype in zip(self.inQueues, self.inTypes, strict=True):
            self.pipe.InitBuffer(queue, tiling.bufferNum, self.tileLength * dtype.itemsize)
        self.pipe.InitBuffer(
            self.outQueue, tiling.bufferNum, self.tileLength * self.outType.itemsize
        )

    def Process(self):
        loopCount = -(-self.blockLength // self.tileLength)
        for i in range(loopCount):
            length = min(self.tileLength, self.blockLength - i * self.tileLength)
            self.CopyIn(i, length)
            self.ComputeTile(length)
            self.CopyOut(i, length)

    def CopyIn(self, progress, length):
        for queue, gm, dtype in zip(self.inQueues, self.inGm, self.inTypes, strict=True):
            local = queue.AllocTensor(dtype)
            copy_in(local, gm[progress * self.tileLength], length)
            queue.EnQue(local)

    def ComputeTile(self, length):
        inLocals = [q.DeQue(t) for q, t in zip(self.inQueues, self.inTypes, strict=True)]
        outLocal = self.outQueue.AllocTensor(self.outType)
        self.Compute(outLocal, inLocals, length)
        self.outQueue.EnQue(outLocal)
        for queue, local in zip(self.inQueues, inLocals, strict=True):
            queue.FreeTensor(local)

    def Compute(self, outLocal, inLocals, length):
        raise NotImplementedError("an element-wise kernel defines Compute")

    def CopyOut(self, progress, length):
        outLocal = self.outQueue.DeQue(self.outType)
        copy_out(self.outGm[progress * self.tileLength], outLocal, length)
        self.outQueue.FreeTensor(outLocal)


def run_elementwise(kernel, inputs, out_dtype, num_blocks, tile_length, buffer_num, *extra):
    """Host side: tile, launch `kernel[blocks](*inputs, out, tiling, *extra)`, return out."""
    inputs = [np.ascontiguousarray(x) for x in inputs]
    shape = inputs[0].shape
    if any(x.shape != shape for x in inputs):
        raise ValueError(f"operands differ in shape: {[x.shape for x in inputs]}")
    out = np.empty(shape, out_dtype)
    if out.size == 0:
        return out
    itemsize = min([x.dtype.itemsize for x in inputs] + [out.dtype.itemsize])
    blocks, tiling = elementwise_tiling(out.size, num_blocks, tile_length, buffer_num, itemsize)
    kernel[blocks](*inputs, out, tiling, *extra)
    return out
