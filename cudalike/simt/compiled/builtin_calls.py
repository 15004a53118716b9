"""Python built-ins in compiled code (min, max, abs, int, float, round, bool, pow), typed and
computed as the vector engine's kernel_builtins computes them.

The vector engine holds a value either as an array of one number per lane or, where every lane
has the same, as one Python or numpy number, and some built-ins answer the two differently:
`round(x)` is `np.rint(x).astype(np.int64)` of an array (an int64 per lane) but Python's
`round` of a number (a Python int), both rounding half to even; `bool(x)` is `x != 0` of an
array (NaN is True) and Python's `bool` of a number (the same truth). Where the two kinds of
result differ only in type, the result is typed as either (nb.MAYBE_INT); where they could
differ in value (an int64 beyond 2**53, which the array rounds through float64), the launch is
handed back at run time.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt.compiled import complex_numbers, lanes, min_max, powers
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

# integers float64 holds exactly: np.rint of an int64 array goes through float64
_FLOAT64_EXACT = 2**53


def call(k, name: str, args: list, nodes: list) -> tuple[str, object]:
    """Code and type of the built-in `name` called with `args` ((code, type) pairs of the
    argument expressions `nodes`) in the kernel `k` (expressions.Expressions)."""
    if name in ("min", "max") and len(args) >= 2:
        return min_max.call(k, name, args, nodes)
    if name == "complex":
        return complex_numbers.build(k, args, nodes)
    if name == "abs" and len(args) == 1:
        code, kind = args[0]
        if nb.is_complex(kind):
            return complex_numbers.absolute(k, code, kind, nodes[0])
        nb.numeric(kind)
        if isinstance(kind, np.dtype) and kind.kind in "iu" and kind.itemsize < 8:
            return f"np.{kind.name}(abs({code}))", kind
        return f"abs({code})", kind
    if name in ("int", "float") and len(args) == 1:
        code, kind = args[0]
        nb.numeric(kind)
        if nb.is_weak(kind):
            weak = nb.WEAK_INT if name == "int" else nb.WEAK_FLOAT
            return nb.cast(code, kind, weak), weak
        strong = nb.INT64 if name == "int" else nb.FLOAT64
        return nb.cast(code, kind, strong), strong
    if name == "round" and len(args) == 1:
        return _round(*args[0], lanes.per_lane(k, nodes[0]))
    if name == "bool" and len(args) == 1:
        code, kind = args[0]
        if kind == nb.BOOL:
            return code, kind
        nb.numeric(kind)
        return k.truth(code, kind), nb.BOOL
    if name == "pow" and len(args) == 2:
        return powers.power(args[0], args[1], lanes.per_lane(k, nodes[0]))
    raise NotCompilable(f"the built-in {name}()")


def _round(code: str, kind, lanes: bool) -> tuple[str, object]:
    """`round(x)`: an int64 of an array (`lanes`: certainly one), a Python int of a number."""
    nb.numeric(kind)
    if kind == nb.MAYBE_COUNT or kind == np.dtype(np.uint64):
        raise NotCompilable(f"round() of {kind}")
    if kind == nb.WEAK_INT:
        return code, kind
    result = nb.INT64 if lanes and not nb.is_weak(kind) else nb.MAYBE_INT
    if kind == nb.WEAK_FLOAT:
        result = nb.WEAK_INT
    if nb.is_integer(kind):
        if kind in (nb.INT64, nb.MAYBE_INT):
            code = f"rt.fits({code}, {-_FLOAT64_EXACT}, {_FLOAT64_EXACT})"
        return nb.cast(code, kind, nb.INT64), result
    # a NaN, an infinity or a float beyond int64 is handed back (Python raises or gives a big
    # int; numpy's conversion depends on the machine)
    rounded = f"np.rint({nb.cast(code, kind, nb.FLOAT64)})"
    return nb.cast(rounded, nb.FLOAT64, nb.INT64), result
