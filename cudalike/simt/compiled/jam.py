"""Jammed loops: a segment's hot `for` loop run for several threads at once.

A segment runs each thread to its end before the next, so a loop like SGEMM's
`acc += A[x, k] * B[k, y]` is one chain of dependent additions: the processor waits for
each sum before starting the next. When a segment is `pre; [if c: ...] for k in range(...):
body; post` (the loop at the end of a chain of `if`s without `else`), the driver instead runs
it in three passes over the block's threads:

1. every live thread runs the statements before the loop and, where it reaches the loop,
   records its bounds (how deep it got into the `if`s is kept too);
2. the loop runs for the threads that reached it, `GROUP` threads at a time when their bounds
   agree: each iteration runs the body once for each thread of the group, in thread order,
   with each thread's variables in its own registers (independent chains the processor
   overlaps); a thread left over, or a group whose bounds differ, runs alone;
3. every live thread runs the statements after the loop at the depths it reached.

Each thread still runs its own statements in its own order, so its results are bit for bit
those of the plain segment, and so the vector engine's. Only the interleaving of different
threads changes, which matters only to a kernel whose threads race (undefined on a GPU,
and reported the same way by the symmetric race checks with checks on). Variables that cross
passes live in the per-thread arrays every segment boundary uses. The body may hold `if`s
but no loop, `return`, `break`/`continue` or atomic. A loop of a few iterations known when
compiling is not jammed (the passes would cost more than they gain), nor, with checks on, one
accessing arrays whose every access updates shadow state (a shared tile the segment only
reads between two barriers, or a local array filled first, keeps none).
"""

from __future__ import annotations

import ast
import dataclasses
import re

from cudalike.simt.compiled import atomics, batched_calls, counted, math_calls
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

GROUP = 8  # threads per jammed group (8 measured best on SGEMM; 16 spills registers)
SHORT_LOOP = 64  # a loop of at most this many iterations, known when compiling, is not jammed
# Thread coordinates from the thread index: tx, ty, tz from arrays the driver fills once.
_COORDINATES = {
    "tx": "jam_tx[{t}]",
    "ty": "jam_ty[{t}]",
    "tz": "jam_tz[{t}]",
    "gth": "blk * nt + {t}",
}
_COORDINATE_ARRAYS = [
    "    jam_tx = np.empty(nt, np.int64)",
    "    jam_ty = np.empty(nt, np.int64)",
    "    jam_tz = np.empty(nt, np.int64)",
    "    for t in range(nt):",
    "        jam_tx[t], jam_ty[t], jam_tz[t] = t % bdx, t // bdx % bdy, t // (bdx * bdy)",
]


@dataclasses.dataclass
class Plan:
    """A segment split around its hot loop: `levels[j]` = (statements before, after) at `if`
    depth j; `tests[j]` is the condition entering depth j + 1; the loop is at depth
    len(tests)."""

    levels: list[tuple[list, list]]
    tests: list[ast.expr]
    loop: ast.For | ast.While  # a `while` only in the counted shape (counted.py)

    def passes(self) -> tuple[list, list, list]:
        """The AST nodes each pass reads or writes (for the per-thread variables)."""
        first = [s for pre, _ in self.levels for s in pre] + self.tests
        if isinstance(self.loop, ast.For):
            first.append(self.loop.iter)
            second = [self.loop.target, *self.loop.body]
        else:  # the first pass counts the iterations from the counter, its limit and step
            first += [self.loop.test, self.loop.body[-1].value]
            second = list(self.loop.body)
        third = [s for _, post in self.levels for s in post]
        return first, second, third


def plan(statements: list, kernel) -> Plan | None:
    """How to jam this segment, or None when it has no loop in the supported shape."""
    levels: list = []
    tests: list = []
    current = statements
    while True:
        index = next((i for i, s in enumerate(current) if _holds_loop(s)), None)
        if index is None:
            return None
        found = current[index]
        levels.append((current[:index], current[index + 1 :]))
        if isinstance(found, ast.For) or counted.counted_while(found, kernel):
            return Plan(levels, tests, found) if _jammable(found, kernel) else None
        if not isinstance(found, ast.If) or found.orelse:
            return None
        tests.append(found.test)
        current = found.body


