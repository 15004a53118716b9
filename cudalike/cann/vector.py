"""Vector instructions in the first-n form: `Add(dst, src0, src1, count)` and friends.

Each op is one numpy body computing in the operands' own type (halves round to half after
every instruction, as the hardware does), and one cost: a fixed per-instruction overhead plus
cycles per 256-byte repeat (see the profile). Op semantics and their cost class sit together
in the tables below; `_run` is the one path they all take.
"""

from __future__ import annotations

import math

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.dtypes import FLOATS
from cudalike.cann.local import LocalTensor, access

F32 = np.float32


# The hardware overflows to inf and divides by zero silently; so do we.
def _quiet() -> np.errstate:
    return np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore")


def _precise(fn):
    """Compute in fp32 and round once to the operand type (Exp, Ln, Sqrt... on halves)."""
    return lambda x: fn(x.astype(F32)) if x.dtype == np.float16 else fn(x)


# name -> (numpy body, cost class, floats only)
BINARY = {
    "Add": (np.add, "binary", False),
    "Sub": (np.subtract, "binary", False),
    "Mul": (np.multiply, "binary", False),
    "Div": (np.divide, "divide", True),
    "Max": (np.maximum, "binary", False),
    "Min": (np.minimum, "binary", False),
}
SCALAR = {
    "Adds": (np.add, "unary"),
    "Muls": (np.multiply, "unary"),
    "Maxs": (np.maximum, "unary"),
    "Mins": (np.minimum, "unary"),
}
UNARY = {
    "Exp": (_precise(np.exp), "transcendental", True),
    "Ln": (_precise(np.log), "transcendental", True),
    "Abs": (np.abs, "unary", False),
    "Sqrt": (_precise(np.sqrt), "transcendental", True),
    "Rsqrt": (_precise(lambda x: 1 / np.sqrt(x)), "transcendental", True),
    "Reciprocal": (_precise(lambda x: 1 / x), "divide", True),
    "Relu": (lambda x: np.maximum(x, x.dtype.type(0)), "unary", False),
}


def cycles(core: _context.CoreContext, cost: str, count: int, itemsize: int) -> float:
    """Vector pipe cycles of one instruction over `count` elements of `itemsize` bytes."""
    profile = core.profile
    repeats = math.ceil(count * itemsize / profile.vector_repeat_bytes)
    per_repeat = {
        "unary": profile.vector_cycles_per_repeat,
        "binary": profile.vector_binary_cycles_per_repeat,
        "divide": profile.vector_divide_cycles_per_repeat,
        "reduce": profile.vector_cycles_per_repeat * profile.vector_reduce_factor,
        "transcendental": max(
            profile.vector_cycles_per_repeat,
            profile.vector_transcendental_cycles_per_element
            * profile.vector_repeat_bytes
            / itemsize,
        ),
    }[cost]
    return profile.vector_overhead_cycles + repeats * per_repeat


def _run(
    name: str,
    dst: LocalTensor,
    sources: tuple,
    count,
    cost: str,
    floats_only: bool = False,
    dst_count: int | None = None,
) -> list[np.ndarray]:
    """Check operands, issue the instruction to V, and return the views to compute on."""
    core = _context.current(name)
    count = int(count)
    dst_count = count if dst_count is None else dst_count
    operands = (dst, *sources)
    for tensor in operands:
        wanted = dst_count if tensor is dst else count
        if not isinstance(tensor, LocalTensor):
            raise TypeError(f"{name} works on LocalTensors in UB, got {type(tensor).__name__}")
        if tensor.slot.store.name != "UB":
            raise _context.error(
                errors.InstructionError,
                f"{name} operand lives in {tensor.slot.store.name}; vector instructions "
                "work on UB only",
                pipe="V",
            )
        if tensor.byte_offset % 32:
            raise _context.error(
                errors.AlignmentError,
                f"{name} operand starts at UB byte {tensor.byte_offset}, not a multiple of 32",
                "slice local tensors at multiples of 32 bytes (16 halves, 8 floats)",
                pipe="V",
            )
        if not 0 < wanted <= tensor.length:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                f"{name} of {wanted} elements on a LocalTensor of {tensor.length}",
                "count must be positive and fit in every operand",
                pipe="V",
            )
    if floats_only and dst.dtype not in FLOATS:
        raise _context.error(
            errors.InstructionError, f"{name} takes half or float, not {dst.dtype}", pipe="V"
        )
    itemsize = max(t.dtype.itemsize for t in operands)
    access(core, "V", cycles(core, cost, count, itemsize), name, reads=sources, writes=(dst,))
    return [dst.array[:dst_count], *(t.array[:count] for t in sources)]


