"""Kernel expressions as numba code for one thread, typed with the vector engine's rules.

`Expressions.expr(node)` returns (code, type). Code runs either inside a thread segment (one
thread `t` of block `blk`) or in the block-level driver, where a thread variable can only be
read through `rt.uniform` (all live threads must agree on it).
"""

from __future__ import annotations

import ast
import dataclasses

import numpy as np

from cudalike.errors import UnsupportedConstructError
from cudalike.simt import frontend
from cudalike.simt.compiled import (
    atomics,
    bit_intrinsics,
    builtin_calls,
    complex_numbers,
    lanes,
    math_calls,
    powers,
    random_calls,
)
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
}
# numpy's answers where numba's differ: a shift by a count outside [0, 64) (numba keeps the
# count's low six bits) and the int64 minimum // -1 (numba gives 0); narrower integers are
# computed in int64 and wrapped, which agrees already
_NUMPY_INTEGER_OPERATIONS = {"<<": "shift_left", ">>": "shift_right", "//": "floor_divide"}
_CHOSEN = (nb.WEAK_INT, nb.WEAK_FLOAT, nb.MAYBE_INT, nb.MAYBE_FLOAT)  # np.where: int64, float64
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_GEOMETRY = {
    "threadIdx": ("tx", "ty", "tz"),
    "blockIdx": ("bx", "by", "bz"),
    "blockDim": ("bdx", "bdy", "bdz"),
    "gridDim": ("gdx", "gdy", "gdz"),
}


@dataclasses.dataclass
class ArrayRef:
    """An array a kernel indexes: a parameter, or a shared or local declaration."""

    name: str
    space: str  # "global", "shared" or "local"
    dtype: np.dtype
    shape: tuple | None  # declared shape (None: a parameter's own shape)
    tracked: bool = False  # a global the launch may write (race shadows kept)
    ndim: int = 0  # a parameter's number of dimensions

    @property
    def shape_code(self) -> str:
        if self.shape is None:
            return f"p_{self.name}.shape"
        return f"sh_{self.name}"


