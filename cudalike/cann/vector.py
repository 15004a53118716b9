"""Vector instructions: first-n `Add(dst, src0, src1, count)` and the repeat form.

The repeat form is `Add(dst, src0, src1, mask, repeatTimes, BinaryRepeatParams(...))` (see
vector_repeat.py for the lane layout, masks and strides); both forms share one numpy body per
op and one cost per 256-byte repeat.

Each op is one numpy body computing in the operands' own type (halves round to half after
every instruction, as the hardware does), and one cost: a fixed per-instruction overhead plus
cycles per 256-byte repeat (see the profile). Op semantics and their cost class sit together
in the tables below; `_run` is the one path they all take.
"""

from __future__ import annotations

import math

import numpy as np

from cudalike.cann import _context, errors, masks, ub_banks, vector_repeat
from cudalike.cann.dtypes import FLOATS, is_bfloat16, to_bfloat16
from cudalike.cann.local import LocalTensor, access
from cudalike.i18n import _

F32 = np.float32


# The hardware overflows to inf and divides by zero silently; so do we.
def _quiet() -> np.errstate:
    return np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore")


def _precise(fn):
    """Compute in fp32 and round once to the operand type (Exp, Ln, Sqrt... on halves)."""
    return lambda x: fn(x.astype(F32)) if x.dtype == np.float16 else fn(x)


# name -> (numpy body, cost class, floats only)
def _add_relu(a: np.ndarray, b: np.ndarray, out=None) -> np.ndarray:
    """max(a + b, 0), the sum rounded to the operands' type first."""
    total = np.add(a, b, out=out)
    return np.maximum(total, total.dtype.type(0), out=total)


def _leaky_relu(x: np.ndarray, slope, out=None) -> np.ndarray:
    """x where x >= 0, else x * slope, in x's type."""
    result = np.where(x >= 0, x, x * slope).astype(x.dtype)
    if out is None:
        return result
    out[...] = result
    return out


BINARY = {
    "Add": (np.add, "binary", False),
    "Sub": (np.subtract, "binary", False),
    "Mul": (np.multiply, "binary", False),
    "Div": (np.divide, "divide", True),
    "Max": (np.maximum, "binary", False),
    "Min": (np.minimum, "binary", False),
    "AddRelu": (_add_relu, "binary", False),
}
SCALAR = {
    "Adds": (np.add, "unary"),
    "Muls": (np.multiply, "unary"),
    "Maxs": (np.maximum, "unary"),
    "Mins": (np.minimum, "unary"),
    "LeakyRelu": (_leaky_relu, "unary"),
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
    """Vector pipe cycles of one first-n instruction over `count` elements of `itemsize` bytes."""
    repeats = math.ceil(count * itemsize / core.profile.vector_repeat_bytes)
    return repeat_cycles(core, cost, repeats, itemsize)


def repeat_cycles(core: _context.CoreContext, cost: str, repeats: int, itemsize: int) -> float:
    """Vector pipe cycles of one instruction of `repeats` 256-byte repeats (any mask)."""
    return core.profile.vector_overhead_cycles + repeats * per_repeat_cycles(core, cost, itemsize)


def per_repeat_cycles(core: _context.CoreContext, cost: str, itemsize: int) -> float:
    """Cycles one 256-byte repeat of cost class `cost` takes with no UB bank conflict."""
    profile = core.profile
    return {
        "unary": profile.vector_cycles_per_repeat,
        "binary": profile.vector_binary_cycles_per_repeat,
        "divide": profile.vector_divide_cycles_per_repeat,
        "reduce": profile.vector_binary_cycles_per_repeat * profile.vector_reduce_factor,
        "transcendental": max(
            profile.vector_cycles_per_repeat,
            profile.vector_transcendental_cycles_per_element
            * profile.vector_repeat_bytes
            / itemsize,
        ),
    }[cost]


def _run(
    name: str,
    dst: LocalTensor,
    sources: tuple,
    count,
    cost: str,
    floats_only: bool = False,
    dst_count: int | None = None,
    dst_align: int = 32,
) -> list[np.ndarray]:
    """Check operands, issue the instruction to V, and return the views to compute on."""
    core = _context.current(name)
    count = int(count)
    dst_count = count if dst_count is None else dst_count
    check_operands(name, dst, sources, floats_only, dst_align)
    for tensor in (dst, *sources):
        wanted = dst_count if tensor is dst else count
        if not 0 < wanted <= tensor.length:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                _("{name} of {wanted} elements on a LocalTensor of {length}").format(
                    name=name, wanted=wanted, length=tensor.length
                ),
                _("count must be positive and fit in every operand"),
                pipe="V",
            )
    itemsize = max(t.dtype.itemsize for t in (dst, *sources))
    pace = per_repeat_cycles(core, cost, itemsize)
    queued = ub_banks.first_n_conflicts(
        core.profile, pace, dst, sources, count, dst_count, itemsize
    )
    total = cycles(core, cost, count, itemsize)
    access(core, "V", total, name, reads=sources, writes=(dst,), bank_conflict=queued)
    masks.after_first_n(core)
    return [dst.array[:dst_count], *(t.array[:count] for t in sources)]


