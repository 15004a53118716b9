"""Step 7, speed: the submission's modelled time against the reference's, scored by tiers.

Both times come from the deterministic performance model on the exercise's device profile at
the speed case (the largest public size). Speed points are given only when every correctness
test passed and every checked rule held: the first tier whose `max_ratio` the ratio meets gives
its `fraction` of the points.

The physical floor: no correct kernel moves its data or does its arithmetic faster than the
device's peak allows. The reference's roof time (DRAM traffic or compute at peak, whichever is
larger; for CANN, the GM traffic at peak bandwidth) is close to that minimum, since the
reference reads each input and writes each output once. A modelled time under half of it can
only come from a broken measurement, so it scores like a wrong answer: every test zero.
"""

from __future__ import annotations

import dataclasses

from autograder.result import TestResult
from autograder.steps._state import Grading
from autograder.steps.advice import advise
from autograder.steps.rules import rules_hold
from cudalike.model.records import BOUND_HINTS

FLOOR_FRACTION = 0.5

# What limits a CANN launch (`PipeLaunchRecord.bound`), in words; SIMT bounds are described
# by the model's own `BOUND_HINTS`, as the profiler view shows them.
PIPE_LIMITS = {
    "vector": "the vector unit",
    "cube": "the cube unit",
    "mte1": "MTE1 data movement (L1 to L0)",
    "mte2": "MTE2 data movement (global memory in)",
    "mte3": "MTE3 data movement (global memory out)",
    "scalar": "the scalar unit",
    "fixpipe": "the fixpipe",
    "gm_bandwidth": "global memory bandwidth",
    "latency": "latency: too little work in flight on the pipes",
}


def step(grading: Grading) -> None:
    """Set `speed` and append the speed test (when the exercise gives speed points)."""
    points = grading.spec.points
    profile = grading.submission_profile
    reference = grading.reference_profile
    where = grading.cases[grading.speed_case].name
    if profile is None:
        _append(grading, 0.0, False, f"not measured: the kernel did not run at {where}")
        return
    ratio = profile["time_us"] / reference["time_us"]
    grading.speed = ratio
    floor = FLOOR_FRACTION * reference["roof_us"]
    times = (
        f"modelled time {profile['time_us']:.3f} us against the reference's "
        f"{reference['time_us']:.3f} us at {where} on {grading.spec.device} ({ratio:.2f}x)"
    )
    if profile["time_us"] < floor:
        text = f"{times}: below the physical floor of {floor:.4f} us; scored as a wrong answer"
        grading.tests = [
            dataclasses.replace(t, score=0.0, passed=False) if t.max_score else t
            for t in grading.tests
        ]
        _append(grading, 0.0, False, text)
        return
    if not grading.correctness_passed():
        _append(grading, 0.0, False, f"{times}; speed points need every correctness test")
        return
    if not rules_hold(grading):
        _append(grading, 0.0, False, f"{times}; speed points need every rule to hold")
        return
    fraction = next((t.fraction for t in points.speed_tiers if ratio <= t.max_ratio), 0.0)
    goal = points.speed_tiers[0].max_ratio if points.speed_tiers else 1.0
    advice = "" if fraction == 1.0 else f"; full speed points at <= {goal:g}x"
    advice += _limits(profile, reference, grading.spec.track)
    if fraction < 1.0:
        advice += advise(grading, "slow")
    _append(grading, points.speed * fraction, fraction == 1.0, f"{times}{advice}")


def limited_by(profile: dict, track: str) -> str | None:
    """The resource that took most of a profile's modelled time, in words (None if unknown)."""
    bounds = profile.get("bounds") or {}
    if not bounds:
        return None
    bound = max(sorted(bounds), key=lambda name: bounds[name])
    return (BOUND_HINTS if track == "simt" else PIPE_LIMITS).get(bound, bound)


def _limits(profile: dict, reference: dict, track: str) -> str:
    """'\nlimited by X (the reference: by Y)': what the model says held each kernel back."""
    mine, theirs = limited_by(profile, track), limited_by(reference, track)
    if mine is None:
        return ""
    if theirs is None or theirs == mine:
        return f"\nlimited by {mine}" + (", as is the reference" if theirs else "")
    return f"\nlimited by {mine}; the reference is limited by {theirs}"


def _append(grading: Grading, score: float, passed: bool, text: str) -> None:
    if grading.spec.points.speed > 0:
        max_score = float(grading.spec.points.speed)
        grading.tests.append(TestResult("speed", score, max_score, passed, text))
