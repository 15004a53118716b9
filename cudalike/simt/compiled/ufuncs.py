"""numpy's own math loops, called from compiled kernels, so results match the vector engine's bits.

The vector engine computes `math.exp(x)` with numpy's `np.exp` over the lanes, and numpy picks
at run time an implementation for the CPU (SIMD loops) whose last bit can differ from the C
library's `exp` that numba would call. Compiled kernels therefore call numpy's inner loop itself,
one element at a time. Its address is read from the ufunc object, checked against numpy's own
answers on sample values, and registered with LLVM under a symbol name, so machine code that
numba cached in another process finds this process's loop by name (an address is never
compiled in). A loop that cannot be found or checked leaves the function outside the subset.
"""

from __future__ import annotations

import ctypes
import functools

import numpy as np
from llvmlite import binding, ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

_PREFIX = "cudalike_numpy_loop_"
_DATA_CELLS: dict[str, ctypes.c_void_p] = {}  # each loop's data pointer, read by the loop's caller
BATCH = 8  # elements of one batched call (call1n, call2n): a jammed group's threads
_SAMPLES = (0.0, -0.0, 0.5, -0.75, 1.0, 3.0, -2.5, 1e-3, 40.0, 1e30, np.inf, -np.inf, np.nan)


class _UFuncHeader(ctypes.Structure):
    """The start of numpy's PyUFuncObject (numpy/ufuncobject.h, unchanged since numpy 1.x)."""

    _fields_ = [
        ("ob_refcnt", ctypes.c_ssize_t),
        ("ob_type", ctypes.c_void_p),
        ("nin", ctypes.c_int),
        ("nout", ctypes.c_int),
        ("nargs", ctypes.c_int),
        ("identity", ctypes.c_int),
        ("functions", ctypes.POINTER(ctypes.c_void_p)),
        ("data", ctypes.POINTER(ctypes.c_void_p)),
        ("ntypes", ctypes.c_int),
        ("reserved1", ctypes.c_int),
        ("name", ctypes.c_char_p),
        ("types", ctypes.POINTER(ctypes.c_char)),
    ]


_LOOP = ctypes.CFUNCTYPE(
    None,
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.POINTER(ctypes.c_ssize_t),
    ctypes.POINTER(ctypes.c_ssize_t),
    ctypes.c_void_p,
)


def _find_loop(ufunc: np.ufunc, dtype: np.dtype) -> tuple[int, int] | None:
    """The (function, data) addresses of the ufunc's first loop taking and giving `dtype`
    only, the loop numpy runs for such arrays; None if the object is not laid out as expected."""
    header = _UFuncHeader.from_address(id(ufunc))
    if (header.nin, header.nout, header.ntypes) != (ufunc.nin, ufunc.nout, ufunc.ntypes):
        return None
    if header.name != ufunc.__name__.encode():
        return None
    codes = [ord(header.types[i]) for i in range(header.ntypes * header.nargs)]
    for k, signature in enumerate(ufunc.types):
        if codes[k * header.nargs : (k + 1) * header.nargs] != [
            np.dtype(c).num for c in signature.replace("->", "")
        ]:
            return None  # numpy's own list disagrees with what was read
    wanted = dtype.char * ufunc.nin + "->" + dtype.char
    if wanted not in ufunc.types:
        return None
    k = ufunc.types.index(wanted)
    return header.functions[k], header.data[k] or 0


def _agrees(ufunc: np.ufunc, dtype: np.dtype, function: int, data: int) -> bool:
    """Whether the loop, called one element at a time as compiled code calls it (count 1,
    strides 0) and BATCH elements at a time, gives the bits numpy gives for whole arrays on
    sample values. A numpy that took
    another path for single elements (the C library's function rather than its SIMD loop, say)
    would differ on a good part of them."""
    samples = np.concatenate([np.array(_SAMPLES), np.linspace(-9.5, 9.5, 61)]).astype(dtype)
    operands = [samples] + [np.roll(samples, k) for k in range(1, ufunc.nin)]
    with np.errstate(all="ignore"):
        expected = ufunc(*operands)
    loop = _LOOP(function)
    for width in (1, BATCH):  # one element (strides 0), and groups of BATCH (batched calls)
        got = np.empty_like(samples)
        count = (ctypes.c_ssize_t * 1)(width)
        steps = (ctypes.c_ssize_t * (ufunc.nin + 1))(
            *[samples.itemsize * (width > 1)] * (ufunc.nin + 1)
        )
        with np.errstate(all="ignore"):
            for i in range(0, samples.size - width + 1, width):
                cells = [o[i : i + width] for o in operands] + [got[i : i + width]]
                pointers = (ctypes.c_void_p * len(cells))(*(c.ctypes.data for c in cells))
                loop(pointers, count, steps, data or None)
        done = samples.size - samples.size % width
        if expected[:done].tobytes() != got[:done].tobytes():
            return False
    return True


