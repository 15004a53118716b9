"""Draw an exercise's arguments for one size from a seed: the same seed, the same arrays.

The trusted side of grading calls `make_inputs` with a seed the submission never sees, keeps
its own copy, and hands the reference and the submission identical fresh arguments.

Outputs declared `fill = "poison"` start filled with a pattern the grader knows (`poison`): a
NaN with a payload no arithmetic produces, or an extreme integer. An element that still holds
it after the launch was never written (`holds_poison`), which the comparison reports in those
words; `validate-exercise` fills with two different patterns to prove that the reference
itself writes every element.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from autograder.spec import Exercise, InputSpec, OutputSpec

__all__ = ["POISON_VARIANTS", "holds_poison", "make_inputs", "poison"]

POISON_VARIANTS = 2
# Repeated bytes for the payload of the poison NaNs: never 0, so never the NaN that 0/0 or
# math.nan gives.
_PAYLOADS = (0x5A5A5A5A5A5A5A5A, 0x3C3C3C3C3C3C3C3C)


def poison(dtype: np.dtype | str, variant: int = 0) -> np.generic:
    """The fill that marks an output element as not yet written.

    Floats: a quiet NaN whose payload (the low mantissa bits) is `0x5A...` (variant 0) or
    `0x3C...` (variant 1); the NaN a computation produces has payload 0, so it is never taken
    for the fill. Integers: the largest value (variant 0) or the smallest (variant 1).

    Example:
        >>> poison("float32").view(np.uint32) == 0x7FDA5A5A
        True
    """
    dtype = np.dtype(dtype)
    if not 0 <= variant < POISON_VARIANTS:
        raise ValueError(f"poison variant {variant} is not 0 or 1")
    if dtype.kind != "f":
        info = np.iinfo(dtype)
        return dtype.type(info.max if variant == 0 else info.min)
    bits = dtype.itemsize * 8
    mantissa = np.finfo(dtype).nmant
    exponent = ((1 << (bits - 1)) - 1) & ~((1 << mantissa) - 1)
    quiet = 1 << (mantissa - 1)
    payload = _PAYLOADS[variant] & (quiet - 1)
    unsigned = np.dtype(f"uint{bits}")
    return np.array(exponent | quiet | payload, unsigned).view(dtype)[()]


def holds_poison(array: np.ndarray, fill: np.generic) -> np.ndarray:
    """Where `array` holds exactly the bits of `fill` (a boolean array of its shape)."""
    unsigned = np.dtype(f"uint{array.dtype.itemsize * 8}")
    return array.view(unsigned) == np.asarray(fill, array.dtype).view(unsigned)


def make_inputs(
    spec: Exercise, size: Mapping[str, int], seed: int, *, fill_variant: int = 0
) -> dict[str, np.ndarray | np.generic]:
    """Every kernel argument for `size`: inputs drawn from `seed`, outputs filled.

    Inputs are drawn in file order from one `numpy.random.Generator(PCG64(seed))`: floats
    uniform in [low, high), integers uniform in [low, high]; a scalar with `value` is that
    expression of the size. Outputs are filled with `poison(dtype, fill_variant)`, so that an
    element a kernel forgets to write is recognised, or with zeros (`fill = "zeros"`).

    Args:
        spec: the exercise.
        size: one value per size variable, e.g. {"n": 1000}.
        seed: any non-negative integer.
        fill_variant: which poison pattern (0 or 1) fills the outputs.

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
        arguments[name] = _fill(output, size, fill_variant)
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


def _fill(output: OutputSpec, size: Mapping[str, int], variant: int) -> np.ndarray:
    dtype = np.dtype(output.dtype)
    shape = tuple(dim.evaluate(size) for dim in output.shape)
    if output.fill == "zeros":
        return np.zeros(shape, dtype)
    return np.full(shape, poison(dtype, variant), dtype)
