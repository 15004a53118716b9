"""Drop-in mode: make `numba.cuda` mean cudalike's cuda in this process, and undo it.

`install()` lets a program written for numba.cuda run unchanged on cudalike's engine:
`import numba.cuda`, `from numba import cuda`, `numba.cuda.jit` and
`from numba.cuda.random import ...` then all reach cudalike. It works by module aliasing:

- `sys.modules["numba.cuda"]` becomes a small module named "numba.cuda" whose attributes are
  those of `cudalike.cuda` (so kernels, device arrays, streams and events are cudalike's);
  `sys.modules["numba.cuda.random"]` becomes `cudalike.cuda.random`; the `cuda` attribute of
  the real `numba` package points at the same alias.
- A meta-path finder answers for every other `numba.cuda.<submodule>` (numba-cuda's own
  internals: `numba.cuda.testing`, `numba.cuda.types`, `numba.cuda.cudadrv`, ...): it imports
  the real submodule with the real `numba.cuda` briefly put back, so that numba-cuda's
  internals keep seeing themselves. Attributes of the real `numba.cuda` that are modules
  (`config`, `types`) reach the same real modules through the alias.
- Kernels defined by `exec` of a string get a readable source: while installed, `exec` of
  source text that defines a function compiles it under a name such as "<exec 3>" kept in
  `linecache`, so cudalike can read the kernel's source (plain `exec` leaves none to read).
- `numba.vectorize` and `numba.guvectorize` with `target='cuda'` build cudalike's ufuncs
  (cudalike.cuda.ufuncs); every other target reaches numba's own decorators.
- Otherwise `numba` itself is untouched: `numba.njit`, `numba.float32` and numba's own
  imports behave as before.

`uninstall()` restores `sys.modules`, the `numba.cuda` attribute, the meta path and `exec`
exactly as they were (a real numba.cuda first imported while installed stays imported), and
numba's `vectorize` and `guvectorize`.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import itertools
import linecache
import sys
import types
from collections.abc import Iterator

_ALIASED = ("numba.cuda", "numba.cuda.random")
_MISSING = object()


class _NumbaCudaAlias(types.ModuleType):
    """`numba.cuda` while installed: cudalike.cuda's attributes, and numba-cuda's modules."""

    def __getattr__(self, name: str):
        import cudalike.cuda

        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return getattr(cudalike.cuda, name)
        except AttributeError:
            pass
        with _real_numba_cuda() as real:
            value = getattr(real, name, None)
        if isinstance(value, types.ModuleType):
            return value  # an internal of numba-cuda (config, types, core, ...)
        raise AttributeError(f"numba.cuda.{name} is not provided by cudalike (drop-in mode)")

    def __dir__(self) -> list[str]:
        import cudalike.cuda

        return sorted(set(dir(cudalike.cuda)) | set(self.__dict__))


class _State:
    """What install() changed, to be put back by uninstall()."""

    def __init__(self) -> None:
        self.installed = False
        self.saved_modules: dict[str, object] = {}
        self.saved_attribute: object = _MISSING
        self.real: dict[str, types.ModuleType] = {}
        self.aliases: dict[str, types.ModuleType] = {}
        self.finder: _SubmoduleFinder | None = None
        self.decorators: dict[str, object] = {}


_state = _State()


def is_installed() -> bool:
    """Whether `numba.cuda` currently resolves to cudalike in this process."""
    return _state.installed


def install() -> None:
    """Make `numba.cuda` (and `numba.cuda.random`) resolve to cudalike's modules.

    Idempotent: a second call does nothing. See the module docstring for how it works.
    """
    if _state.installed:
        return
    import numba

    import cudalike.cuda
    import cudalike.cuda.random

    alias = _NumbaCudaAlias("numba.cuda", cudalike.cuda.__doc__)
    alias.__path__ = []  # a package, so `import numba.cuda.<sub>` reaches the finder
    _state.aliases = {"numba.cuda": alias, "numba.cuda.random": cudalike.cuda.random}
    _state.saved_modules = {name: sys.modules.get(name, _MISSING) for name in _ALIASED}
    _state.saved_attribute = numba.__dict__.get("cuda", _MISSING)
    _state.real = {
        name: module
        for name, module in _state.saved_modules.items()
        if isinstance(module, types.ModuleType)
    }
    _state.finder = _SubmoduleFinder()
    sys.meta_path.insert(0, _state.finder)
    builtins.exec = _exec_keeping_source
    _state.decorators = {name: getattr(numba, name) for name in ("vectorize", "guvectorize")}
    numba.vectorize = _cuda_target(numba.vectorize, cudalike.cuda.vectorize)
    numba.guvectorize = _cuda_target(numba.guvectorize, cudalike.cuda.guvectorize)
    _apply_aliases()
    _state.installed = True


def _cuda_target(numba_decorator, cudalike_decorator):
    """numba's (gu)vectorize, except that `target='cuda'` builds cudalike's ufunc."""

    def decorator(*args, **kwargs):
        if kwargs.get("target") == "cuda":
            kwargs.pop("target")
            return cudalike_decorator(*args, **kwargs)
        return numba_decorator(*args, **kwargs)

    decorator.__doc__ = numba_decorator.__doc__
    decorator.__name__ = numba_decorator.__name__
    return decorator


def uninstall() -> None:
    """Undo install(): `numba.cuda` is numba-cuda's again. Does nothing when not installed."""
    if not _state.installed:
        return
    import numba

    if _state.finder in sys.meta_path:
        sys.meta_path.remove(_state.finder)
    builtins.exec = _original_exec
    for name, decorator in _state.decorators.items():
        setattr(numba, name, decorator)
    for name in _ALIASED:
        original = _state.saved_modules.get(name, _MISSING)
        if original is _MISSING:
            original = _state.real.get(name, _MISSING)  # first imported while installed
        if original is _MISSING:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = original
    attribute = _state.saved_attribute
    if attribute is _MISSING and "numba.cuda" in _state.real:
        attribute = _state.real["numba.cuda"]
    if attribute is _MISSING:
        numba.__dict__.pop("cuda", None)
    else:
        numba.cuda = attribute
    _state.__init__()


