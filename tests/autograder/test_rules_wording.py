"""The rules step's wording (autograder/steps/rules.py): plurals agree, the load count says
what it counts."""

from types import SimpleNamespace

from autograder.steps import rules

PROFILE = {"atomics": 0, "shared": 0, "block_sizes": [256], "loads_per_thread": 16.0}


def labelled(most: int) -> dict:
    spec = SimpleNamespace(
        no_atomics=False,
        must_use_shared_memory=False,
        ub_budget_bytes=None,
        block_size_multiple_of=None,
        max_global_loads_per_thread=most,
    )
    return {label: check(PROFILE) for _, label, check in rules._checks(spec)}


def test_one_global_load_is_singular_and_two_are_plural():
    assert list(labelled(1)) == ["at most 1 global load per thread"]
    assert list(labelled(2)) == ["at most 2 global loads per thread"]


def test_the_measured_loads_say_they_are_instructions_each_thread_ran():
    ((held, said),) = labelled(1).values()
    assert not held
    assert said == "each thread ran 16 global load instructions on average"
    assert rules._loads(1, PROFILE | {"loads_per_thread": 1.0}) == (
        True,
        "each thread ran 1 global load instruction on average",
    )
