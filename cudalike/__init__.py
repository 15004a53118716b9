"""cudalike: learn accelerator kernel programming on any laptop.

- `from cudalike import cuda`: numba.cuda's API on a CPU engine with sanitizer-grade checks.
- `from cudalike import cann`: Ascend C's model (TPipe, TQue, DataCopy, vector instructions)
  with a pipe-level NPU timing model.
- `cudalike.profiler`: what the modelled device would do with each launch.
- `cudalike.devices`: the modelled GPUs; `cudalike.config`: the options; `cudalike.use`: the
  backend.
- `cudalike.install()` / `cudalike.uninstall()`: drop-in mode, where `numba.cuda` itself
  resolves to cudalike (also `%load_ext cudalike` in IPython, `python -m cudalike script.py`).
"""

from cudalike import cann, config, cuda, devices, errors, profiler
from cudalike.config import use
from cudalike.dropin import install, uninstall


def load_ipython_extension(ipython) -> None:
    """`%load_ext cudalike`: numba.cuda resolves to cudalike in this kernel from now on."""
    install()


def unload_ipython_extension(ipython) -> None:
    """`%unload_ext cudalike`: numba.cuda is numba-cuda's again."""
    uninstall()


__all__ = [
    "cann",
    "config",
    "cuda",
    "devices",
    "errors",
    "install",
    "profiler",
    "uninstall",
    "use",
]
