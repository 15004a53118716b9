"""Runs a launch on the compiled tier when it is worth it, and hands it back when in doubt.

`run_compiled(kernel, launch, buffers)` returns True when the compiled code ran the launch to
the end without finding anything to report. Otherwise (the kernel is outside the compiled
subset, compiling failed, a check fired or anything raised) it restores every array the
launch could have written and returns False: the vector engine then runs the launch and
reports what it always reported.
"""

from __future__ import annotations

import ast
import collections
import copy
import dataclasses
import hashlib
import importlib.util
import os
import pathlib
import stat
import sys
import tempfile
import time
import weakref

import numpy as np

from cudalike import config
from cudalike.simt import engine, frontend, memory, overloads
from cudalike.simt.compiled import (
    background,
    barrier_reads,
    codegen,
    constants,
    device_functions,
    fences,
    guards,
    hoist,
    inline,
    loop_names,
    random_calls,
    subscripts,
    views,
)
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.expressions import ArrayRef
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.statements import Kernel

# "auto" runs a launch compiled when it is expected to run at least HEAVY_WORK thread-iterations
# and the kernel's machine code is ready (compiled in this process or in numba's disk cache), or
# at least FRESH_COMPILE_WORK: compiling takes seconds to tens of seconds, in which the vector
# engine runs about 10**9 thread-iterations (a lesson SGEMM at N=1024 is 10**9). A heavy launch
# whose code is not ready starts compiling it in another process (background.py).
HEAVY_WORK = 20_000_000
FRESH_COMPILE_WORK = 10_000_000_000
_UNKNOWN_TRIP = 8

_drivers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # kernel -> {key: driver}
_stored: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # kernel -> stored params
# How launches went, for tests and benchmarks: "compiled" (ran compiled), "handed back" (a
# check fired or the run raised), "outside subset" and "vector" (the tier chose the vector
# engine).
outcomes: collections.Counter = collections.Counter()
reasons: dict[str, str] = {}  # kernel name -> why it is outside the compiled subset


def run_compiled(kernel, launch: engine.Launch, buffers: list) -> bool:
    """Run `launch` compiled if the tier setting and the launch allow; True when done."""
    try:
        driver, written = _prepare(kernel, launch, buffers)
    except Exception as error:  # an argument or construct not foreseen: the vector tier runs it
        reasons[kernel.__name__] = f"{type(error).__name__}: {error}"
        driver = None
    if driver is None:
        return False
    saved = [b.storage.copy() for b in written]
    try:
        driver(*_arguments(kernel, launch, buffers))
    except Exception as error:  # anything to report: the vector engine reports it
        for buffer, copy in zip(written, saved, strict=True):
            buffer.storage[...] = copy
        launch.started = time.perf_counter()  # the vector run has its whole time budget
        if _compile_failed(error):  # numba refused the generated code: never try it again
            reasons[kernel.__name__] = f"numba could not compile the kernel: {error}"
            for key, known in _drivers.get(kernel, {}).items():
                if known is driver:
                    _drivers[kernel][key] = None
            outcomes["outside subset"] += 1
            return False
        outcomes["handed back"] += 1
        return False
    outcomes["compiled"] += 1
    return True


def _compile_failed(error: Exception) -> bool:
    """Whether `error` is numba failing to compile the driver, not the driver running."""
    from numba.core.errors import NumbaError  # numba is loaded once a driver exists

    return isinstance(error, NumbaError)


def _prepare(kernel, launch: engine.Launch, buffers: list):
    """The compiled driver for this launch and the buffers it may write, or (None, [])."""
    settings = launch.config
    if settings.tier == "vector" or engine.recorder is not None or launch.sample is not None:
        outcomes["vector"] += 1
        return None, []
    work = _work(kernel, launch, buffers) if settings.tier == "auto" else 0
    if settings.tier == "auto" and work < HEAVY_WORK:
        outcomes["vector"] += 1
        return None, []
    arrays = [b for b in buffers if isinstance(b, memory.Buffer)]
    aliased = any(
        np.may_share_memory(first.storage, other.storage)
        for index, first in enumerate(arrays)
        for other in arrays[index + 1 :]
    )
    driver = None if aliased else _driver(kernel, launch, buffers)
    if driver is None:
        outcomes["outside subset"] += 1
        return None, []
    if settings.tier == "auto" and work < FRESH_COMPILE_WORK and not _ready(driver):
        background.compile_later(driver, _arguments(kernel, launch, buffers))
        outcomes["vector"] += 1
        return None, []
    stored = _stored_params(kernel)
    return driver, [b for b in arrays if b.name in stored]


