"""numba's view of a compiled kernel: `Dispatcher.overloads`, cooperative launches, argument
wrappers (`cuda.In`, `cuda.Out`, `cuda.InOut`) and kernel exceptions in debug mode.

cudalike lowers a kernel once for every argument type, so an overload here stands for that one
lowering under the key numba would use (the argument types); it answers what programs ask of
numba's compiled kernels: `.cooperative` and `.max_cooperative_grid_blocks(blockdim)`.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike import config
from cudalike.errors import KernelRuntimeError, LaunchConfigError


class ArrayArgument:
    """A numpy array passed to a kernel with a stated direction of transfer (numba's cuda.In,
    cuda.Out, cuda.InOut): In is copied to the device only, Out only back, InOut both ways."""

    copy_in = True
    copy_out = True

    def __init__(self, value: np.ndarray):
        self.value = value


class In(ArrayArgument):
    """An input: copied to the device before the launch, never copied back."""

    copy_out = False


class Out(ArrayArgument):
    """An output: copied back after the launch; the kernel starts from uninitialised memory."""

    copy_in = False


class InOut(ArrayArgument):
    """Copied to the device before the launch and back after it (what a bare array gets)."""


class Overload:
    """One compiled form of a kernel, keyed in `Dispatcher.overloads` by argument types."""

    def __init__(self, dispatcher, signature):
        self.py_func = dispatcher.py_func
        self.signature = signature
        self.cooperative = uses_grid_sync(dispatcher)
        self._dispatcher = dispatcher

    def max_cooperative_grid_blocks(self, blockdim) -> int:
        """Most blocks of `blockdim` threads a cooperative launch may have on this device."""
        return max_cooperative_blocks(self._dispatcher.__name__, blockdim)

    def __repr__(self) -> str:
        return f"<compiled kernel '{self.py_func.__name__}' for {self.signature}>"


def uses_grid_sync(dispatcher) -> bool:
    """Does the kernel ask for the whole grid (cuda.cg.this_grid())? CUDA then launches it
    cooperatively, which needs every block resident at once."""
    if not hasattr(dispatcher, "_grid_sync"):
        dispatcher._grid_sync = any(
            isinstance(node, ast.Attribute) and node.attr == "this_grid"
            for node in ast.walk(dispatcher.parsed.tree)
        )
    return dispatcher._grid_sync


def remember(dispatcher, args: tuple) -> None:
    """Note the argument types of a launch; `Dispatcher.overloads` files the kernel under
    them when asked (numba is imported only then, not at every launch)."""
    dispatcher._launched_types.add(tuple(_describe(value) for value in args))


def _describe(value):
    if isinstance(value, ArrayArgument):
        value = value.value
    array = value._array if hasattr(value, "_array") else value
    if isinstance(array, np.ndarray):
        flags = array.flags
        layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
        return ("array", array.dtype, array.ndim, layout)
    return ("scalar", type(value))


def overloads_of(dispatcher) -> dict:
    """`Dispatcher.overloads`: the declared signature's entry, then one per launched types."""
    while dispatcher._launched_types:
        described = dispatcher._launched_types.pop()
        try:
            key = tuple(_numba_type(item) for item in described)
        except (ValueError, TypeError, NotImplementedError):  # no numba type: nothing to file
            continue
        if key not in dispatcher._overloads:
            dispatcher._overloads[key] = Overload(dispatcher, key)
    return dispatcher._overloads


def _numba_type(described):
    from numba import from_dtype, typeof
    from numba.core import types

    if described[0] == "scalar":
        return typeof(described[1]())  # the type of a number does not depend on its value
    _, dtype, ndim, layout = described
    return types.Array(from_dtype(dtype), ndim, layout)


def prepare_extensions(extensions: list, args: tuple, stream) -> tuple[tuple, list]:
    """Pass each argument through the kernel's extensions (numba's prepare_args protocol:
    each returns (type, value) and may append write-back callables to `retr`)."""
    write_backs: list = []
    if not extensions:
        return args, write_backs
    prepared = []
    for value in args:
        for extension in extensions:
            _, value = extension.prepare_args(None, value, stream=stream, retr=write_backs)
        prepared.append(value)
    return tuple(prepared), write_backs


def max_cooperative_blocks(kernel: str, blockdim, shared_bytes: int = 0) -> int:
    """SMs times the blocks of this size each SM holds at once, on the modelled device."""
    from cudalike.model.profiles import load_profile
    from cudalike.model.simt_model import occupancy

    dims = tuple(blockdim) if isinstance(blockdim, (tuple, list)) else (blockdim,)
    threads = int(np.prod(dims))
    profile = load_profile(config.get().device)
    per_sm = occupancy(profile, threads, 32, shared_bytes, 1)["blocks_per_sm"]
    return profile.sm_count * per_sm


def check_cooperative_launch(dispatcher, blocks: int, blockdim, shared_bytes: int) -> None:
    """Refuse a grid-synchronising launch whose blocks cannot all be resident, as CUDA does
    (cudaErrorCooperativeLaunchTooLarge): grid.sync() would wait forever for blocks that
    never start."""
    limit = max_cooperative_blocks(dispatcher.__name__, blockdim, shared_bytes)
    if blocks > limit:
        raise LaunchConfigError(
            f"kernel '{dispatcher.__name__}' synchronises the whole grid (cuda.cg.this_grid()."
            f"sync()), so all its blocks must be resident at once; {blocks} blocks were "
            f"launched but the {config.get().device} holds at most {limit} of this size "
            "(CUDA refuses it with cudaErrorCooperativeLaunchTooLarge)"
        )


def type_key(args: tuple) -> tuple:
    """The key numba files a compiled kernel under: the numba type of each argument."""
    from numba import typeof
    from numba.core.types import Type

    key = []
    for value in args:
        if isinstance(value, ArrayArgument):
            value = value.value
        if hasattr(value, "_array") and isinstance(value._array, np.ndarray):
            value = value._array
        key.append(value if isinstance(value, Type) else typeof(value))
    return tuple(key)


def signature_key(signature):
    """The overloads key of a signature given to cuda.jit (a tuple, a Signature or a string)."""
    if isinstance(signature, (tuple, list)):
        return tuple(signature)
    if isinstance(signature, str):
        from numba.core import sigutils

        try:
            args, _ = sigutils.normalize_signature(signature)
        except Exception:  # a signature numba cannot parse is checked at the launch instead
            return signature
        return tuple(args)
    return tuple(getattr(signature, "args", (signature,)))


def as_exception_of_kind(report: KernelRuntimeError, original: Exception) -> KernelRuntimeError:
    """The report, made an instance of the kernel's own exception type too (numba's debug=True
    raises the kernel's exception on the host, so `except IndexError` catches it)."""
    kind = type(original)
    fields = ("kernel", "filename", "line", "source", "block", "thread", "warp", "hint")
    try:
        both = type(
            kind.__name__,
            (KernelRuntimeError, kind),
            {"__str__": Exception.__str__, "__module__": kind.__module__},
        )
        return both(report.detail, **{name: getattr(report, name) for name in fields})
    except TypeError:  # an exception type that cannot be combined keeps the report's type
        return report
