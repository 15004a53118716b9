"""cudalike: learn accelerator kernel programming on any laptop.

`from cudalike import cuda` gives numba.cuda's API on a CPU engine with sanitizer-grade
checks; `cudalike.profiler` models what a GPU would do with each launch; `cudalike.devices`
lists the modelled GPUs; `cudalike.config` holds the options and `cudalike.use` picks the
backend.
"""

from cudalike import config, cuda, devices, errors, profiler
from cudalike.config import use

__all__ = ["config", "cuda", "devices", "errors", "profiler", "use"]
