"""The exercise format: read `exercises/<id>/exercise.toml`, check every field, freeze it.

An exercise names its track (`simt` or `cann`), its kernels and their arguments, how to draw
the inputs (shapes over size variables, dtypes, value ranges; public and hidden sizes), how to
launch, the tolerance per dtype, the points for correctness and speed, the rules and the hints.
Each field is checked when the file is read, and a mistake raises `SpecError` naming the file,
the field and the problem, e.g.
`exercises/vector_add/exercise.toml: [inputs.a] dtype 'float33' is not a dtype`.
docs/autograder.md describes every field; `exercises/vector_add/exercise.toml` is an example.
An id is looked up along the search path of `autograder.catalog` (folders given, then
`$CUDALIKE_EXERCISES`, then the shipped exercises).
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from autograder._expressions import Expr
from autograder._spec_reader import (
    Reader,
    SpecError,
    check_sizes,
    parse_dtype,
    read_device,
    read_feedback,
    read_place,
    read_shape,
    read_sizes,
)
from autograder.catalog import (
    ENV_VAR,
    SHIPPED_DIR,
    Folders,
    find_exercise,
    list_exercises,
    search_path,
)
from cudalike.config import LANGUAGES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "EXERCISES_DIR",
    "Exercise",
    "InputSpec",
    "KernelSpec",
    "LaunchSpec",
    "OutputSpec",
    "Points",
    "Rules",
    "SpecError",
    "SpeedTier",
    "Tolerance",
    "list_exercises",
    "load_exercise",
]

EXERCISES_DIR = SHIPPED_DIR  # the shipped exercises (autograder.catalog)
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_SIMT_RULES = ("must_use_shared_memory", "no_atomics", "max_global_loads_per_thread")
_SIMT_RULES += ("block_size_multiple_of",)


@dataclasses.dataclass(frozen=True)
class KernelSpec:
    """A kernel the learner writes: its name and its arguments, in call order."""

    name: str
    args: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class InputSpec:
    """How to draw one input argument.

    Attributes:
        name: the argument name.
        kind: "array" or "scalar".
        dtype: numpy dtype name, e.g. "float32".
        shape: one expression per dimension (arrays; empty for scalars).
        low: smallest value drawn (inclusive); None when `value` is given.
        high: largest value drawn (inclusive for integers, floats stay below it).
        value: for a scalar, an expression over the size variables instead of a random value.
    """

    name: str
    kind: Literal["array", "scalar"]
    dtype: str
    shape: tuple[Expr, ...] = ()
    low: float | None = None
    high: float | None = None
    value: Expr | None = None


@dataclasses.dataclass(frozen=True)
class OutputSpec:
    """An output array the kernels write; the grader compares it with the reference's.

    Attributes:
        name: the argument name.
        dtype: numpy dtype name.
        shape: one expression per dimension.
        fill: contents before the launch: "poison" (NaN, or the largest integer) shows
            elements a kernel forgot to write; "zeros" for outputs that accumulate.
    """

    name: str
    dtype: str
    shape: tuple[Expr, ...]
    fill: Literal["poison", "zeros"] = "poison"


@dataclasses.dataclass(frozen=True)
class LaunchSpec:
    """How the grader launches each kernel (the same way for reference and submission).

    Exactly one form is given: `grid` and `block` (SIMT: `kernel[grid, block](args)`),
    `tiling` and `tiling_args` (CANN: `blocks, tiling = reference.<tiling>(*tiling_args)`,
    then `kernel[blocks](args)` where the argument named "tiling" is the tiling object), or
    `host`: a function `host(kernels, arguments)` of the reference module that launches.
    """

    grid: tuple[Expr, ...] = ()
    block: tuple[Expr, ...] = ()
    tiling: str | None = None
    tiling_args: tuple[Expr, ...] = ()
    host: str | None = None


@dataclasses.dataclass(frozen=True)
class Tolerance:
    """Element i passes when |actual - expected| <= atol + rtol * |expected| (numpy.isclose)."""

    rtol: float
    atol: float


@dataclasses.dataclass(frozen=True)
class SpeedTier:
    """Modelled time at most `max_ratio` times the reference's earns `fraction` of speed points."""

    max_ratio: float
    fraction: float


