"""`cuda.jit` and the kernel object: compile on first launch, check the launch, run, report.

A launch goes through these steps:
1. `kernel[griddim, blockdim, stream, sharedmem]` is checked as CUDA would check it.
2. The kernel and the device functions it calls are lowered to vector programs (once; module
   globals are frozen then, as numba does).
3. Arguments become buffers: device arrays are used in place, numpy arrays are copied in and,
   after a successful launch, copied back (as numba does), so a failing kernel leaves the
   caller's arrays untouched.
4. The engine runs the program; any fault is reported at the learner's line and thread.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

import numpy as np

from cudalike import config as _config
from cudalike.errors import (
    KernelError,
    KernelRuntimeError,
    LaunchConfigError,
    UnsupportedConstructError,
)
from cudalike.simt import arguments, engine, frontend, lowering, overloads, profiling
from cudalike.simt.compiled import run_compiled
from cudalike.simt.launch_errors import LaunchTypeError, LaunchValueError

MAX_THREADS_PER_BLOCK = 1024
MAX_BLOCK_DIM = (1024, 1024, 64)
MAX_GRID_DIM = (2**31 - 1, 65535, 65535)
MAX_DYNAMIC_SHARED = 227 * 1024
_SITE_STRIDE = 1_000_000


def jit(func_or_sig=None, device: bool = False, **options):
    """Compile a kernel (or, with device=True, a device function), like numba.cuda.jit.

    Usable bare (`@cuda.jit`), with options (`@cuda.jit(device=True)`) or with a signature
    (`@cuda.jit("void(float32[:], float32[:])")`). Options numba accepts for code generation
    (debug, opt, lineinfo, fastmath, cache, inline, link, max_registers) are accepted and have
    no effect on the CPU.

    Differences: the kernel is checked against the kernel language when it is decorated and
    lowered at its first launch; a declared signature is checked against the arguments.
    """
    if isinstance(func_or_sig, types.FunctionType):
        return Dispatcher(func_or_sig, device=device, signature=None, options=options)
    if isinstance(func_or_sig, Dispatcher):
        return func_or_sig

    def decorate(function: Callable) -> Dispatcher:
        return Dispatcher(function, device=device, signature=func_or_sig, options=options)

    return decorate


class Dispatcher:
    """A @cuda.jit function: a kernel to launch with [griddim, blockdim], or a device function."""

    _next_id = 0

    def __init__(self, function: Callable, *, device: bool, signature, options: dict):
        if not isinstance(function, types.FunctionType):
            raise TypeError(f"cuda.jit expects a Python function, got {type(function).__name__}")
        self.py_func = function
        self.__name__ = function.__name__
        self.__doc__ = function.__doc__
        self.__wrapped__ = function
        self.device = device
        self.signature = signature
        self.options = options
        self.parsed = frontend.parse(function)
        Dispatcher._next_id += 1
        self.site_base = Dispatcher._next_id * _SITE_STRIDE
        self._compiled: dict[bool, object] = {}
        self._lowered_variants: dict[bool, list] = {}  # per variant: (dispatcher, program)
        self._numba = None
        self.extensions = list(options.get("extensions", ()))
        self.specializations: dict[tuple, Dispatcher] = {}
        self._specialized = False
        self._overloads: dict = {}
        self._launched_types: set = set()
        self._device_twin: Dispatcher | None = None
        if signature is not None and not device:
            key = overloads.signature_key(signature)
            self._overloads[key] = overloads.Overload(self, key)

    # ---- numba's dispatcher API ---------------------------------------------------------
    @property
    def overloads(self) -> dict:
        """The compiled forms of the kernel, keyed by argument types (numba's overloads)."""
        return overloads.overloads_of(self)

    @property
    def specialized(self) -> bool:
        """True for a kernel fixed to one set of argument types (a signature or specialize())."""
        return self._specialized or self.signature is not None

    def specialize(self, *args) -> Dispatcher:
        """The kernel fixed to the types of `args` (example values or numba types), as numba's
        specialize(); asking twice for the same types gives the same kernel."""
        if self.specialized:
            raise RuntimeError("Dispatcher already specialized")
        key = overloads.type_key(args)
        if key not in self.specializations:
            kernel = Dispatcher(
                self.py_func, device=self.device, signature=None, options=self.options
            )
            kernel._specialized = True
            kernel._overloads[key] = overloads.Overload(kernel, key)
            self.specializations[key] = kernel
        return self.specializations[key]

    def as_device_function(self) -> Dispatcher:
        """This kernel called from another kernel, which numba compiles as a device function
        (it may then return a value); made once."""
        if self._device_twin is None:
            self._device_twin = Dispatcher(
                self.py_func, device=True, signature=None, options=self.options
            )
        return self._device_twin

    def configure(self, griddim, blockdim, stream=0, sharedmem: int = 0) -> Callable:
        """numba's older launch form: kernel.configure(griddim, blockdim)(args)."""
        return self[griddim, blockdim, stream, sharedmem]

    # ---- compilation --------------------------------------------------------------------
    def _functions(self, counting: bool = False) -> list[tuple[Dispatcher, lowering.Program]]:
        """This function and every device function it reaches, each lowered once."""
        lowered: dict[int, tuple[Dispatcher, lowering.Program]] = {}
        pending: list[tuple[Dispatcher, tuple]] = [(self, ())]
        recursive: set[int] = set()
        while pending:
            dispatcher, chain = pending.pop()
            if id(dispatcher) in lowered:
                continue
            debug = bool(self.options.get("debug"))
            resolver = frontend.Resolver(dispatcher.py_func, dispatcher.parsed, debug=debug)
            program = lowering.lower(
                dispatcher.parsed,
                resolver,
                device=dispatcher.device,
                counting=counting,
                site_base=dispatcher.site_base,
            )
            lowered[id(dispatcher)] = (dispatcher, program)
            for callee, _ in program.device_calls:
                if callee is dispatcher or callee in chain:
                    recursive.add(id(callee))
                    continue
                pending.append((callee, (*chain, dispatcher)))
        for key in recursive:
            _stop_when_no_lane_is_active(lowered[key][1])
        return list(lowered.values())

    def compile(self, counting: bool = False):
        """Lower the kernel to its vector program (once; a counting variant for profiling)."""
        if counting not in self._compiled:
            namespace: dict = {}
            functions = self._functions(counting)
            for dispatcher, program in functions:
                namespace.update(program.namespace)
                filename = f"<cudalike vector program of {dispatcher.__name__}>"
                _remember_source(filename, program.source)
                exec(compile(program.source, filename, "exec"), namespace)
            if not counting:
                self._functions_lowered = functions
            self._lowered_variants[counting] = functions
            self._compiled[counting] = namespace.get(f"__kernel_{self.__name__}")
        return self._compiled[counting]

    @property
    def vector_source(self) -> str:
        """The vector program this kernel is lowered to (and its device functions)."""
        self.compile()
        return "\n".join(program.source for _, program in self._functions_lowered)

    def inspect_vector(self, file=None) -> None:
        """Print the generated vector program, the way numba's inspect_types prints types."""
        print(self.vector_source, file=file or sys.stdout)

    # ---- where lines come from ----------------------------------------------------------
    def _owner(self, site: int) -> frontend.ParsedFunction:
        for dispatcher, _ in getattr(self, "_functions_lowered", [(self, None)]):
            if dispatcher.site_base == site - site % _SITE_STRIDE:
                return dispatcher.parsed
        return self.parsed

    def line_of(self, site: int) -> int:
        return site % _SITE_STRIDE

    def source_of(self, site: int) -> str:
        return self._owner(site).source_line(site % _SITE_STRIDE)

    def filename_of(self, site: int) -> str:
        return self._owner(site).filename

    # ---- launching ----------------------------------------------------------------------
    def __getitem__(self, launch_config) -> Callable:
        if self.device:
            raise TypeError(f"'{self.__name__}' is a device function: call it from a kernel")
        if not isinstance(launch_config, tuple) or not 2 <= len(launch_config) <= 4:
            raise LaunchConfigError(
                f"launch '{self.__name__}' as {self.__name__}[blocks, threads](args) "
                "(optionally [blocks, threads, stream, shared_bytes])"
            )
        griddim, blockdim, stream, sharedmem = (*launch_config, 0, 0)[:4]
        _dimensions("grid", griddim, MAX_GRID_DIM, self.__name__)  # refused now, as numba does
        _dimensions("block", blockdim, MAX_BLOCK_DIM, self.__name__)
        return lambda *args: self.launch(griddim, blockdim, stream, sharedmem, args)

    def forall(self, ntasks: int, tpb: int = 0, stream=0, sharedmem: int = 0) -> Callable:
        """Launch enough 1-D blocks to cover `ntasks` threads (numba's kernel.forall).

        As in numba, a negative count is refused and a count of 0 launches nothing.
        """
        ntasks = int(ntasks)
        if ntasks < 0:
            raise ValueError(
                f"kernel '{self.__name__}': Can't create ForAll with negative task count: "
                f"forall needs ntasks >= 0, got {ntasks}"
            )
        if ntasks == 0:
            return lambda *args: None
        threads = tpb or 128
        return self[(-(-ntasks // threads), threads, stream, sharedmem)]

    def __call__(self, *args):
        if self.device:
            raise TypeError(f"device function '{self.__name__}' can only be called from a kernel")
        raise LaunchValueError(
            f"kernel '{self.__name__}': the launch configuration was not specified; launch it "
            f"as {self.__name__}[blocks_per_grid, threads_per_block]"
            f"({', '.join(self.parsed.params)})"
        )

    def launch(self, griddim, blockdim, stream, sharedmem, args: tuple) -> None:
        settings = _config.get()
        if settings.backend == "numba-cuda":
            from cudalike.simt import numba_backend

            numba_backend.launch(self, griddim, blockdim, stream, sharedmem, args)
            return
        griddim = _dimensions("grid", griddim, MAX_GRID_DIM, self.__name__)
        blockdim = _dimensions("block", blockdim, MAX_BLOCK_DIM, self.__name__)
        threads = blockdim[0] * blockdim[1] * blockdim[2]
        if threads > MAX_THREADS_PER_BLOCK:
            raise LaunchConfigError(
                f"kernel '{self.__name__}' launched with {threads} threads per block "
                f"({' x '.join(map(str, blockdim))}); CUDA allows at most "
                f"{MAX_THREADS_PER_BLOCK} (the launch fails with CUDA_ERROR_INVALID_VALUE)"
            )
        if not 0 <= int(sharedmem) <= MAX_DYNAMIC_SHARED:
            raise LaunchConfigError(
                f"kernel '{self.__name__}' asks for {int(sharedmem)} bytes of dynamic shared "
                f"memory; the device allows at most {MAX_DYNAMIC_SHARED} bytes per block"
            )
        if len(args) != len(self.parsed.params):
            raise TypeError(
                f"kernel '{self.__name__}' takes {len(self.parsed.params)} arguments "
                f"({', '.join(self.parsed.params)}) but was given {len(args)}"
            )
        args, write_backs = overloads.prepare_extensions(self.extensions, args, stream)
        if overloads.uses_grid_sync(self):
            blocks = griddim[0] * griddim[1] * griddim[2]
            overloads.check_cooperative_launch(self, blocks, blockdim, int(sharedmem))
        modelled = profiling.wanted(stream)
        self.compile()
        program = self.compile(counting=modelled)
        buffers, copies_back = arguments.kernel_arguments(self, args)
        tracked = _tracked(self, arguments.buffers_of(buffers))
        state = engine.Launch(self, griddim, blockdim, int(sharedmem), settings, tracked)
        if modelled:
            profiling.prepare(state, self, sharedmem)
        try:
            if modelled or not run_compiled(self, state, buffers):
                engine.run(program, state, buffers)
        except KernelError as error:
            raise error.with_traceback(None) from None
        except (LaunchConfigError, UnsupportedConstructError) as error:
            raise error.with_traceback(None) from None
        except Exception as error:  # a Python fault inside the generated program
            report = _runtime_error(self, error, self._lowered_variants[modelled])
            if self.options.get("debug"):
                report = overloads.as_exception_of_kind(report, error)
            raise report from None
        for copy_back in copies_back:
            copy_back()
        for write_back in write_backs:
            write_back()
        if not self.specialized:
            overloads.remember(self, args)
        if modelled:
            profiling.finish(state, self, stream)


def _stop_when_no_lane_is_active(program: lowering.Program) -> None:
    """A recursive device function returns at once when called with no lane active: each
    call runs for the lanes that still recurse, so the recursion ends when every lane has
    reached its base case (numba recurses per thread; this is the same, lane by lane). The
    result of such a call is never used: 0 keeps the caller's arithmetic on it valid."""
    header, body = program.source.split("\n", 1)
    guard = "    if __m is False:\n        return 0\n"
    program.source = f"{header}\n{guard}{body}"
    program.line_map[1:1] = [program.line_map[0]] * 2


def _dimensions(what: str, value, limits: tuple, kernel: str) -> tuple[int, int, int]:
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if not 1 <= len(values) <= 3:
        raise LaunchValueError(
            f"kernel '{kernel}': {what}dim must be a sequence of 1, 2 or 3 integers, "
            f"got {list(values)}"
        )
    if not all(isinstance(v, (int, np.integer)) for v in values):
        raise LaunchTypeError(
            f"kernel '{kernel}': {what}dim must be a sequence of integers, got {list(values)}"
        )
    values = tuple(int(v) for v in values) + (1,) * (3 - len(values))
    for axis, (size, limit) in enumerate(zip(values, limits, strict=True)):
        if size < 1:
            raise LaunchConfigError(
                f"kernel '{kernel}' launched with an empty {what} ({what} dimension "
                f"{'xyz'[axis]} is {size}); CUDA refuses a launch with no "
                f"{'blocks' if what == 'grid' else 'threads'}"
            )
        if size > limit:
            raise LaunchConfigError(
                f"kernel '{kernel}': {what} dimension {'xyz'[axis]} is {size}, over CUDA's "
                f"limit of {limit}"
            )
    return values


def _tracked(kernel: Dispatcher, buffers: list) -> dict:
    """Global buffers that may be written in this launch, each mapped to its shadow's owner."""
    written = kernel._functions_lowered[0][1].written_params
    owners: dict = {}
    tracked: dict = {}

    def is_written(buffer) -> bool:  # a tuple's element 'x[0]' is written through 'x'
        return buffer.name.split("[")[0] in written

    for buffer in buffers:
        aliased = any(
            o is not buffer and is_written(o) and np.shares_memory(o.base, buffer.base)
            for o in buffers
        )
        if is_written(buffer) or aliased:
            key = (buffer.storage.__array_interface__["data"][0], buffer.storage.size)
            tracked[id(buffer)] = owners.setdefault(key, buffer)
    return tracked


def _runtime_error(kernel: Dispatcher, error: Exception, lowered: list) -> KernelRuntimeError:
    """The report of a Python fault in the program that ran (`lowered`: its functions; the
    profiling variant has other line numbers than the plain one)."""
    site = None
    traceback = error.__traceback__
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_filename.startswith("<cudalike vector program of "):
            owner = code.co_filename[len("<cudalike vector program of ") : -1]
            for dispatcher, program in lowered:
                if dispatcher.__name__ == owner and traceback.tb_lineno <= len(program.line_map):
                    line = program.line_map[traceback.tb_lineno - 1]
                    site = dispatcher.site_base + line
        traceback = traceback.tb_next
    if site is None:
        return KernelRuntimeError(
            f"{type(error).__name__}: {error}",
            kernel=kernel.__name__,
            filename=kernel.parsed.filename,
        )
    hint = "this operation is not valid for the values it got (check types and shapes)"
    if isinstance(error, IndexError) and not _config.get().checks:
        # numpy's own message: the thread and the array are named only by the checks
        hint = (
            "an index is out of bounds; checks are off, so the block and thread that made the "
            "access are not known: run it again with cudalike.config.override(checks=True)"
        )
    return KernelRuntimeError(
        f"{type(error).__name__}: {error}",
        kernel=kernel.__name__,
        filename=kernel.filename_of(site),
        line=kernel.line_of(site),
        source=kernel.source_of(site),
        hint=hint,
    )


def _remember_source(filename: str, source: str) -> None:
    import linecache

    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
