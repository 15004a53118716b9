"""Per-column parameters (gamma, beta) loaded once per block into UB as float."""

from __future__ import annotations

from cudalike.cann import (
    Cast,
    DataCopyExtParams,
    DataCopyPad,
    GlobalTensor,
    RoundMode,
    TPosition,
    TQue,
)


def load_row_params(kernel, gms, first_scratch: int) -> list:
    """Copy each GM vector of `gms` (cols elements) into UB once; return float tensors.

    Each vector goes GM -> UB through its own VECIN queue (EnQue/DeQue synchronise MTE2 with
    V) and stays dequeued for the whole block; halves are widened into float scratch rows
    `first_scratch`, `first_scratch + 1`...
    """
    tensors = []
    for index, gm in enumerate(gms):
        tensor = GlobalTensor(kernel.dtype)
        tensor.SetGlobalBuffer(gm.cast(kernel.dtype), kernel.cols)
        queue = TQue(TPosition.VECIN, 1)
        kernel.pipe.InitBuffer(queue, 1, kernel.colsAligned * kernel.dtype.itemsize)
        local = queue.AllocTensor(kernel.dtype)
        params = DataCopyExtParams(1, kernel.cols * kernel.dtype.itemsize, 0, 0, 0)
        DataCopyPad(local, tensor, params)
        queue.EnQue(local)
        local = queue.DeQue(kernel.dtype)
        if kernel.dtype.itemsize == 4:
            tensors.append(local)
        else:
            widened = kernel.Scratch(first_scratch + index)
            Cast(widened, local, RoundMode.CAST_NONE, kernel.cols)
            tensors.append(widened)
    return tensors