@dataclasses.dataclass(frozen=True)
class Points:
    """Points for correct outputs, and for speed by tiers (best tier first)."""

    correctness: int
    speed: int
    speed_tiers: tuple[SpeedTier, ...]


@dataclasses.dataclass(frozen=True)
class Rules:
    """Constraints a submission must meet (checked from the runtime's counters when graded).

    Attributes:
        must_use_shared_memory: SIMT: the kernel declares and uses a shared array. False.
        no_atomics: SIMT: no atomic operations. False.
        max_global_loads_per_thread: SIMT: at most this many global loads per thread. None.
        block_size_multiple_of: SIMT: threads per block a multiple of this. None.
        ub_budget_bytes: CANN: at most this many bytes of UB given out by InitBuffer. None.
    """

    must_use_shared_memory: bool = False
    no_atomics: bool = False
    max_global_loads_per_thread: int | None = None
    block_size_multiple_of: int | None = None
    ub_budget_bytes: int | None = None


@dataclasses.dataclass(frozen=True)
class Translation:
    """An exercise's words in one language: title, hints and advice per symptom."""

    title: str
    hints: tuple[str, ...]
    feedback: Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One exercise, read and checked from its exercise.toml.

    Attributes:
        id: the folder name, e.g. "vector_add".
        title: a one-line title.
        track: "simt" (numba.cuda-style kernels) or "cann" (Ascend-C-style kernels).
        device: the device profile speed is modelled on, e.g. "H100" or "Ascend910B".
        kernels: the kernels to write, launched in this order.
        inputs: input arguments by name, in file order.
        outputs: output arrays by name, in file order.
        size_variables: the names shapes and launches are written in, e.g. ("n",).
        public_sizes: sizes the learner sees, e.g. ({"n": 1000},).
        hidden_sizes: further sizes used only when grading (awkward ones included).
        launch: how each kernel is launched.
        tolerance: by dtype name; every floating output dtype has one.
        points: points for correctness and speed.
        rules: the constraints.
        hints: shown after a failed test, in order.
        feedback: advice per symptom (`autograder.steps.advice.SYMPTOMS`), shown under the
            first failed test with that symptom.
        path: the exercise's folder.
        course: the course it belongs to, a folder of `courses/` (e.g. "cuda-basics"), or
            None for an exercise outside any course.
        lesson: the lesson it goes with: the lesson's number ("02") or file stem
            ("02-indexing-guards-and-grid-stride-loops"); None when `course` is None or for
            the course as a whole.
        translations: language ("zh") -> the title, hints and feedback in that language
            (`[translations.zh]`), used when `config.language` chooses it.
    """

    id: str
    title: str
    track: Literal["simt", "cann"]
    device: str
    kernels: tuple[KernelSpec, ...]
    inputs: Mapping[str, InputSpec]
    outputs: Mapping[str, OutputSpec]
    size_variables: tuple[str, ...]
    public_sizes: tuple[Mapping[str, int], ...]
    hidden_sizes: tuple[Mapping[str, int], ...]
    launch: LaunchSpec
    tolerance: Mapping[str, Tolerance]
    points: Points
    rules: Rules
    hints: tuple[str, ...]
    path: Path
    feedback: Mapping[str, str] = dataclasses.field(default_factory=dict)
    course: str | None = None
    lesson: str | None = None
    translations: Mapping[str, Translation] = dataclasses.field(default_factory=dict)

    def in_language(self, language: str) -> Translation:
        """The title, hints and feedback to show in `language` (English where none is given)."""
        english = Translation(self.title, self.hints, self.feedback)
        given = self.translations.get(language)
        if given is None:
            return english
        return Translation(
            given.title or self.title,
            given.hints or self.hints,
            types.MappingProxyType({**self.feedback, **given.feedback}),
        )


def load_exercise(id_or_path: str | os.PathLike, search: Folders | None = None) -> Exercise:
    """Read and check one exercise by id ("vector_add"), folder or exercise.toml path.

    Args:
        id_or_path: an id, looked up along the search path, or a folder or file.
        search: folders searched for an id before `$CUDALIKE_EXERCISES` and the shipped ones.

    Raises:
        FileNotFoundError: no such exercise; the message lists the folders searched and the
            exercises found there.
        SpecError: the file is malformed; the message names the file, the field and the fault.

    Example:
        >>> load_exercise("vector_add").track
        'simt'
    """
    text = os.fspath(id_or_path)
    if _ID.match(text) and not Path(text).exists():
        folder = find_exercise(text, search)
        if folder is None:
            known = ", ".join(list_exercises(search=search)) or "none"
            raise FileNotFoundError(
                f"no exercise {text!r} in {os.pathsep.join(map(str, search_path(search)))} "
                f"(set {ENV_VAR} or pass --exercises DIR for others); found: {known}"
            )
        path = folder / "exercise.toml"
    else:
        path = Path(text)
        path = path / "exercise.toml" if path.is_dir() else path
    if not path.is_file():
        raise FileNotFoundError(f"no exercise {text!r}: {path} is missing")
    shown = _shown_path(path)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(shown, "", f"is not valid TOML: {error}") from None
    return _build(Reader(shown, data), path.parent.resolve())


def _shown_path(path: Path) -> str:
    """The path as errors show it: relative to the repository for shipped exercises."""
    resolved = path.resolve()
    if resolved.is_relative_to(EXERCISES_DIR.parent):
        return resolved.relative_to(EXERCISES_DIR.parent).as_posix()
    return str(path)


def _build(top: Reader, folder: Path) -> Exercise:
    top.allow_only(
        "id title track device hints kernels sizes inputs outputs launch tolerance points rules"
        " course lesson feedback translations"
    )
    exercise_id = top.string("id")
    if not _ID.match(exercise_id):
        top.fail("id", f"{exercise_id!r} must be lower case letters, digits and _")
    if exercise_id != folder.name:
        top.fail("id", f"{exercise_id!r} does not match its folder {folder.name!r}")
    track = top.choice("track", ("simt", "cann"))
    variables, public, hidden = read_sizes(top.table("sizes"))
    inputs = {name: _input(table, name, variables) for name, table in top.tables("inputs")}
    outputs = {name: _output(table, name, variables) for name, table in top.tables("outputs")}
    launch = _launch(top.table("launch"), track, variables)
    kernels = _kernels(top, inputs, outputs, launch)
    check_sizes(top, inputs, outputs, launch, public + hidden)
    return Exercise(
        id=exercise_id,
        title=top.string("title"),
        track=track,
        device=read_device(top, track),
        kernels=kernels,
        inputs=types.MappingProxyType(inputs),
        outputs=types.MappingProxyType(outputs),
        size_variables=variables,
        public_sizes=public,
        hidden_sizes=hidden,
        launch=launch,
        tolerance=_tolerance(top, outputs),
        points=_points(top.table("points")),
        rules=_rules(top.table("rules", required=False), track),
        hints=tuple(top.strings("hints", required=False)),
        path=folder,
        feedback=read_feedback(top.table("feedback", required=False)),
        translations=_translations(top),
        **read_place(top),
    )


def _translations(top: Reader) -> types.MappingProxyType:
    """`[translations.<language>]`: title, hints and feedback in another language."""
    if "translations" not in top.data:
        return types.MappingProxyType({})
    found = {}
    for language, table in top.tables("translations"):
        if language not in LANGUAGES or language == "en":
            top.fail("translations", f"{language!r} is not a language cudalike speaks: {LANGUAGES}")
        table.allow_only("title hints feedback")
        found[language] = Translation(
            title=table.string("title") if "title" in table.data else "",
            hints=tuple(table.strings("hints", required=False)),
            feedback=read_feedback(table.table("feedback", required=False)),
        )
    return types.MappingProxyType(found)


def _input(table: Reader, name: str, variables: tuple[str, ...]) -> InputSpec:
    kind = table.choice("kind", ("array", "scalar"))
    dtype = parse_dtype(table, "dtype")
    if kind == "array":
        table.allow_only("kind dtype shape range")
        low, high = table.value_range("range", dtype)
        return InputSpec(name, kind, dtype, read_shape(table, "shape", variables), low, high)
    table.allow_only("kind dtype range value")
    if ("range" in table.data) == ("value" in table.data):
        table.fail("range", "a scalar needs exactly one of range = [low, high] or value = EXPR")
    if "value" in table.data:
        value = table.expression("value", table.data["value"], variables)
        return InputSpec(name, kind, dtype, value=value)
    low, high = table.value_range("range", dtype)
    return InputSpec(name, kind, dtype, low=low, high=high)


def _output(table: Reader, name: str, variables: tuple[str, ...]) -> OutputSpec:
    table.allow_only("dtype shape fill")
    fill = table.choice("fill", ("poison", "zeros"), default="poison")
    return OutputSpec(
        name, parse_dtype(table, "dtype"), read_shape(table, "shape", variables), fill
    )


def _launch(table: Reader, track: str, variables: tuple[str, ...]) -> LaunchSpec:
    table.allow_only("grid block tiling tiling_args host")
    forms = {"simt": ("grid", "block"), "cann": ("tiling", "tiling_args")}[track]
    given = [key for key in ("grid", "block", "tiling", "tiling_args", "host") if key in table]
    if given == ["host"]:
        return LaunchSpec(host=table.string("host"))
    if sorted(given) != sorted(forms):
        wanted = " and ".join(forms)
        table.fail("", f"a {track} exercise gives {wanted} (or only host), not {given}")
    if track == "simt":
        grid, block = (read_shape(table, key, variables) for key in forms)
        return LaunchSpec(grid=grid, block=block)
    arguments = tuple(table.expression("tiling_args", a, variables) for a in table.list(forms[1]))
    return LaunchSpec(tiling=table.string("tiling"), tiling_args=arguments)


def _kernels(top: Reader, inputs: dict, outputs: dict, launch: LaunchSpec) -> tuple:
    both = sorted(set(inputs) & set(outputs))
    if both:
        top.fail("[outputs]", f"{both} are also inputs; an argument is one or the other")
    known = set(inputs) | set(outputs) | ({"tiling"} if launch.tiling else set())
    kernels, used = [], set()
    for table in top.list_of_tables("kernels"):
        table.allow_only("name args")
        args = tuple(table.strings("args"))
        for arg in args:
            if arg not in known:
                table.fail("args", f"{arg!r} is not an input or output (known: {sorted(known)})")
        kernels.append(KernelSpec(table.string("name"), args))
        used |= set(args)
    if not kernels:
        top.fail("[[kernels]]", "must name at least one kernel")
    unused = sorted(known - used)
    if unused:
        top.fail("[[kernels]]", f"no kernel takes {unused}")
    return tuple(kernels)


def _tolerance(top: Reader, outputs: dict) -> Mapping[str, Tolerance]:
    tolerances = {}
    for dtype, table in top.tables("tolerance"):
        parse_dtype(table, None, dtype)
        table.allow_only("rtol atol")
        tolerances[dtype] = Tolerance(table.number("rtol", 0.0), table.number("atol", 0.0))
    for name, output in outputs.items():
        if output.dtype.startswith("float") and output.dtype not in tolerances:
            top.fail("[tolerance]", f"gives none for {output.dtype} (output {name!r})")
    return types.MappingProxyType(tolerances)


def _points(table: Reader) -> Points:
    table.allow_only("correctness speed speed_tiers")
    correctness = table.integer("correctness", minimum=0)
    speed = table.integer("speed", minimum=0)
    if correctness + speed == 0:
        table.fail("", "gives no points at all")
    tiers = []
    for index, tier in enumerate(table.list_of_tables("speed_tiers", required=speed > 0)):
        tier.allow_only("max_ratio fraction")
        ratio = tier.number("max_ratio", 1.0)
        fraction = tier.number("fraction", 0.0)
        if not 0 < fraction <= 1:
            tier.fail("fraction", f"{fraction} must be in (0, 1]")
        if tiers and not (ratio > tiers[-1].max_ratio and fraction < tiers[-1].fraction):
            table.fail(f"speed_tiers[{index}]", "must be slower and worth less than the one before")
        tiers.append(SpeedTier(ratio, fraction))
    return Points(correctness, speed, tuple(tiers))


def _rules(table: Reader, track: str) -> Rules:
    table.allow_only(" ".join(f.name for f in dataclasses.fields(Rules)))
    for key in table.data:
        if (key in _SIMT_RULES) != (track == "simt"):
            table.fail(key, f"does not apply to the {track} track")
    flags = {key: table.boolean(key) for key in ("must_use_shared_memory", "no_atomics")}
    limits = ("max_global_loads_per_thread", "block_size_multiple_of", "ub_budget_bytes")
    counts = {key: table.integer(key, minimum=1, required=False) for key in limits}
    return Rules(**flags, **counts)
