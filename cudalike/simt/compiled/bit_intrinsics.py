"""cuda.popc, clz, ffs, brev, selp, lanemask_lt, fma and cbrt in compiled code, with the vector
engine's result types and values (cudalike/simt/warp.py).

The vector engine reads an integer operand as the unsigned integer of its own width (a Python
number as 64 bits); popc, clz and ffs answer int32, brev the unsigned type of that width.
Compiled code passes those bits to the runtime functions (warp_runtime.py) as an int64: a
32-bit operand zero-extended, a 64-bit one as it is. selp evaluates both of its values, as the
vector engine does, and is compiled only where both have the same numpy type, the type of its
result whichever it picks.

cuda.fma is the vector engine's `(1.0 * a * b + c)` for floats: a product and a sum each
rounded to float64 (numba writes them as two operations, never fused), then rounded to the
operands' type; of integers, `a * b + c` with numpy's rules. cuda.cbrt is the vector engine's
`np.cbrt`, numpy's own loop as `math.cbrt` is (math_calls.py).
"""

from __future__ import annotations

import ast
import math

import numpy as np

from cudalike.simt.compiled import math_calls
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

NAMES = frozenset({"popc", "clz", "ffs", "brev", "selp", "lanemask_lt", "fma", "cbrt"})
_INT32, _UINT32, _UINT64 = np.dtype(np.int32), np.dtype(np.uint32), np.dtype(np.uint64)


def call(kernel, name: str, args: list) -> tuple[str, object]:
    """Code and type of `cuda.<name>(*args)`; `args` are (code, type) pairs."""
    if name == "lanemask_lt":
        if args or kernel.block_mode:
            raise NotCompilable("cuda.lanemask_lt with arguments or deciding a barrier")
        return "np.uint32((1 << (t % 32)) - 1)", _UINT32
    if name == "selp":
        return _select(kernel, args)
    if name == "fma":
        return _fma(kernel, args)
    if name == "cbrt":
        return math_calls.call(math.cbrt, args)
    if len(args) != 1:
        raise NotCompilable(f"cuda.{name} with other than one argument")
    bits, width = _bits(*args[0])
    if name == "popc":
        return f"wrt.popc({bits})", _INT32
    if name == "ffs":
        return f"wrt.ffs({bits})", _INT32
    if name == "clz":
        return f"wrt.clz({bits}, {width})", _INT32
    unsigned = _UINT32 if width == 32 else _UINT64
    return f"np.{unsigned.name}(wrt.brev({bits}, {width}))", unsigned


def _bits(code: str, kind) -> tuple[str, int]:
    """(an int64 holding the operand's bits as the vector engine reads them, their width)."""
    if not nb.is_integer(kind):
        raise NotCompilable(f"a bit intrinsic of {kind}")
    if not isinstance(kind, np.dtype) or kind.itemsize == 8:  # a Python number: int64
        return f"np.int64({code})", 64
    if kind.itemsize != 4:
        raise NotCompilable(f"a bit intrinsic of {kind}")
    return f"np.int64(np.uint32({code}))", 32


def _select(kernel, args: list) -> tuple[str, object]:
    if len(args) != 3:
        raise NotCompilable("cuda.selp with other than three arguments")
    (predicate, condition), (first, kind), (second, other) = args
    if not (isinstance(kind, np.dtype) and isinstance(other, np.dtype) and kind == other):
        raise NotCompilable("cuda.selp of values of different or Python types")
    nb.numeric(kind)
    return f"wrt.select({kernel.truth(predicate, condition)}, {first}, {second})", kind


def _fma(kernel, args: list) -> tuple[str, object]:
    kinds = [kind for _, kind in args]
    if len(args) != 3 or not all(isinstance(kind, np.dtype) for kind in kinds):
        raise NotCompilable("cuda.fma of other than three numpy values")
    if all(kind.kind in "iu" for kind in kinds):
        return kernel.binary(ast.Add(), kernel.binary(ast.Mult(), args[0], args[1]), args[2])
    if not all(kind.kind == "f" for kind in kinds):
        raise NotCompilable("cuda.fma of integers and floats")
    result = np.result_type(*kinds)
    a, b, c = (nb.cast(code, kind, nb.FLOAT64) for code, kind in args)
    return nb.cast(f"({a} * {b} + {c})", nb.FLOAT64, result), result