def check_operands(
    name: str, dst: LocalTensor, sources: tuple, floats_only: bool, dst_align: int = 32
) -> None:
    """Raise unless every operand is a UB LocalTensor starting on 32 bytes (dst on
    `dst_align`: reductions write single results, e.g. 4 bytes for half) and a float if
    `floats_only`."""
    for tensor in (dst, *sources):
        if not isinstance(tensor, LocalTensor):
            raise TypeError(f"{name} works on LocalTensors in UB, got {type(tensor).__name__}")
        if tensor.slot.store.name != "UB":
            raise _context.error(
                errors.InstructionError,
                _("{name} operand lives in {store}; vector instructions work on UB only").format(
                    name=name, store=tensor.slot.store.name
                ),
                pipe="V",
            )
        align = dst_align if tensor is dst else 32
        if tensor.byte_offset % align:
            raise _context.error(
                errors.AlignmentError,
                f"{name} {'dst' if tensor is dst else 'operand'} starts at UB byte "
                f"{tensor.byte_offset}, not a multiple of {align}",
                "slice local tensors at multiples of 32 bytes (16 halves, 8 floats)"
                if align == 32
                else f"{name} writes its result at multiples of {align} bytes",
                pipe="V",
            )
    if floats_only and dst.dtype not in FLOATS:
        raise _context.error(
            errors.InstructionError,
            _("{name} takes half or float, not {dtype}").format(name=name, dtype=dst.dtype),
            pipe="V",
        )


def _run_repeat(
    name: str,
    dst: LocalTensor,
    sources: tuple,
    mask,
    repeat_times,
    strides: list[tuple[int, int]],
    cost: str,
    floats_only: bool = False,
    is_set_mask: bool = True,
    extra_reads: tuple = (),
) -> vector_repeat.Plan:
    """The repeat/mask/stride form: check, issue to V, and plan the repeats.

    `strides` holds (block stride, repeat stride) for dst then each source, in 32-byte blocks;
    `extra_reads` are further tensors the instruction reads (Select's mask).
    """
    core = _context.current(name)
    check_operands(name, dst, sources, floats_only)
    tensors = (dst, *sources)
    widest = max((t.dtype for t in tensors), key=lambda d: d.itemsize)
    lanes, repeats, tail = vector_repeat.resolve_mask(
        name, core, mask, repeat_times, widest, is_set_mask
    )
    roles = ("dst", *(f"src{i}" for i in range(len(sources))))
    at = [
        vector_repeat.lane_indices(name, tensor, lanes, repeats, *stride, role, tail)
        for tensor, stride, role in zip(tensors, strides, roles, strict=True)
    ]
    pace = per_repeat_cycles(core, cost, widest.itemsize)
    queued = ub_banks.repeat_conflicts(core.profile, pace, tensors, at, tail)
    access(
        core,
        "V",
        repeat_cycles(core, cost, repeats, widest.itemsize),
        name,
        reads=(*sources, *extra_reads),
        writes=(dst,),
        bank_conflict=queued,
    )
    return vector_repeat.Plan(at, tail, vector_repeat.needs_order(tensors, at), lanes)


def _same_type(name: str, *tensors: LocalTensor) -> None:
    """Raise unless the operands share one type that arithmetic takes (not bfloat16)."""
    if any(is_bfloat16(t.dtype) for t in tensors):
        raise _context.error(
            errors.InstructionError,
            f"{name} does not take bfloat16 on this generation (half, float, int16, int32)",
            "Cast to float (CAST_NONE), compute, and Cast back (CAST_RINT)",
            pipe="V",
        )
    if len({t.dtype for t in tensors}) > 1:
        raise _context.error(
            errors.InstructionError,
            f"{name} needs one element type, got {', '.join(str(t.dtype) for t in tensors)}",
            "convert with Cast first",
            pipe="V",
        )


def _form(name: str, args: tuple, first_n: str, repeat: str) -> bool:
    """True for the repeat form (mask, repeatTimes, params), False for first-n (count)."""
    if len(args) == 1:
        return False
    if len(args) == 3:
        return True
    raise TypeError(f"{name} takes {first_n} or {repeat}")


