"""Reads of another block's write that a fence and an atomic publish, as the race checks see them.

The vector engine's global race check (global_races._check_writers) lets block R read an
element whose last writer is another block W when W has counted a fence (any of the three
kinds, counted alike) since that write and R has done an atomic on a global array before the
read: the "last block" pattern of threadfence reductions. Compiled checks stay conservative:
such a read passes only where the vector engine surely exempts it, and raises (the launch is
handed back, and the vector engine reports) everywhere else. A read passes when

- the write is published: the writing thread fenced after it (a count of fences per thread,
  and the writer's count stored per element at the write), or a thread of W fenced in a
  later barrier epoch than the write's (the last epoch in which W fenced);
- and R has acquired: the reading thread did an atomic on a global array in an earlier
  statement, or a thread of R did one in an earlier barrier epoch.

Each condition puts the write before the fence, and the atomic before the read, in the vector
engine's run too: it runs each thread's statements in program order, and a barrier orders a
block's threads. What is left is the order of W's fence and R's read. The blocks run one
after another here in the vector engine's order (a kernel whose blocks run y fastest, or that
runs in chunk-wide passes, is left out), so W lies in R's chunk of blocks or an earlier one,
and an earlier chunk has run to its end before R starts. Within a chunk the vector engine runs
each statement for all its blocks before the next, and a loop iteration by iteration, so every
fence precedes the read for every block of the chunk when the fence statement comes before the
statement holding the read and no loop holds both. Only reads that every fence of the kernel
precedes so are exempted; the others keep the plain check. A kernel without fences, or with
checks off, has no such read and pays nothing.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
from typing import TYPE_CHECKING

from cudalike.simt.compiled import atomics
from cudalike.simt.compiled.fences import is_fence
from cudalike.simt.compiled.flow import meaning

if TYPE_CHECKING:
    from cudalike.simt.compiled.statements import Kernel

# The driver's arrays: fences per thread of the launch, the last epoch in which each block
# fenced, the threads that did an atomic on a global array, the first epoch in which each
# block did one.
_STATE = "pb_fences, pb_fenced_at, pb_atomic, pb_atomic_at"


@dataclasses.dataclass
class Publication:
    """The reads that may pass (Subscript node id -> its array's name)."""

    sites: dict[int, str]

    def allocations(self) -> list[str]:
        """The driver's lines before the block loop."""
        lines = [
            "    pb_fences = np.zeros(blocks * nt, np.int32)",
            "    pb_fenced_at = np.full(blocks, -1, np.int64)",
            "    pb_atomic = np.zeros(blocks * nt, np.bool_)",
            "    pb_atomic_at = np.full(blocks, np.iinfo(np.int64).max, np.int64)",
        ]
        # the writer's fence count at its last write of each element
        lines += [f"    gf_{n} = np.zeros(f_{n}.size, np.int32)" for n in sorted(self.arrays)]
        return lines

    @property
    def arrays(self) -> set[str]:
        return set(self.sites.values())

    def read(self, node: ast.Subscript, code: str) -> str:
        """The code of a checked global read, with the exemption where `node` may have it."""
        name = self.sites.get(id(node))
        if name is None:
            return code
        return code.replace("rt.global_read(", f"prt.published_read({_STATE}, gf_{name}, ", 1)

    def write(self, name: str, code: str) -> str:
        """The code of a checked global write, noting the writer's fence count."""
        if name not in self.arrays:
            return code
        return code.replace("rt.global_write(", f"prt.fenced_write(pb_fences, gf_{name}, ", 1)


def plan(k: Kernel) -> Publication | None:
    """The reads of kernel `k` that may pass, or None when none may."""
    if not k.checks or k.lockstep or k.y_fastest:
        return None
    fences: list[tuple[int, frozenset]] = []
    reads: list[tuple[ast.Subscript, int, frozenset]] = []
    _walk(k.body, frozenset(), itertools.count(), fences, reads, k)
    if not fences:
        return None
    sites = {
        id(node): node.value.id
        for node, position, loops in reads
        if all(before < position and not (around & loops) for before, around in fences)
    }
    return Publication(sites) if sites else None


def _walk(statements: list, loops: frozenset, counter, fences: list, reads: list, k) -> None:
    """Number the statements in the order they start; note each fence and each read of a
    checked global array with the loops around it."""
    for statement in statements:
        position = next(counter)
        if is_fence(statement):
            fences.append((position, loops))
            continue
        inner = loops | {id(statement)} if isinstance(statement, (ast.For, ast.While)) else loops
        # a while's test runs again at each iteration: it lies in the loop
        own = inner if isinstance(statement, ast.While) else loops
        reads += [(node, position, own) for node in _own_reads(statement, k)]
        for field in ("body", "orelse"):
            _walk(getattr(statement, field, []), inner, counter, fences, reads, k)


def _own_reads(statement: ast.stmt, k) -> list[ast.Subscript]:
    """Reads of checked global arrays in the statement's own expressions (not its bodies)."""
    found, pending = [], [c for c in ast.iter_child_nodes(statement) if not isinstance(c, ast.stmt)]
    while pending:
        node = pending.pop()
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name)
            and _checked_global(node.value.id, k)
        ):
            found.append(node)
        pending += [c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.stmt)]
    return found


def _checked_global(name: str, k) -> bool:
    array = k.arrays.get(name)
    return array is not None and array.space == "global" and array.tracked


def fence_code(k: Kernel) -> str:
    """The code of a fence statement: counted where a read may need it, else nothing."""
    if k.publication is None:
        return "pass"
    return "prt.fence(pb_fences, pb_fenced_at, blk, gth, lep)"


def after_statement(k: Kernel, statement: ast.stmt) -> list[str]:
    """Code after a simple statement holding an atomic on a global array: the thread and its
    block have acquired (an atomic in a condition or range is not counted, which only keeps
    a read's check)."""
    if k.publication is None or not isinstance(statement, (ast.Assign, ast.AugAssign, ast.Expr)):
        return []
    for node in ast.walk(statement):
        if (
            isinstance(node, ast.Call)
            and atomics.is_atomic(meaning(k.resolve, node.func))
            and node.args
            and isinstance(node.args[0], ast.Name)
            and getattr(k.arrays.get(node.args[0].id), "space", None) == "global"
        ):
            return ["prt.acquire(pb_atomic, pb_atomic_at, blk, gth, lep)"]
    return []
