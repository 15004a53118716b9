"""The hostile corpus: every file under submissions/ graded by the real pipeline, and in a batch.

`submissions/<category>/` holds one attack per file (its docstring or first markdown cell says
what it tries and what it would gain; `# exercise:` and `# category:` headers say where it
belongs); the first suite's 40 files at the top level are graded here too. A few attacks are
made at run time (`_corpus.generated`: a 20 MB script, symlinks, a folder, a .pyc).

For each attack (test_attack_is_stopped):
(a) its score is no more than the honest wrong answer's (the baseline, graded in this session:
    a kernel writing zeros for vector_add, the untouched starter otherwise); a file marked
    `# expect: full` is a correct kernel under stress and must keep full marks;
(b) it carries a reason a learner can read (a finding, or every failed test's output);
(c) it leaves no marker file (`cudalike-canary-<attack>*` in /tmp, HOME, the repository,
    exercises/), checked once for the whole corpus after a 3 s wait for delayed writers;
(d) it leaves no marked process (`cudalike-survivor-<attack>` in the command line);
and the grader itself neither raises, dies nor stalls on it.
test_batch_* grades each exercise's corpus with `grade_class(jobs=2)`, then again with
`resume=True`, and checks one row per submission and no forged row afterwards.

Failures here are attacks that beat the grader: the message says how. Nothing is xfailed.
Run: .venv/bin/python -m pytest tests/autograder/integrity/test_corpus.py -m slow -s
(-s prints the summary table). Each grading runs in its own forked process and session.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import psutil
import pytest

from tests.autograder.integrity import _corpus as corpus_tools
from tests.autograder.integrity._corpus import (
    BATCH_TAG,
    EXERCISES,
    GENERATED,
    Attack,
    blame,
    clean,
    committed,
    generated,
    git_status,
    grade_all,
    leftovers,
    report,
)

pytestmark = pytest.mark.slow

COMMITTED = committed()
NAMES = [a.name for a in COMMITTED] + [f"generated/{name}" for name in GENERATED]
BATCH_TIMEOUT = 240.0  # seconds for one grade_class run of one exercise's corpus
# Folders others may be editing while the suite runs: a new path there is only reported when
# an attack's marker names it.
_BUSY = ("autograder/", "cudalike/", "docs/", "tests/", "courses/", "bench/")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Grade the whole corpus once; collect what it left behind after one wait."""
    clean()
    folder = tmp_path_factory.mktemp(BATCH_TAG)
    attacks = COMMITTED + generated(folder / "generated")
    before = git_status()
    # Processes this worker already runs for other tests (a JupyterLab server kept for the
    # session under pytest-xdist) are not the corpus's.
    running = {p.pid for p in psutil.Process().children(recursive=True)}
    baselines = {}
    for exercise in EXERCISES:
        honest = Attack("baseline", corpus_tools.baseline_path(exercise), exercise, "baseline")
        baselines[exercise] = grade_all([honest], jobs=1)["baseline"].score
    start = time.monotonic()
    records = grade_all(attacks, jobs=2)
    seconds = time.monotonic() - start
    correct = Attack(
        "honest_correct.py",
        corpus_tools.SUBMISSIONS / "honest_correct.py",
        "vector_add",
        "honest",
        limits=None,
    )
    after_all = grade_all([correct], jobs=1)["honest_correct.py"]
    time.sleep(3)  # delayed writers
    files, processes = leftovers()
    orphans = blame(records, files, processes)
    children = [p.pid for p in psutil.Process().children(recursive=True) if p.pid not in running]
    new_paths = sorted(git_status() - before)
    clean()
    summary = report(records, baselines) + f"\ngraded {len(records)} attacks in {seconds:.0f} s"
    (folder / "report.txt").write_text(summary + "\n")
    print("\n" + summary)
    return types.SimpleNamespace(
        records=records,
        baselines=baselines,
        orphans=orphans,
        children=children,
        new_paths=new_paths,
        correct=after_all,
        summary=summary,
    )


def test_corpus_is_large_and_covers_every_exercise():
    new = [a for a in COMMITTED if a.category != "legacy"]
    assert len(NAMES) >= 100
    for exercise in ("cann_add", "map_2d"):
        assert sum(a.exercise == exercise for a in COMMITTED) >= 15, exercise
    assert {a.path.suffix for a in new} >= {".py", ".ipynb"}


def test_every_attack_says_what_it_tries_and_what_it_would_gain():
    for attack in COMMITTED:
        text = attack.path.read_bytes().decode("utf-8", errors="replace")
        assert "Attack" in text[:4000], attack.name
        if attack.category != "legacy" and attack.category != "malformed":
            assert "success" in text[:4000].lower() or "must" in text[:4000], attack.name


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_attack_is_stopped(corpus, name):
    record = corpus.records[name]
    problems = record.problems(corpus.baselines[record.attack.exercise])
    assert not problems, f"{name} ({record.attack.exercise}): " + "; ".join(problems)


def test_nothing_unattributed_is_left_behind(corpus):
    stray = [p for p in corpus.new_paths if not p.startswith(_BUSY) or "canary" in p]
    assert corpus.orphans == [] and stray == [], (corpus.orphans, stray)
    assert corpus.children == [], "processes left under the test process"