def _arguments(kernel, launch: engine.Launch, buffers: list) -> list:
    gx, gy, gz = launch.griddim
    bx, by, bz = launch.blockdim
    per_chunk = max(1, launch.config.max_lanes // launch.threads)
    dynamic = 0
    for array in _dynamic_arrays(kernel):
        dynamic = launch.sharedmem // array.dtype.itemsize
    values = []
    for buffer in buffers:
        if isinstance(buffer, memory.Buffer) and random_calls.is_states(buffer.storage.dtype):
            values.append(random_calls.states_view(buffer.storage.reshape(buffer.shape)))
        elif isinstance(buffer, memory.Buffer):
            values.append(buffer.storage.reshape(buffer.shape))
        else:
            values.append(buffer)
    deadline = launch.started + launch.config.time_budget_s
    budget = launch.config.loop_budget
    constant = getattr(kernel, "_compiled_constants", [])
    return [gx, gy, gz, bx, by, bz, per_chunk, budget, deadline, dynamic, *values, *constant]


def _dynamic_arrays(kernel) -> list:
    return [
        a
        for a in getattr(kernel, "_compiled_arrays", {}).values()
        if a.space == "shared" and a.shape == (0,)
    ]


def _kinds(kernel, launch: engine.Launch, buffers: list) -> dict:
    """Parameter name -> ArrayRef or the type of a scalar argument."""
    kinds = {}
    for name, buffer in zip(kernel.parsed.params, buffers, strict=True):
        if isinstance(buffer, memory.Buffer) and random_calls.is_states(buffer.storage.dtype):
            random_calls.states_view(buffer.storage.reshape(buffer.shape))  # refuses others
            kinds[name] = ArrayRef(name, random_calls.SPACE, np.dtype(np.uint64), None, True, 1)
        elif isinstance(buffer, memory.Buffer):
            if not nb.storable(buffer.storage.dtype):
                raise NotCompilable(f"an array of {buffer.storage.dtype}")
            tracked = name in _stored_params(kernel)
            dtype = buffer.storage.dtype
            kinds[name] = ArrayRef(name, "global", dtype, None, tracked, len(buffer.shape))
        elif isinstance(buffer, (bool, np.bool_)):
            kinds[name] = nb.BOOL
        elif isinstance(buffer, int):
            kinds[name] = nb.WEAK_INT
        elif isinstance(buffer, float):
            kinds[name] = nb.WEAK_FLOAT
        elif isinstance(buffer, np.generic) and nb.storable(buffer.dtype):
            kinds[name] = buffer.dtype
        else:
            raise NotCompilable(f"an argument of type {type(buffer).__name__}")
    return kinds


def _stored_params(kernel) -> set[str]:
    """Parameters the kernel may store to (`a[i] = ...`, `a[i] += ...`, `a` given to an atomic
    or a device function); in the compiled subset nothing else can write an argument. Found
    once per kernel."""
    if kernel not in _stored:
        _stored[kernel] = _find_stored_params(kernel)
    return _stored[kernel]


def _find_stored_params(kernel) -> set[str]:
    stored = set()
    for node in ast.walk(kernel.parsed.tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            array = node.value
            while isinstance(array, ast.Subscript):  # a[i][j] = ... stores to a
                array = array.value
            if isinstance(array, ast.Name):
                stored.add(array.id)
        elif isinstance(node, ast.Call):
            # an atomic's array, or an array given to a device function (inline.py)
            stored.update(a.id for a in node.args if isinstance(a, ast.Name))
    return stored & set(kernel.parsed.params)


def _driver(kernel, launch: engine.Launch, buffers: list):
    checks = launch.config.checks
    try:
        arguments = _kinds(kernel, launch, buffers)
    except NotCompilable as error:
        reasons[kernel.__name__] = f"NotCompilable: {error}"
        return None
    key = (checks, tuple((n, _describe(k)) for n, k in arguments.items()))
    drivers = _drivers.setdefault(kernel, {})
    if key not in drivers:
        drivers[key] = _build(kernel, arguments, checks)
    driver = drivers[key]
    if driver is not None and len({a.dtype.itemsize for a in _dynamic_arrays(kernel)}) > 1:
        return None
    return driver


def _describe(kind) -> tuple:
    if isinstance(kind, ArrayRef):
        return ("array", kind.dtype.str, kind.ndim, kind.tracked, kind.space)
    return ("scalar", str(kind))


def _ready(driver) -> bool:
    """Whether calling `driver` costs no compilation (done here, or in numba's disk cache)."""
    if driver.signatures:
        return True
    source = pathlib.Path(driver.py_func.__code__.co_filename)
    return any((source.parent / "__pycache__").glob(f"{source.stem}.driver-*.nbi"))


def _build(kernel, arguments: dict, checks: bool):
    try:
        if overloads.uses_grid_sync(kernel):  # blocks run one after another: none could wait
            raise NotCompilable("a grid-wide barrier (cuda.cg.this_grid())")
        resolver = frontend.Resolver(kernel.py_func, kernel.parsed)
        functions = device_functions.DeviceFunctions()
        # translation rewrites the tree it reads: give it a copy, so the next one starts afresh
        parsed = dataclasses.replace(kernel.parsed, tree=copy.deepcopy(kernel.parsed.tree))
        loop_names.separate_loop_variables(parsed)
        dims = {name: kind.ndim for name, kind in arguments.items() if isinstance(kind, ArrayRef)}
        parsed = views.inline_views(parsed, dims)
        given = set(dims)
        arrays = subscripts.array_names(parsed.tree, resolver, given)
        parsed = inline.inline_calls(parsed, resolver, arrays)
        parsed = subscripts.join_chains(parsed, arrays)
        parsed = hoist.hoist_calls(fences.drop_fences(parsed, resolver), resolver)
        parsed = guards.else_for_guards(parsed, resolver)
        parsed = barrier_reads.read_before_barriers(parsed, resolver)
        translated = Kernel(parsed, resolver, arguments, checks, functions)
        frozen = constants.frozen_copies(kernel, list(translated.constants.values()))
        kernel._compiled_arrays = translated.arrays
        kernel._compiled_constants = frozen
        return _load(codegen.generate(translated, cache=True), kernel.__name__)
    except Exception as error:  # NotCompilable, or a construct the translator did not foresee
        reasons[kernel.__name__] = f"{type(error).__name__}: {error}"
        return None


def _load(source: str, name: str):
    """Import the generated module from a file, so numba can cache its machine code."""
    digest = hashlib.sha256(source.encode()).hexdigest()[:20]
    folder = _cache_folder()
    path = folder / f"k_{name}_{digest}.py"
    if not path.exists() or path.read_text() != source:  # never run a file we did not write
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(source)
        partial.replace(path)
    module_name = f"cudalike_compiled_{name}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module.driver


def _cache_folder() -> pathlib.Path:
    """The folder of generated modules and numba's cache of them, which this process imports
    and unpickles: it must be this user's alone, or another local user could plant code in it
    (a folder squatted under a shared /tmp). Anything else keeps the launch on the vector tier.
    """
    folder = pathlib.Path(
        config.get().cache_dir
        or pathlib.Path(tempfile.gettempdir()) / f"cudalike-compiled-{os.getuid()}"
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = folder.lstat()
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid():
        raise PermissionError(f"{folder} is not a folder owned by this user")
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(f"{folder} is writable by other users")
    return folder


# ---- how heavy a launch is --------------------------------------------------------------
def _work(kernel, launch: engine.Launch, buffers: list) -> float:
    """Threads times the iterations of the kernel's deepest loop nest (a cheap estimate)."""
    shapes = {b.name: b.shape for b in buffers if isinstance(b, memory.Buffer)}
    return launch.threads * launch.blocks * _nest(kernel.parsed.tree.body, shapes, launch)


def _nest(statements, shapes: dict, launch) -> float:
    deepest = 1.0
    for statement in statements:
        inner = _nest(getattr(statement, "body", []), shapes, launch)
        inner = max(inner, _nest(getattr(statement, "orelse", []), shapes, launch))
        if isinstance(statement, ast.For):
            inner *= _trip(statement.iter, shapes, launch)
        elif isinstance(statement, ast.While):
            inner *= _UNKNOWN_TRIP
        deepest = max(deepest, inner)
    return deepest


def _trip(node: ast.AST, shapes: dict, launch) -> float:
    if not isinstance(node, ast.Call) or not 1 <= len(node.args) <= 3:
        return _UNKNOWN_TRIP
    bounds = [_value(arg, shapes, launch) for arg in node.args]
    if any(b is None for b in bounds):
        return _UNKNOWN_TRIP
    if len(bounds) == 1:
        bounds = [0, bounds[0]]
    step = bounds[2] if len(bounds) == 3 else 1
    return max(1.0, (bounds[1] - bounds[0]) / step) if step else 1.0


def _value(node: ast.AST, shapes: dict, launch):
    """A loop bound made of numbers, array shapes and the block size, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left, shapes, launch), _value(node.right, shapes, launch)
        if left is None or right is None:
            return None
        operators = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}
        if isinstance(node.op, (ast.FloorDiv, ast.Div)):
            return left // right if right else None
        operator = operators.get(type(node.op))
        return None if operator is None else int(operator(left, right))
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "shape"
        and isinstance(node.value.value, ast.Name)
        and isinstance(node.slice, ast.Constant)
    ):
        shape = shapes.get(node.value.value.id)
        if (
            shape is not None
            and isinstance(node.slice.value, int)
            and node.slice.value < len(shape)
        ):
            return shape[node.slice.value]
    if (
        isinstance(node, ast.Attribute)
        and node.attr in "xyz"
        and isinstance(node.value, ast.Attribute)
    ):
        if node.value.attr == "blockDim":
            return launch.blockdim["xyz".index(node.attr)]
    return None
