"""autograder/spec.py: the shipped exercises load; every malformed field has a clear error."""

import re

import pytest

from autograder.spec import EXERCISES_DIR, SpecError, list_exercises, load_exercise

BASE = (EXERCISES_DIR / "vector_add" / "exercise.toml").read_text()


def test_lists_the_shipped_exercises():
    assert {"vector_add", "map_2d", "cann_add"} <= set(list_exercises())


@pytest.mark.parametrize("exercise_id", list_exercises())
def test_every_exercise_found_loads(exercise_id):
    spec = load_exercise(exercise_id)
    assert spec.id == exercise_id
    assert spec.kernels and spec.outputs and spec.public_sizes and spec.hidden_sizes
    assert spec.points.correctness > 0
    assert spec.path.name == exercise_id


def test_course_and_lesson_place_an_exercise():
    spec = load_exercise("vector_add")
    assert (spec.course, spec.lesson) == ("cuda-basics", "02")
    cann_add = load_exercise("cann_add")
    assert (cann_add.course, cann_add.lesson) == ("cuda-to-ascend-c", "03")


def test_vector_add_fields():
    spec = load_exercise("vector_add")
    assert spec.track == "simt" and spec.device == "H100"
    assert spec.kernels[0].name == "vector_add" and spec.kernels[0].args == ("a", "b", "out")
    assert spec.size_variables == ("n",)
    assert [expr.evaluate({"n": 1000}) for expr in spec.launch.grid] == [4]
    assert spec.tolerance["float32"].rtol == 1e-6
    assert [tier.max_ratio for tier in spec.points.speed_tiers] == [1.1, 2.0]
    assert spec.rules.block_size_multiple_of == 32 and spec.rules.no_atomics


def test_cann_add_fields():
    spec = load_exercise("cann_add")
    assert spec.track == "cann" and spec.launch.tiling == "add_tiling"
    assert [expr.evaluate({"n": 5}) for expr in spec.launch.tiling_args] == [5, 8, 256]
    assert spec.rules.ub_budget_bytes == 196608


def test_spec_is_frozen():
    spec = load_exercise("vector_add")
    with pytest.raises(AttributeError):
        spec.title = "other"
    with pytest.raises(TypeError):
        spec.inputs["c"] = spec.inputs["a"]


def test_load_by_folder_and_file_path():
    folder = EXERCISES_DIR / "map_2d"
    assert load_exercise(folder).id == "map_2d"
    assert load_exercise(folder / "exercise.toml").id == "map_2d"


def test_unknown_exercise_lists_the_shipped_ones():
    with pytest.raises(FileNotFoundError, match="no exercise 'nope'.*vector_add"):
        load_exercise("nope")


def test_error_names_the_path_relative_to_the_repository(tmp_path, monkeypatch):
    monkeypatch.setattr("autograder.spec.EXERCISES_DIR", tmp_path / "exercises")
    path = tmp_path / "exercises" / "vector_add" / "exercise.toml"
    path.parent.mkdir(parents=True)
    path.write_text(BASE.replace('dtype = "float32"', 'dtype = "float33"', 1))
    with pytest.raises(SpecError) as raised:
        load_exercise(path)
    assert str(raised.value).startswith(
        "exercises/vector_add/exercise.toml: [inputs.a] dtype 'float33' is not a dtype"
    )
    assert (raised.value.path, raised.value.field) == (
        "exercises/vector_add/exercise.toml",
        "[inputs.a] dtype",
    )