def _holds_loop(statement: ast.stmt) -> bool:
    return isinstance(statement, (ast.For, ast.While)) or (
        isinstance(statement, ast.If)
        and any(isinstance(node, (ast.For, ast.While)) for node in ast.walk(statement))
    )


def _jammable(loop: ast.For | ast.While, kernel) -> bool:
    """An innermost loop carrying a variable from one iteration to the next (`acc += ...`):
    the chain jamming overlaps. A loop around other loops gains nothing from running their
    threads' copies one after another."""
    if loop.orelse or (isinstance(loop, ast.For) and not isinstance(loop.target, ast.Name)):
        return False
    for node in ast.walk(ast.Module(body=loop.body, type_ignores=[])):
        if isinstance(node, (ast.Return, ast.For, ast.While)):
            return False
        if isinstance(node, ast.Call) and atomics.is_atomic(kernel.resolve(node.func)):
            return False
    if kernel.checks and any(_checked(node, kernel) for node in ast.walk(loop)):
        return False
    body = loop.body
    if isinstance(loop, ast.For):
        try:
            codes, _ = kernel._range(loop)
        except NotCompilable:
            return False
        if all(code.lstrip("-").isdigit() for code in codes):
            low, high, step = (int(code) for code in codes)
            if step and len(range(low, high, step)) <= SHORT_LOOP:
                return False  # the passes around it would cost more than the overlap gains
    else:
        body = body[:-1]  # the counter's step carries nothing worth overlapping
    stored = {n.id for s in body for n in ast.walk(s) if _stored_name(n)}
    carried = any(
        isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in stored
        for s in body
        for node in ast.walk(s)
    ) or any(
        isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)
        for s in body
        for node in ast.walk(s)
    )
    return (carried or _numpy_loops(body, kernel)) and not _leaves(loop.body)


def _numpy_loops(body: list, kernel) -> bool:
    """Whether the body calls numpy's math loops, whose calls a group makes together
    (batched_calls.py)."""
    return any(
        isinstance(node, ast.Call)
        and math_calls.numpy_loop(getattr(kernel.resolve(node.func), "value", None))
        for statement in body
        for node in ast.walk(statement)
    )


