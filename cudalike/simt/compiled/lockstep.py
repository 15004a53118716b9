"""Order-dependent atomics in loops, or several on one array, in the vector engine's order.

The vector engine runs a chunk of blocks (up to `config.max_lanes` threads) statement by
statement: a statement runs for every active lane of the chunk, in lane order (block by
block, thread by thread), before the next; a loop runs iteration by iteration with every lane
still in it. So a float `cuda.atomic.add` in a grid-stride loop adds lane 0's first term, lane
1's first term, ..., then every lane's second term; the per-block driver adds a thread's terms
together, rounding differently, and a returned slot would put items elsewhere.

For a kernel without barriers, warp functions, shared or local arrays, the driver instead
runs each chunk in *passes*: a pass runs some statements for every lane of a lane set, lane
after lane in the vector engine's lane order. A loop holding an atomic whose order matters
(atomics.order_dependent, on an *ordered* array) runs iteration-major: for each iteration,
the lanes still in it (a compacted list) run the body in passes. An `if` whose branches
hold such atomics that one pass may not hold records the lanes that take each branch and runs
each branch over its lanes. Statements around those loops are passes of their own. A pass
holds, for each ordered array, at most one atomic call on it, outside every loop of the pass,
and then no other access to that array; a statement breaking this (two such atomics on one
array in one expression, or an atomic beside a read of its array) stays on the vector engine.

Why a pass gives the vector engine's results. Within a pass, the only state several lanes
share is memory. The atomic calls on an ordered array A happen, in both tiers, once per lane
at the one call site of the pass, in lane order, with the pass running in the same place of
the vector engine's sequence of statements and iterations (the control flow around every pass
holding one runs lockstep, as the vector engine's masks do); no other statement of the pass
reads or writes A, so the old values returned and A's final contents are the same, and every
read of A in other passes sees the same contents (passes, unlike statements within one, keep
their order). Any other memory a lane reads in a pass that another lane writes in the same pass
without atomics is a race (undefined on a GPU, found by the race checks in either order, as
for every compiled segment, codegen.py), and integer atomics whose old value is dropped give
the same result in any order. So every lane computes the same values, the ordered arrays
receive the same updates in the same order, and the loop counts of each lane (and so the loop
budget, folded per chunk as codegen does) are those of the per-thread code. Each lane's
variables cross passes in chunk-wide arrays (`P_name`, one element per lane of the chunk).
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections import Counter

from cudalike.simt import frontend
from cudalike.simt.compiled import arrays, atomics
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.flow import assigned_names
from cudalike.simt.compiled.numbers import NotCompilable

_REASON = "cuda.atomic whose order matters, on an array with other atomics or in a loop"
# intrinsics that need a block's or a warp's threads together, or a thread's lane in its warp
_REFUSED = ("sync", "shfl", "ballot", "laneid", "lanemask", "activemask", "match", "cg.")
# a lane's coordinates from its index `t` in the chunk of blocks starting at block `c0`
_COORDINATES = [
    ("blk", "c0 + t // nt"),
    ("bx", "blk % gdx"),
    ("by", "blk // gdx % gdy"),
    ("bz", "blk // (gdx * gdy)"),
    ("tx", "t % nt % bdx"),
    ("ty", "t % nt // bdx % bdy"),
    ("tz", "t % nt // (bdx * bdy)"),
    ("gth", "c0 * nt + t"),
]


def needed(kernel) -> bool:
    """Whether the kernel has an atomic whose order the per-block driver does not keep (see
    atomics.ordered_atomics); such a kernel outside what the passes cover is refused."""
    dependent = atomics.order_dependent(kernel.body, kernel.resolve, kernel.arrays)
    if all(id(node) in kernel.ordered_atomics for node in dependent):
        return False
    if any(a.space != "global" for a in kernel.arrays.values()):
        raise NotCompilable(f"{_REASON}, with shared or local arrays")
    for node in ast.walk(ast.Module(body=kernel.body, type_ignores=[])):
        if isinstance(node, (ast.Attribute, ast.Call)):
            meaning = _meaning(kernel, node.func if isinstance(node, ast.Call) else node)
            if isinstance(meaning, frontend.Intrinsic) and any(
                word in meaning.path for word in _REFUSED
            ):
                raise NotCompilable(f"{_REASON}, with cuda.{meaning.path}")
    return True


def _meaning(kernel, node: ast.AST):
    try:
        return kernel.resolve(node)
    except NotCompilable:
        return None


@dataclasses.dataclass
class _Lanes:
    """The lanes a pass visits: `list_name[:count]`, or every lane of the chunk (`list_name`
    None); `state`: the per-lane exit state of the innermost lockstep loop (1: continued,
    2: broke), or None outside such loops."""

    list_name: str | None
    count: str
    state: str | None


@dataclasses.dataclass
class _Item:
    """Something a pass runs for each lane: the nodes whose names it reads or writes, the
    lines before the pass loop, and a writer of its lines at a depth."""

    nodes: list
    write: object
    before: list = dataclasses.field(default_factory=list)


class _Pass:
    def __init__(self):
        self.items: list[_Item] = []
        self.sites: Counter = Counter()
        self.plain: set[str] = set()

    def fits(self, sites: Counter, plain: set) -> bool:
        return all(self.sites[a] == 0 and a not in self.plain for a in sites) and all(
            self.sites[a] == 0 for a in plain
        )

    def add(self, item: _Item, sites: Counter, plain: set) -> None:
        self.items.append(item)
        self.sites.update(sites)
        self.plain |= plain


class Passes:
    """Writes the driver of a kernel run in chunk-wide passes (`needed` said so)."""

    def __init__(self, writer):
        self.w = writer
        self.k = writer.k
        dependent = atomics.order_dependent(self.k.body, self.k.resolve, self.k.arrays)
        self.ordered = {node.args[0].id for node in dependent}
        self.allocations: list[str] = []

    # ---- what a statement does to the ordered arrays -----------------------------------------
    def _sites(self, nodes: list) -> Counter:
        calls = atomics.sites(nodes, self.k.resolve)
        return Counter(c.args[0].id for c in calls if c.args[0].id in self.ordered)

    def _plain(self, nodes: list) -> set:
        return {
            n.value.id
            for node in nodes
            for n in ast.walk(node)
            if isinstance(n, ast.Subscript)
            and isinstance(n.value, ast.Name)
            and n.value.id in self.ordered
        }

    def _alone(self, nodes: list) -> bool:
        """Whether `nodes`, run once for a lane, call each ordered array's atomics at most once
        and access no array they call atomics on otherwise."""
        sites = self._sites(nodes)
        repeated = [
            part
            for node in nodes
            for loop in ast.walk(node)
            if isinstance(loop, (ast.For, ast.While))
            for part in (*loop.body, *([loop.test] if isinstance(loop, ast.While) else []))
        ]
        return (
            max(sites.values(), default=0) <= 1
            and not set(sites) & self._plain(nodes)
            and not self._sites(repeated)
        )

    # ---- the driver ----------------------------------------------------------------------------
    def driver(self) -> str:
        k = self.k
        body: list[str] = []
        self._statements(k.body, _Lanes(None, "lanes", None), body, 2, [])
        lines, counted = self.w.preamble("cl")
        lines.append("    lep = 0")
        releases = []
        for a in k.arrays.values():
            lines += arrays.allocate(a, k.checks)
            releases += arrays.release(a, k.checks)
        for name in sorted(k.promoted):
            lines.append(f"    P_{name} = np.zeros(cl, np.{nb.storage(k.types[name]).name})")
        lines += self.allocations + self.w.allocations
        lines += [
            "    for c0 in range(0, blocks, per_chunk):",
            "        lanes = min(per_chunk, blocks - c0) * nt",
            "        alive[:lanes] = True",
            *(body or ["        pass"]),
            *(
                ["        rt.fold_ticks(ticks, chunk_max, totals, c0 // per_chunk, budget)"]
                if counted
                else []
            ),
            *releases,
            "    return 0",
        ]
        return "\n".join(lines)

    def _array(self, dtype: str) -> str:
        name = self.w._temporary()
        self.allocations.append(f"    {name} = np.zeros(cl, np.{dtype})")
        return name

    # ---- statements, passes and lockstep control flow --------------------------------------
    def _statements(self, statements, lanes: _Lanes, out: list, depth: int, first: list) -> None:
        current = _Pass()
        for item in first:
            current.add(item, Counter(), set())
        for statement in statements:
            if self._alone([statement]):
                item = _Item([statement], self._statement_writer(statement))
                current = self._add(current, item, [statement], lanes, out, depth)
                continue
            if isinstance(statement, ast.If):
                current = self._if(statement, current, lanes, out, depth)
            elif isinstance(statement, ast.For):
                current = self._for(statement, current, lanes, out, depth)
            elif isinstance(statement, ast.While):
                current = self._while(statement, current, lanes, out, depth)
            else:
                raise NotCompilable(f"{_REASON}: two on one array, or beside a read of it")
        self._flush(current, lanes, out, depth)

    def _add(self, current: _Pass, item: _Item, nodes: list, lanes, out, depth) -> _Pass:
        if not self._alone(nodes):
            raise NotCompilable(f"{_REASON}: two on one array, or beside a read of it")
        sites, plain = self._sites(nodes), self._plain(nodes)
        if not current.fits(sites, plain):
            self._flush(current, lanes, out, depth)
            current = _Pass()
        current.add(item, sites, plain)
        return current

    def _statement_writer(self, statement: ast.stmt):
        return lambda out, depth: self.w._statement(statement, out, depth)

    def _if(self, node: ast.If, current: _Pass, lanes: _Lanes, out: list, depth: int) -> _Pass:
        k = self.k
        taken, other = self._array("int64"), self._array("int64")
        counts = self.w._temporary(), self.w._temporary()

        def write(lines: list, d: int) -> None:
            pad = "    " * d
            lines += [
                f"{pad}if {k.truth(*k.expr(node.test))}:",
                f"{pad}    {taken}[{counts[0]}] = t",
                f"{pad}    {counts[0]} += 1",
                f"{pad}else:",
                f"{pad}    {other}[{counts[1]}] = t",
                f"{pad}    {counts[1]} += 1",
            ]

        before = [f"{counts[0]} = 0", f"{counts[1]} = 0"]
        current = self._add(
            current, _Item([node.test], write, before), [node.test], lanes, out, depth
        )
        self._flush(current, lanes, out, depth)
        self._statements(node.body, _Lanes(taken, counts[0], lanes.state), out, depth, [])
        self._statements(node.orelse, _Lanes(other, counts[1], lanes.state), out, depth, [])
        return _Pass()

    def _for(self, node: ast.For, current: _Pass, lanes: _Lanes, out: list, depth: int) -> _Pass:
        k = self.k
        codes, _ = k._range(node)
        listed, state = self._array("int64"), self._array("int8")
        low, step, trips = self._array("int64"), self._array("int64"), self._array("int64")
        count, bounds = self.w._temporary(), [self.w._temporary() for _ in range(4)]
        site = k.new_site()

        def write(lines: list, d: int) -> None:
            pad = "    " * d
            lines += [
                f"{pad}{', '.join(bounds[:3])} = {', '.join(codes)}",
                f"{pad}{bounds[3]} = rt.trip({', '.join(bounds[:3])})",
                f"{pad}rt.tick(ticks, {site}, t, {bounds[3]}, budget)",
                f"{pad}{low}[t], {step}[t], {trips}[t] = {bounds[0]}, {bounds[2]}, {bounds[3]}",
                f"{pad}{state}[t] = 0",
                f"{pad}{listed}[{count}] = t",
                f"{pad}{count} += 1",
            ]

        item = _Item([node.iter], write, [f"{count} = 0"])
        current = self._add(current, item, [node.iter], lanes, out, depth)
        self._flush(current, lanes, out, depth)
        iteration = self.w._temporary()
        out.append(f"{'    ' * depth}{iteration} = 0")
        leaves = [f"if not {iteration} < {trips}[t]:", "    continue"]
        self._iterations(listed, count, state, leaves, [], out, depth)
        value = (f"{low}[t] + {iteration} * {step}[t]", nb.INT64)
        assign = self.w._assign(node.target.id, value)
        first = [_Item([node.target], lambda lines, d: lines.append("    " * d + assign))]
        self._statements(node.body, _Lanes(listed, count, state), out, depth + 1, first)
        out.append(f"{'    ' * (depth + 1)}{iteration} += 1")
        return _Pass()

    def _while(self, node: ast.While, current: _Pass, lanes: _Lanes, out: list, depth: int):
        if node.orelse:
            raise NotCompilable("while ... else")
        k = self.k
        if not self._alone([node.test]):
            raise NotCompilable(f"{_REASON}: two on one array, or beside a read of it")
        listed, state = self._array("int64"), self._array("int8")
        count = self.w._temporary()

        def write(lines: list, d: int) -> None:
            pad = "    " * d
            lines += [f"{pad}{state}[t] = 0", f"{pad}{listed}[{count}] = t", f"{pad}{count} += 1"]

        current = self._add(current, _Item([], write, [f"{count} = 0"]), [], lanes, out, depth)
        self._flush(current, lanes, out, depth)
        leaves = [
            f"if not ({k.truth(*k.expr(node.test))}):",
            "    continue",
            f"rt.tick_while(ticks, {k.new_site()}, t, budget, clock, deadline)",
        ]
        self._iterations(listed, count, state, leaves, [node.test], out, depth)
        self._statements(node.body, _Lanes(listed, count, state), out, depth + 1, [])
        return _Pass()

    def _iterations(self, listed, count, state, leaves, nodes, out, depth) -> None:
        """Open the loop over iterations. Each first keeps, in lane order, the lanes still in
        the loop: alive, not broken out, and not left by `leaves` (lines that `continue` for a
        lane whose `for` has no iteration left or whose `while` test fails, reading `nodes`)."""
        pad = "    " * depth
        inner = pad + "        "
        kept, j = self.w._temporary(), self.w._temporary()
        out += [
            f"{pad}while {count} > 0:",
            f"{pad}    {kept} = 0",
            f"{pad}    for {j} in range({count}):",
            f"{inner}t = {listed}[{j}]",
            f"{inner}if not alive[t] or {state}[t] == 2:",
            f"{inner}    continue",
            f"{inner}{state}[t] = 0",
            *self._coordinates("\n".join(leaves), inner),
            *(f"{inner}v_{n} = P_{n}[t]" for n in self.w._promoted_in(nodes)),
            *(inner + line for line in leaves),
            f"{inner}{listed}[{kept}] = t",
            f"{inner}{kept} += 1",
            f"{pad}    {count} = {kept}",
            f"{pad}    if {count} == 0:",
            f"{pad}        break",
        ]

    def _flush(self, current: _Pass, lanes: _Lanes, out: list, depth: int) -> None:
        """Write a pass: a loop over `lanes` running its items for each lane."""
        if not current.items:
            return
        pad = "    " * depth
        nodes = [n for item in current.items for n in item.nodes]
        names = self.w._promoted_in(nodes)
        statements = [n for n in nodes if isinstance(n, ast.stmt)]
        stored = assigned_names(statements) | {
            n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        stores = [f"P_{n}[t] = v_{n}" for n in names if n in stored]
        if lanes.state is not None:  # a lane leaving the loop stores its variables first
            for statement in statements:
                for leave in _exits(statement):
                    code = 2 if isinstance(leave, ast.Break) else 1
                    self.w.exits[id(leave)] = [f"{lanes.state}[t] = {code}", *stores, "continue"]
        body: list[str] = []
        for item in current.items:
            out += [pad + line for line in item.before]
            item.write(body, depth + 1)
        inner = pad + "    "
        skip = "not alive[t]" + (f" or {lanes.state}[t] != 0" if lanes.state else "")
        if lanes.list_name is None:
            out.append(f"{pad}for t in range({lanes.count}):")
        else:
            j = self.w._temporary()
            out += [f"{pad}for {j} in range({lanes.count}):", f"{inner}t = {lanes.list_name}[{j}]"]
        out += [f"{inner}if {skip}:", f"{inner}    continue"]
        out += self._coordinates("\n".join(body), inner)
        out += [f"{inner}v_{n} = P_{n}[t]" for n in names]
        out += body
        out += [inner + line for line in stores]

    @staticmethod
    def _coordinates(code: str, pad: str) -> list[str]:
        used = {name for name, _ in _COORDINATES if re.search(rf"\b{name}\b", code)}
        if used & {"bx", "by", "bz"}:
            used.add("blk")
        return [f"{pad}{name} = {formula}" for name, formula in _COORDINATES if name in used]


def _exits(statement: ast.stmt):
    """The break and continue statements of the loop around `statement` in it (through `if`s,
    not into loops of its own)."""
    if isinstance(statement, (ast.Break, ast.Continue)):
        yield statement
    elif isinstance(statement, ast.If):
        for inner in (*statement.body, *statement.orelse):
            yield from _exits(inner)