# (old text, new text, the message expected after "<path>: ") -- one per way to get it wrong.
MALFORMED = [
    ('dtype = "float32"', 'dtype = "float33"', r"\[inputs\.a\] dtype 'float33' is not a dtype"),
    ('id = "vector_add"', 'id = "Vector-Add"', r"id 'Vector-Add' must be lower case"),
    ('id = "vector_add"', 'id = "other"', r"id 'other' does not match its folder 'vector_add'"),
    ('id = "vector_add"', "", r"id is missing"),
    ('track = "simt"', 'track = "gpu"', r"track 'gpu' must be one of 'simt', 'cann'"),
    ('track = "simt"', "track = 3", r"track must be a string, not 3"),
    ('device = "H100"', 'device = "H1000"', r"device 'H1000' is not a simt device profile"),
    ('device = "H100"', 'device = "H100"\ncolour = 1', r"colour is not a known field"),
    (
        'title = "Vector add: one thread per element, with a bounds guard"',
        'title = " "',
        r"title must not be empty",
    ),
    ("hints = [", "hints = [3, ", r"hints item 0 must be a non-empty string, not 3"),
    ('args = ["a", "b", "out"]', 'args = ["a", "b", "c"]', r"\[\[kernels\]\]\[0\] args 'c' is"),
    ('args = ["a", "b", "out"]', 'args = ["a", "out"]', r"\[\[kernels\]\] no kernel takes \['b'\]"),
    ('name = "vector_add"', 'nme = "vector_add"', r"\[\[kernels\]\]\[0\] nme is not a known"),
    ("public = [{ n = 1000 }, { n = 4096 }]", "public = []", r"\[sizes\] public must list"),
    ("{ n = 4096 }", "{ m = 4096 }", r"\[sizes\] public\[1\] names \['m'\], expected \['n'\]"),
    ("{ n = 4096 }", "{ n = 0 }", r"\[sizes\] public\[1\] n = 0 must be a positive integer"),
    ("{ n = 4096 }", "{ n = 1.5 }", r"\[sizes\] public\[1\] n = 1.5 must be a positive"),
    ("{ n = 100003 }", "{ n = 100000000 }", r"\[inputs\.a\] shape has 100000000 elements"),
    ('kind = "array"', 'kind = "matrix"', r"\[inputs\.a\] kind 'matrix' must be one of"),
    ('shape = ["n"]', 'shape = ["m"]', r"\[inputs\.a\] shape 'm': 'm' is not a size variable"),
    ('shape = ["n"]', 'shape = ["n.real"]', r"\[inputs\.a\] shape 'n.real': 'n.real' is not all"),
    ('shape = ["n"]', "shape = [\"__import__('os')\"]", r"calls are limited to ceil_div"),
    ('shape = ["n"]', 'shape = ["n +"]', r"\[inputs\.a\] shape 'n \+' is not a valid expression"),
    ('shape = ["n"]', "shape = [1.5]", r"\[inputs\.a\] shape 1.5 is not an integer"),
    ('shape = ["n"]', "shape = []", r"\[inputs\.a\] shape must have 1 to 3 dimensions, not 0"),
    ('shape = ["n"]', 'shape = ["n - 1"]', r"\[inputs\.a\] shape is \[0\] at size \{'n': 1\}"),
    ("range = [-100.0, 100.0]", "range = [1.0, -1.0]", r"range low 1.0 must be below high -1.0"),
    ("range = [-100.0, 100.0]", "range = [1.0]", r"\[inputs\.a\] range must be \[low, high\]"),
    ("range = [-100.0, 100.0]", "range = [0, 1e40]", r"range \[0, 1e\+40\] does not fit float32"),
    ("range = [-100.0, 100.0]", "", r"\[inputs\.a\] range is missing"),
    ("[outputs.out]", "[outputs.b]", r"\[outputs\] \['b'\] are also inputs"),
    ("[outputs.out]\n", '[outputs.out]\nfill = "ones"\n', r"\[outputs\.out\] fill 'ones' must be"),
    ('grid = ["ceil_div(n, 256)"]', "", r"\[launch\] a simt exercise gives grid and block"),
    ("block = [256]", "block = [256, 0]", r"\[launch\] block is \[256, 0\] at size"),
    ('grid = ["ceil_div(n, 256)"]', 'grid = ["ceil_div(n)"]', r"ceil_div takes two arguments"),
    ("[tolerance.float32]", "[tolerance.float64]", r"\[tolerance\] gives none for float32"),
    ("[tolerance.float32]", "[tolerance.floaty]", r"\[tolerance\.floaty\] 'floaty' is not a"),
    ("rtol = 1e-6", "rtol = -1e-6", r"\[tolerance\.float32\] rtol -1e-06 must be a finite"),
    ("correctness = 8", "correctness = -1", r"\[points\] correctness -1 must be at least 0"),
    ("correctness = 8\nspeed = 2", "correctness = 0\nspeed = 0", r"\[points\] gives no points"),
    ("fraction = 0.5 }", "fraction = 1.0 }", r"\[points\] speed_tiers\[1\] must be slower"),
    ("fraction = 1.0 }", "fraction = 1.5 }", r"\[points\] speed_tiers\[0\] fraction 1.5 must"),
    ("no_atomics = true", "no_atomics = 1", r"\[rules\] no_atomics must be true or false, not 1"),
    ("no_atomics = true", "ub_budget_bytes = 1024", r"ub_budget_bytes does not apply to the simt"),
    ("no_atomics = true", "no_atomic = true", r"\[rules\] no_atomic is not a known field"),
    ("block_size_multiple_of = 32", "block_size_multiple_of = 0", r"must be at least 1"),
    ("[rules]", "[rules]]", r"is not valid TOML"),
]


