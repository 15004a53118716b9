"""The files `cudalike-grade new` writes (autograder/scaffold.py), one set per track.

`{{id}}` becomes the exercise id (also the kernel's name) and `{{class_name}}` a CamelCase
class name for the CANN kernel's operator class. Each set is a complete exercise that passes
`validate-exercise`: the reference and the solution compute the same thing the same way, and
the starter's stub leaves the output untouched, so it scores zero.
"""

from __future__ import annotations

_CHECK_MARKDOWN = """## Check your kernel

`check` grades the kernel you last ran: in a separate, sandboxed process, on the public sizes \
and on hidden ones, against the reference, with its modelled speed. Run it again after every \
change."""

_CHECK_CELL = """from autograder import check

check("{{id}}")"""

SIMT_TOML = """# {{id}}: SAXPY, out = alpha * x + y. Written by `cudalike-grade new`; edit freely.
# docs/instructors.md explains every field; `cudalike-grade validate-exercise` checks them.
id = "{{id}}"                     # the folder's name; lower case, digits and _
title = "SAXPY: out = alpha * x + y, one thread per element"
track = "simt"                    # numba.cuda-style kernels (`from cudalike import cuda`)
device = "H100"                   # speed is modelled on this GPU: H100, A100 or T4
# course = "cuda-basics"          # optional: the course (a folder of courses/) it belongs to
# lesson = "01"                   # optional: the lesson it follows (number or file stem)
hints = [                         # shown after a failed test, in order
    "One thread per element: i = cuda.grid(1).",
    "The grid is rounded up to whole blocks: guard with if i < out.size.",
]

[[kernels]]                       # the kernel the learner writes, and its arguments in order
name = "{{id}}"
args = ["x", "y", "alpha", "out"]

[sizes]                           # every size names the same variables
public = [{ n = 1000 }, { n = 4096 }]   # tried in the open; speed is measured at the largest
hidden = [{ n = 1 }, { n = 255 }, { n = 257 }, { n = 100003 }]   # awkward sizes, grading only

[inputs.x]                        # an array drawn uniformly from range
kind = "array"
shape = ["n"]
dtype = "float32"
range = [-10.0, 10.0]

[inputs.y]
kind = "array"
shape = ["n"]
dtype = "float32"
range = [-10.0, 10.0]

[inputs.alpha]                    # a scalar: range = [low, high], or value = "EXPR" of the size
kind = "scalar"
dtype = "float32"
range = [-4.0, 4.0]

[outputs.out]                     # starts as poison (a known NaN): unwritten elements are caught
shape = ["n"]
dtype = "float32"
# fill = "zeros"                  # only for an output the kernel accumulates into (+=)

[launch]                          # the grader runs {{id}}[grid, block](x, y, alpha, out)
grid = ["ceil_div(n, 256)"]
block = [256]

[tolerance.float32]               # |actual - expected| <= atol + rtol * |expected|
rtol = 1e-6
atol = 1e-6

[points]                          # speed points: modelled time at most max_ratio x the reference's
correctness = 8
speed = 2
speed_tiers = [{ max_ratio = 1.1, fraction = 1.0 }, { max_ratio = 2.0, fraction = 0.5 }]

[rules]                           # checked from the runtime's counters; break one, lose speed
no_atomics = true
block_size_multiple_of = 32
"""

SIMT_KERNEL = """@cuda.jit
def {{id}}(x, y, alpha, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = alpha * x[i] + y[i]
"""

SIMT_REFERENCE = f'''"""Reference for {{{{id}}}}: one guarded thread per element (the baseline)."""

from cudalike import cuda


{SIMT_KERNEL}'''

SIMT_SOLUTION = f'''"""Instructor solution for {{{{id}}}}: what a learner is expected to write."""

from cudalike import cuda


{SIMT_KERNEL}'''

