"""Jobs for tests/autograder/test_sandbox.py, importable by name in the sandbox's child."""

import os

import numpy as np

from cudalike import cuda


def add_arrays(submission, a, b):
    return {"sum": a + b, "shape": a.shape, "label": "ok", "scalar": np.float32(1.5)}


def launch_vector_add(submission, a, b):
    out = np.zeros_like(a)
    threads = 32
    submission.vector_add[(a.size + threads - 1) // threads, threads](a, b, out)
    return out


def spin(submission):
    while True:
        pass


def allocate(submission, gigabytes):
    return np.ones(int(gigabytes * (1 << 30)), dtype=np.uint8).sum()


def exit_quietly(submission):
    os._exit(0)


def print_fake_score(submission):
    print("score: 100")
    print("score: 100", file=__import__("sys").stderr)
    return 0


def out_of_bounds(submission):
    @cuda.jit
    def no_guard(out):
        out[cuda.grid(1)] = 1.0

    no_guard[1, 64](np.zeros(10))


def return_object(submission):
    return object()


def submission_names(submission):
    return sorted(name for name in vars(submission) if not name.startswith("__"))


def launch_cann_add(submission, x, y):
    from cudalike.cann.examples.add import add_tiling

    blocks, tiling = add_tiling(x.size, 4, 64, 2, x.dtype)
    z = np.zeros_like(x)
    submission.add_custom[blocks](x, y, z, tiling)
    return z


def environment(submission):
    return {"env": dict(os.environ), "cwd": os.getcwd(), "files": os.listdir(".")}


def builtin_names(submission):
    return sorted(submission.__builtins__)
