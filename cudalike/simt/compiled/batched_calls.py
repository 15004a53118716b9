"""Calls of numpy's math loops batched over the threads of a jammed group.

Compiled code computes `math.exp`, `log`, `sin`, `tanh`, `pow`, ... with numpy's own loop
called on one element (`uf.call1('cudalike_numpy_loop_exp_f', x)`, math_calls.py), so its bits
are the vector engine's. Each such call pays the loop's set-up, about 20 ns, where the loop
itself takes about 1 ns an element. A jammed loop (jam.py) runs its body once for each of
the GROUP threads of a group per iteration; when a statement of the body is one line with one
such call, its GROUP calls become one: each thread's operands go to a small buffer, numpy's
loop runs once over the buffer (`uf.call1n`), and each thread's statement reads its result.

The group's statements then run statement by statement (every thread's first statement, then
every thread's second, ...), not thread by thread. Each thread still runs its own statements
in its own order, with the operands evaluated before the rest of the statement, which reads
no variable the operands change. Only the interleaving of different threads changes, as
jamming already changes it: it matters only to threads that race, and it comes closer to the
vector engine's order, which runs each statement for all lanes before the next.
"""

from __future__ import annotations

_CALL = "uf.call"
_NOT_ALWAYS = (" if ", " and ", " or ")  # operands evaluated only sometimes: left unbatched
_DTYPES = {"f": "float32", "d": "float64"}
MOST_CALLS = 4  # batched calls in one statement (`atan2(y, x) + log(x)` has two)


def buffers(group: int) -> list[str]:
    """The driver's allocations of the buffers the batched calls use."""
    roles = ["x", "y"] + [f"out{c}" for c in range(MOST_CALLS)]
    return [
        f"    jam_{role}_{char} = np.empty({group}, np.{dtype})"
        for char, dtype in _DTYPES.items()
        for role in roles
    ]


def interleave(copies: list[list[str]]) -> list[str] | None:
    """The body's code for all threads of a group, statement by statement, the numpy-loop
    calls of one-line statements made once for the group; None when no statement has a call
    to batch (the group then runs thread by thread, as before)."""
    split = [_statements(copy) for copy in copies]
    if any(len(statements) != len(split[0]) for statements in split):
        return None
    out: list[str] = []
    batched_any = False
    for position in range(len(split[0])):
        group = [statements[position] for statements in split]
        batched = _batched(group)
        batched_any |= batched is not None
        out += batched if batched is not None else [line for s in group for line in s]
    return out if batched_any else None


def _statements(lines: list[str]) -> list[list[str]]:
    """The lines grouped by statement (a statement's first line is not indented)."""
    statements: list[list[str]] = []
    for line in lines:
        if line.startswith(" ") and statements:
            statements[-1].append(line)
        else:
            statements.append([line])
    return statements


def _batched(group: list[list[str]]) -> list[str] | None:
    """The group's one-line statements with their numpy-loop calls made once for the group:
    for each call, every thread's operands to the buffers, then the loop; then each thread's
    statement reading its results."""
    if any(len(statement) != 1 for statement in group):
        return None
    lines = [statement[0] for statement in group]
    calls = [_calls(line) for line in lines]
    shapes = {tuple((name, len(operands)) for _, name, operands in found) for found in calls}
    if not calls[0] or len(shapes) != 1:
        return None
    out, chars = [], []
    for c, (_, name, operands) in enumerate(calls[0]):
        char = name.strip("'\"")[-1]
        if char not in _DTYPES:
            return None
        chars.append(char)
        roles = ("x", "y")[: len(operands)]
        for u, found in enumerate(calls):
            out += [f"jam_{role}_{char}[{u}] = {found[c][2][k]}" for k, role in enumerate(roles)]
        arrays = ", ".join(f"jam_{role}_{char}" for role in roles)
        out.append(f"uf.call{len(roles)}n({name}, {arrays}, jam_out{c}_{char}, {len(group)})")
    for u, (line, found) in enumerate(zip(lines, calls, strict=True)):
        for c in range(len(found) - 1, -1, -1):  # from the right: earlier spans stay valid
            (start, end), _, _ = found[c]
            line = f"{line[:start]}jam_out{c}_{chars[c]}[{u}]{line[end:]}"
        out.append(line)
    return out


def _calls(line: str) -> list[tuple[tuple[int, int], str, list[str]]]:
    """Each `uf.callN(...)` of the line: ((start, end), the loop's name, the operands' code);
    none where a call holds another, there are more than MOST_CALLS, or the line evaluates
    parts only sometimes."""
    if any(word in line for word in _NOT_ALWAYS):
        return []
    found = []
    start = line.find(_CALL)
    while start >= 0:
        call = _call(line, start)
        if call is None or _CALL in line[start + 1 : call[0][1]]:
            return []
        found.append(call)
        start = line.find(_CALL, call[0][1])
    return found if len(found) <= MOST_CALLS else []


def _call(line: str, start: int) -> tuple[tuple[int, int], str, list[str]] | None:
    """The call starting at `start`: ((start, end), the loop's name, the operands' code)."""
    opening = start + len(_CALL) + 1
    if line[opening - 1 : opening] not in ("1", "2") or line[opening : opening + 1] != "(":
        return None
    parts, depth, begin = [], 0, opening + 1
    for index in range(opening, len(line)):
        character = line[index]
        if character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
            if depth == 0:
                parts.append(line[begin:index].strip())
                name, *operands = parts
                if len(operands) != int(line[opening - 1]):
                    return None
                return (start, index + 1), name, operands
        elif character == "," and depth == 1:
            parts.append(line[begin:index].strip())
            begin = index + 1
    return None
