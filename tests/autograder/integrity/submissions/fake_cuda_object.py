"""Attack: decorate the kernel with a fake `cuda` of our own, so that "launching" it runs
plain Python with numpy."""

import numpy as np


class cuda:
    @staticmethod
    def jit(function):
        class Launcher:
            def __getitem__(self, config):
                return function

        return Launcher()


@cuda.jit
def vector_add(a, b, out):
    np.add(a, b, out=out)
