"""numpy's ufuncs of integers called by name (`np.add(a[i], b[i])`), computed with numpy's
integer loops as the vector engine computes them.

numpy 2 gives `np.add`, `np.subtract` and `np.multiply` of integers the promoted integer type
(NEP 50: a Python int takes the other operand's type and must fit it), wrapping; `np.maximum`
and `np.minimum` are exact in that type; `np.floor`, `np.ceil` and `np.trunc` of an integer
return it unchanged, in its own type. The result type is asked of numpy itself on sample
operands. Other integer loops (`np.square`, `np.negative`, shifts by name, ...) stay refused.
"""

from __future__ import annotations

import functools

import numpy as np

from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable


def call(ufunc: np.ufunc, args: list, name: str) -> tuple[str, object]:
    """Code and type of `ufunc(*args)` on integers (`args`: (code, type) pairs), or refused. A
    Python int that does not fit the result type is refused, or handed back at run time (the
    cast's check) where it is not known when compiling: numpy raises there."""
    kinds = tuple(kind for _, kind in args)
    result = _result(ufunc, kinds)
    if result is None:
        raise NotCompilable(f"numpy's {name} of integers, which computes in an integer type")
    operands = [nb.cast(code, kind, result) for code, kind in args]
    if ufunc in ROUNDINGS:
        return operands[0], result
    if ufunc in (np.maximum, np.minimum):
        return f"ns.{ufunc.__name__}({', '.join(operands)})", result
    operator = ARITHMETIC[ufunc]
    code = f"({operands[0]} {operator} {operands[1]})"
    return (f"np.{result.name}({code})" if nb.needs_wrap(result, operator) else code), result


ROUNDINGS = (np.floor, np.ceil, np.trunc)
ARITHMETIC = {np.add: "+", np.subtract: "-", np.multiply: "*"}


@functools.cache
def _result(ufunc: np.ufunc, kinds: tuple) -> np.dtype | None:
    """The integer type numpy gives `ufunc` of numpy integers and Python ints of `kinds`, or
    None where the loop is not one `call` writes (a rounding must keep the type)."""
    if ufunc not in (*ROUNDINGS, *ARITHMETIC, np.maximum, np.minimum):
        return None
    samples = []
    for kind in kinds:
        if isinstance(kind, np.dtype) and kind.kind in "iu":
            samples.append(np.ones(1, kind))
        elif kind == nb.WEAK_INT:
            samples.append(1)
        else:
            return None
    result = np.result_type(ufunc(*samples))
    if ufunc in ROUNDINGS and result != np.result_type(samples[0]):
        return None
    return result if result.kind in "iu" else None