@pytest.mark.parametrize(("old", "new", "message"), MALFORMED, ids=[m[2] for m in MALFORMED])
def test_malformed_field_is_named(tmp_path, old, new, message):
    assert old in BASE, f"the base exercise no longer contains {old!r}"
    with pytest.raises(SpecError) as raised:
        _write_and_load(tmp_path, BASE.replace(old, new, 1))
    path = re.escape(str(tmp_path / "vector_add" / "exercise.toml"))
    assert re.match(f"{path}: .*{message}", str(raised.value)), str(raised.value)


def test_cann_track_rules_and_launch(tmp_path):
    base = (EXERCISES_DIR / "cann_add" / "exercise.toml").read_text()
    broken = base.replace("ub_budget_bytes = 196608", "no_atomics = true")
    with pytest.raises(SpecError, match=r"\[rules\] no_atomics does not apply to the cann track"):
        _write_and_load(tmp_path, broken, "cann_add")
    broken = base.replace('tiling = "add_tiling"', 'grid = ["n"]')
    with pytest.raises(SpecError, match=r"\[launch\] a cann exercise gives tiling and tiling_args"):
        _write_and_load(tmp_path, broken, "cann_add")
    broken = base.replace('device = "Ascend910B"', 'device = "H100"')
    with pytest.raises(SpecError, match=r"device 'H100' is not a cann device profile"):
        _write_and_load(tmp_path, broken, "cann_add")


def test_host_launch_form(tmp_path):
    text = BASE.replace('grid = ["ceil_div(n, 256)"]\nblock = [256]', 'host = "run"')
    assert _write_and_load(tmp_path, text).launch.host == "run"


def test_scalar_needs_range_or_value(tmp_path):
    scalar = '\n[inputs.n_]\nkind = "scalar"\ndtype = "int32"\n'
    text = BASE.replace('args = ["a", "b", "out"]', 'args = ["a", "b", "out", "n_"]') + scalar
    with pytest.raises(SpecError, match=r"\[inputs\.n_\] range a scalar needs exactly one of"):
        _write_and_load(tmp_path, text)
    spec = _write_and_load(tmp_path, text + 'value = "n + 1"\n')
    assert spec.inputs["n_"].value.evaluate({"n": 4}) == 5


def _write_and_load(tmp_path, text, folder="vector_add"):
    path = tmp_path / folder / "exercise.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return load_exercise(path)
