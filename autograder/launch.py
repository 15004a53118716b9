"""Launch an exercise's kernels on one set of arguments, the way its exercise.toml says.

The reference and a submission are launched by the same code with the same configuration:
SIMT kernels as `kernel[grid, block](*args)`, CANN-style kernels as `kernel[blocks](*args)`
with the tiling from the reference module's host tiling function, or through a host function
of the reference module. Kernels run in this process; isolating a submission is the sandbox's
job, around this call.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from types import ModuleType

import numpy as np

from autograder.spec import Exercise

__all__ = ["launch_kernels"]


def launch_kernels(
    spec: Exercise,
    kernels: Mapping[str, object],
    reference: ModuleType,
    arguments: MutableMapping[str, np.ndarray | np.generic],
    size: Mapping[str, int],
) -> None:
    """Launch every kernel of `spec`, in order; the outputs in `arguments` are written in place.

    Args:
        spec: the exercise.
        kernels: kernel name -> kernel object (`cuda.jit` or `cann.kernel`), from the reference
            module or from a submission.
        reference: the exercise's trusted reference module, which holds the host tiling or
            launch function the spec names.
        arguments: from `make_inputs` for `size`.
        size: the size the arguments were drawn for (grid and tiling expressions read it).

    Raises:
        KeyError: a kernel the spec names is missing from `kernels`.
        cudalike.errors.KernelError: the kernel failed a check (out of bounds, race...).

    Example:
        >>> from autograder.spec import load_exercise  # doctest: +SKIP
        >>> launch_kernels(spec, {"vector_add": vector_add}, reference, args, {"n": 10})
    """
    missing = [kernel.name for kernel in spec.kernels if kernel.name not in kernels]
    if missing:
        raise KeyError(f"{spec.id}: no kernel named {', '.join(missing)}")
    launch = spec.launch
    if launch.host is not None:
        getattr(reference, launch.host)(dict(kernels), arguments)
        return
    if launch.tiling is not None:
        tiling_args = [expr.evaluate(size) for expr in launch.tiling_args]
        blocks, tiling = getattr(reference, launch.tiling)(*tiling_args)
        for kernel in spec.kernels:
            values = [tiling if arg == "tiling" else arguments[arg] for arg in kernel.args]
            kernels[kernel.name][blocks](*values)
        return
    grid = tuple(expr.evaluate(size) for expr in launch.grid)
    block = tuple(expr.evaluate(size) for expr in launch.block)
    for kernel in spec.kernels:
        kernels[kernel.name][grid, block](*[arguments[arg] for arg in kernel.args])