@functools.cache
def symbol(ufunc: np.ufunc, dtype: np.dtype) -> str | None:
    """The symbol name under which compiled code calls numpy's loop of `ufunc` for `dtype`
    (float32 or float64 operands, one or two of them), or None where that cannot be done."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f" or dtype.itemsize not in (4, 8) or ufunc.nout != 1 or ufunc.nin > 2:
        return None
    found = _find_loop(ufunc, dtype)
    if found is None or not _agrees(ufunc, dtype, *found):
        return None
    name = f"{_PREFIX}{ufunc.__name__}_{dtype.char}"
    function, data = found
    _DATA_CELLS[name] = ctypes.c_void_p(data)
    binding.add_symbol(name, function)
    binding.add_symbol(name + "_data", ctypes.addressof(_DATA_CELLS[name]))
    return name


def _call(context, builder, name: str, pointers, count, steps) -> None:
    """Call the loop registered as `name` (declared in the module once, with the cell holding
    its data pointer) with numpy's arguments: operand pointers, the count, the strides."""
    byte_pointer = ir.IntType(8).as_pointer()
    intp = context.get_value_type(types.intp)
    signature = ir.FunctionType(
        ir.VoidType(),
        [byte_pointer.as_pointer(), intp.as_pointer(), intp.as_pointer(), byte_pointer],
    )
    loop = cgutils.get_or_insert_function(builder.module, signature, name)
    cell = builder.module.globals.get(name + "_data")
    if cell is None:
        cell = ir.GlobalVariable(builder.module, byte_pointer, name + "_data")
        cell.linkage = "external"
    builder.call(loop, [pointers, count, steps, builder.load(cell)])


def _call_loop(context, builder, name: str, values: list, kind, strided=False) -> ir.Value:
    """Call the loop registered as `name` on one element: numpy's calling convention
    (argument pointers, a count of 1, strides, the loop's data). The strides are 0, as for
    numbers numpy broadcasts, or with `strided` one element, as for arrays of one number per
    lane: numpy's power loop answers some exponents differently in the two cases (`pow_lanes`);
    no other loop compiled code calls does (`_agrees` checks the strides of 0)."""
    element = context.get_value_type(kind)
    byte_pointer = ir.IntType(8).as_pointer()
    intp = context.get_value_type(types.intp)
    slots = [cgutils.alloca_once_value(builder, value) for value in values]
    result = cgutils.alloca_once(builder, element)
    slots.append(result)
    pointers = cgutils.alloca_once(builder, byte_pointer, size=len(slots))
    for i, slot in enumerate(slots):
        builder.store(builder.bitcast(slot, byte_pointer), cgutils.gep(builder, pointers, i))
    count = cgutils.alloca_once_value(builder, ir.Constant(intp, 1))
    steps = cgutils.alloca_once(builder, intp, size=len(slots))
    step = context.get_abi_sizeof(element) if strided else 0
    for i in range(len(slots)):
        builder.store(ir.Constant(intp, step), cgutils.gep(builder, steps, i))
    _call(context, builder, name, pointers, count, steps)
    return builder.load(result)


@intrinsic(prefer_literal=True)
def call1(typingctx, name, x):
    """numpy's loop registered as `name` (a string constant) applied to one float."""
    if not isinstance(name, types.StringLiteral) or not isinstance(x, types.Float):
        return None

    def codegen(context, builder, signature, args):
        return _call_loop(context, builder, name.literal_value, [args[1]], x)

    return x(name, x), codegen


@intrinsic(prefer_literal=True)
def call2(typingctx, name, x, y):
    """numpy's loop registered as `name` applied to two floats of one type."""
    if not isinstance(name, types.StringLiteral) or not isinstance(x, types.Float) or x != y:
        return None

    def codegen(context, builder, signature, args):
        return _call_loop(context, builder, name.literal_value, [args[1], args[2]], x)

    return x(name, x, y), codegen


def _floats(name, x, y) -> bool:
    return isinstance(name, types.StringLiteral) and isinstance(x, types.Float) and x == y


