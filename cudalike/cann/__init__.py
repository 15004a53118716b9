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

from cudalike.cann import cross_core, errors, framework
from cudalike.cann.atomics import SetAtomicAdd, SetAtomicMax, SetAtomicMin, SetAtomicNone
from cudalike.cann.buffers import QuePosition, TBuf, TPipe, TPosition, TQue
from cudalike.cann.cast import Cast, RoundMode
from cudalike.cann.cmpmask import GetCmpMask, SetCmpMask
from cudalike.cann.compare import CMPMODE, SELMODE, Compare, Compares, CompareScalar, Select
from cudalike.cann.copy import (
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    DataCopyPadExtParams,
    DataCopyPadParams,
    DataCopyParams,
    SetPadValue,
)
from cudalike.cann.cross_core import *  # noqa: F403 - mixed kernels, cross-core flags
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
from cudalike.cann.debug_print import PRINTF, DumpAccChkPoint, DumpTensor, ShapeInfo, printf
from cudalike.cann.dtypes import (
    bfloat16,
    bfloat16_t,
    float,
    float16,
    float32,
    from_bfloat16,
    half,
    int8,
    int16,
    int32,
    int64,
    to_bfloat16,
    uint8,
    uint16,
    uint32,
    uint64,
)
from cudalike.cann.events import (
    EVENT_ID0,
    EVENT_ID1,
    EVENT_ID2,
    EVENT_ID3,
    EVENT_ID4,
    EVENT_ID5,
    EVENT_ID6,
    EVENT_ID7,
    GetTPipePtr,
)
from cudalike.cann.fixpipe import Fixpipe
from cudalike.cann.framework import *  # noqa: F403 - tiling structs, keys, host tilings
from cudalike.cann.gather_mask import GatherMask, GatherMaskParams
from cudalike.cann.gm import GlobalTensor, GmAddr, InitGlobalMemory
from cudalike.cann.high_level import LayerNorm, SoftMax, Sum
from cudalike.cann.host import (
    ACL_MEMCPY_DEVICE_TO_DEVICE,
    ACL_MEMCPY_DEVICE_TO_HOST,
    ACL_MEMCPY_HOST_TO_DEVICE,
    ACL_MEMCPY_HOST_TO_HOST,
    aclrtFree,
    aclrtMalloc,
    aclrtMallocAlign32,
    aclrtMemcpy,
    device_empty,
    to_device,
    to_host,
)
from cudalike.cann.launch import CannKernel, GetBlockIdx, GetBlockNum, kernel
from cudalike.cann.local import LocalTensor
from cudalike.cann.local_address import Hardware, LocalMemAllocator
from cudalike.cann.masks import (
    MASK_PLACEHOLDER,
    MASK_PLACEHOLDER_LIST,
    AscendCUtils,
    MaskMode,
    ResetMask,
    SetMaskCount,
    SetMaskNorm,
    SetVectorMask,
)
from cudalike.cann.matmul import REGIST_MATMUL_OBJ, Matmul, TCubeTiling, matmul_tiling
from cudalike.cann.multicore import SyncAll
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
    RepeatReduceSum,
    WholeReduceMax,
    WholeReduceMin,
    WholeReduceSum,
    vcadd,
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
    QUE_MAX_EVENT,
    HardEvent,
    PipeBarrier,
    SetFlag,
    WaitFlag,
    set_flag,
    wait_flag,
)
from cudalike.cann.system import (
    AIC,
    AIV,
    KERNEL_TYPE_AIC_ONLY,
    KERNEL_TYPE_AIV_ONLY,
    KERNEL_TYPE_MIX_AIC_1_0,
    KERNEL_TYPE_MIX_AIC_1_1,
    KERNEL_TYPE_MIX_AIC_1_2,
    KERNEL_TYPE_MIX_AIV_1_0,
    GetSystemCycle,
    InitSocState,
    ascendc_assert,
    core_type,
)
from cudalike.cann.vector import (
    Abs,
    Add,
    AddRelu,
    Adds,
    Div,
    Duplicate,
    Exp,
    LeakyRelu,
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
from cudalike.cann.vector_axpy import Axpy
from cudalike.cann.vector_repeat import BinaryRepeatParams, UnaryRepeatParams

# snake_case aliases for learners who prefer Python's spelling.
get_block_idx = GetBlockIdx
get_block_num = GetBlockNum
data_copy = DataCopy
data_copy_pad = DataCopyPad

__all__ = [
    "ASCEND_IS_AIC",  # noqa: F405 - the three globals come from __getattr__ below
    "ASCEND_IS_AIV",  # noqa: F405
    "g_coreType",  # noqa: F405
    "ShapeInfo",
    "PRINTF",
    "DumpAccChkPoint",
    "DumpTensor",
    "printf",
    "AIC",
    "AIV",
    "KERNEL_TYPE_AIC_ONLY",
    "KERNEL_TYPE_AIV_ONLY",
    "KERNEL_TYPE_MIX_AIC_1_0",
    "KERNEL_TYPE_MIX_AIC_1_1",
    "KERNEL_TYPE_MIX_AIC_1_2",
    "KERNEL_TYPE_MIX_AIV_1_0",
    "ascendc_assert",
    "LayerNorm",
    "SoftMax",
    "Sum",
    "EVENT_ID0",
    "EVENT_ID1",
    "EVENT_ID2",
    "EVENT_ID3",
    "EVENT_ID4",
    "EVENT_ID5",
    "EVENT_ID6",
    "EVENT_ID7",
    "GetSystemCycle",
    "GetTPipePtr",
    "InitSocState",
    "QUE_MAX_EVENT",
    "SyncAll",
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
    "DataCopyPadParams",
    "DataCopyParams",
    "Div",
    "Duplicate",
    "Exp",
    "GetBlockIdx",
    "GetCmpMask",
    "GetBlockNum",
    "GlobalTensor",
    "GmAddr",
    "HardEvent",
    "InitGlobalMemory",
    "Ln",
    "LocalTensor",
    "Hardware",
    "LocalMemAllocator",
    "SetPadValue",
    "AscendCUtils",
    "GatherMask",
    "GatherMaskParams",
    "AddRelu",
    "Axpy",
    "Compares",
    "LeakyRelu",
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
    "RepeatReduceSum",
    "ReduceSum",
    "Relu",
    "RoundMode",
    "Rsqrt",
    "Select",
    "SetCmpMask",
    "SetFlag",
    "Sqrt",
    "Sub",
    "TBuf",
    "TPipe",
    "TPosition",
    "TQue",
    "UnaryRepeatParams",
    "WaitFlag",
    "set_flag",
    "wait_flag",
    "WholeReduceMax",
    "WholeReduceMin",
    "WholeReduceSum",
    "vcadd",
    "aclrtFree",
    "aclrtMalloc",
    "aclrtMallocAlign32",
    "aclrtMemcpy",
    "data_copy",
    "data_copy_pad",
    "device_empty",
    "errors",
    "bfloat16",
    "bfloat16_t",
    "float",
    "from_bfloat16",
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
    "to_bfloat16",
    "to_host",
    "uint16",
    "uint32",
    "uint64",
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
    *framework.__all__,
    *cross_core.__all__,
]


def __getattr__(name: str):
    """The running core's type, read as Ascend C's globals: `g_coreType`, `ASCEND_IS_AIV`,
    `ASCEND_IS_AIC` (evaluated per core, so `if cann.ASCEND_IS_AIC: return` ports as is)."""
    if name == "g_coreType":
        return core_type()
    if name == "ASCEND_IS_AIV":
        return core_type() == AIV
    if name == "ASCEND_IS_AIC":
        return core_type() == AIC
    raise AttributeError(f"module 'cudalike.cann' has no attribute {name!r}")
