"""Real Ascend C operator samples ported to cudalike.cann, one module per sample.

Each module names its source (repository, path, URL), ports the kernel as literally as the
API allows (`AscendC::X` is `cann.X`), lists what had to change, and checks every case
against a numpy oracle. `test_samples.py` runs them all; docs/cann-samples.md lists them.
"""
