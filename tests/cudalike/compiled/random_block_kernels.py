"""Random kernels whose threads work together: shared tiles read at another thread's index
after a barrier, tree reductions in loops around barriers, warp shuffles and votes (some in a
branch half of each warp takes, with that half's mask), while loops
with per-lane and grid-stride trip counts, atomics, narrow and unsigned integer arrays, casts
and bit operations, over 1-D and 2-D launches of one to four blocks whose arrays are not a
multiple of the block.

Each kernel is free of races and out-of-bounds accesses by construction, so both tiers must
give the same bytes, except the few written with a bug on purpose (`Case.bug`: an index one
past the end, or a missing barrier), whose reports must be the same with checks on.
`python -m tests.cudalike.compiled.random_block_kernels --count 200 --seed 1` runs a campaign.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import random

import numpy as np

from cudalike import config, cuda
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled import random_kernels

FULL = "0xFFFFFFFF"
NARROW = ["int8", "uint8", "int16", "uint32", "int64", "float64"]
PARAMETERS = "a, b, c, n, out_f, out_i, out_c, red, cnt_i, cnt_f, gs"


@dataclasses.dataclass
class Case:
    """One random kernel and its launch: `bug` is None, "bounds" or "race"."""

    source: str
    griddim: tuple
    blockdim: tuple
    n: int
    stride_size: int
    dtype: str
    bug: str | None
    seed: int

    def make_args(self, rng=None) -> list:
        """The kernel's arguments, the same for every call (`rng` is ignored)."""
        data = np.random.default_rng(self.seed)
        n, blocks = self.n, int(np.prod(self.griddim))
        info = np.iinfo(self.dtype) if self.dtype != "float64" else None
        if info is None:
            c = data.standard_normal(n) * 100
        else:
            c = data.integers(max(info.min, -(2**40)), min(info.max, 2**40), n, endpoint=True)
        return [
            (data.standard_normal(n) * 3).astype(np.float32),
            data.integers(-5, 11, n).astype(np.int32),
            c.astype(self.dtype),
            n,
            np.zeros(n, np.float32),
            np.zeros(n, np.int32),
            np.zeros(n, self.dtype),
            np.zeros((blocks, 2), np.float64),
            np.zeros(4, np.int32),
            np.zeros(4, np.float32),
            np.zeros(self.stride_size, np.float32),
        ]


