"""Step 3, reference: run the exercise's reference kernels in the grader's own process.

The reference module is trusted instructor code; it never runs in the submission's process
(the child gets a CANN tiling computed here, not the module). Each case's expected outputs are
the reference's, on a copy of the same arguments; the speed case runs under the profiler, on
the exercise's device profile, giving the reference time and the physical floor.

Each `fill = "poison"` output of the submission's arguments then gets a fill the reference did
not write at that size (`_fill`), so an element the submission leaves alone can never equal the
expected value by accident; a float output where the reference itself left the fill is the
exercise's fault (a grader error naming the element).
"""

from __future__ import annotations

import copy
import functools
import importlib.util
from types import ModuleType

import numpy as np

from autograder._jobs import summarise
from autograder.inputs import holds_poison, poison
from autograder.launch import launch_kernels
from autograder.spec import Exercise
from autograder.steps._state import Case, GraderError, Grading
from cudalike import profiler


def step(grading: Grading) -> None:
    """Fill each case's `expected` and `launch`, and `reference_profile`."""
    spec = grading.spec
    module = load_reference(spec)
    kernels = {kernel.name: getattr(module, kernel.name, None) for kernel in spec.kernels}
    missing = [name for name, kernel in kernels.items() if kernel is None]
    if missing:
        raise GraderError(f"{spec.id}: reference.py has no kernel {', '.join(missing)}")
    for index, case in enumerate(grading.cases):
        arguments = copy.deepcopy(case.arguments)
        try:
            if index == grading.speed_case:
                with profiler.profile(
                    device=spec.device, sample_blocks=None, sample_loops=False
                ) as prof:
                    launch_kernels(spec, kernels, module, arguments, case.size)
                grading.reference_profile = summarise(prof.launches)
            else:
                launch_kernels(spec, kernels, module, arguments, case.size)
        except Exception as error:
            raise GraderError(f"{spec.id}: the reference failed at {case.name}: {error}") from error
        case.expected = {name: arguments[name] for name in spec.outputs}
        for name, output in spec.outputs.items():
            if output.fill == "poison":
                case.poison[name] = _fill(spec, case, name)
                case.arguments[name][...] = case.poison[name]
        if spec.launch.tiling is not None:
            tiling_args = [expr.evaluate(case.size) for expr in spec.launch.tiling_args]
            blocks, tiling = getattr(module, spec.launch.tiling)(*tiling_args)
            case.launch = {"blocks": blocks, "tiling": tiling}


def _fill(spec: Exercise, case: Case, name: str) -> np.generic:
    """The submission's fill for output `name`: a poison the reference did not write there.

    Raises:
        GraderError: a float output where the reference left elements unwritten.
    """
    expected = case.expected[name]
    fill = poison(expected.dtype)
    left = holds_poison(expected, fill)
    if left.any() and expected.dtype.kind == "f":
        index = tuple(int(i) for i in np.argwhere(left)[0])
        raise GraderError(
            f"{spec.id}: the reference never wrote {name}{list(index)} at {case.name}; write "
            f'every element in reference.py, or declare fill = "zeros" under [outputs.{name}]'
        )
    if left.any() and not holds_poison(expected, poison(expected.dtype, 1)).any():
        fill = poison(expected.dtype, 1)  # the reference wrote the largest integer: use the least
    return fill


@functools.cache
def _load(path: str, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_reference(spec: Exercise) -> ModuleType:
    """The exercise's reference.py, imported once per process."""
    path = spec.path / "reference.py"
    if not path.is_file():
        raise GraderError(f"{spec.id}: {path} is missing")
    return _load(str(path), f"autograder_reference_{spec.id}")