def test_a_correct_submission_still_scores_full_after_the_corpus(corpus):
    correct = corpus.correct
    assert (correct.status, correct.score) == ("graded", correct.max_score), correct.reason


# ---------------------------------------------------------------------------- batch
_BATCH = """
import sys
from autograder.batch import grade_class
from autograder.grade import Limits
exercise, folder, out, resume, seed = sys.argv[1:6]
limits = Limits(cpu_seconds=2.0, wall_seconds=6.0, memory_bytes=1 << 30)
rows = grade_class(
    exercise, folder, out, jobs=2, resume=resume == "1", seed=int(seed), limits=limits
)
print(len(rows), "rows")
"""


def run_batch(exercise: str, folder: Path, out: Path, resume: bool, timeout: float) -> str:
    """grade_class in its own session (an attack that kills its group stays there); '' if ok."""
    command = [
        sys.executable,
        "-c",
        _BATCH,
        exercise,
        str(folder),
        str(out),
        "1" if resume else "0",
        str(corpus_tools.SEED),
    ]
    process = subprocess.Popen(
        command,
        cwd=corpus_tools.REPOSITORY,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        corpus_tools.kill_group(process.pid)
        process.communicate()
        return f"did not finish in {timeout:.0f} s"
    if process.returncode != 0:
        return f"exit {process.returncode}: {output[-600:]}"
    return ""


def class_folder(exercise: str, root: Path) -> tuple[Path, dict[str, Attack]]:
    """One folder per exercise: its attacks (flat names) and one honest correct submission."""
    folder = root / "class"
    folder.mkdir(parents=True)
    attacks = COMMITTED + generated(root / "generated")
    placed = {}
    for attack in (a for a in attacks if a.exercise == exercise):
        target = folder / attack.name.replace("/", "__")
        if attack.path.is_symlink():
            target.symlink_to(attack.path.readlink())
        elif attack.path.is_dir():
            continue  # in a class folder, files in sub-folders are submissions of their own
        else:
            shutil.copyfile(attack.path, target)
        placed[target.name] = attack
    shutil.copyfile(
        corpus_tools.REPOSITORY / "exercises" / exercise / "solution.py",
        folder / "zz_honest_solution.py",
    )
    return folder, placed


def read_rows(out: Path, folder: Path) -> dict[str, dict]:
    """grades.csv's rows by submission name relative to the class folder."""

    def name(submission: str) -> str:
        path = Path(submission)
        return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name

    try:
        with open(out / "grades.csv", newline="", encoding="utf-8") as file:
            return {name(row["submission"]): row for row in csv.DictReader(file)}
    except (OSError, csv.Error, UnicodeDecodeError, KeyError):
        return {}


def forged(out: Path, folder: Path, placed: dict[str, Attack], baseline: float) -> list[str]:
    """Rows of attacks above what they may score, in grades.csv or in their result JSON."""
    found = []
    for name, row in read_rows(out, folder).items():
        attack = placed.get(name.split("/")[0])
        allowed = baseline if attack is None or attack.max_allowed is None else attack.max_allowed
        if attack is not None and attack.expect != "full" and float(row["score"] or 0) > allowed:
            found.append(f"grades.csv {name}: {row['score']}")
    for path in sorted((out / "results").rglob("*.json")):
        name = path.relative_to(out / "results").as_posix().removesuffix(".json")
        attack = placed.get(name.split("/")[0])
        try:
            score = float(json.loads(path.read_text(encoding="utf-8"))["score"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        allowed = baseline if attack is None or attack.max_allowed is None else attack.max_allowed
        if attack is not None and attack.expect != "full" and score > allowed:
            found.append(f"results/{name}.json: {score}")
    return found


@pytest.mark.parametrize("exercise", EXERCISES)
def test_batch_grades_every_attack_once_and_resumes(exercise, tmp_path_factory, corpus):
    from autograder.batch import find_submissions

    root = tmp_path_factory.mktemp(f"{BATCH_TAG}-{exercise}")
    folder, placed = class_folder(exercise, root)
    out = root / "out"
    expected = {name for _, name in find_submissions(folder)}
    clean()
    first = run_batch(exercise, folder, out, resume=False, timeout=BATCH_TIMEOUT)
    second = run_batch(exercise, folder, out, resume=True, timeout=BATCH_TIMEOUT)
    time.sleep(3)  # delayed writers
    rows = read_rows(out, folder)
    files, processes = leftovers()
    clean()
    problems = []
    if first:
        problems.append(f"first run: {first}")
    if second:
        problems.append(f"resumed run: {second}")
    if set(rows) != expected:
        missing = sorted(expected - set(rows))
        problems.append(f"{len(rows)} rows for {len(expected)} submissions (missing {missing[:8]})")
    errors = sorted(name for name, row in rows.items() if row["status"] == "error")
    if errors:
        problems.append(f"grader errors: {errors[:8]}")
    honest = rows.get("zz_honest_solution.py")
    if honest is None or float(honest["score"]) != float(honest["max_score"]):
        problems.append(f"the honest solution's row: {honest and honest['score']}")
    problems += forged(out, folder, placed, corpus.baselines[exercise])
    problems += [f"left file {p}" for p in files]
    problems += [f"left process {p.pid}" for p in processes]
    assert not problems, f"{exercise} batch: " + "; ".join(problems)
