"""autograder/inputs.py: make_inputs is deterministic and respects dtype, shape and range."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.inputs import holds_poison, make_inputs, poison
from autograder.spec import list_exercises, load_exercise

SPECS = {name: load_exercise(name) for name in list_exercises()}


@pytest.mark.parametrize("name", SPECS)
def test_same_seed_same_arguments_other_seed_other_arguments(name):
    spec = SPECS[name]
    size = spec.public_sizes[0]
    first, again, other = (make_inputs(spec, size, seed) for seed in (7, 7, 8))
    assert list(first) == [*spec.inputs, *spec.outputs]
    for argument in spec.inputs:
        np.testing.assert_array_equal(first[argument], again[argument])
        assert not np.array_equal(first[argument], other[argument])


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(sorted(SPECS)),
    seed=st.integers(0, 2**63),
    dims=st.tuples(st.integers(1, 300), st.integers(1, 300), st.integers(1, 300)),
)
def test_dtype_shape_and_range(name, seed, dims):
    spec = SPECS[name]
    size = dict(zip(spec.size_variables, dims, strict=False))
    arguments = make_inputs(spec, size, seed)
    for argument, value in arguments.items():
        declared = spec.inputs.get(argument) or spec.outputs[argument]
        assert value.dtype == np.dtype(declared.dtype)
        if getattr(declared, "kind", "array") == "scalar":
            assert isinstance(value, np.generic)
        else:
            assert type(value) is np.ndarray and value.flags.c_contiguous
            assert value.shape == tuple(expr.evaluate(size) for expr in declared.shape)
        if argument in spec.inputs:
            # Float ranges are half-open, integer ranges inclusive.
            top = (
                value.max() <= declared.high
                if value.dtype.kind in "iu"
                else value.max() < declared.high
            )
            assert declared.low <= value.min() and top
        elif declared.fill == "zeros":
            assert not value.any()
        else:  # outputs start poisoned
            assert holds_poison(value, poison(value.dtype)).all()


def test_integer_range_is_inclusive_and_value_scalars(tmp_path):
    text = (load_exercise("vector_add").path / "exercise.toml").read_text()
    text = text.replace(
        'dtype = "float32"\nrange = [-100.0, 100.0]', 'dtype = "int8"\nrange = [-2, 2]'
    )
    text = text.replace('args = ["a", "b", "out"]', 'args = ["a", "b", "out", "count"]')
    text += '\n[inputs.count]\nkind = "scalar"\ndtype = "int64"\nvalue = "n * 2"\n'
    path = tmp_path / "vector_add" / "exercise.toml"
    path.parent.mkdir()
    path.write_text(text)
    spec = load_exercise(path)
    arguments = make_inputs(spec, {"n": 5000}, 0)
    assert arguments["a"].dtype == np.int8 and arguments["b"].dtype == np.int8
    assert set(np.unique(arguments["a"])) == {-2, -1, 0, 1, 2}
    assert arguments["count"] == 10000 and type(arguments["count"]) is np.int64


@pytest.mark.parametrize("size", [{}, {"n": 0}, {"n": 4, "m": 1}, {"m": 4}, {"n": 2.5}])
def test_bad_size_is_refused(size):
    with pytest.raises(ValueError, match=r"vector_add: size .* must give \['n'\]"):
        make_inputs(SPECS["vector_add"], size, 0)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "uint16", "int64"])
def test_the_two_poisons_differ_and_are_recognised_bit_for_bit(dtype):
    first, second = poison(dtype, 0), poison(dtype, 1)
    array = np.full(4, first, dtype)
    assert holds_poison(array, first).all() and not holds_poison(array, second).any()
    if np.dtype(dtype).kind == "f":  # NaNs with a payload: not the NaN arithmetic gives
        assert np.isnan(first) and np.isnan(second)
        assert not holds_poison(np.full(4, np.nan, dtype), first).any()
        with np.errstate(invalid="ignore"):
            computed = np.zeros(4, dtype) / np.zeros(4, dtype)
        assert not holds_poison(computed, first).any()


def test_outputs_start_as_the_requested_poison():
    spec = SPECS["vector_add"]
    for variant in (0, 1):
        out = make_inputs(spec, {"n": 5}, seed=1, fill_variant=variant)["out"]
        assert holds_poison(out, poison("float32", variant)).all()
