"""Step 6, rules: check the exercise's rules from the runtime's counters at the speed case.

Checked: `no_atomics` (atomic requests), `must_use_shared_memory` (shared-memory wavefronts),
`block_size_multiple_of` (each launch's block), `max_global_loads_per_thread` (the global load
instructions each thread ran, on average: warp load requests x 32 lanes over the threads
launched, as a warp's one load instruction loads for each of its threads), `ub_budget_bytes`
(the most UB InitBuffer gave any core). Rules carry no points of their own; a broken rule
forfeits the speed points.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from autograder.result import TestResult
from autograder.spec import Rules
from autograder.steps._state import Grading
from autograder.steps.advice import advise
from cudalike.i18n import _


def step(grading: Grading) -> None:
    """Append one test (worth 0 points) per rule the exercise sets."""
    rules = grading.spec.rules
    profile = grading.submission_profile
    for key, label, check in _checks(rules):
        name = f"rule: {label}"
        if profile is None:
            text = _("not checked: the kernel did not run at the speed size")
            grading.tests.append(TestResult(name, 0.0, 0.0, False, text))
            continue
        held, measured = check(profile)
        verdict = _("holds: {measured}") if held else _("broken (no speed points): {measured}")
        text = verdict.format(measured=measured)
        if not held:
            text += advise(grading, key)
        grading.tests.append(TestResult(name, 0.0, 0.0, held, text))


Check = Callable[[dict], tuple[bool, str]]


def _checks(rules: Rules) -> list[tuple[str, str, Check]]:
    """(rule's field name, label, check) per rule set; a check reads a profile summary
    (`_jobs.summarise`)."""
    checks: list[tuple[str, str, Check]] = []
    if rules.no_atomics:
        checks.append(("no_atomics", "no atomics", _no_atomics))
    if rules.must_use_shared_memory:
        checks.append(("must_use_shared_memory", "uses shared memory", _uses_shared))
    if (budget := rules.ub_budget_bytes) is not None:
        label = f"at most {budget} bytes of UB"
        checks.append(("ub_budget_bytes", label, partial(_ub_budget, budget)))
    if (multiple := rules.block_size_multiple_of) is not None:
        label = f"block size a multiple of {multiple}"
        checks.append(("block_size_multiple_of", label, partial(_block_size, multiple)))
    if (most := rules.max_global_loads_per_thread) is not None:
        label = f"at most {_count(most, 'global load')} per thread"
        checks.append(("max_global_loads_per_thread", label, partial(_loads, most)))
    return checks


def _no_atomics(profile: dict) -> tuple[bool, str]:
    return profile["atomics"] == 0, _("{count:g} atomic requests").format(count=profile["atomics"])


def _uses_shared(profile: dict) -> tuple[bool, str]:
    return profile["shared"] > 0, _("{count:g} shared-memory accesses (wavefronts)").format(
        count=profile["shared"]
    )


def _ub_budget(budget: int, profile: dict) -> tuple[bool, str]:
    used = int(profile.get("ub_bytes", 0))
    return used <= budget, _("InitBuffer gave a core {used} bytes of UB").format(used=used)


def _block_size(multiple: int, profile: dict) -> tuple[bool, str]:
    sizes = profile["block_sizes"]
    return all(size % multiple == 0 for size in sizes), _("blocks of {sizes} threads").format(
        sizes=sizes
    )


def _loads(most: int, profile: dict) -> tuple[bool, str]:
    loads = profile["loads_per_thread"]
    said = (
        _("each thread ran {count:.3g} global load instruction on average")
        if loads == 1
        else _("each thread ran {count:.3g} global load instructions on average")
    ).format(count=loads)
    return loads <= most + 1e-9, said


def _count(number: float, noun: str) -> str:
    """'1 global load', '2 global loads', '1.5 global loads': the noun agrees with the number."""
    return f"{number:.3g} {noun}{'' if number == 1 else 's'}"


def rules_hold(grading: Grading) -> bool:
    """True when every checked rule held."""
    return all(t.passed for t in grading.tests if t.name.startswith("rule:"))