class _Writer:
    """Writes a kernel's sections; `shared` collects the shared arrays to declare."""

    def __init__(self, rng: random.Random, size: int, two_d: bool, full_warps: bool):
        self.rng = rng
        self.size = size  # threads per block
        self.two_d = two_d
        self.full_warps = full_warps
        self.shared: list[str] = []
        self.lines: list[str] = []
        self.atomics: set[str] = set()
        self.race = False
        self.names = 0

    def fresh(self) -> str:
        """A counter name no other section uses (one name in loops of both kinds is refused)."""
        self.names += 1
        return f"k{self.names}"

    def emit(self, indent: int, *lines: str) -> None:
        self.lines.extend("    " * indent + line for line in lines)

    def tile(self, kind: str, extra: bool) -> str:
        name = f"sh{len(self.shared)}"
        self.shared.append(f"{name} = cuda.shared.array({self.size + extra}, {kind})")
        return name

    def exchange(self, indent: int, drop_barrier: bool = False) -> None:
        """Each thread writes its element of a tile, then reads another thread's."""
        rng = self.rng
        kind, value = rng.choice([("float32", "f"), ("int32", "i")])
        extra = rng.random() < 0.4
        sh = self.tile(kind, extra)
        reads = ["(tid + 1) % bs", "bs - 1 - tid", "tid ^ 1", f"(tid + {rng.randint(2, 40)}) % bs"]
        read = rng.choice(reads + (["tid + 1"] if extra else []))
        self.emit(indent, f"{sh}[tid] = {value}")
        if extra:
            self.emit(indent, "if tid == 0:", f"    {sh}[bs] = {value} + 1")
        if drop_barrier:
            self.race = True
        else:
            self.emit(indent, "cuda.syncthreads()")
        use = rng.choice(["{v} = {v} + {r}", "{v} = {r}", "{v} += {r} * 2", "{v} = max({v}, {r})"])
        self.emit(indent, use.format(v=value, r=f"{sh}[{read}]"))
        self.emit(indent, "cuda.syncthreads()")

    def reduction(self, indent: int) -> None:
        """A tree reduction of a tile; thread 0 stores the block's total."""
        rng = self.rng
        kind, value, column = rng.choice([("float32", "f", 0), ("int32", "i", 1)])
        sh = self.tile(kind, False)
        self.emit(indent, f"{sh}[tid] = {value}", "cuda.syncthreads()")
        if rng.random() < 0.6:
            self.emit(indent, "s = bs // 2", "while s > 0:", "    if tid < s:")
            self.emit(indent, f"        {sh}[tid] += {sh}[tid + s]", "    cuda.syncthreads()")
            self.emit(indent, "    s //= 2")
        else:
            self.emit(
                indent, "s = 1", "while s < bs:", "    if tid % (2 * s) == 0 and tid + s < bs:"
            )
            self.emit(indent, f"        {sh}[tid] += {sh}[tid + s]", "    cuda.syncthreads()")
            self.emit(indent, "    s *= 2")
        self.emit(indent, "if tid == 0:", f"    red[bid, {column}] = {sh}[0]")
        if rng.random() < 0.5:
            self.emit(indent, f"{value} += {sh}[0]")
        self.emit(indent, "cuda.syncthreads()")

    def warp(self, indent: int) -> None:
        """One to three warp shuffles or votes, every lane of the block taking part."""
        rng = self.rng
        forms = [
            f"f += cuda.shfl_down_sync({FULL}, f, {rng.choice([1, 2, 4, 8, 16])})",
            f"i = cuda.shfl_xor_sync({FULL}, i, {rng.choice([1, 2, 4, 8, 16])})",
            f"f = cuda.shfl_sync({FULL}, f, (lane + {rng.randint(1, 31)}) % 32)",
            f"i += cuda.shfl_sync({FULL}, i, {rng.randint(0, 31)})",
            f"f = cuda.shfl_xor_sync({FULL}, f, 1) * 0.5 + f",
            f"v = cuda.ballot_sync({FULL}, f > 0)\ni ^= int32(v & 0xFFFF)",
            f"if cuda.any_sync({FULL}, i > 3):\n    f += 1.0",
            f"i += cuda.all_sync({FULL}, f < 4)",
            f"k = 16\nwhile k > 0:\n    f += cuda.shfl_xor_sync({FULL}, f, k)\n    k //= 2",
            f"for k in range(5):\n    i += cuda.shfl_down_sync({FULL}, i, 1 << k)",
            f"f += cuda.shfl_up_sync({FULL}, f, {rng.choice([1, 2, 4, 8, 16])})",
            f"k = 1\nwhile k < 32:\n    i += cuda.shfl_up_sync({FULL}, i, k)\n    k *= 2",
        ]
        forms = [form.replace("k", self.fresh()) if "k " in form else form for form in forms]
        if self.full_warps:
            forms.append("m = cuda.activemask()\ni += int32(m >> 28)")
        for _ in range(rng.randint(1, 3)):
            for line in rng.choice(forms).split("\n"):
                self.emit(indent, line)

    def divergent_warp(self, indent: int) -> None:
        """Warp calls in a branch that half of each warp takes, with that half's mask: lanes 0
        to 15 shuffle and vote among themselves, or lanes 16 to 31 (absent from a block's last
        warp of 16 threads), whose downward shuffles past lane 31 return their own value."""
        rng = self.rng
        low = rng.random() < 0.5
        test, mask = ("lane < 16", "0x0000FFFF") if low else ("lane >= 16", "0xFFFF0000")
        shift = rng.choice([1, 2, 4, 8])
        forms = [
            f"f += cuda.shfl_xor_sync({mask}, f, {shift})",
            f"i += cuda.shfl_down_sync({mask}, i, {shift})",
            f"f = cuda.shfl_sync({mask}, f, {'0' if low else '16'} + (lane + {shift}) % 16)",
            f"i ^= int32(cuda.ballot_sync({mask}, f > 0) >> {'0' if low else '16'})",
            f"i += cuda.all_sync({mask}, i > -3)",
            f"cuda.syncwarp({mask})\nf = f * 0.5",
        ]
        if self.full_warps:
            forms.append("i += int32(cuda.popc(cuda.activemask()))")
        self.emit(indent, f"if {test}:")
        for _ in range(rng.randint(1, 2)):
            for line in rng.choice(forms).split("\n"):
                self.emit(indent + 1, line)

    def lane_loop(self, indent: int) -> None:
        """A while loop whose trip count differs from lane to lane."""
        bound = self.rng.choice(["i % 4", "t % 3", "(i & 7) >> 1"])
        body = self.rng.choice(["f = f * 0.5 + float32(k)", "f -= 0.25", "f = f * f - 1.0"])
        k = self.fresh()
        self.emit(indent, f"{k} = {bound}", f"while {k} > 0:", f"    {body.replace('k', k)}")
        self.emit(indent, f"    i = i ^ ({k} << 2)", f"    {k} -= 1")

    def grid_stride(self, indent: int) -> None:
        """A grid-stride loop over `gs`, each element written by one thread."""
        rng = self.rng
        if not self.two_d and rng.random() < 0.5:
            start, step = "cuda.grid(1)", "cuda.gridsize(1)"
        else:
            start, step = "t", "nt"
        value = rng.choice(
            ["a[g % n] * 2.0 + float32(g)", "float32(g) * 0.5", "f + float32(g % 7)"]
        )
        if rng.random() < 0.5:
            self.emit(indent, f"g = {start}", "while g < gs.size:", f"    gs[g] = {value}")
            self.emit(indent, f"    g += {step}")
        else:
            self.emit(indent, f"for g in range({start}, gs.size, {step}):", f"    gs[g] = {value}")

    def atomic(self, indent: int) -> None:
        """An atomic on an array no other atomic call touches; its old value used or not."""
        rng = self.rng
        free = [name for name in ("cnt_i", "cnt_f") if name not in self.atomics]
        if not free:
            return
        array = rng.choice(free)
        self.atomics.add(array)
        operation = rng.choice(["add", "add", "max", "min"])
        index = rng.choice(["0", "tid % 4", "bid % 4", "lane % 4"])
        value = rng.choice(["i", "1", "t"] if array == "cnt_i" else ["f", "1.5", "a[t % n]"])
        call = f"cuda.atomic.{operation}({array}, {index}, {value})"
        guard = rng.random() < 0.4
        if guard:
            self.emit(indent, "if t < n:")
        target = "i" if array == "cnt_i" else "f"
        line = f"{target} += {call}" if rng.random() < 0.5 else call
        self.emit(indent + guard, line)

    def narrow(self, indent: int, dtype: str) -> None:
        """Narrow, unsigned and wide arrays, casts and bit operations."""
        rng = self.rng
        if dtype == "float64":
            store = rng.choice(["e * 0.5", "e + float64(f)", "-e"])
            mix = rng.choice(["f = f + float32(e)", "i = i + int32(e)"])
        else:
            store = rng.choice(["e + 3", "e * 3", "e >> 1", "e ^ 5", "e & 0x7F", "e | 1", "e << 2"])
            mix = rng.choice(
                ["i = i + int32(e)", "f = f + float32(e)", "i ^= int32(e & 0xFF)", "u = uint32(e)"]
            )
        self.emit(indent, "if t < n:", "    e = c[t]", f"    out_c[t] = {store}", f"    {mix}")
        bits = [
            "i = (i << 2) ^ (i >> 1)",
            "i = i | int32(t & 0xF)" if rng.random() < 0.8 else "i = i | (t & 0xF)",
            "u = uint32(i)\ni = int32(u >> 3)",
            "f = float32(i) * 0.25",
            "i = int32(f)",
            "i = i & 0x3FF",
        ]
        for line in rng.choice(bits).split("\n"):
            self.emit(indent, line)


