"""Draw an exercise's arguments for one size from a seed: the same seed, the same arrays.

The trusted side of grading calls `make_inputs` with a seed the submission never sees, keeps
its own copy, and hands the reference and the submission identical fresh arguments.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from autograder.spec import Exercise, InputSpec, OutputSpec

__all__ = ["make_inputs"]


def make_inputs(
    spec: Exercise, size: Mapping[str, int], seed: int
) -> dict[str, np.ndarray | np.generic]:
    """Every kernel argument for `size`: inputs drawn from `seed`, outputs filled.

    Inputs are drawn in file order from one `numpy.random.Generator(PCG64(seed))`: floats
    uniform in [low, high), integers uniform in [low, high]; a scalar with `value` is that
    expression of the size. Outputs are filled with poison (NaN, or the largest integer) so
    that an element a kernel forgets to write cannot match the reference, or with zeros.

    Args:
        spec: the exercise.
        size: one value per size variable, e.g. {"n": 1000}.
        seed: any non-negative integer.

    Returns:
        Argument name -> numpy array (C-contiguous, of the declared dtype) or numpy scalar,
        inputs first, then outputs, in file order.

    Raises:
        ValueError: `size` does not give exactly the exercise's size variables as positive
            integers.

    Example:
        >>> from autograder.spec import load_exercise
        >>> args = make_inputs(load_exercise("vector_add"), {"n": 10}, seed=0)
        >>> args["a"].shape, args["a"].dtype
        ((10,), dtype('float32'))
    """
    if sorted(size) != sorted(spec.size_variables) or not all(
        isinstance(v, int | np.integer) and v > 0 for v in size.values()
    ):
        raise ValueError(
            f"{spec.id}: size {dict(size)} must give {list(spec.size_variables)} as positive "
            "integers"
        )
    generator = np.random.default_rng(seed)
    arguments: dict[str, np.ndarray | np.generic] = {}
    for name, argument in spec.inputs.items():
        arguments[name] = _draw(argument, size, generator)
    for name, output in spec.outputs.items():
        arguments[name] = _fill(output, size)
    return arguments


def _draw(argument: InputSpec, size: Mapping[str, int], generator: np.random.Generator):
    dtype = np.dtype(argument.dtype)
    if argument.value is not None:
        return dtype.type(argument.value.evaluate(size))
    shape = tuple(dim.evaluate(size) for dim in argument.shape)
    if dtype.kind == "f":
        drawn = generator.uniform(argument.low, argument.high, shape).astype(dtype)
        # Rounding to a narrow float can land on `high` itself; keep the range half-open.
        high = np.nextafter(dtype.type(argument.high), dtype.type(argument.low))
        drawn = np.minimum(drawn, high)
    else:
        drawn = generator.integers(argument.low, argument.high, shape, dtype, endpoint=True)
    return drawn[()] if argument.kind == "scalar" else np.ascontiguousarray(drawn)


def _fill(output: OutputSpec, size: Mapping[str, int]) -> np.ndarray:
    dtype = np.dtype(output.dtype)
    shape = tuple(dim.evaluate(size) for dim in output.shape)
    if output.fill == "zeros":
        return np.zeros(shape, dtype)
    poison = np.nan if dtype.kind == "f" else np.iinfo(dtype).max
    return np.full(shape, poison, dtype)
