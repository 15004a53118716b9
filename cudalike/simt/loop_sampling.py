"""Loop-iteration sampling in profiled launches: count a few iterations, extrapolate the rest.

A `for` over range() whose trip count is the same for every active lane usually does the same
work each time round (the K loop of a tiled matrix product). The sampler snapshots the launch's
counters at the start of each iteration. Once the counters added per iteration repeat with a
period p (p <= MAX_PERIOD) for REPEATS periods in a row, the remaining iterations are taken to
repeat that period, and their counters are added at once (docs/model.md, "Loop sampling",
states the method and its error bound). Then:
- a launch that runs every block (its outputs must be right) still runs the remaining
  iterations, with counting paused until the loop ends, or until a statement the period did
  not run shows up (then the rest is counted as it runs);
- a launch that runs sampled blocks (its outputs are incomplete anyway) skips them, and the
  rest of that block runs without shadow checks, since the skipped iterations' writes are
  missing.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.model.records import LINE_COUNTERS

MIN_TRIPS = 16  # shorter loops cost less to run than to sample
MAX_PERIOD = 8  # longest repeating pattern looked for, in iterations
REPEATS = 3  # periods that must match before the rest is extrapolated
GIVE_UP = 4 * REPEATS * MAX_PERIOD  # iterations after which a loop that never repeats is run
# Launch-wide counters a loop's iterations add to, besides the per-site ones (loop sampling).
SCALARS = (
    "l1_wavefronts",
    "l2_sectors",
    "l2_load_sectors",
    "load_waits",
    "atomic_lanes",
    "fadd",
    "fmul",
    "ffma",
    "barriers",
)


class LoopSampler:
    """Watches one run of one loop in one chunk and decides when the rest can be extrapolated."""

    def __init__(self, counting, ctx, trips: int, skippable: bool):
        self.counting = counting
        self.ctx = ctx
        self.trips = trips
        self.skippable = skippable  # leaving out iterations keeps control flow and addresses
        self.keys: tuple | None = None
        self.snapshots: list[np.ndarray] = []
        self.footprints = counting.footprint_counts()
        self.paused = False
        self.done = False
        self.iteration = 0
        # Set when the rest is extrapolated: what one iteration adds, on average, and the
        # sites that add to it (a statement outside them running later means a change).
        self.per_iteration: np.ndarray | None = None
        self.sites: frozenset = frozenset()
        self.footprint_per_iteration: dict[tuple, float] = {}

    def stop_at(self, iteration: int) -> bool:
        """At the start of `iteration`: True when the remaining iterations are to be skipped."""
        self.iteration = iteration
        if self.done:
            return False
        if iteration > GIVE_UP:
            self.done = True
            return False
        keys, vector = self.counting.snapshot()
        if keys != self.keys:  # a statement ran for the first time: it counted 0 before
            self.snapshots = [_widen(s, self.keys, keys) for s in self.snapshots]
            self.keys = keys
        self.snapshots.append(vector)
        period = self._period()
        if period is None:
            return False
        self.done = True
        self._extrapolate(iteration, period)
        self.counting.loops_sampled += 1
        auto = self.ctx.launch.auto_sample
        if auto is not None:  # the first block of a launch the profile may still sample
            auto.consider(self.ctx.launch)
        if self.counting.skip_iterations and self.skippable:
            self.ctx.checks = False
            return True
        self.counting.paused += 1
        self.counting.watch = self
        self.paused = True
        return False

    def close(self) -> None:
        """The loop ended: counting resumes."""
        if self.paused:
            self.counting.paused -= 1
            self.counting.watch = None
            self.paused = False

    def changed(self) -> None:
        """A statement the sampled iterations never ran runs now: the iterations from this one
        on are not like the sampled ones. Take back their extrapolated counters and count
        them as they run (the part of this iteration that ran already is lost)."""
        remaining = self.trips - self.iteration
        self.counting.add_snapshot(self.keys, -remaining * self.per_iteration)
        for key, amount in self.footprint_per_iteration.items():
            self.counting.extra_footprint[key] -= amount * remaining
        self.close()

    def _period(self) -> int | None:
        """The shortest period with which the last REPEATS periods of counters repeat."""
        shots = self.snapshots
        last = len(shots) - 1
        for period in range(1, MAX_PERIOD + 1):
            if last < REPEATS * period:
                return None
            step = shots[last] - shots[last - period]
            if step[self.counting.ATOMIC_POSITION] != 0:
                self.done = True  # atomics serialise on addresses: never extrapolated
                return None
            if all(
                np.array_equal(step, shots[last - k * period] - shots[last - (k + 1) * period])
                for k in range(1, REPEATS)
            ):
                return period
        return None

    def _extrapolate(self, iteration: int, period: int) -> None:
        shots = self.snapshots
        last = len(shots) - 1
        periods, rest = divmod(self.trips - iteration, period)
        step = shots[last] - shots[last - period]
        added = periods * step + (shots[last - period + rest] - shots[last - period])
        self.per_iteration = step / period
        width = len(LINE_COUNTERS)
        self.sites = frozenset(
            key for k, key in enumerate(self.keys) if step[k * width : (k + 1) * width].any()
        )
        self.counting.add_snapshot(self.keys, added)
        now = self.counting.footprint_counts()
        for key, touched in now.items():
            grown = touched - self.footprints.get(key, 0)
            if grown and iteration:
                self.footprint_per_iteration[key] = grown / iteration
                self.counting.extra_footprint[key] = (
                    self.counting.extra_footprint.get(key, 0.0)
                    + grown * (self.trips - iteration) / iteration
                )


def _widen(snapshot: np.ndarray, keys: tuple, wider: tuple) -> np.ndarray:
    """A snapshot taken with the sites `keys`, laid out for the sites `wider` (a superset)."""
    width = len(LINE_COUNTERS)
    where = {key: snapshot[k * width : (k + 1) * width] for k, key in enumerate(keys or ())}
    parts = [where.get(key, np.zeros(width)) for key in wider]
    return np.concatenate([*parts, snapshot[snapshot.size - len(SCALARS) :]])


def sampleable(loop: ast.For) -> bool:
    """Whether every iteration of `loop` ends the same way: no break or return in its body."""
    return not any(isinstance(n, ast.Return) for n in ast.walk(loop)) and not _breaks(loop.body)


def _breaks(statements: list[ast.stmt]) -> bool:
    for statement in statements:
        if isinstance(statement, ast.Break):
            return True
        if isinstance(statement, (ast.If, ast.With, ast.Try)):
            children = [getattr(statement, f, []) for f in ("body", "orelse", "finalbody")]
            if any(_breaks(block) for block in children if block):
                return True
    return False


def skippable(function: ast.FunctionDef, loop: ast.For) -> bool:
    """Whether skipping iterations of `loop` leaves the kernel's control flow and addresses as
    they were: no name the loop assigns is read, outside the loop, in a condition, a range()
    bound, an index or a returned value (values it leaves in registers or arrays only feed
    results), directly or through names computed from it after the loop."""
    inner_targets = {
        n.target.id
        for n in ast.walk(loop)
        if isinstance(n, ast.For) and isinstance(n.target, ast.Name)
    }
    assigned = {
        n.id for n in ast.walk(loop) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    } - inner_targets
    if not assigned:
        return True
    inside = {id(n) for n in ast.walk(loop)}
    outside = [node for node in ast.walk(function) if id(node) not in inside]
    _spread(assigned, outside)
    for node in outside:
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            steering = [node.test]
        elif isinstance(node, ast.Return) and node.value is not None:
            steering = [node.value]  # a device function's result may steer its caller
        elif isinstance(node, ast.For):
            steering = [node.iter]
        elif isinstance(node, ast.Subscript):
            steering = [node.slice]
        else:
            continue
        for part in steering:
            if any(isinstance(n, ast.Name) and n.id in assigned for n in ast.walk(part)):
                return False
    return True


def _spread(names: set[str], nodes: list[ast.AST]) -> None:
    """Add to `names` every name assigned from an expression that reads one of them."""
    assignments = [n for n in nodes if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign))]
    changed = True
    while changed:
        changed = False
        for node in assignments:
            if node.value is None or not _reads(node.value, names):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):  # names, not an array stored into
                    if (
                        isinstance(name, ast.Name)
                        and isinstance(name.ctx, ast.Store)
                        and name.id not in names
                    ):
                        names.add(name.id)
                        changed = True


def _reads(expression: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(expression))
