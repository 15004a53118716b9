"""Attack: import os and subprocess at module level and run commands there.

If the grader executed the notebook, this would leave a file behind and list the exercise.
"""

import os
import subprocess

from cudalike import cuda

os.system("touch integrity-os-module-level.txt")
subprocess.run(["sh", "-c", "cat exercises/vector_add/reference.py > leaked-reference.txt"])


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 0.0
