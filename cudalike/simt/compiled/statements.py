"""A kernel as numba source: per-thread segments between barriers, driven block by block.

Statements that contain a barrier (`cuda.syncthreads()`, or a `for`/`while`/`if` around one)
run at *block level*: their conditions and bounds must be the same for every live thread of
the block (checked at run time). Every other run of statements becomes a *segment*, a numba
function of one thread `t` that the driver calls for each live thread of the block. Variables
a segment shares with another segment or with a block-level condition live in per-thread
arrays `P_<name>`; the rest are plain locals.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import (
    atomics,
    block_votes,
    constants,
    filled,
    jam,
    lockstep,
    publication,
    thread_order,
    uniform,
    warps,
    weak_starts,
)
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.expressions import ArrayRef, Expressions
from cudalike.simt.compiled.flow import (
    assigned_before_read,
    assigned_names,
    inside_loop,
    is_docstring,
    targets,
)
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.variable_types import VariableTypes

STATIC_SHARED_LIMIT = 48 * 1024
_FOLDABLE = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.FloorDiv: lambda a, b: a // b,
}


def _is_barrier(node: ast.AST, kernel: Expressions) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and kernel.resolve(node.value.func) == frontend.Intrinsic("syncthreads")
    )


class Kernel(VariableTypes):
    """Generates the numba module of one kernel for one set of argument types."""

    publication: publication.Publication | None = None  # reads a fence may publish

    def __init__(self, parsed, resolver, arguments: dict, checks: bool, functions=None):
        super().__init__(block_votes.hoist_votes(parsed, resolver), resolver)
        parsed = self.parsed
        self.checks = checks
        self.device_functions = functions  # device_functions.DeviceFunctions, or None
        self.parameters = list(parsed.params)
        self.body = [s for s in parsed.tree.body if not is_docstring(s)]
        self.constants: dict[str, np.ndarray] = {}  # constant array -> the object it reads
        for name, kind in arguments.items():
            if isinstance(kind, ArrayRef):
                self.arrays[name] = kind
            else:
                self.scalars[name] = kind
        self._declarations()
        self.syncwarps = any(
            isinstance(n, ast.stmt) and warps.is_syncwarp(n, self) for n in ast.walk(parsed.tree)
        )
        if checks and self.syncwarps and warps.atomic_on_shared(self):
            raise NotCompilable("an atomic on a shared array in a kernel with cuda.syncwarp()")
        self.filled_locals = filled.filled_locals(self)
        self.ordered_atomics = atomics.ordered_atomics(self.body, self.resolve)
        # other atomics whose order matters: the whole kernel runs in chunk-wide passes
        self.lockstep = lockstep.needed(self)
        if self.lockstep:
            self.ordered_atomics = {id(n) for n in atomics.sites(self.body, self.resolve)}
        self.y_fastest = thread_order.y_fastest(self)
        self.publication = publication.plan(self)
        self.locals = assigned_names(self.body) - set(self.arrays)
        assigned_before_read(self.body, set(), self.locals)
        self._infer()
        weak_starts.check(self)
        self.block_vars = {
            n.target.id
            for n in ast.walk(ast.Module(body=self.body, type_ignores=[]))
            if isinstance(n, ast.For) and isinstance(n.target, ast.Name) and self.has_barrier(n)
        }
        # a chunk's passes run several blocks: no variable is one scalar for all their threads
        self.uniform = set() if self.lockstep else uniform.uniform_names(self)
        # whether a thread can leave the block's live threads (a `return`, a warp branch)
        self.may_die = any(
            isinstance(n, ast.Return) or (isinstance(n, ast.If) and warps.warp_branch(n, self))
            for n in ast.walk(parsed.tree)
        )
        self.segments: list[list[ast.stmt]] = []
        self.sites = 0
        self._structure(self.body)
        if self.lockstep:  # every thread variable may cross passes
            self.promoted = self.locals - self.block_vars
        self.lines: list[str] = []

    # ---- declarations -----------------------------------------------------------------------
    def _declarations(self) -> None:
        self.body = self._declared_in(self.body, in_loop=False)
        for array, value in constants.global_arrays(self):
            self.constants[array.name] = value
            self.arrays[array.name] = array
        shared_bytes = sum(
            int(np.prod(a.shape)) * a.dtype.itemsize
            for a in self.arrays.values()
            if a.space == "shared" and a.shape not in (None, (0,))
        )
        if shared_bytes > STATIC_SHARED_LIMIT:
            raise NotCompilable("more static shared memory than a block may have")

    def _declared_in(self, statements: list, in_loop: bool) -> list:
        """`statements` without their array declarations, which are recorded; arrays declared
        in a loop are fresh memory at each iteration, which the compiled tier leaves alone."""
        kept = []
        for statement in statements:
            constant = constants.declaration(self, statement)
            if constant is not None:
                self.constants[constant[0].name] = constant[1]
            declared = constant[0] if constant is not None else self._declaration(statement)
            if declared is not None:
                if in_loop or declared.name in self.arrays:
                    raise NotCompilable("an array declared in a loop or declared twice")
                self.arrays[declared.name] = declared
                continue
            if isinstance(statement, (ast.If, ast.For, ast.While)):
                loop = in_loop or not isinstance(statement, ast.If)
                statement.body = self._declared_in(statement.body, loop)
                statement.orelse = self._declared_in(statement.orelse, loop)
            elif any(
                isinstance(node, ast.Call) and self._array_kind(node) is not None
                for node in ast.walk(statement)
            ):
                raise NotCompilable("an array declaration inside an expression")
            kept.append(statement)
        return kept

    def _array_kind(self, call: ast.Call) -> str | None:
        meaning = self.resolve(call.func) if isinstance(call.func, ast.Attribute) else None
        if meaning in (frontend.Intrinsic("shared.array"), frontend.Intrinsic("local.array")):
            return meaning.path.split(".")[0]
        return None

    def _declaration(self, statement: ast.stmt) -> ArrayRef | None:
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
            return None
        space = self._array_kind(statement.value)
        if space is None:
            return None
        target = statement.targets[0]
        if len(statement.targets) != 1 or not isinstance(target, ast.Name):
            raise NotCompilable("an array declaration not assigned to one name")
        arguments = list(statement.value.args)
        keywords = {k.arg: k.value for k in statement.value.keywords}
        shape_node = keywords.get("shape", arguments[0] if arguments else None)
        dtype_node = keywords.get("dtype", arguments[1] if len(arguments) > 1 else None)
        shape, dtype = self._constant(shape_node), self._constant(dtype_node)
        shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
        if not all(isinstance(n, (int, np.integer)) and n >= 0 for n in shape):
            raise NotCompilable("an array shape that is not made of numbers")
        if not isinstance(dtype, np.dtype) or not nb.storable(dtype):
            raise NotCompilable(f"an array of {dtype}")
        if space == "local" and shape == (0,):
            raise NotCompilable("an empty local array")
        return ArrayRef(target.id, space, dtype, tuple(int(n) for n in shape))

    def _constant(self, node):
        if node is None:
            raise NotCompilable("an array declaration without shape or dtype")
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Tuple):
            return tuple(self._constant(e) for e in node.elts)
        if isinstance(node, ast.BinOp) and type(node.op) in _FOLDABLE:
            left, right = self._constant(node.left), self._constant(node.right)
            if not all(isinstance(v, (int, np.integer)) for v in (left, right)):
                raise NotCompilable("an array shape that is not made of integers")
            return _FOLDABLE[type(node.op)](int(left), int(right))
        meaning = self.resolve(node)
        if not isinstance(meaning, frontend.Constant):
            raise NotCompilable(f"'{ast.unparse(node)}' in an array declaration")
        return meaning.value

    def _Call(self, node: ast.Call):
        """`len(a)` of an array is its first extent, `a.shape[0]`, as numpy gives it."""
        argument = node.args[0] if len(node.args) == 1 and not node.keywords else None
        if (
            isinstance(argument, ast.Name)
            and argument.id in self.arrays
            and self.resolve(node.func) == frontend.Builtin("len")
        ):
            shape = ast.Attribute(value=argument, attr="shape", ctx=ast.Load())
            return self.expr(ast.Subscript(value=shape, slice=ast.Constant(0), ctx=ast.Load()))
        return super()._Call(node)

    def load(self, node: ast.Subscript) -> tuple[str, object]:
        """A read, with the exemption of publication.py where it may have it."""
        code, kind = super().load(node)
        if self.publication is None:
            return code, kind
        published = self.publication.read(node, code)
        if code in self.bool_elements:
            self.bool_elements.add(published)
        return published, kind

    def element(self, array: ArrayRef, codes: list[str], write: bool) -> str:
        code = super().element(array, codes, write)
        if write and self.publication is not None:
            return self.publication.write(array.name, code)
        return code

    # ---- structure: block level and segments --------------------------------------------
    def has_barrier(self, statement: ast.stmt) -> bool:
        """Whether the statement runs at block level: a barrier or a warp function in it."""
        return any(
            _is_barrier(node, self) for node in ast.walk(statement) if isinstance(node, ast.Expr)
        ) or warps.contains_warp_call(statement, self)

    def block_exit(self, statement: ast.stmt) -> bool:
        """A `break` or `continue` of a loop around barriers that the whole block takes
        together: bare, or alone under an `if` whose test is block-uniform (a pyramid loop's
        `if i == iterations - 1: break`). The block's loop leaves or goes on as one."""
        if isinstance(statement, (ast.Break, ast.Continue)):
            return True
        return (
            isinstance(statement, ast.If)
            and not statement.orelse
            and len(statement.body) == 1
            and isinstance(statement.body[0], (ast.Break, ast.Continue))
            and uniform.is_uniform(statement.test, self)
        )

    def _structure(self, statements) -> None:
        """Find the segments and block-level names; promote what crosses them."""
        users: dict[str, set] = {}
        self._walk_structure(statements, users)
        self.promoted = {n for n, where in users.items() if len(where) > 1 or "block" in where}
        self.promoted -= self.uniform
        # a barrier loop's variable is one block-wide scalar wherever it is read (threads never
        # assign it: refused in _close), so it needs no per-thread copy
        self.promoted -= self.block_vars

    def _walk_structure(self, statements, users) -> None:
        pending: list = []
        for statement in statements:
            name = uniform.assigned_name(statement, self)
            if name is not None:
                if uniform.reads(pending, name):
                    self._close(pending, users)
                    pending = []
                continue
            if not self.has_barrier(statement) and not self.block_exit(statement):
                pending.append(statement)
                continue
            self._close(pending, users)
            pending = []
            if _is_barrier(statement, self) or isinstance(statement, (ast.Break, ast.Continue)):
                continue
            if warps.is_syncwarp(statement, self):
                warps.check_syncwarp(statement, self)
                continue
            if warps.warp_call(statement, self) is not None:
                vote = block_votes.vote_call(statement, self)  # returned threads take no part
                if not vote and any(isinstance(n, ast.Return) for n in ast.walk(self.parsed.tree)):
                    raise NotCompilable("a warp function in a kernel that may return early")
                for name in ast.walk(statement):
                    if isinstance(name, ast.Name) and name.id in self.locals - self.block_vars:
                        users.setdefault(name.id, set()).add("block")
                continue
            if isinstance(statement, ast.For):
                self.block_vars.add(statement.target.id)
                uses = [statement.iter]
            elif isinstance(statement, (ast.While, ast.If)):
                uses = [statement.test]
            else:
                raise NotCompilable("a barrier inside this statement")
            for node in uses:
                for name in ast.walk(node):
                    if isinstance(name, ast.Name) and name.id in self.locals:
                        users.setdefault(name.id, set()).add("block")
            self._walk_structure(statement.body, users)
            self._walk_structure(getattr(statement, "orelse", []), users)
        self._close(pending, users)

    def _close(self, pending: list, users) -> None:
        if not pending:
            return
        self.segments.append(pending)
        found = jam.plan(pending, self)
        for number, part in enumerate(found.passes() if found else [pending]):
            for statement in part:
                for node in ast.walk(statement):
                    if isinstance(node, ast.Name) and node.id in self.locals - self.uniform:
                        block_wide = node.id in self.block_vars  # one scalar, not per thread
                        where = len(self.segments) if block_wide else (len(self.segments), number)
                        users.setdefault(node.id, set()).add(where)
        for node in ast.walk(ast.Module(body=pending, type_ignores=[])):
            if isinstance(node, (ast.Break, ast.Continue)) and not inside_loop(node, pending):
                raise NotCompilable("break or continue out of a loop with a barrier")
        if any(isinstance(n, ast.Name) and n.id in self.block_vars for n in targets(pending)):
            raise NotCompilable("a loop variable of a barrier loop assigned by threads")

    def new_site(self) -> int:
        self.sites += 1
        return self.sites - 1