def _checked(node: ast.AST, kernel) -> bool:
    """Whether `node` accesses an array whose every access updates shadow state when checks
    are on (shared, local, or a global the kernel writes): the interleaved threads' bookkeeping
    then costs more than the overlap gains. Reads of a shared array the segment does not write
    between two barriers (quiet.py) and accesses to a local array filled first (filled.py)
    keep no shadow state."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
        return False
    array = kernel.arrays.get(node.value.id)
    if array is None:
        return False
    if array.space == "shared":
        return array.name not in kernel.quiet_shared
    if array.space == "local":
        return array.name not in kernel.filled_locals
    return array.tracked


def _leaves(statements: list) -> bool:
    """Whether a break/continue in `statements` (outside nested loops) leaves their loop."""
    for statement in statements:
        if isinstance(statement, (ast.Break, ast.Continue)):
            return True
        if isinstance(statement, ast.If) and (_leaves(statement.body) or _leaves(statement.orelse)):
            return True
    return False


def write(writer, found: Plan, out: list, pad: str) -> None:
    """The three passes of a jammed segment."""
    if _COORDINATE_ARRAYS[0] not in writer.allocations:
        writer.allocations += _COORDINATE_ARRAYS
    # Variables crossing passes live in per-thread arrays. The kernel's structure promoted them
    # when it planned this jam too, but not for a loop jammed because its shared reads are
    # quiet, which is only known when the segment is written (quiet.py).
    writer.k.promoted |= _crossing(found.passes(), writer.k)
    names = {
        key: writer.per_thread_array(nb.INT64) for key in ("ids", "low", "high", "step", "depth")
    }
    reached = writer._temporary()
    out.append(f"{pad}{reached} = 0")
    first, second, third = found.passes()
    inner = writer.thread_loop(first, out, pad)
    out.append(f"{inner}{names['depth']}[t] = 0")
    _write_first(writer, found, 0, names, reached, out, len(inner) // 4)
    writer.end_thread_loop(first, out, pad)
    _write_loop(writer, found, names, reached, second, out, pad)
    if not third:
        return
    inner = writer.thread_loop(third, out, pad)
    for depth in range(len(found.levels) - 1, -1, -1):
        statements = found.levels[depth][1]
        if not statements:
            continue
        if depth:
            out.append(f"{inner}if {names['depth']}[t] >= {depth}:")
            writer._body(statements, out, len(inner) // 4 + 1)
        else:
            for statement in statements:
                writer._statement(statement, out, len(inner) // 4)
    writer.end_thread_loop(third, out, pad)


def _crossing(passes: tuple, kernel) -> set[str]:
    """Thread variables used in more than one pass."""
    passes_of: dict[str, set[int]] = {}
    for number, part in enumerate(passes):
        for node in (n for statement in part for n in ast.walk(statement)):
            if isinstance(node, ast.Name):
                passes_of.setdefault(node.id, set()).add(number)
    thread_variables = kernel.locals - kernel.uniform - kernel.block_vars
    return {name for name, numbers in passes_of.items() if len(numbers) > 1} & thread_variables


def _write_first(writer, found: Plan, depth: int, names: dict, reached: str, out, indent) -> None:
    k = writer.k
    pad = "    " * indent
    for statement in found.levels[depth][0]:
        writer._statement(statement, out, indent)
    if depth < len(found.tests):
        out.append(f"{pad}if {k.truth(*k.expr(found.tests[depth]))}:")
        out.append(f"{pad}    {names['depth']}[t] = {depth + 1}")
        _write_first(writer, found, depth + 1, names, reached, out, indent + 1)
        return
    out.append(f"{pad}{names['ids']}[{reached}] = t")
    for key, code in zip(("low", "high", "step"), _bounds(k, found.loop), strict=True):
        out.append(f"{pad}{names[key]}[{reached}] = {code}")
    out.append(f"{pad}{reached} += 1")


def _bounds(kernel, loop: ast.For | ast.While) -> list[str]:
    """The code of the loop's range(): a counted `while` runs range(0, its iterations, 1)."""
    if isinstance(loop, ast.For):
        return kernel._range(loop)[0]
    parts = [kernel.variable(loop.test.left.id), kernel.expr(loop.test.comparators[0])]
    parts.append(kernel.expr(loop.body[-1].value))
    start, stop, step = (nb.cast(code, kind, nb.INT64) for code, kind in parts)
    return ["0", f"rt.while_trips({start}, {stop}, {step})", "1"]


