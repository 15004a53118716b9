"""Writes the numba module of a kernel: one function, `driver`, running the whole launch.

The driver loops over the blocks in the order its segments visit threads: x fastest (the vector
engine's order), or y fastest when the kernel's rows follow y (thread_order.py). For each block it
resets shared and local memory (poisoned, or marked unwritten when checks are on), runs the
block-level statements and, for each segment, a loop over the live threads running the
segment's statements, then folds the loop iteration counts of the block into the vector
engine's per-chunk loop budget. A thread's `return` marks it dead (`alive[t] = False`) and
leaves its loops.
"""

from __future__ import annotations

import ast
import hashlib
import pathlib
import re

import numpy as np

from cudalike.simt.compiled import (
    arrays,
    atomics,
    fences,
    jam,
    lockstep,
    publication,
    quiet,
    thread_order,
    thread_span,
    uniform,
    warps,
)
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.flow import assigned_names, unwritten_shared
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.statements import Kernel, _is_barrier

HEADER = "import math\nimport numpy as np\nfrom numba import njit\n"
HEADER += "from cudalike.simt.compiled import runtime as rt\n"
HEADER += "from cudalike.simt.compiled import numpy_scalars as ns\n"
HEADER += "from cudalike.simt.compiled import ufuncs as uf\n"
HEADER += "from cudalike.simt.compiled import warp_runtime as wrt\n\n"
# The runtime modules are read, not imported: numba loads only when a kernel is compiled.
_HERE = pathlib.Path(__file__).parent
OPTIONS = "@njit(nogil=True, error_model='python', cache={cache})\n"


_COORDINATE_USE = re.compile(r"\b(tx|ty|tz)\b")


def generate(kernel: Kernel, cache: bool) -> str:
    """The module source, defining `driver`. It names the version of the runtime functions it
    inlines, so numba's cache of it is not reused after they change."""
    modules = ["runtime", "numpy_scalars", "warp_runtime", "ufuncs"]
    header = HEADER
    if kernel.publication is not None:  # the checks of reads a fence may publish
        modules.append("publication_runtime")
        header += "from cudalike.simt.compiled import publication_runtime as prt\n"
    runtime = b"".join((_HERE / f"{name}.py").read_bytes() for name in modules)
    version = hashlib.sha256(runtime).hexdigest()[:16]
    header += f"# runtime functions {version}\n"
    driver = OPTIONS.format(cache=cache) + _Writer(kernel).driver() + "\n"
    functions = kernel.device_functions.sources if kernel.device_functions else []
    return header + "".join(f"{source}\n\n" for source in functions) + driver