SIMT_STARTER = [
    (
        "markdown",
        """# Exercise: SAXPY

Write the kernel `{{id}}(x, y, alpha, out)` so that every element of `out` becomes
`alpha * x[i] + y[i]`.

- The grader launches `{{id}}[(n + 255) // 256, 256](x, y, alpha, out)`, as the next cells do.
- The grid is rounded up to whole blocks, so guard the access (`if i < out.size`).
- Hidden sizes are tried too (1, 255, 257, 100003), and the modelled time on an H100 counts.

Replace the `# TODO` in the next cell, then run the cells after it.""",
    ),
    (
        "code",
        """import numpy as np

from cudalike import cuda


@cuda.jit
def {{id}}(x, y, alpha, out):
    # TODO: i = cuda.grid(1); if i is inside out, write out[i] = alpha * x[i] + y[i].
    pass""",
    ),
    (
        "code",
        """n = 1000
x = np.arange(n, dtype=np.float32)
y = np.ones(n, dtype=np.float32)
alpha = np.float32(2.0)
out = np.zeros(n, dtype=np.float32)

threads = 256
blocks = (n + threads - 1) // threads
{{id}}[blocks, threads](x, y, alpha, out)

print("first elements:", out[:6])
print("correct:", np.allclose(out, alpha * x + y))""",
    ),
    ("markdown", _CHECK_MARKDOWN),
    ("code", _CHECK_CELL),
]

CANN_TOML = """# {{id}}: z = x * y on float16, CANN style. Written by `cudalike-grade new`.
# docs/instructors.md explains every field; `cudalike-grade validate-exercise` checks them.
id = "{{id}}"
title = "CANN-style multiply: tiles, queues and double buffering"
track = "cann"                    # Ascend-C-style kernels (`from cudalike import cann`)
device = "Ascend910B"             # speed is modelled on this NPU
hints = [
    "Each block starts at tiling.blockLength * GetBlockIdx(); the last block may be shorter.",
    "CopyIn: AllocTensor, DataCopy GM -> UB, EnQue; Compute: DeQue, Mul, EnQue; CopyOut.",
    "A tail that is not a multiple of 32 bytes moves with DataCopyPad.",
]

[[kernels]]
name = "{{id}}"
args = ["x", "y", "z", "tiling"]  # "tiling" is the object the tiling function returns

[sizes]
public = [{ n = 4096 }, { n = 1000 }]
hidden = [{ n = 1 }, { n = 15 }, { n = 16 }, { n = 100003 }]

[inputs.x]
kind = "array"
shape = ["n"]
dtype = "float16"
range = [-4.0, 4.0]

[inputs.y]
kind = "array"
shape = ["n"]
dtype = "float16"
range = [-4.0, 4.0]

[outputs.z]
shape = ["n"]
dtype = "float16"

# blocks, tiling = reference.add_tiling(n, 8, 256), then {{id}}[blocks](x, y, z, tiling)
[launch]
tiling = "add_tiling"
tiling_args = ["n", 8, 256]

[tolerance.float16]
rtol = 1e-3
atol = 1e-3

[points]
correctness = 7
speed = 3
speed_tiers = [{ max_ratio = 1.1, fraction = 1.0 }, { max_ratio = 2.0, fraction = 0.5 }]

[rules]
ub_budget_bytes = 196608          # at most this much UB given out by InitBuffer per core
"""

_CANN_IMPORTS = """from cudalike import cann
from cudalike.cann import (
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    Mul,
    TPipe,
    TPosition,
    TQue,
)"""

_CANN_INIT = """BUFFER_NUM = 2


class {{class_name}}:
    def Init(self, x, y, z, tiling):
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.xGm = GlobalTensor(cann.half)
        self.yGm = GlobalTensor(cann.half)
        self.zGm = GlobalTensor(cann.half)
        self.xGm.SetGlobalBuffer(x.cast(cann.half) + start, self.blockLength)
        self.yGm.SetGlobalBuffer(y.cast(cann.half) + start, self.blockLength)
        self.zGm.SetGlobalBuffer(z.cast(cann.half) + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.inQueueY = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueZ = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 2)
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, self.tileLength * 2)
        self.pipe.InitBuffer(self.outQueueZ, BUFFER_NUM, self.tileLength * 2)
"""