def _write_loop(writer, found: Plan, names: dict, reached: str, second, out, pad) -> None:
    k = writer.k
    loop = found.loop
    used = writer._promoted_in(second)
    assigned = sorted(set(used) & {n.id for s in second for n in ast.walk(s) if _stored_name(n)})
    counter = f"__jk{writer.temporaries}"
    codes = _bounds(k, loop)  # literal bounds stay literal, so the compiler knows them
    # A loop whose start or step differs from thread to thread (a grid-stride loop) runs its
    # iteration count, each thread's variable computed from its own start and step.
    strided = isinstance(loop, ast.For) and not (codes[0].isdigit() and codes[2].isdigit())
    start, stride = (writer._temporary(), writer._temporary()) if strided else ("", "")
    body: list[str] = []
    if strided:
        value = (f"({start} + {counter} * {stride})", nb.INT64)
        body.append(writer._assign(loop.target.id, value))
    elif isinstance(loop, ast.For):
        body.append(writer._assign(loop.target.id, (counter, nb.INT64)))
    writer.loops += 1
    writer._body(loop.body, body, 0)
    writer.loops -= 1
    site = k.new_site()
    ids, low, high, step = (names[key] for key in ("ids", "low", "high", "step"))
    j = writer._temporary()
    if strided:
        bounds = f"rt.trip({low}[{j}], {high}[{j}], {step}[{j}])"
        agree = "same_trips"
    else:
        bounds = ", ".join(
            code if code.isdigit() else f"{names[key]}[{j}]"
            for key, code in zip(("low", "high", "step"), codes, strict=True)
        )
        agree = "same_bounds"
    trips = f"rt.trip({low}[{j}], {high}[{j}], {step}[{j}])"
    if codes[0] == "0" and codes[2] == "1":  # range(0, n, 1): no division
        trips = f"max(0, {high}[{j}])"
    out += [
        f"{pad}for {j} in range({reached}):",
        f"{pad}    rt.tick(ticks, {site}, {ids}[{j}], {trips}, budget)",
        f"{pad}{j} = 0",
        f"{pad}while {j} < {reached}:",
        f"{pad}    if rt.{agree}({low}, {high}, {step}, {j}, {GROUP}, {reached}):",
    ]
    copies = [_renamed(body, u) for u in range(GROUP)]
    group_pad = pad + "        "
    for u in range(GROUP):
        out.append(f"{group_pad}t{u} = {ids}[{j} + {u}]")
        if strided:
            out.append(f"{group_pad}{start}_{u} = {low}[{j} + {u}]")
            out.append(f"{group_pad}{stride}_{u} = {step}[{j} + {u}]")
        out += _coordinates(copies[u], f"t{u}", u, group_pad)
        out += [f"{group_pad}v{u}_{n} = P_{n}[t{u}]" for n in used]
    out.append(f"{group_pad}for {counter} in range({bounds}):")
    together = batched_calls.interleave(copies)
    if together is not None and batched_calls.buffers(GROUP)[0] not in writer.allocations:
        writer.allocations += batched_calls.buffers(GROUP)
    lines = together if together is not None else [line for copy in copies for line in copy]
    out += [f"{group_pad}    {line}" for line in lines]
    for u in range(GROUP):
        out += [f"{group_pad}P_{n}[t{u}] = v{u}_{n}" for n in assigned]
    out += [f"{group_pad}{j} += {GROUP}", f"{pad}    else:", f"{group_pad}t = {ids}[{j}]"]
    if strided:
        out += [f"{group_pad}{start} = {low}[{j}]", f"{group_pad}{stride} = {step}[{j}]"]
    out += _coordinates(body, "t", None, group_pad)
    out += [f"{group_pad}v_{n} = P_{n}[t]" for n in used]
    out.append(f"{group_pad}for {counter} in range({bounds}):")
    out += [f"{group_pad}    {line}" for line in body]
    out += [f"{group_pad}P_{n}[t] = v_{n}" for n in assigned]
    out.append(f"{group_pad}{j} += 1")


def _stored_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)


_IDENTIFIERS = re.compile(r"\b(?:v_(\w+)|__t(\d+)|(t|tx|ty|tz|gth))\b")


def _renamed(lines: list[str], u: int) -> list[str]:
    """The body's code for the group's thread `u`: its own variables and thread index."""

    def rename(match: re.Match) -> str:
        variable, temporary, thread = match.groups()
        if variable is not None:
            return f"v{u}_{variable}"
        if temporary is not None:
            return f"__t{temporary}_{u}"
        return f"{thread}{u}"

    return [_IDENTIFIERS.sub(rename, line) for line in lines]


def _coordinates(lines: list[str], thread: str, u: int | None, pad: str) -> list[str]:
    """Thread coordinates the body's code uses, computed from its thread index."""
    text = "\n".join(lines)
    suffix = "" if u is None else str(u)
    return [
        f"{pad}{name}{suffix} = {formula.format(t=thread)}"
        for name, formula in _COORDINATES.items()
        if re.search(rf"\b{name}{suffix}\b", text)
    ]
