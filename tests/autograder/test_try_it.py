"""autograder.try_it: the feedback a lesson's check cell prints."""

import numpy as np

from autograder.try_it import try_it
from cudalike import cuda


@cuda.jit
def add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]


@cuda.jit
def add_short(a, b, out):
    i = cuda.grid(1)
    if i < out.size - 3:
        out[i] = a[i] + b[i]


@cuda.jit
def add_unguarded(a, b, out):
    i = cuda.grid(1)
    out[i] = a[i] + b[i]


A = np.arange(100, dtype=np.float32)
B = 2 * A


def run(kernel, capsys, out_dtype=np.float32):
    out = np.zeros(100, dtype=out_dtype)
    passed = try_it(lambda: kernel[1, 128](A, B, out), out, A + B, hint="guard with i < out.size")
    return passed, capsys.readouterr().out


def test_a_right_answer_says_so(capsys):
    passed, said = run(add, capsys)
    assert passed and said.startswith("✓ out is right: all 100 elements match")


def test_elements_never_written_are_named_with_the_hint(capsys):
    passed, said = run(add_short, capsys)
    assert not passed
    assert "out[97] was never written" in said and "3 of them never written" in said
    assert said.rstrip().endswith("what to change: guard with i < out.size")


def test_a_kernel_error_is_printed_not_raised(capsys):
    passed, said = run(add_unguarded, capsys)
    assert not passed
    assert "the kernel stopped with an error" in said and "thread (100, 0, 0)" in said


def test_integer_outputs_compare_exactly(capsys):
    out = np.zeros(4, dtype=np.int32)

    def launch():
        out[:] = [1, 2, 3, 5]

    assert not try_it(launch, out, np.array([1, 2, 3, 4]))
    assert "out[3]: expected 4, got 5" in capsys.readouterr().out


@cuda.jit
def count(values, counts):
    i = cuda.grid(1)
    if i < values.size:
        cuda.atomic.add(counts, values[i], 1)


def test_a_kernel_that_adds_into_its_output_starts_from_zeros(capsys):
    values = np.array([0, 1, 1, 3, 3, 3], np.int32)
    counts = np.full(4, 99, np.int32)
    launch = lambda: count[1, 32](values, counts)  # noqa: E731
    assert try_it(launch, counts, np.bincount(values, minlength=4), accumulates=True)
    assert "all 4 elements match" in capsys.readouterr().out