_CANN_BODY = """
    def Process(self):
        tiles = -(-self.blockLength // self.tileLength)
        for i in range(tiles):
            length = min(self.tileLength, self.blockLength - i * self.tileLength)
            self.CopyIn(i, length)
            self.Compute(i, length)
            self.CopyOut(i, length)

    def CopyIn(self, progress, length):
        xLocal = self.inQueueX.AllocTensor(cann.half)
        yLocal = self.inQueueY.AllocTensor(cann.half)
        self.Move(xLocal, self.xGm[progress * self.tileLength], length)
        self.Move(yLocal, self.yGm[progress * self.tileLength], length)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self, progress, length):
        xLocal = self.inQueueX.DeQue(cann.half)
        yLocal = self.inQueueY.DeQue(cann.half)
        zLocal = self.outQueueZ.AllocTensor(cann.half)
        Mul(zLocal, xLocal, yLocal, length)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self, progress, length):
        zLocal = self.outQueueZ.DeQue(cann.half)
        self.Move(self.zGm[progress * self.tileLength], zLocal, length)
        self.outQueueZ.FreeTensor(zLocal)

    def Move(self, dst, src, length):
        if length * 2 % 32 == 0:
            DataCopy(dst, src, length)
        else:
            DataCopyPad(dst, src, DataCopyExtParams(1, length * 2, 0, 0, 0))
"""

_CANN_STUB = """
    def Process(self):
        # TODO: for each tile of this block (the last one may be short), copy x and y in,
        # z = x * y with Mul(zLocal, xLocal, yLocal, length), and copy z out.
        pass
"""

_CANN_LAUNCHER = """

@cann.kernel
def {{id}}(x, y, z, tiling):
    op = {{class_name}}()
    op.Init(x, y, z, tiling)
    op.Process()
"""

CANN_REFERENCE = f'''"""Reference for {{{{id}}}}: z = x * y tile by tile; the library's tiling."""

{_CANN_IMPORTS}
from cudalike.cann.kernels.add import add_tiling

__all__ = ["add_tiling", "{{{{id}}}}"]

{_CANN_INIT}{_CANN_BODY}{_CANN_LAUNCHER}'''

CANN_SOLUTION = f'''"""Instructor solution for {{{{id}}}}: what a learner is expected to write."""

{_CANN_IMPORTS}

{_CANN_INIT}{_CANN_BODY}{_CANN_LAUNCHER}'''

CANN_STARTER = [
    (
        "markdown",
        """# Exercise: a CANN-style multiply

Complete `{{class_name}}` so that `{{id}}(x, y, z, tiling)` computes `z = x * y` on `float16`
vectors the way an Ascend C kernel does: walk this block's share tile by tile
(`tiling.tileLength` elements, the last tile may be short); for each, `AllocTensor` and
`DataCopy` x and y into UB and `EnQue` them, `DeQue` them, `Mul` into a tensor of the output
queue, and copy it back to GM. A tail that is not a multiple of 32 bytes moves with
`DataCopyPad(dst, src, DataCopyExtParams(1, length * 2, 0, 0, 0))`.

The grader runs `blocks, tiling = add_tiling(n, 8, 256)` and `{{id}}[blocks](x, y, z, tiling)`,
also for sizes such as 1, 15 and 100003. Replace the `# TODO`, then run the cells after it.""",
    ),
    (
        "code",
        "import numpy as np\n\n"
        + _CANN_IMPORTS
        + "\nfrom cudalike.cann.kernels.add import add_tiling\n\n"
        + _CANN_INIT
        + _CANN_STUB
        + _CANN_LAUNCHER.rstrip("\n"),
    ),
    (
        "code",
        """n = 1000
x = np.linspace(-2, 2, n).astype(np.float16)
y = np.full(n, 0.5, dtype=np.float16)
z = np.zeros(n, dtype=np.float16)

blocks, tiling = add_tiling(n, 8, 256)
{{id}}[blocks](x, y, z, tiling)

print("first elements:", z[:6])
print("correct:", np.allclose(z, x * y))""",
    ),
    ("markdown", _CHECK_MARKDOWN),
    ("code", _CHECK_CELL),
]

TRACKS = {
    "simt": {
        "exercise.toml": SIMT_TOML,
        "reference.py": SIMT_REFERENCE,
        "solution.py": SIMT_SOLUTION,
        "starter": SIMT_STARTER,
    },
    "cann": {
        "exercise.toml": CANN_TOML,
        "reference.py": CANN_REFERENCE,
        "solution.py": CANN_SOLUTION,
        "starter": CANN_STARTER,
    },
}