@intrinsic(prefer_literal=True)
def pow_lanes(typingctx, name, x, y):
    """numpy's power loop registered as `name` on a base and an exponent that the vector engine
    holds as arrays: given one exponent broadcast over the lanes, as `call2` passes it, the
    loop computes -1, 0.5 and 2 (on AVX-512 machines) as the reciprocal, square root and
    square, and an array of them with its vectorised power."""
    if not _floats(name, x, y):
        return None

    def codegen(context, builder, signature, args):
        return _call_loop(context, builder, name.literal_value, list(args[1:]), x, strided=True)

    return x(name, x, y), codegen


@intrinsic(prefer_literal=True)
def pow_single(typingctx, name, x, y):
    """numpy's power loop on an exponent the vector engine holds as one number broadcast over
    the lanes: `call2`, named apart so that a jammed loop never batches it (batches pass
    contiguous buffers, which the loop reads as an array of exponents)."""
    if not _floats(name, x, y):
        return None

    def codegen(context, builder, signature, args):
        return _call_loop(context, builder, name.literal_value, list(args[1:]), x)

    return x(name, x, y), codegen


@intrinsic(prefer_literal=True)
def pow_either(typingctx, name, x, y):
    """(`pow_lanes`' answer, whether `call2` gives the same bits) for an exponent the vector
    engine may hold either way: `agreed` hands the launch back where they differ."""
    if not _floats(name, x, y):
        return None

    def codegen(context, builder, signature, args):
        operands = list(args[1:])
        lanes = _call_loop(context, builder, name.literal_value, operands, x, strided=True)
        single = _call_loop(context, builder, name.literal_value, operands, x)
        bits = ir.IntType(context.get_abi_sizeof(context.get_value_type(x)) * 8)
        same = builder.icmp_unsigned(
            "==", builder.bitcast(lanes, bits), builder.bitcast(single, bits)
        )
        return context.make_tuple(builder, signature.return_type, [lanes, same])

    return types.Tuple((x, types.boolean))(name, x, y), codegen


@njit(inline="always", nogil=True)
def agreed(answer):
    """`pow_either`'s answer where both ways of calling the loop agree; otherwise the launch
    goes back to the vector engine, which knows how it holds the exponent."""
    value, same = answer
    if not same:
        raise IndexError("numpy's power loop answers an array and a single exponent apart")
    return value


def _call_batch(context, builder, signature, args, name: str) -> None:
    """Call the loop registered as `name` on the first `count` elements of contiguous 1-D
    arrays: inputs, then the output (numpy's calling convention, strides of one element)."""
    *arrays, count = args
    byte_pointer = ir.IntType(8).as_pointer()
    intp = context.get_value_type(types.intp)
    kinds = signature.args[1:-1]
    pointers = cgutils.alloca_once(builder, byte_pointer, size=len(arrays))
    steps = cgutils.alloca_once(builder, intp, size=len(arrays))
    for i, (kind, value) in enumerate(zip(kinds, arrays, strict=True)):
        array = context.make_array(kind)(context, builder, value)
        data = builder.bitcast(array.data, byte_pointer)
        builder.store(data, cgutils.gep(builder, pointers, i))
        size = context.get_abi_sizeof(context.get_data_type(kind.dtype))
        builder.store(ir.Constant(intp, size), cgutils.gep(builder, steps, i))
    counted = cgutils.alloca_once_value(builder, count)
    _call(context, builder, name, pointers, counted, steps)


def _batch_types(arrays: tuple, count) -> bool:
    return (
        isinstance(count, types.Integer)
        and all(isinstance(a, types.Array) and a.ndim == 1 and a.layout == "C" for a in arrays)
        and all(isinstance(a.dtype, types.Float) and a.dtype == arrays[0].dtype for a in arrays)
    )


@intrinsic(prefer_literal=True)
def call1n(typingctx, name, x, out, count):
    """numpy's loop registered as `name` over the first `count` elements of `x`, into `out`."""
    if not isinstance(name, types.StringLiteral) or not _batch_types((x, out), count):
        return None

    def codegen(context, builder, signature, args):
        _call_batch(context, builder, signature, args[1:], name.literal_value)
        return context.get_dummy_value()

    return types.none(name, x, out, count), codegen


@intrinsic(prefer_literal=True)
def call2n(typingctx, name, x, y, out, count):
    """numpy's loop registered as `name` over `count` pairs of `x` and `y`, into `out`."""
    if not isinstance(name, types.StringLiteral) or not _batch_types((x, y, out), count):
        return None

    def codegen(context, builder, signature, args):
        _call_batch(context, builder, signature, args[1:], name.literal_value)
        return context.get_dummy_value()

    return types.none(name, x, y, out, count), codegen