def _binary(name: str):
    body, cost, floats_only = BINARY[name]

    def op(
        dst: LocalTensor, src0: LocalTensor, src1: LocalTensor, *args, isSetMask: bool = True
    ) -> None:
        _same_type(name, dst, src0, src1)
        if _form(
            name,
            args,
            "(dst, src0, src1, count)",
            "(dst, src0, src1, mask, repeatTimes, BinaryRepeatParams)",
        ):
            mask, repeat_times, params = args
            sources = (src0, src1)
            plan = _run_repeat(
                name,
                dst,
                sources,
                mask,
                repeat_times,
                params.strides(),
                cost,
                floats_only,
                isSetMask,
            )
            vector_repeat.execute(plan, dst, sources, body)
            return
        out, a, b = _run(name, dst, (src0, src1), args[0], cost, floats_only)
        with _quiet():
            body(a, b, out=out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (
        f"dst[i] = {name}(src0[i], src1[i]) in the operands' type: for i < count, or over "
        "the lanes of (mask, repeatTimes, BinaryRepeatParams)."
    )
    return op


def _scalar(name: str):
    body, cost = SCALAR[name]

    def op(dst: LocalTensor, src: LocalTensor, scalar, *args, isSetMask: bool = True) -> None:
        _same_type(name, dst, src)
        value = dst.dtype.type(scalar)
        if _form(
            name,
            args,
            "(dst, src, scalar, count)",
            "(dst, src, scalar, mask, repeatTimes, UnaryRepeatParams)",
        ):
            mask, repeat_times, params = args
            plan = _run_repeat(
                name, dst, (src,), mask, repeat_times, params.strides(), cost, False, isSetMask
            )
            vector_repeat.execute(plan, dst, (src,), lambda values: body(values, value))
            return
        out, a = _run(name, dst, (src,), args[0], cost)
        with _quiet():
            body(a, value, out=out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (
        f"dst[i] = {name.removesuffix('s')}(src[i], scalar), scalar in dst's type: for i < "
        "count, or over the lanes of (mask, repeatTimes, UnaryRepeatParams)."
    )
    return op


def _unary(name: str):
    body, cost, floats_only = UNARY[name]

    def op(dst: LocalTensor, src: LocalTensor, *args, isSetMask: bool = True) -> None:
        _same_type(name, dst, src)
        if _form(
            name, args, "(dst, src, count)", "(dst, src, mask, repeatTimes, UnaryRepeatParams)"
        ):
            mask, repeat_times, params = args
            plan = _run_repeat(
                name,
                dst,
                (src,),
                mask,
                repeat_times,
                params.strides(),
                cost,
                floats_only,
                isSetMask,
            )
            vector_repeat.execute(plan, dst, (src,), body)
            return
        out, a = _run(name, dst, (src,), args[0], cost, floats_only)
        with _quiet():
            out[...] = body(a)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (
        f"dst[i] = {name}(src[i]) rounded to the operands' type: for i < count, or over the "
        "lanes of (mask, repeatTimes, UnaryRepeatParams)."
    )
    return op


Add, Sub, Mul, Div, Max, Min, AddRelu = (_binary(n) for n in BINARY)
Adds, Muls, Maxs, Mins, LeakyRelu = (_scalar(n) for n in SCALAR)
Exp, Ln, Abs, Sqrt, Rsqrt, Reciprocal, Relu = (_unary(n) for n in UNARY)


def Duplicate(dst: LocalTensor, scalar, *args, isSetMask: bool = True) -> None:
    """dst[i] = scalar: `Duplicate(dst, scalar, count)` or `Duplicate(dst, scalar, mask,
    repeatTimes, dstBlockStride, dstRepeatStride)` (strides in 32-byte blocks)."""
    value = to_bfloat16(scalar)[()] if is_bfloat16(dst.dtype) else dst.dtype.type(scalar)
    if len(args) == 4:
        mask, repeat_times, block_stride, repeat_stride = args
        strides = [(block_stride, repeat_stride)]
        plan = _run_repeat(
            "Duplicate", dst, (), mask, repeat_times, strides, "unary", False, isSetMask
        )
        vector_repeat.execute(plan, dst, (), lambda: value)
        return
    if len(args) != 1:
        raise TypeError(
            "Duplicate takes (dst, scalar, count) or (dst, scalar, mask, repeatTimes, "
            "dstBlockStride, dstRepeatStride)"
        )
    (out,) = _run("Duplicate", dst, (), args[0], "unary")
    out[...] = value
