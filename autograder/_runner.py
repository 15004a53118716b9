"""The trusted side of the child process that `autograder.sandbox` starts.

Run as `python -m autograder._runner SPEC_FD RESULT_FD`. Stages, in order:
1. read the job, its arguments, the extracted submission and the limits from SPEC_FD (written
   by the grader; nothing of the submission has run yet), and close it;
2. set the resource limits on this process;
3. `load` the extracted module: the grader's imports, then each piece compiled under its cell's
   name and line numbers (so runtime errors say 'cell 3:4'), with a short list of built-ins;
4. call `job(submission, *args)` and write one message to RESULT_FD: the value, the error
   raised (class name, message, coordinates) or memory exhausted.
The submission's output goes to stdout and stderr, which the grader only captures.
"""

from __future__ import annotations
import __future__

import ast
import builtins
import importlib
import linecache
import os
import pickle
import resource
import signal
import sys
import time
import types

from autograder import _channel, _rules
from autograder.extract import Extracted

# Coordinates the runtime's errors carry (cudalike.errors), passed on when they are plain.
_ERROR_FIELDS = ("kernel", "filename", "line", "source", "block", "thread", "warp", "hint")


def main(spec_fd: int, result_fd: int) -> None:
    """Run one job (stages 1-4 of the module docstring) and exit."""
    with os.fdopen(spec_fd, "rb") as spec:
        job, args, extracted, limits = pickle.load(spec)
    _set_limits(limits)
    try:
        submission = load(extracted) if extracted is not None else None
        message = {"status": "ok", "value": job(submission, *args)}
    except MemoryError as error:
        message = {"status": "memory", "message": f"memory exhausted: {error}"}
    except BaseException as error:  # noqa: B036 - every failure becomes a verdict
        message = _error_message(error)
    try:
        _channel.send(result_fd, message)
    except _channel.MalformedResult as error:
        _channel.send(result_fd, {"status": "malformed", "message": str(error)})
    sys.stdout.flush()
    sys.stderr.flush()


def _set_limits(limits) -> None:
    used = time.process_time()
    cpu = int(used + limits.cpu_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG


def load(extracted: Extracted) -> types.ModuleType:
    """Build the submission's module from its extracted pieces (stage 3)."""
    module = types.ModuleType("submission", f"Extracted from {extracted.filename}.")
    safe = {name: getattr(builtins, name) for name in _rules.BUILTINS}
    module.__dict__["__builtins__"] = {**safe, "__build_class__": builtins.__build_class__}
    _register_sources(extracted)
    for piece in extracted.pieces:
        if piece.kind == "import":
            module.__dict__[piece.name] = _import(piece.module, piece.attribute)
            continue
        tree = ast.parse(piece.source)
        ast.increment_lineno(tree, piece.line - 1)
        flags = __future__.annotations.compiler_flag  # annotations are never evaluated
        code = compile(tree, piece.filename, "exec", flags=flags, dont_inherit=True)
        exec(code, module.__dict__)  # a def or class statement checked by extract
    return module


def _import(module_name: str, attribute: str | None):
    module = importlib.import_module(module_name)
    if attribute is None:
        return module
    try:
        return getattr(module, attribute)
    except AttributeError:
        return importlib.import_module(f"{module_name}.{attribute}")


def _register_sources(extracted: Extracted) -> None:
    """Give each cell's pieces to linecache, at their lines, so `inspect` finds kernel source."""
    files: dict[str, list[str]] = {}
    for piece in extracted.pieces:
        lines = files.setdefault(piece.filename, [])
        for offset, text in enumerate(piece.source.splitlines()):
            index = piece.line - 1 + offset
            lines.extend("\n" for _ in range(index + 1 - len(lines)))
            lines[index] = text + "\n"
    for filename, lines in files.items():
        linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)


def _error_message(error: BaseException) -> dict:
    details = {
        field: getattr(error, field)
        for field in _ERROR_FIELDS
        if _is_plain(getattr(error, field, None))
    }
    return {
        "status": "error",
        "kind": type(error).__name__,
        "message": str(error),
        "details": details,
    }


def _is_plain(value) -> bool:
    if isinstance(value, tuple):
        return all(type(item) is int for item in value)
    return type(value) in (int, str)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
