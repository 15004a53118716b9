"""cudalike: learn accelerator kernel programming on any laptop.

- `from cudalike import cuda`: numba.cuda's API on a CPU engine with sanitizer-grade checks.
- `from cudalike import cann`: Ascend C's model (TPipe, TQue, DataCopy, vector instructions)
  with a pipe-level NPU timing model.
- `cudalike.profiler`: what the modelled device would do with each launch.
- `cudalike.devices`: the modelled GPUs; `cudalike.config`: the options; `cudalike.use`: the
  backend.
"""

from cudalike import cann, config, cuda, devices, errors, profiler
from cudalike.config import use

__all__ = ["cann", "config", "cuda", "devices", "errors", "profiler", "use"]