class Expressions:
    """Typing and code for expressions; statements.Kernel builds on it."""

    def __init__(self, parsed: frontend.ParsedFunction, resolver: frontend.Resolver):
        self.parsed = parsed
        self.resolver = resolver
        self.arrays: dict[str, ArrayRef] = {}
        self.scalars: dict[str, object] = {}  # scalar parameter -> type
        self.types: dict[str, object] = {}  # local variable -> type
        self.locals: set[str] = set()
        self.promoted: set[str] = set()
        self.block_vars: set[str] = set()
        self.uniform: set[str] = set()  # block-uniform variables (uniform.py)
        self.checks = True
        self.block_mode = False
        # shared arrays the segment being written only reads, between two barriers
        self.quiet_shared: set[str] = set()
        # of those, the arrays a scan found fully written (their reads need no check)
        self.full_shared: set[str] = set()
        # the kernel calls cuda.syncwarp(): shared accesses use the race checks that know it
        self.syncwarps = False
        # local arrays every thread fills before any other use (no written flags needed)
        self.filled_locals: set[str] = set()
        self.device_functions = None  # device_functions.DeviceFunctions of the kernel
        self.chain: tuple = ()  # the device functions being typed (recursion is refused)
        self.ordered_atomics: set[int] = set()  # see atomics.ordered_atomics
        self.bool_elements: set[str] = set()  # the code of every bool array element read
        self.stops: dict = {}  # a loop's stop -> the code of bounds in which the loop runs

    # ---- names ----------------------------------------------------------------------------
    def variable(self, name: str) -> tuple[str, object]:
        if name in self.block_vars:
            return f"b_{name}", self.types[name]
        if name not in self.types:
            raise _Unknown(name)
        if name in self.uniform:
            return f"u_{name}", self.types[name]
        if self.block_mode:
            if name not in self.promoted:
                raise NotCompilable(f"'{name}' decides a barrier's control flow")
            return f"rt.uniform(P_{name}, alive)", self.types[name]
        return f"v_{name}", self.types[name]

    def resolve(self, node: ast.AST):
        try:
            return self.resolver.resolve(node)
        except UnsupportedConstructError as error:
            raise NotCompilable(str(error)) from None

    # ---- expressions ------------------------------------------------------------------------
    def expr(self, node: ast.AST) -> tuple[str, object]:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise NotCompilable(f"{type(node).__name__} expressions")
        if node in self.stops:  # a loop weak_starts.py needs to run: checked at run time
            code, kind = method(node)
            return f"rt.fits({code}, {self.stops[node]()})", kind
        return method(node)

    def _Constant(self, node: ast.Constant):
        if isinstance(node.value, complex):
            return complex_numbers.literal(node.value)
        return nb.literal(node.value)

    def _Name(self, node: ast.Name):
        name = node.id
        if name in self.locals:
            return self.variable(name)
        if name in self.scalars:
            return f"p_{name}", self.scalars[name]
        if name in self.arrays:
            raise NotCompilable(f"the array '{name}' used as a value")
        return self._meaning(self.resolve(node), node)

    def _Attribute(self, node: ast.Attribute):
        if node.attr in ("real", "imag") and getattr(node.value, "id", None) not in self.arrays:
            return complex_numbers.part(*self.expr(node.value), node.attr)
        if isinstance(node.value, ast.Name) and node.value.id in self.arrays:
            array = self.arrays[node.value.id]
            if node.attr == "size" and array.space != random_calls.SPACE:
                return f"f_{array.name}.size", nb.WEAK_INT
            if node.attr == "ndim":
                return str(len(array.shape) if array.shape is not None else array.ndim), nb.WEAK_INT
            raise NotCompilable(f"the array attribute .{node.attr}")
        return self._meaning(self.resolve(node), node)

    def _meaning(self, meaning, node):
        if isinstance(meaning, frontend.Constant):
            return nb.literal(meaning.value)
        if isinstance(meaning, frontend.Intrinsic):
            group, _, axis = meaning.path.partition(".")
            if group in _GEOMETRY and axis in "xyz" and axis:
                code = _GEOMETRY[group]["xyz".index(axis)]
                if group == "threadIdx":
                    if self.block_mode:
                        raise NotCompilable("threadIdx decides a barrier's control flow")
                    return code, nb.INT64
                return code, (nb.INT64 if group == "blockIdx" else nb.WEAK_INT)
            if meaning.path == "warpsize":
                return "32", nb.WEAK_INT
            if meaning.path == "laneid" and not self.block_mode:
                return "(t % 32)", nb.INT64
        raise NotCompilable(f"'{ast.unparse(node)}'")

    def _Subscript(self, node: ast.Subscript):
        value = node.value
        if (
            isinstance(value, ast.Attribute)
            and value.attr == "shape"
            and isinstance(value.value, ast.Name)
            and value.value.id in self.arrays
        ):
            array = self.arrays[value.value.id]
            axis = node.slice
            if not isinstance(axis, ast.Constant) or not isinstance(axis.value, int):
                raise NotCompilable("a shape index that is not a number")
            if array.space == random_calls.SPACE and axis.value != 0:
                raise NotCompilable("a states array's shape past its first extent")
            return f"{array.shape_code}[{axis.value}]", nb.WEAK_INT
        return self.load(node)

    def array_of(self, node: ast.AST) -> ArrayRef:
        if not isinstance(node, ast.Name) or node.id not in self.arrays:
            raise NotCompilable(f"indexing '{ast.unparse(node)}'")
        if self.arrays[node.id].space == random_calls.SPACE:
            raise NotCompilable("a random states array used other than by a draw")
        return self.arrays[node.id]

    def index(self, node: ast.Subscript) -> tuple[ArrayRef, list[str]]:
        """The array and the int64 index codes of `array[i, j]`."""
        array = self.array_of(node.value)
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        ndim = len(array.shape) if array.shape is not None else array.ndim
        if len(parts) != ndim:
            raise NotCompilable("an index with fewer or more numbers than the array's dims")
        codes = []
        for part in parts:
            code, kind = self.expr(part)
            if not nb.is_integer(kind):
                raise NotCompilable("a non-integer index")
            codes.append(nb.cast(code, kind, nb.INT64))
        return array, codes

    def element(self, array: ArrayRef, codes: list[str], write: bool) -> str:
        """Code naming one element, bounds checked, with the race and initialisation checks
        of its memory space when checks are on."""
        code = self._element(array, codes, write)
        if array.dtype == nb.BOOL and not write:
            self.bool_elements.add(code)
        return code

    def _element(self, array: ArrayRef, codes: list[str], write: bool) -> str:
        name = array.name
        sizes = [f"{array.shape_code}[{axis}]" for axis in range(len(codes))]
        bounded = [f"rt.bound({c}, {n})" for c, n in zip(codes, sizes, strict=True)]
        if array.space == "global" and not (array.tracked and self.checks):
            return f"p_{name}[{', '.join(bounded)}]"
        flat = bounded[0]
        for size, part in zip(sizes[1:], bounded[1:], strict=True):
            flat = f"({flat}) * {size} + {part}"
        if array.space == "global":
            check = "global_write" if write else "global_read"
            return f"f_{name}[rt.{check}(gw_{name}, gr_{name}, {flat}, blk, gth, nt, lep)]"
        if array.space == "shared":
            if not self.checks:
                return f"f_{name}[{flat}]"
            # with syncwarp, the checks that also order a warp's accesses across it
            module, sync = ("wrt", "wsync, ") if self.syncwarps else ("rt", "")
            shadows = f"sw_{name}, sr_{name}, {sync}{flat}, t, gep"
            if write:
                return f"f_{name}[{module}.shared_write({shadows}, False)]"
            if name in self.full_shared:
                return f"f_{name}[{flat}]"
            if name in self.quiet_shared:
                return f"f_{name}[rt.shared_initialised(sw_{name}, {flat}, q_{name})]"
            return f"f_{name}[{module}.shared_read({shadows})]"
        flat = f"t * n_{name} + {flat}"
        if not self.checks or name in self.filled_locals:
            return f"f_{name}[{flat}]"
        check = "local_write" if write else "local_read"
        return f"f_{name}[rt.{check}(w_{name}, {flat})]"

    def load(self, node: ast.Subscript) -> tuple[str, object]:
        if self.block_mode:
            raise NotCompilable("an array element decides a barrier's control flow")
        array, codes = self.index(node)
        return self.element(array, codes, write=False), array.dtype

    def _UnaryOp(self, node: ast.UnaryOp):
        code, kind = self.expr(node.operand)
        # numpy inverts its bools as `not` (Python's ~True is -2: those stay refused)
        numpy_bool = kind == nb.BOOL and code in self.bool_elements
        if isinstance(node.op, ast.Not) or (isinstance(node.op, ast.Invert) and numpy_bool):
            return f"(not {self.truth(code, kind)})", nb.BOOL
        if nb.is_complex(kind) and isinstance(node.op, (ast.UAdd, ast.USub)):
            return (f"(-{code})" if isinstance(node.op, ast.USub) else code), kind
        nb.numeric(kind)
        if isinstance(node.op, ast.UAdd):
            return code, kind
        if isinstance(node.op, ast.Invert) and not nb.is_integer(kind):
            raise NotCompilable("~ on a non-integer")
        operator = "-" if isinstance(node.op, ast.USub) else "~"
        result = f"({operator}{code})"
        return (nb.cast(result, nb.INT64, kind) if nb.needs_wrap(kind, "-") else result), kind

    def _BinOp(self, node: ast.BinOp):
        left, right = self.expr(node.left), self.expr(node.right)
        if isinstance(node.op, ast.Pow) and not complex_numbers.involved(left[1], right[1]):
            per_lane = lanes.per_lane(self, node.left)
            return powers.power(left, right, per_lane, lanes.lane_array(self, node.right))
        return self.binary(node.op, left, right, (node.left, node.right))

    def binary(self, op: ast.operator, left, right, nodes=(None, None)) -> tuple[str, object]:
        """`left op right`, (code, type) pairs of the expressions `nodes` (None: unknown)."""
        (lcode, ltype), (rcode, rtype) = left, right
        if complex_numbers.involved(ltype, rtype):
            operator = _BINARY.get(type(op), "/" if isinstance(op, ast.Div) else "**")
            return complex_numbers.binary(self, operator, left, right, nodes)
        if isinstance(op, ast.Pow):
            return powers.power(left, right, lanes=False)
        if type(op) not in _BINARY and not isinstance(op, ast.Div):
            raise NotCompilable(f"the operator {type(op).__name__}")
        operator = _BINARY.get(type(op), "/")
        if nb.BOOL in (ltype, rtype):
            self._numpy_bools(left, right, operator)
        if operator == "/":
            kind = nb.true_divide(ltype, rtype)
            return f"({nb.cast(lcode, ltype, kind)} / {nb.cast(rcode, rtype, kind)})", kind
        kind = nb.arithmetic(ltype, rtype, operator)
        if kind == nb.BOOL:  # numpy adds bools as `or`, multiplies them as `and`
            operator = {"+": "|", "*": "&"}.get(operator, operator)
        elif operator in ("&", "|", "^", "<<", ">>") and not nb.is_integer(kind):
            raise NotCompilable(f"{operator} on {kind}")
        lcode, rcode = nb.cast(lcode, ltype, kind), nb.cast(rcode, rtype, kind)
        code = f"({lcode} {operator} {rcode})"
        if operator in _NUMPY_INTEGER_OPERATIONS and _numpy_integer(kind, operator):
            code = f"ns.{_NUMPY_INTEGER_OPERATIONS[operator]}({lcode}, {rcode})"
        if nb.needs_wrap(kind, operator):
            code = f"np.{kind.name}({code})"
        return code, kind

    def _numpy_bools(self, left, right, operator: str) -> None:
        """A bool in arithmetic must be a numpy bool, an array element: Python's own bools
        (literals, scalar arguments, comparisons of Python numbers) add as Python ints, so
        `True + 1` would be a Python int on the vector engine, not numpy's int64."""
        bools = [code for code, kind in (left, right) if kind == nb.BOOL]
        logical = len(bools) == 2 and operator in ("&", "|", "^")
        if not logical and not any(code in self.bool_elements for code in bools):
            raise NotCompilable(f"{operator} on a bool that may be Python's own")

    def _Compare(self, node: ast.Compare):
        """`a < b < c` is `a < b and b < c` (b has no side effects in the subset)."""
        parts = []
        left = self.expr(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            if type(op) not in _COMPARE:
                raise NotCompilable("an identity or membership comparison")
            right = self.expr(comparator)
            if complex_numbers.involved(left[1], right[1]):
                parts.append(complex_numbers.compare(_COMPARE[type(op)], left, right))
                left = right
                continue
            kind = nb.comparison(left[1], right[1])
            lcode, rcode = nb.cast(left[0], left[1], kind), nb.cast(right[0], right[1], kind)
            parts.append(f"({lcode} {_COMPARE[type(op)]} {rcode})")
            left = right
        return "(" + " and ".join(parts) + ")", nb.BOOL

    def _BoolOp(self, node: ast.BoolOp):
        joiner = " and " if isinstance(node.op, ast.And) else " or "
        parts = [self.truth(*self.expr(value)) for value in node.values]
        return "(" + joiner.join(parts) + ")", nb.BOOL

    def _IfExp(self, node: ast.IfExp):
        test = self.truth(*self.expr(node.test))
        (bcode, btype), (ocode, otype) = self.expr(node.body), self.expr(node.orelse)
        if complex_numbers.involved(btype, otype):
            return complex_numbers.choice(test, (bcode, btype), (ocode, otype))
        kind = nb.BOOL if btype == otype == nb.BOOL else nb.combine(btype, otype)
        both_numbers = nb.is_weak(btype) and nb.is_weak(otype)
        # two Python numbers chosen per lane are an int64/float64 array on the vector engine:
        # always where the condition certainly differs per lane (`j == labels[row]`)
        if both_numbers and kind in _CHOSEN and lanes.per_lane(self, node.test):
            kind, both_numbers = nb.storage(kind), False
        code = f"({nb.cast(bcode, btype, kind)} if {test} else {nb.cast(ocode, otype, kind)})"
        return code, (nb.maybe(kind) if both_numbers else kind)

    def truth(self, code: str, kind) -> str:
        if kind == nb.FLOAT32_ON_STORE:
            raise NotCompilable("a device function's mixed-precision result used as a condition")
        return code if kind == nb.BOOL else f"({code} != 0)"

    def _Call(self, node: ast.Call):
        if node.keywords:
            raise NotCompilable("keyword arguments")
        if complex_numbers.is_conjugate(node):
            return complex_numbers.conjugate(*self.expr(node.func.value))
        meaning = self.resolve(node.func)
        if isinstance(node.func, ast.Name) and node.func.id in self.locals:
            raise NotCompilable("calling a variable")
        if atomics.is_atomic(meaning):
            return atomics.atomic_call(self, node, meaning.path, used=True)
        if random_calls.is_draw(meaning):
            return random_calls.call(self, meaning.path, node)
        args = [self.expr(arg) for arg in node.args]
        if isinstance(meaning, frontend.Constant) and isinstance(meaning.value, np.dtype):
            return self._cast_call(meaning.value, args)
        if isinstance(meaning, frontend.Builtin):
            return builtin_calls.call(self, meaning.name, args, node.args)
        if isinstance(meaning, frontend.Constant) and callable(meaning.value):
            power = len(node.args) == 2 and math_calls.is_power(meaning.value)
            exponent_lanes = power and lanes.lane_array(self, node.args[1])
            return math_calls.call(meaning.value, args, exponent_lanes)
        if isinstance(meaning, frontend.DeviceFunction) and self.device_functions is not None:
            return self.device_functions.call(meaning.dispatcher, args, self.chain)
        if isinstance(meaning, frontend.Intrinsic) and meaning.path in bit_intrinsics.NAMES:
            return bit_intrinsics.call(self, meaning.path, args)
        if isinstance(meaning, frontend.Intrinsic) and meaning.path in ("grid", "gridsize"):
            if len(args) != 1 or args[0][0] != "1":
                raise NotCompilable(f"cuda.{meaning.path} outside a tuple assignment")
            return self.grid(meaning.path, 1)[0]
        raise NotCompilable(f"the call {ast.unparse(node.func)}()")

    def grid(self, which: str, ndim: int) -> list[tuple[str, object]]:
        if which == "grid":
            if self.block_mode:
                raise NotCompilable("cuda.grid decides a barrier's control flow")
            axes = [("bx", "bdx", "tx"), ("by", "bdy", "ty"), ("bz", "bdz", "tz")][:ndim]
            return [(f"({b} * {d} + {t})", nb.INT64) for b, d, t in axes]
        axes = [("bdx", "gdx"), ("bdy", "gdy"), ("bdz", "gdz")][:ndim]
        return [(f"({d} * {g})", nb.WEAK_INT) for d, g in axes]

    def _cast_call(self, dtype: np.dtype, args) -> tuple[str, object]:
        if len(args) != 1:
            raise NotCompilable("a cast with other than one argument")
        code, kind = args[0]
        if kind not in (nb.BOOL, nb.FLOAT32_ON_STORE):  # the latter: nb.cast allows float32 only
            nb.numeric(kind)
        if not nb.storable(dtype):
            raise NotCompilable(f"a cast to {dtype}")
        return nb.cast(code, kind, dtype), dtype


def _numpy_integer(kind, operator: str) -> bool:
    """Whether `operator` on `kind` needs numpy's own answer (_NUMPY_INTEGER_OPERATIONS)."""
    return isinstance(kind, np.dtype) and (
        kind == nb.INT64 if operator == "//" else kind.kind in "iu"
    )


class _Unknown(NotCompilable):
    """A variable read before its type is known (type inference tries again)."""