class _Writer:
    def __init__(self, kernel: Kernel):
        self.k = kernel
        self.temporaries = 0
        self.allocations: list[str] = []  # per-thread arrays of warp statements
        self.loops = 0  # thread-level loops around the statement being written
        # a loop over part of the block's threads (a warp branch's live span, thread_span.py):
        # the code of its start, stop and step
        self.live_range: tuple[str, str, str] | None = None
        self.coordinates: list[tuple[list, int]] = []  # where a span's loop computes tx, ty, tz
        # lines replacing a break or continue (by node id): those of a loop run in passes
        self.exits: dict[int, list[str]] = {}

    # ---- the driver -------------------------------------------------------------------------
    def driver(self) -> str:
        k = self.k
        if k.lockstep:
            return lockstep.Passes(self).driver()
        body: list[str] = []
        self._block(k.body, body, 2)  # first: it numbers the loops (sites)
        lines, counted = self.preamble("nt")
        resets, releases = [], []
        for a in k.arrays.values():
            lines += arrays.allocate(a, k.checks)
            resets += arrays.reset(a, k.checks)
            releases += arrays.release(a, k.checks)
        lines += k.publication.allocations() if k.publication else []
        for name in sorted(k.promoted):
            lines.append(f"    P_{name} = np.zeros(nt, np.{nb.storage(k.types[name]).name})")
        for name in sorted(k.block_vars):
            lines.append(f"    b_{name} = 0")
        for name in sorted(k.uniform):
            dtype = nb.storage(k.types[name])
            lines.append(f"    u_{name} = {'False' if dtype == nb.BOOL else f'np.{dtype.name}(0)'}")
        lines += self.allocations
        lines += thread_order.block_loop(k.y_fastest)
        lines += [
            "        tx = ty = tz = 0",
            "        gth = blk * nt",
            "        alive[:] = True",
            "        gep += 1",
            "        lep = 0",
            *resets,
            *(body or ["        pass"]),
            *(
                ["        rt.fold_ticks(ticks, chunk_max, totals, blk // per_chunk, budget)"]
                if counted
                else []
            ),
            *releases,
            "    return 0",
        ]
        return "\n".join(lines)

    def preamble(self, size: str) -> tuple[list[str], bool]:
        """The driver's signature and first lines: loop counters and `alive` flags for `size`
        threads (`nt`, a block's; `cl`, a chunk's: lockstep.py), once the statements are written
        (they number the loops); and whether the kernel has loops the budget counts."""
        k = self.k
        sites = max(k.sites, 1)
        functions = k.device_functions.sites if k.device_functions else 0
        counted = k.sites + functions > 0
        lines = [
            "def driver(gdx, gdy, gdz, bdx, bdy, bdz, per_chunk, budget, deadline, dynamic, "
            + "".join(f"p_{name}, " for name in [*k.parameters, *k.constants])
            + "):",
            "    nt = bdx * bdy * bdz",
            "    blocks = gdx * gdy * gdz",
            *(["    cl = min(per_chunk, blocks) * nt"] if size == "cl" else []),
            f"    ticks = np.zeros(({sites + functions}, {size}), np.int64)",
            f"    dbase = {sites}",
            *(
                [
                    "    chunks = (blocks + per_chunk - 1) // per_chunk",
                    f"    chunk_max = np.zeros((chunks, {sites + functions}), np.int64)",
                    f"    totals = np.zeros({sites + functions}, np.int64)",
                ]
                if counted
                else []
            ),
            f"    alive = np.ones({size}, np.bool_)",
            "    clock = np.zeros(1, np.int64)",
            "    gep = 0",
            "    t = 0",
        ]
        return lines, counted

    def _block(self, statements, out: list, depth: int) -> None:
        pad = "    " * depth
        pending: list = []
        after_barrier = False
        for statement in statements:
            name = uniform.assigned_name(statement, self.k)
            if name is not None:  # once per block, before the threads of `pending` run
                if uniform.reads(pending, name):
                    self._call_segment(pending, out, pad)
                    pending, after_barrier = [], False
                self._statement(statement, out, depth)
                continue
            if not self.k.has_barrier(statement) and not self.k.block_exit(statement):
                if not pending:
                    pending_after_barrier = after_barrier
                pending.append(statement)
                continue
            between = pending and pending_after_barrier and _is_barrier(statement, self.k)
            self.k.quiet_shared = unwritten_shared(self.k, pending) if between else set()
            quiet.write_segment(self, pending, out, pad)
            self.k.quiet_shared = set()
            after_barrier = _is_barrier(statement, self.k)
            pending = []
            if warps.warp_call(statement, self.k) is not None:
                warps.write(self, statement, out, pad)
                continue
            if _is_barrier(statement, self.k):
                out += [f"{pad}gep += 1", f"{pad}lep += 1"]
                continue
            if isinstance(statement, (ast.Break, ast.Continue)):  # the block's loop
                out.append(f"{pad}{type(statement).__name__.lower()}")
                continue
            if warps.warp_branch(statement, self.k):
                warps.write_branch(self, statement, out, depth)
                continue
            self.k.block_mode = True
            try:
                site = self.k.new_site()
                tick = [
                    f"{pad}    ticks[{site}, 0] += 1",
                    f"{pad}    if ticks[{site}, 0] > budget:",
                    f"{pad}        raise IndexError('loop budget')",
                ]
                if isinstance(statement, ast.For):
                    codes, _ = self.k._range(statement)
                    name = f"b_{statement.target.id}"
                    out.append(f"{pad}if rt.any_alive(alive):")
                    out.append(f"{pad}    for {name} in range({', '.join(codes)}):")
                    tick = ["    " + line for line in tick]
                    inner = depth + 2
                else:
                    test = self.k.truth(*self.k.expr(statement.test))
                    keyword = "while" if isinstance(statement, ast.While) else "if"
                    out.append(f"{pad}{keyword} rt.any_alive(alive) and {test}:")
                    inner = depth + 1
                    if keyword == "if":
                        tick = []
                    else:
                        tick.append(f"{pad}    rt.clock_tick(clock, deadline)")
            finally:
                self.k.block_mode = False
            out += tick
            self._block(statement.body, out, inner)
            out.append(f"{pad}{'    ' * (inner - depth)}pass")
            if isinstance(statement, ast.If) and statement.orelse:
                out.append(f"{pad}else:")
                self._block(statement.orelse, out, depth + 1)
                out.append(f"{pad}    pass")
        self._call_segment(pending, out, pad)

    def _call_segment(self, statements, out: list, pad: str) -> None:
        if not statements:
            return
        found = jam.plan(statements, self.k)
        if found is not None:
            jam.write(self, found, out, pad)
            return
        spanned = thread_span.span(statements, self.k) if self.live_range is None else None
        if spanned is not None:
            self.live_range = (self._temporary(), self._temporary(), self._temporary())
            out += thread_span.loop_bounds(spanned, self.live_range, pad)
        inner = self.thread_loop(statements, out, pad)
        for statement in statements:
            self._statement(statement, out, len(inner) // 4)
        self.end_thread_loop(statements, out, pad)
        if spanned is not None:
            self.live_range = None

    # ---- a loop over the live threads of the block (segments, warp statements) ---------------
    def _promoted_in(self, statements) -> list[str]:
        statements = statements if isinstance(statements, list) else [statements]
        used = {n.id for s in statements for n in ast.walk(s) if isinstance(n, ast.Name)}
        return sorted(self.k.promoted & used)

    def thread_loop(self, statements, out: list, pad: str) -> str:
        """Open the loop, load the thread's promoted variables; the padding of its body."""
        if self.live_range is not None:  # only part of the threads
            low, high, step = self.live_range
            out += [
                f"{pad}for t in range({low}, {high}, {step}):",
                f"{pad}    if not alive[t]:",
                f"{pad}        continue",
            ]
            self.coordinates.append((out, len(out)))  # end_thread_loop drops it if unused
            out += [
                f"{pad}    tx, ty, tz = t % bdx, t // bdx % bdy, t // (bdx * bdy)",
                f"{pad}    gth = blk * nt + t",
                *(f"{pad}    v_{n} = P_{n}[t]" for n in self._promoted_in(statements)),
            ]
            return pad + "    "
        inner = pad + "        "
        outer, fastest = ("tx", "ty") if self.k.y_fastest else ("ty", "tx")
        out += [
            f"{pad}for tz in range(bdz):",
            f"{pad}    for {outer} in range(bd{outer[1]}):",
            f"{pad}        for {fastest} in range(bd{fastest[1]}):",
            f"{inner}    t = (tz * bdy + ty) * bdx + tx",
            *(
                [f"{inner}    if not alive[t]:", f"{inner}        continue"]
                if self.k.may_die
                else []
            ),
            f"{inner}    gth = blk * nt + t",
            *(f"{inner}    v_{n} = P_{n}[t]" for n in self._promoted_in(statements)),
        ]
        return inner + "    "

    def end_thread_loop(self, statements, out: list, pad: str) -> None:
        """Store the thread's promoted variables that `statements` assign."""
        inner = pad + ("    " if self.live_range is not None else "            ")
        statements = statements if isinstance(statements, list) else [statements]
        assigned = assigned_names(statements)
        out += [f"{inner}P_{n}[t] = v_{n}" for n in self._promoted_in(statements) if n in assigned]
        if self.live_range is not None:
            # a thread's coordinates cost three checked divisions the compiler cannot drop
            lines, index = self.coordinates.pop()
            if lines is out and not _COORDINATE_USE.search("\n".join(out[index + 1 :])):
                del out[index]

    def per_thread_array(self, dtype: np.dtype) -> str:
        name = self._temporary()
        self.allocations.append(f"    {name} = np.empty(nt, np.{dtype.name})")
        return name

    def assign_value(self, statement, value, out: list, pad: str) -> None:
        """`statement` (an assignment, augmented or not) with `value` as its right side."""
        k = self.k
        if isinstance(statement, ast.AugAssign):
            target = statement.target
            if isinstance(target, ast.Name):
                value = k.binary(statement.op, k.variable(target.id), value)
            else:
                array, codes = k.index(target)
                names = [self._temporary() for _ in codes]
                out.append(f"{pad}{', '.join(names)} = {', '.join(codes)}")
                loaded = (k.element(array, names, write=False), array.dtype)
                value = k.binary(statement.op, loaded, value)
                code = nb.cast(value[0], value[1], array.dtype)
                out.append(f"{pad}{k.element(array, names, write=True)} = {code}")
                return
        else:
            target = statement.targets[0]
        if isinstance(target, ast.Name):
            out.append(f"{pad}{self._assign(target.id, value)}")
        else:
            self._store(target, value, out, pad)

    def _statement(self, node: ast.stmt, out: list, depth: int) -> None:
        pad = "    " * depth
        k = self.k
        if isinstance(node, ast.Assign):
            target = node.targets[0]
            if isinstance(target, ast.Name):
                out.append(f"{pad}{self._assign(target.id, k.expr(node.value))}")
            elif isinstance(target, ast.Tuple):
                values = k._tuple_values(target, node.value)
                temporaries = [self._temporary() for _ in values]
                for temporary, (code, _) in zip(temporaries, values, strict=True):
                    out.append(f"{pad}{temporary} = {code}")
                # every value is read before any target is written, as in Python
                for element, temporary, (_, kind) in zip(
                    target.elts, temporaries, values, strict=True
                ):
                    if isinstance(element, ast.Subscript):
                        self._store(element, (temporary, kind), out, pad)
                    else:
                        out.append(f"{pad}{self._assign(element.id, (temporary, kind))}")
            elif isinstance(target, ast.Subscript):
                self._store(target, k.expr(node.value), out, pad)
            else:
                raise NotCompilable("this assignment target")
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                current = k.variable(node.target.id)
                value = k.binary(node.op, current, k.expr(node.value))
                out.append(f"{pad}{self._assign(node.target.id, value)}")
            elif isinstance(node.target, ast.Subscript):
                self.assign_value(node, k.expr(node.value), out, pad)
            else:
                raise NotCompilable("this assignment target")
        elif isinstance(node, ast.For):
            codes, _ = k._range(node)
            names = [self._temporary() for _ in codes]
            trips, loop = self._temporary(), self._temporary()
            out.append(f"{pad}{', '.join(names)} = {', '.join(codes)}")
            out.append(f"{pad}{trips} = rt.trip({', '.join(names)})")
            out.append(f"{pad}rt.tick(ticks, {k.new_site()}, t, {trips}, budget)")
            # a step known only at run time (a grid-stride loop): count the iterations once,
            # as range() would again with a division
            value = f"{names[0]} + {loop} * {names[2]}"
            if codes[2].lstrip("-").isdigit():
                out.append(f"{pad}for {loop} in range({', '.join(names)}):")
                value = loop
            else:
                out.append(f"{pad}for {loop} in range({trips}):")
            out.append(f"{pad}    {self._assign(node.target.id, (value, nb.INT64))}")
            self._loop_body(node, out, depth)
        elif isinstance(node, ast.While):
            if node.orelse:
                raise NotCompilable("while ... else")
            out.append(f"{pad}while {k.truth(*k.expr(node.test))}:")
            out.append(f"{pad}    rt.tick_while(ticks, {k.new_site()}, t, budget, clock, deadline)")
            self._loop_body(node, out, depth)
        elif isinstance(node, ast.If):
            out.append(f"{pad}if {k.truth(*k.expr(node.test))}:")
            self._body(node.body, out, depth + 1)
            if node.orelse:
                out.append(f"{pad}else:")
                self._body(node.orelse, out, depth + 1)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                raise NotCompilable("return with a value")
            out.append(f"{pad}alive[t] = False")
            out.append(f"{pad}{'break' if self.loops else 'continue'}")
        elif id(node) in self.exits:
            out += [pad + line for line in self.exits[id(node)]]
        elif fences.is_fence(node):
            out.append(pad + publication.fence_code(k))
        elif isinstance(node, (ast.Break, ast.Continue, ast.Pass)):
            out.append(f"{pad}{type(node).__name__.lower()}")
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            self._call_statement(node.value, out, pad)
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            raise NotCompilable(f"the statement {type(node).__name__}")
        out += [pad + line for line in publication.after_statement(k, node)]

    def _loop_body(self, loop: ast.For | ast.While, out: list, depth: int) -> None:
        """A thread-level loop's body; a `return` inside leaves every enclosing loop."""
        self.loops += 1
        self._body(loop.body, out, depth + 1)
        self.loops -= 1
        if any(isinstance(n, ast.Return) for n in ast.walk(loop)):
            out.append(f"{'    ' * depth}if not alive[t]:")
            out.append(f"{'    ' * depth}    {'break' if self.loops else 'continue'}")

    def _body(self, statements, out: list, depth: int) -> None:
        for statement in statements:
            self._statement(statement, out, depth)
        out.append("    " * depth + "pass")

    def _temporary(self) -> str:
        self.temporaries += 1
        return f"__t{self.temporaries}"

    def _assign(self, name: str, value) -> str:
        code, kind = value
        prefix = "u" if name in self.k.uniform else "v"
        return f"{prefix}_{name} = {nb.cast(code, kind, self.k.types[name])}"

    def _store(self, target: ast.Subscript, value, out: list, pad: str) -> None:
        array, codes = self.k.index(target)
        code = nb.cast(value[0], value[1], array.dtype)
        out.append(f"{pad}{self.k.element(array, codes, write=True)} = {code}")

    def _call_statement(self, call: ast.Call, out: list, pad: str) -> None:
        meaning = self.k.resolve(call.func)
        if not atomics.is_atomic(meaning):
            raise NotCompilable(f"the call {ast.unparse(call.func)}() as a statement")
        code, _ = atomics.atomic_call(self.k, call, meaning.path, used=False)
        out.append(f"{pad}{code}")