def _same_type(name: str, *tensors: LocalTensor) -> None:
    if len({t.dtype for t in tensors}) > 1:
        raise _context.error(
            errors.InstructionError,
            f"{name} needs one element type, got {', '.join(str(t.dtype) for t in tensors)}",
            "convert with Cast first",
            pipe="V",
        )


def _binary(name: str):
    body, cost, floats_only = BINARY[name]

    def op(dst: LocalTensor, src0: LocalTensor, src1: LocalTensor, count: int) -> None:
        _same_type(name, dst, src0, src1)
        out, a, b = _run(name, dst, (src0, src1), count, cost, floats_only)
        with _quiet():
            body(a, b, out=out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"dst[i] = {name}(src0[i], src1[i]) for i < count, in the operands' type."
    return op


def _scalar(name: str):
    body, cost = SCALAR[name]

    def op(dst: LocalTensor, src: LocalTensor, scalar, count: int) -> None:
        _same_type(name, dst, src)
        out, a = _run(name, dst, (src,), count, cost)
        with _quiet():
            body(a, dst.dtype.type(scalar), out=out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"dst[i] = {name[:-1]}(src[i], scalar) for i < count; scalar in dst's type."
    return op


def _unary(name: str):
    body, cost, floats_only = UNARY[name]

    def op(dst: LocalTensor, src: LocalTensor, count: int) -> None:
        _same_type(name, dst, src)
        out, a = _run(name, dst, (src,), count, cost, floats_only)
        with _quiet():
            out[...] = body(a)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"dst[i] = {name}(src[i]) for i < count, rounded to the operands' type."
    return op


Add, Sub, Mul, Div, Max, Min = (_binary(n) for n in BINARY)
Adds, Muls, Maxs, Mins = (_scalar(n) for n in SCALAR)
Exp, Ln, Abs, Sqrt, Rsqrt, Reciprocal, Relu = (_unary(n) for n in UNARY)


def Duplicate(dst: LocalTensor, scalar, count: int) -> None:
    """dst[i] = scalar for i < count."""
    (out,) = _run("Duplicate", dst, (), count, "unary")
    out[...] = dst.dtype.type(scalar)


def ReduceSum(dst: LocalTensor, src: LocalTensor, work: LocalTensor, count: int) -> None:
    """dst[0] = sum of src[:count], added pairwise in the operand type (a tree, as the
    hardware's per-repeat reductions are). `work` is the scratch the hardware needs.

    Differences: the order of additions is a balanced tree; the hardware's order may round
    halves differently in the last bit.
    """
    _reduce("ReduceSum", np.add, dst, src, work, count)


def ReduceMax(dst: LocalTensor, src: LocalTensor, work: LocalTensor, count: int) -> None:
    """dst[0] = max of src[:count] (the index output, calIndex, is not supported)."""
    _reduce("ReduceMax", np.maximum, dst, src, work, count)


def ReduceMin(dst: LocalTensor, src: LocalTensor, work: LocalTensor, count: int) -> None:
    """dst[0] = min of src[:count] (the index output, calIndex, is not supported)."""
    _reduce("ReduceMin", np.minimum, dst, src, work, count)


def _reduce(name, body, dst, src, work, count) -> None:
    _same_type(name, dst, src, work)
    out, values = _run(name, dst, (src,), count, "reduce", dst_count=1)
    values = values.copy()
    while len(values) > 1:
        if len(values) % 2:
            filler = np.zeros(1, values.dtype) if body is np.add else values[-1:]
            values = np.concatenate([values, filler])
        values = body(values[0::2], values[1::2])
    out[0] = values[0]