def _apply_aliases() -> None:
    import numba

    sys.modules.update(_state.aliases)
    numba.cuda = _state.aliases["numba.cuda"]


@contextlib.contextmanager
def _real_numba_cuda() -> Iterator[types.ModuleType]:
    """Put the real numba.cuda back for a moment (importing it if needed) and yield it."""
    if not _state.installed:
        yield importlib.import_module("numba.cuda")
        return
    import numba

    for name in _ALIASED:
        if name in _state.real:
            sys.modules[name] = _state.real[name]
        else:
            sys.modules.pop(name, None)
    if "numba.cuda" in _state.real:
        numba.cuda = _state.real["numba.cuda"]
    else:  # `import numba.cuda.x as y` inside numba-cuda must find the package being imported
        numba.__dict__.pop("cuda", None)
    try:
        real = importlib.import_module("numba.cuda")
        _state.real["numba.cuda"] = real
        if "numba.cuda.random" in sys.modules:
            _state.real["numba.cuda.random"] = sys.modules["numba.cuda.random"]
        yield real
    finally:
        for name in _ALIASED:
            if name in sys.modules and sys.modules[name] is not _state.aliases[name]:
                _state.real[name] = sys.modules[name]
        _apply_aliases()


def real_module(name: str) -> types.ModuleType:
    """Import numba-cuda's own module `name` (e.g. "numba.cuda.random"), installed or not."""
    if not _state.installed:
        return importlib.import_module(name)
    with _real_numba_cuda():
        return importlib.import_module(name)


class _SubmoduleFinder(importlib.abc.MetaPathFinder):
    """Finds `numba.cuda.<sub>` while installed: numba-cuda's real submodule."""

    def find_spec(self, fullname: str, path, target=None):
        if not fullname.startswith("numba.cuda.") or fullname in _ALIASED:
            return None
        if sys.modules.get("numba.cuda") is not _state.aliases.get("numba.cuda"):
            return None  # the real package is in place: let numba-cuda's finders answer
        module = real_module(fullname)
        return importlib.machinery.ModuleSpec(fullname, _Imported(module))


class _Imported(importlib.abc.Loader):
    """A loader for a module that is already imported (by the finder, under its real parent)."""

    def __init__(self, module: types.ModuleType):
        self.module = module
        self.spec = module.__spec__

    def create_module(self, spec) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__ = self.spec  # the import system set ours; keep numba-cuda's own


_original_exec = builtins.exec
_exec_numbers = itertools.count(1)


def _exec_keeping_source(source, globals=None, locals=None, /, **keywords):  # noqa: A002
    """`exec`, but source text that defines a function is kept in linecache under "<exec N>"."""
    if isinstance(source, (str, bytes)) and b"def " in (
        source if isinstance(source, bytes) else source.encode()
    ):
        if globals is None:
            caller = sys._getframe(1)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        text = source.decode() if isinstance(source, bytes) else source
        filename = f"<exec {next(_exec_numbers)}>"
        linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
        source = compile(text, filename, "exec", dont_inherit=True)
    return _original_exec(source, globals, locals, **keywords)
