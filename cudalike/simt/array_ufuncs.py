"""numpy ufuncs called with output arrays in a kernel: `np.sin(x, out)` as numba compiles it.

Each calling thread computes the whole output, element by element, reading inputs with
numpy's broadcasting; every read and write goes through the checked loads and stores, so
bounds, races and uninitialized reads are reported as for any other access.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt import memory


class ArrayUfuncs:
    """The ufunc-with-outputs part of the chunk context (see engine.ChunkContext)."""

    def ufunc_into(self, mask, line: int, ufunc: np.ufunc, *args):
        """`ufunc(inputs..., outputs...)`: fill each output array, as numba's ufunc loops do."""
        inputs, outputs = args[: ufunc.nin], args[ufunc.nin :]
        for output in outputs:
            if not isinstance(output, memory.Buffer):
                self.fail_runtime(
                    line,
                    f"np.{ufunc.__name__}'s output must be an array, got {type(output).__name__}",
                )
        shape = outputs[0].shape
        for index in np.ndindex(*shape):
            values = [
                self.load(x, _broadcast(x.shape, index), mask, line)
                if isinstance(x, memory.Buffer)
                else x
                for x in inputs
            ]
            results = ufunc(*values)
            if ufunc.nout == 1:
                results = (results,)
            for output, result in zip(outputs, results, strict=True):
                self.store(output, index, result, mask, line)


def _broadcast(shape: tuple, index: tuple) -> tuple:
    """The element of an input of `shape` that numpy's broadcasting pairs with output `index`."""
    trailing = index[len(index) - len(shape) :] if shape else ()
    return tuple(
        0 if size == 1 else position for size, position in zip(shape, trailing, strict=True)
    )
