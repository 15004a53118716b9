"""cudalike.cann: Ascend C's programming model in Python, with a pipe-level NPU timing model.

    from cudalike import cann

    @cann.kernel
    def add_custom(x, y, z, tiling):
        op = KernelAdd()          # TPipe, TQue, GlobalTensor... as in Ascend C
        op.Init(x, y, z, tiling)
        op.Process()

    add_custom[8](x, y, z, tiling)

Names follow Ascend C (camelCase is the contract here); docs/cann.md lists the differences.
Inside `profiler.profile()` each launch leaves a PipeLaunchRecord with the pipe timeline.
"""

from cudalike.cann import errors
from cudalike.cann.atomics import SetAtomicAdd, SetAtomicMax, SetAtomicMin, SetAtomicNone
from cudalike.cann.buffers import QuePosition, TBuf, TPipe, TPosition, TQue
from cudalike.cann.cast import Cast, RoundMode
from cudalike.cann.compare import CMPMODE, SELMODE, Compare, CompareScalar, Select
from cudalike.cann.copy import (
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    DataCopyPadExtParams,
    DataCopyParams,
)
from cudalike.cann.cube import (
    CFG_NZ,
    CFG_ROW_MAJOR,
    FixpipeParams,
    FixpipeParamsV220,
    LoadData,
    LoadData2DParams,
    LoadData2DParamsV2,
    Mmad,
    MmadParams,
    Nd2NzParams,
    QuantMode_t,
)
from cudalike.cann.dtypes import (
    float,
    float16,
    float32,
    half,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
)
from cudalike.cann.fixpipe import Fixpipe
from cudalike.cann.gm import GlobalTensor, GmAddr
from cudalike.cann.host import (
    ACL_MEMCPY_DEVICE_TO_DEVICE,
    ACL_MEMCPY_DEVICE_TO_HOST,
    ACL_MEMCPY_HOST_TO_DEVICE,
    ACL_MEMCPY_HOST_TO_HOST,
    aclrtFree,
    aclrtMalloc,
    aclrtMemcpy,
    device_empty,
    to_device,
    to_host,
)
from cudalike.cann.launch import CannKernel, GetBlockIdx, GetBlockNum, kernel
from cudalike.cann.local import LocalTensor
from cudalike.cann.masks import (
    MASK_PLACEHOLDER,
    MASK_PLACEHOLDER_LIST,
    MaskMode,
    ResetMask,
    SetMaskCount,
    SetMaskNorm,
    SetVectorMask,
)
from cudalike.cann.matmul import REGIST_MATMUL_OBJ, Matmul, TCubeTiling, matmul_tiling
from cudalike.cann.reduce import (
    BlockReduceMax,
    BlockReduceMin,
    BlockReduceSum,
    PairReduceSum,
    ReduceDataBlockMax,
    ReduceDataBlockMin,
    ReduceDataBlockSum,
    ReduceOrder,
    ReduceRepeatMax,
    ReduceRepeatMin,
    ReduceRepeatSum,
    WholeReduceMax,
    WholeReduceMin,
    WholeReduceSum,
)
from cudalike.cann.reduce_all import ReduceMax, ReduceMin, ReduceSum
from cudalike.cann.sync import (
    PIPE_ALL,
    PIPE_FIX,
    PIPE_M,
    PIPE_MTE1,
    PIPE_MTE2,
    PIPE_MTE3,
    PIPE_S,
    PIPE_V,
    HardEvent,
    PipeBarrier,
    SetFlag,
    WaitFlag,
)
from cudalike.cann.vector import (
    Abs,
    Add,
    Adds,
    Div,
    Duplicate,
    Exp,
    Ln,
    Max,
    Maxs,
    Min,
    Mins,
    Mul,
    Muls,
    Reciprocal,
    Relu,
    Rsqrt,
    Sqrt,
    Sub,
)
from cudalike.cann.vector_repeat import BinaryRepeatParams, UnaryRepeatParams

# snake_case aliases for learners who prefer Python's spelling.
get_block_idx = GetBlockIdx
get_block_num = GetBlockNum
data_copy = DataCopy
data_copy_pad = DataCopyPad

__all__ = [
    "ACL_MEMCPY_DEVICE_TO_DEVICE",
    "ACL_MEMCPY_DEVICE_TO_HOST",
    "ACL_MEMCPY_HOST_TO_DEVICE",
    "ACL_MEMCPY_HOST_TO_HOST",
    "CMPMODE",
    "MASK_PLACEHOLDER",
    "MASK_PLACEHOLDER_LIST",
    "MaskMode",
    "ResetMask",
    "SetMaskCount",
    "SetMaskNorm",
    "SetVectorMask",
    "PIPE_ALL",
    "PIPE_FIX",
    "PIPE_M",
    "PIPE_MTE1",
    "PIPE_MTE2",
    "PIPE_MTE3",
    "PIPE_S",
    "PIPE_V",
    "SELMODE",
    "Abs",
    "Add",
    "Adds",
    "BinaryRepeatParams",
    "BlockReduceMax",
    "BlockReduceMin",
    "BlockReduceSum",
    "CannKernel",
    "Cast",
    "Compare",
    "CompareScalar",
    "DataCopy",
    "DataCopyExtParams",
    "DataCopyPad",
    "DataCopyPadExtParams",
    "DataCopyParams",
    "Div",
    "Duplicate",
    "Exp",
    "GetBlockIdx",
    "GetBlockNum",
    "GlobalTensor",
    "GmAddr",
    "HardEvent",
    "Ln",
    "LocalTensor",
    "Max",
    "Maxs",
    "Min",
    "Mins",
    "Mul",
    "Muls",
    "PairReduceSum",
    "PipeBarrier",
    "QuePosition",
    "Reciprocal",
    "ReduceDataBlockMax",
    "ReduceDataBlockMin",
    "ReduceDataBlockSum",
    "ReduceMax",
    "ReduceMin",
    "ReduceOrder",
    "ReduceRepeatMax",
    "ReduceRepeatMin",
    "ReduceRepeatSum",
    "ReduceSum",
    "Relu",
    "RoundMode",
    "Rsqrt",
    "Select",
    "SetFlag",
    "Sqrt",
    "Sub",
    "TBuf",
    "TPipe",
    "TPosition",
    "TQue",
    "UnaryRepeatParams",
    "WaitFlag",
    "WholeReduceMax",
    "WholeReduceMin",
    "WholeReduceSum",
    "aclrtFree",
    "aclrtMalloc",
    "aclrtMemcpy",
    "data_copy",
    "data_copy_pad",
    "device_empty",
    "errors",
    "float",
    "float16",
    "float32",
    "get_block_idx",
    "get_block_num",
    "half",
    "int16",
    "int32",
    "int64",
    "int8",
    "kernel",
    "to_device",
    "to_host",
    "uint16",
    "uint32",
    "uint8",
    "CFG_NZ",
    "CFG_ROW_MAJOR",
    "Fixpipe",
    "FixpipeParams",
    "FixpipeParamsV220",
    "LoadData",
    "LoadData2DParams",
    "LoadData2DParamsV2",
    "SetAtomicAdd",
    "SetAtomicMax",
    "SetAtomicMin",
    "SetAtomicNone",
    "Matmul",
    "Mmad",
    "MmadParams",
    "Nd2NzParams",
    "QuantMode_t",
    "REGIST_MATMUL_OBJ",
    "TCubeTiling",
    "matmul_tiling",
]