def _launch(rng: random.Random) -> tuple[tuple, tuple, bool]:
    """(griddim, blockdim, whether 2-D) of a random launch."""
    size = rng.choice([32, 64, 96, 32, 64, 96, 48, 80])
    blocks = rng.randint(1, 4)
    if rng.random() < 0.35:
        x = rng.choice([d for d in (8, 16, 32) if size % d == 0])
        gx = rng.choice([d for d in (1, 2, 4) if blocks % d == 0 or d == 1])
        return (gx, max(1, blocks // gx)), (x, size // x), True
    return (blocks,), (size,), False


def case(seed: int) -> Case:
    """The random kernel and launch of `seed`."""
    rng = random.Random(seed)
    griddim, blockdim, two_d = _launch(rng)
    size, threads = int(np.prod(blockdim)), int(np.prod(griddim) * np.prod(blockdim))
    bug = rng.choice(["bounds", "race"]) if rng.random() < 0.08 else None
    n = rng.randint(max(1, threads - size + 1), threads - (bug == "bounds"))
    writer = _Writer(rng, size, two_d, size % 32 == 0)
    if two_d:
        prologue = [
            "tid = cuda.threadIdx.y * cuda.blockDim.x + cuda.threadIdx.x",
            "bs = cuda.blockDim.x * cuda.blockDim.y",
            "bid = cuda.blockIdx.y * cuda.gridDim.x + cuda.blockIdx.x",
            "nt = bs * cuda.gridDim.x * cuda.gridDim.y",
        ]
        if rng.random() < 0.5:
            prologue += ["x, y = cuda.grid(2)", "w, h = cuda.gridsize(2)", "t = y * w + x"]
        else:
            prologue += ["t = bid * bs + tid"]
    else:
        prologue = [
            "t = cuda.grid(1)",
            "tid = cuda.threadIdx.x",
            "bs = cuda.blockDim.x",
            "bid = cuda.blockIdx.x",
            "nt = cuda.gridsize(1)",
        ]
    prologue.append(rng.choice(["lane = cuda.laneid", "lane = tid % 32"]))
    prologue += ["f = float32(0)", "i = int32(0)", "if t < n:", "    f = a[t]", "    i = b[t]"]
    dtype = rng.choice(NARROW)
    sections = ["exchange", "reduction", "warp", "lane_loop", "grid_stride", "atomic", "narrow"]
    sections.append("divergent_warp")
    for number in range(rng.randint(2, 5)):
        section = rng.choice(sections)
        race = bug == "race" and number == 0
        if race:
            section = "exchange"
        indent = 1
        if section in ("exchange", "reduction", "warp", "divergent_warp") and rng.random() < 0.3:
            writer.emit(1, f"for r in range({rng.choice(['2', 'n % 3', '3'])}):")
            indent = 2
        elif section in ("lane_loop", "atomic", "narrow") and rng.random() < 0.3:
            writer.emit(1, "if t < n:")
            indent = 2
        written = len(writer.lines)
        if section == "exchange":
            writer.exchange(indent, race)
        elif section == "narrow":
            writer.narrow(indent, dtype)
        else:
            getattr(writer, section)(indent)
        if indent == 2 and len(writer.lines) == written:
            writer.lines.pop()  # the section wrote nothing under its `for` or `if`
    last = "t <= n" if bug == "bounds" else "t < n"
    ending = [f"if {last}:", "    out_f[t] = f", "    out_i[t] = i"]
    lines = [f"def kernel({PARAMETERS}):"]
    lines += ["    " + line for line in prologue + writer.shared]
    lines += writer.lines + ["    " + line for line in ending]
    source = "\n".join(lines) + "\n"
    return Case(source, griddim, blockdim, n, rng.randint(1, 3 * threads), dtype, bug, seed)


def make_kernel(source: str):
    """The kernel `source` defines, with numpy's scalar types it casts with as globals."""
    kernel = random_kernels.make_kernel(source)
    kernel.__globals__.update(uint32=np.uint32, float64=np.float64)
    return kernel


def _run(kernel, case: Case, tier: str, checks: bool):
    """(arguments after the launch, the error raised as (type, text) or None, outcome)."""
    args = case.make_args()
    before = dict(launcher.outcomes)
    error = None
    with config.override(tier=tier, checks=checks):
        try:
            kernel[case.griddim, case.blockdim](*args)
        except Exception as caught:  # noqa: BLE001 - any error must be the same on both tiers
            error = (type(caught).__name__, str(caught))
    outcome = [key for key, value in launcher.outcomes.items() if value > before.get(key, 0)]
    return args, error, ",".join(outcome)


def compare(case: Case, checks: bool) -> tuple[str | None, str, str, tuple | None]:
    """Run `case` on both tiers: (what differs or None, the compiled tier's launch outcome,
    the reason it gave for leaving the kernel to the vector engine or "", the vector
    engine's error as (type, text) or None)."""
    kernel = cuda.jit(make_kernel(case.source))
    launcher.reasons.pop("kernel", None)
    vector, vector_error, _ = _run(kernel, case, "vector", checks)
    compiled, compiled_error, outcome = _run(kernel, case, "compiled", checks)
    reason = launcher.reasons.pop("kernel", "")
    differences = []
    for position, (left, right) in enumerate(zip(vector, compiled, strict=True)):
        if isinstance(left, np.ndarray) and left.tobytes() != right.tobytes():
            where = np.flatnonzero(left.view(np.uint8) != right.view(np.uint8))[0]
            index = np.unravel_index(where // left.itemsize, left.shape)
            name = PARAMETERS.split(", ")[position]
            differences.append(f"{name}{list(index)}: {left[index]!r} vs {right[index]!r}")
    if vector_error != compiled_error:
        differences.append(f"error {vector_error} vs {compiled_error}")
    return ("; ".join(differences) or None), outcome, reason, vector_error


def run_campaign(count: int, seed: int) -> collections.Counter:
    """Compare both tiers on `count` random kernels, checks on and off; print each difference
    and a summary of the launch outcomes and of the reasons given for refusals."""
    outcomes: collections.Counter = collections.Counter()
    reasons: collections.Counter = collections.Counter()
    for number in range(count):
        kernel_case = case(seed * 100_003 + number)
        for checks in (True, False):
            if kernel_case.bug == "race" and not checks:
                continue  # a race is undefined with checks off, as on a GPU
            difference, outcome, reason, _ = compare(kernel_case, checks)
            outcomes[outcome] += 1
            if reason:
                reasons[reason.split(" (")[0][:120]] += 1
            if difference:
                outcomes["different"] += 1
                print(f"--- difference, seed {kernel_case.seed}, checks {checks}: {difference}")
                print(f"launch {kernel_case.griddim} x {kernel_case.blockdim}, n={kernel_case.n}")
                print(kernel_case.source)
    print(f"seed {seed}, {count} kernels: {dict(outcomes)}")
    for reason, number in reasons.most_common():
        print(f"{number:5d}  {reason}")
    return outcomes


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    run_campaign(options.count, options.seed)
