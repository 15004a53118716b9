"""How cudalike's errors read inside IPython and Jupyter: the learner's cells, not our internals.

Two things, both only when IPython is running (plain Python is left alone):

- `display_filename` names a notebook cell the way IPython does ("Cell In[7]") instead of the
  temporary file the cell was compiled from, so SIMT and CANN errors both say
  "at Cell In[7]:3".
- `render_traceback` is what `CudalikeError._render_traceback_` returns: IPython asks an
  exception for its own traceback through that method before formatting one itself. It
  formats the error with IPython's usual formatter, but over a copy of the traceback with
  cudalike's own frames left out (the launcher, the engine, the CANN instructions), so the
  traceback starts at the learner's cell and, for a CANN kernel, ends at the learner's line in
  the kernel. The exception and its `__traceback__` are not changed, so `%debug` and
  `traceback.print_exception` still see every frame. The reference kernels and examples in
  cudalike.cann count as learner code, as they do for the error's file:line.
"""

from __future__ import annotations

import os
import sys
import traceback
import types

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_LEARNER_DIRS = tuple(
    os.path.join(_PACKAGE_DIR, "cann", folder) + os.sep for folder in ("examples", "kernels")
)


def _shell():
    """The running IPython shell, or None (IPython not imported or not running)."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None) if ipython else None
    return get_ipython() if get_ipython else None


def display_filename(filename: str) -> str:
    """`filename`, or "Cell In[N]" when it is the file IPython compiled cell N into."""
    shell = _shell()
    cells = getattr(getattr(shell, "compile", None), "_filename_map", None)
    if isinstance(cells, dict) and filename in cells:
        return f"Cell In[{cells[filename]}]"
    return filename


def is_internal(filename: str) -> bool:
    """True for a file of cudalike itself (not its example and reference kernels)."""
    path = os.path.abspath(filename)
    return path.startswith(_PACKAGE_DIR) and not path.startswith(_LEARNER_DIRS)


def without_internal_frames(tb: types.TracebackType | None) -> types.TracebackType | None:
    """A copy of the traceback chain `tb` with cudalike's own frames left out."""
    kept = []
    while tb is not None:
        if not is_internal(tb.tb_frame.f_code.co_filename):
            kept.append(tb)
        tb = tb.tb_next
    chain = None
    for entry in reversed(kept):
        chain = types.TracebackType(chain, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return chain


def render_traceback(error: BaseException) -> list[str]:
    """IPython's structured traceback of `error` without cudalike's frames or its chain.

    The chained exceptions (`raise ... from`, or an error raised while handling another) are
    cudalike's internals too, so they are not shown. Outside IPython this is never called.
    """
    shell = _shell()
    if shell is None:  # called by hand outside IPython: Python's own formatting
        return traceback.format_exception(error)
    formatter = shell.InteractiveTB
    cause, context = error.__cause__, error.__context__
    error.__cause__ = error.__context__ = None
    try:
        return formatter.structured_traceback(
            type(error), error, without_internal_frames(error.__traceback__)
        )
    finally:
        error.__cause__, error.__context__ = cause, context
