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
from cudalike.i18n import N_, _
from cudalike.model.records import BOUND_HINTS

FLOOR_FRACTION = 0.5

# What limits a CANN launch (`PipeLaunchRecord.bound`), in words; SIMT bounds are described
# by the model's own `BOUND_HINTS`, as the profiler view shows them.
PIPE_LIMITS = {
    "vector": N_("the vector unit"),
    "cube": N_("the cube unit"),
    "mte1": N_("MTE1 data movement (L1 to L0)"),
    "mte2": N_("MTE2 data movement (global memory in)"),
    "mte3": N_("MTE3 data movement (global memory out)"),
    "scalar": N_("the scalar unit"),
    "fixpipe": N_("the fixpipe"),
    "gm_bandwidth": N_("global memory bandwidth"),
    "latency": N_("latency: too little work in flight on the pipes"),
}


def step(grading: Grading) -> None:
    """Set `speed` and append the speed test (when the exercise gives speed points)."""
    points = grading.spec.points
    profile = grading.submission_profile
    reference = grading.reference_profile
    where = grading.cases[grading.speed_case].name
    if profile is None:
        _append(
            grading,
            0.0,
            False,
            _("not measured: the kernel did not run at {where}").format(where=where),
        )
        return
    ratio = profile["time_us"] / reference["time_us"]
    grading.speed = ratio
    floor = FLOOR_FRACTION * reference["roof_us"]
    times = _(
        "modelled time {mine:.3f} us against the reference's {theirs:.3f} us at {where} "
        "on {device} ({ratio:.2f}x)"
    ).format(
        mine=profile["time_us"],
        theirs=reference["time_us"],
        where=where,
        device=grading.spec.device,
        ratio=ratio,
    )
    if profile["time_us"] < floor:
        text = times + _(
            ": below the physical floor of {floor:.4f} us; scored as a wrong answer"
        ).format(floor=floor)
        grading.tests = [
            dataclasses.replace(t, score=0.0, passed=False) if t.max_score else t
            for t in grading.tests
        ]
        _append(grading, 0.0, False, text)
        return
    if not grading.correctness_passed():
        _append(grading, 0.0, False, times + _("; speed points need every correctness test"))
        return
    if not rules_hold(grading):
        _append(grading, 0.0, False, times + _("; speed points need every rule to hold"))
        return
    fraction = next((t.fraction for t in points.speed_tiers if ratio <= t.max_ratio), 0.0)
    goal = points.speed_tiers[0].max_ratio if points.speed_tiers else 1.0
    advice = "" if fraction == 1.0 else _("; full speed points at <= {goal:g}x").format(goal=goal)
    advice += _limits(profile, reference, grading.spec.track)
    advice += _pipes(profile, reference)
    if fraction < 1.0:
        advice += advise(grading, "slow")
    _append(grading, points.speed * fraction, fraction == 1.0, f"{times}{advice}")


def limited_by(profile: dict, track: str) -> str | None:
    """The resource that took most of a profile's modelled time, in words (None if unknown)."""
    bounds = profile.get("bounds") or {}
    if not bounds:
        return None
    bound = max(sorted(bounds), key=lambda name: bounds[name])
    if track == "simt":
        return BOUND_HINTS.get(bound, bound)
    return _(PIPE_LIMITS[bound]) if bound in PIPE_LIMITS else bound


def _limits(profile: dict, reference: dict, track: str) -> str:
    """'\nlimited by X (the reference: by Y)': what the model says held each kernel back."""
    mine, theirs = limited_by(profile, track), limited_by(reference, track)
    if mine is None:
        return ""
    if theirs is None or theirs == mine:
        said = _("limited by {mine}, as is the reference") if theirs else _("limited by {mine}")
        return "\n" + said.format(mine=mine)
    return "\n" + _("limited by {mine}; the reference is limited by {theirs}").format(
        mine=mine, theirs=theirs
    )


# The pipes as the vendor's profiler (msprof op) names them, in the order data flows.
PIPE_NAMES = {
    "MTE2": "MTE2",
    "MTE1": "MTE1",
    "M": "Cube",
    "V": "Vector",
    "S": "Scalar",
    "FIX": "FixPipe",
    "MTE3": "MTE3",
}


def _pipes(profile: dict, reference: dict) -> str:
    """'\npipes busy: MTE2 62%, Vector 35% ...; the reference: ...' for a CANN launch: the share
    of the modelled time each pipe worked (msprof's aiv_*_ratio / aic_*_ratio); a pipe idle in
    both is left out."""
    mine, theirs = profile.get("pipes") or {}, reference.get("pipes") or {}
    shown = [p for p in PIPE_NAMES if max(mine.get(p, 0.0), theirs.get(p, 0.0)) >= 0.01]
    if not mine or not shown:
        return ""

    def shares(busy: dict) -> str:
        return ", ".join(f"{PIPE_NAMES[p]} {busy.get(p, 0.0):.0%}" for p in shown)

    said = _("pipes busy (share of the modelled time): {mine}; the reference: {theirs}")
    return "\n" + said.format(mine=shares(mine), theirs=shares(theirs))


def _append(grading: Grading, score: float, passed: bool, text: str) -> None:
    if grading.spec.points.speed > 0:
        max_score = float(grading.spec.points.speed)
        grading.tests.append(TestResult("speed", score, max_score, passed, text))
