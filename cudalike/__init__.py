"""cudalike: learn accelerator kernel programming on any laptop.

`from cudalike import cuda` gives numba.cuda's API on a CPU engine with sanitizer-grade
checks; `cudalike.config` holds the options and `cudalike.use` picks the backend.
"""

from cudalike import config, cuda, errors
from cudalike.config import use

__all__ = ["config", "cuda", "errors", "use"]
