"""Launch an exercise's kernels on one set of arguments, the way its exercise.toml says.

The reference and a submission are launched by the same code with the same configuration:
SIMT kernels as `kernel[grid, block](*args)`, CANN-style kernels as `kernel[blocks](*args)`
with the tiling from the reference module's host tiling function, or through a host function
of the reference module. `launch_config` computes, in the grader, what a launch needs (grid
and block, or blocks and tiling); `launch_with` launches from it, in the grader for the
reference and in the sandbox's child for a submission, which never sees the exercise itself.
Kernels run in this process; isolating a submission is the sandbox's job, around this call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from types import ModuleType

import numpy as np

from autograder.spec import Exercise

__all__ = ["kernel_arguments", "launch_config", "launch_kernels", "launch_with"]


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
    host = getattr(reference, spec.launch.host) if spec.launch.host is not None else None
    config = launch_config(spec, reference, size)
    launch_with(kernel_arguments(spec), kernels, config, arguments, host)


def kernel_arguments(spec: Exercise) -> list[tuple[str, list[str]]]:
    """(kernel name, argument names in order) of each kernel, in launch order."""
    return [(kernel.name, list(kernel.args)) for kernel in spec.kernels]


def launch_config(spec: Exercise, reference: ModuleType, size: Mapping[str, int]) -> dict:
    """What one launch at `size` needs, computed from the spec (and the reference's tiling).

    Returns:
        {"grid": [...], "block": [...]} (SIMT), {"blocks": ..., "tiling": ...} (CANN) or
        {"host": True} (the reference's host function launches).
    """
    launch = spec.launch
    if launch.host is not None:
        return {"host": True}
    if launch.tiling is not None:
        tiling_args = [expr.evaluate(size) for expr in launch.tiling_args]
        blocks, tiling = getattr(reference, launch.tiling)(*tiling_args)
        return {"blocks": blocks, "tiling": tiling}
    grid = [expr.evaluate(size) for expr in launch.grid]
    return {"grid": grid, "block": [expr.evaluate(size) for expr in launch.block]}


def launch_with(
    kernel_args: Sequence[tuple[str, Sequence[str]]],
    kernels: Mapping[str, object],
    config: Mapping,
    arguments: MutableMapping[str, np.ndarray | np.generic],
    host: Callable | None = None,
) -> None:
    """Launch each kernel of `kernel_args`, in order, as `config` (`launch_config`) says.

    Args:
        kernel_args: (kernel name, argument names) pairs, from `kernel_arguments`.
        kernels: kernel name -> kernel object.
        config: the launch configuration: grid and block, blocks and tiling, or host.
        arguments: the arguments by name; outputs are written in place.
        host: the host function `host(kernels, arguments)` when config says "host".
    """
    if config.get("host"):
        host(dict(kernels), arguments)
        return
    if "tiling" in config:
        for name, args in kernel_args:
            values = [config["tiling"] if arg == "tiling" else arguments[arg] for arg in args]
            kernels[name][config["blocks"]](*values)
        return
    grid, block = tuple(config["grid"]), tuple(config["block"])
    for name, args in kernel_args:
        kernels[name][grid, block](*[arguments[arg] for arg in args])
