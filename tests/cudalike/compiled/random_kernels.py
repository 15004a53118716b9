"""Random small kernels that mix Python numbers, float32 and int32 values under masks and
loops: the places where the vector engine's types depend on the run, and where the compiled
tier must give the same bytes or leave the kernel to the vector engine.

`kernel_source(rng)` writes one kernel's source; `run_campaign` compares the two tiers on many
of them (`python -m tests.cudalike.compiled.random_kernels --count 200 --seed 1`).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import linecache
import random

import numpy as np

from cudalike import cuda
from cudalike.errors import KernelError
from tests.cudalike.compiled.tiers import compare_tiers

SIZE = 64
NAMES = ["f0", "f1", "i0", "i1"]
HEADER = """\
def kernel(a, b, n, out):
    t = cuda.grid(1)
    if t >= a.size:
        return
"""


class _Writer:
    """Writes statements at growing depth. Variables `f0, f1` hold floats, `i0, i1` integers;
    expressions mostly stay in their family, and meet the other through Python numbers, loop
    variables and `n` (where the vector engine's types depend on the run)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.lines: list[str] = []
        self.loops: list[str] = []

    def leaf(self, family: str, names: list[str]) -> str:
        rng = self.rng
        mine = [name for name in names if name[0] == family]
        if family == "f":
            choices = ["a[t]", "a[(t + 1) % a.size]", "float32(1.5)", "0.5", "-2.0", "1e30"]
        else:
            choices = ["b[t]", "int32(3)", "t", "2", "-1", "0"]
        choices += ["n", *self.loops] if rng.random() < 0.3 else []
        return rng.choice(choices + mine * 2)

    def expression(self, family: str, names: list[str], depth: int = 0) -> str:
        if depth >= 2 or self.rng.random() < 0.35:
            return self.leaf(family, names)
        left = self.expression(family, names, depth + 1)
        right = self.expression(family, names, depth + 1)
        forms = ["{} + {}", "{} - {}", "{} * {}", "min({}, {})", "max({}, {})"]
        forms += ["{} / 4"] if family == "f" else ["{} // 3", "{} % 3"]
        form = self.rng.choice(forms)
        return "(" + form.format(left, right) + ")"

    def condition(self, names: list[str]) -> str:
        return self.rng.choice(
            ["t % 2 == 0", "t < 5", "a[t] > 0", "b[t] > 1", "t >= 0", "n > 2"]
            + [f"{name} > 1" for name in names]
        )

    def block(self, names: list[str], indent: int, depth: int) -> None:
        for _ in range(self.rng.randint(1, 3)):
            pad = "    " * indent
            kind = self.rng.random()
            if kind < 0.5 or depth >= 2:
                target = self.rng.choice(names)
                operator = "+=" if self.rng.random() < 0.5 else "="
                self.lines.append(f"{pad}{target} {operator} {self.expression(target[0], names)}")
            elif kind < 0.75:
                self.lines.append(f"{pad}if {self.condition(names)}:")
                self.block(names, indent + 1, depth + 1)
                if self.rng.random() < 0.4:
                    self.lines.append(f"{pad}else:")
                    self.block(names, indent + 1, depth + 1)
            else:
                loop = f"c{len(self.loops)}"
                bound = self.rng.choice(["3", "n", "t % 3", "b[t] % 3", "2"])
                self.lines.append(f"{pad}for {loop} in range({bound}):")
                self.loops.append(loop)
                self.block(names, indent + 1, depth + 1)
                self.loops.pop()


def kernel_source(rng: random.Random) -> str:
    """One random kernel: every variable starts at the top, then statements, then each
    variable is stored to its row of `out` (float64), so every type difference shows."""
    writer = _Writer(rng)
    starts = {"f": ["0.0", "float32(0)", "a[t]", "0"], "i": ["0", "int32(0)", "b[t]", "t"]}
    for name in NAMES:
        writer.lines.append(f"    {name} = {rng.choice(starts[name[0]])}")
    writer.block(NAMES, 1, 0)
    for row, name in enumerate(NAMES):
        writer.lines.append(f"    out[{row}, t] = {name}")
    return HEADER + "\n".join(writer.lines) + "\n"


def make_kernel(source: str):
    """The kernel function `source` defines (its globals: cuda, float32, int32)."""
    namespace = {"cuda": cuda, "float32": np.float32, "int32": np.int32}
    filename = f"<random kernel {hashlib.sha256(source.encode()).hexdigest()[:12]}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - generated source
    return namespace["kernel"]


def arguments(seed: int) -> list:
    """Inputs for a random kernel: `n` is 0 in a quarter of the seeds, so loops over
    `range(n)` run no iteration there and a variable may keep its Python number."""
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal(SIZE) * 3).astype(np.float32)
    b = rng.integers(-5, 6, SIZE).astype(np.int32)
    return [a, b, seed % 4, np.zeros((len(NAMES), SIZE), np.float64)]


def run_campaign(count: int, seed: int) -> None:
    """Compare both tiers on `count` random kernels; print each difference found."""
    outcomes: collections.Counter = collections.Counter()
    for number in range(count):
        kernel_seed = seed * 100_003 + number
        source = kernel_source(random.Random(kernel_seed))
        try:
            _, counts, _ = compare_tiers(
                cuda.jit(make_kernel(source)),
                2,
                32,
                lambda rng, kernel_seed=kernel_seed: arguments(kernel_seed),
                True,
                KernelError,
            )
            outcomes.update(key for key, value in counts.items() if value)
        except AssertionError:
            outcomes["different"] += 1
            print(f"--- difference, kernel seed {kernel_seed}:\n{source}")
    print(f"{count} kernels: {dict(outcomes)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    run_campaign(options.count, options.seed)
