"""Helpers for the hostile corpus (test_corpus.py, bench/hostile_class.py).

Every attack is graded with the real pipeline (`grade_submission`) in a forked process of its
own session, with a time limit, so that an attack that kills its parent, its process group or
every python process of the grader's session, or that stalls the grader itself, is recorded as
what it did to that one grading instead of taking the test run down.

Attacks mark what they leave behind so it can be found and blamed:
- files named `cudalike-canary-<attack>...` in /tmp, the real HOME, the repository's top
  level and exercises/ (and one level below);
- processes with `cudalike-survivor-<attack>` in their command line.
`leftovers()` finds both; `clean()` removes the files and kills those processes (the suite
started them).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pwd
import re
import signal
import subprocess
import time
import traceback
from pathlib import Path

import psutil

import autograder
from autograder.grade import Limits, grade_submission

HERE = Path(__file__).parent
SUBMISSIONS = HERE / "submissions"
REPOSITORY = Path(autograder.__file__).resolve().parent.parent  # the grader under test
EXERCISES = ("vector_add", "map_2d", "cann_add")
CANARY = "cudalike-canary-"
SURVIVOR = "cudalike-survivor-"
# Output folders of batch runs carry this in their path (the delayed writers look for it).
BATCH_TAG = "cudalike-integrity"
FAST = Limits(cpu_seconds=2.0, wall_seconds=6.0, memory_bytes=1 << 30)
GRADER_TIMEOUT = 45.0  # seconds the grader itself may take on one file before it counts as a stall
HONEST = ("honest_zeros.py", "honest_correct.py")


# One seed for every grading of the corpus, baselines included: an honest wrong answer can
# match the reference by chance at a one-element size (a random y close to 0), and the
# comparison must be between gradings of the same inputs.
SEED = 20261202


@dataclasses.dataclass(frozen=True)
class Attack:
    """One corpus entry: `name` is its path under submissions/ (or generated/...)."""

    name: str
    path: Path
    exercise: str
    category: str
    expect: str = "baseline"  # or "full": a correct kernel that must keep full marks
    max_allowed: float | None = None  # honest partial credit the file may keep
    limits: Limits | None = FAST

    @property
    def stem(self) -> str:
        return Path(self.name).name.split(".")[0]


def _header(text: str, key: str) -> str | None:
    match = re.search(rf"#\s*{key}:\s*([\w.]+)", text)
    return match.group(1) if match else None


def _legacy_exercise(name: str) -> str:
    return (
        "cann_add"
        if name.startswith("cann_")
        else "map_2d"
        if name.startswith("map_2d")
        else "vector_add"
    )


def committed() -> list[Attack]:
    """Every committed attack: the first suite's files (top level) and the categorised ones."""
    attacks = []
    for path in sorted(p for p in SUBMISSIONS.rglob("*") if p.is_file() or p.is_symlink()):
        name = path.relative_to(SUBMISSIONS).as_posix()
        if name in HONEST or "__pycache__" in name:
            continue
        text = path.read_bytes().decode("latin-1")
        if "/" not in name:  # the first 40: no header, exercise from the file name
            attacks.append(Attack(name, path, _legacy_exercise(name), "legacy"))
            continue
        exercise, category = _header(text, "exercise"), _header(text, "category")
        if exercise not in EXERCISES or not category:
            raise ValueError(f"{name}: needs '# exercise: ...' and '# category: ...' headers")
        allowed = _header(text, "max_allowed")
        attacks.append(
            Attack(
                name,
                path,
                exercise,
                category,
                expect=_header(text, "expect") or "baseline",
                max_allowed=float(allowed) if allowed else None,
                limits=None if _header(text, "limits") == "default" else FAST,
            )
        )
    return attacks


GENERATED = (
    "quadratic_400kb.py",
    "quadratic_20mb.py",
    "empty.py",
    "empty.ipynb",
    "link_to_reference.py",
    "link_to_solution.py",
    "link_to_cann_solution.py",
    "link_to_passwd.py",
    "directory_submission.py",
    "compiled_solution.pyc",
    "compiled_named_py.py",
)


def generated(folder: Path) -> list[Attack]:
    """Attacks made at run time: too big to commit, or not plain files (symlinks, folders)."""
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Attack] = []

    def add(name, exercise, category="files"):
        made.append(Attack(f"generated/{name}", folder / name, exercise, category))
        return folder / name

    head = "# exercise: vector_add\n# category: bombs\n"
    doc = '"""Attack: {}\n"""\n' + head + "from cudalike import cuda\n"
    lines = [f"X{i} = {i}" for i in range(40_000)]  # about 400 KB of statements
    add("quadratic_400kb.py", "vector_add", "bombs").write_text(
        doc.format("40,000 statements (400 KB): per-statement work that is linear in the file.")
        + "\n".join(lines)
        + "\n"
    )
    big = [f"Y{i} = {i}" for i in range(1_700_000)]  # about 20 MB
    add("quadratic_20mb.py", "vector_add", "bombs").write_text(
        doc.format("a 20 MB script of 1.7 million statements.") + "\n".join(big) + "\n"
    )
    add("empty.py", "vector_add", "malformed").write_bytes(b"")
    add("empty.ipynb", "map_2d", "malformed").write_bytes(b"")
    ref = REPOSITORY / "exercises"
    for name, target, exercise in (
        ("link_to_reference.py", ref / "vector_add" / "reference.py", "vector_add"),
        ("link_to_solution.py", ref / "map_2d" / "solution.py", "map_2d"),
        ("link_to_cann_solution.py", ref / "cann_add" / "solution.py", "cann_add"),
        ("link_to_passwd.py", Path("/etc/passwd"), "vector_add"),
    ):
        path = add(name, exercise)
        path.unlink(missing_ok=True)
        path.symlink_to(target)
    directory = add("directory_submission.py", "vector_add")
    directory.mkdir(exist_ok=True)
    (directory / "solution.py").write_text((ref / "vector_add" / "solution.py").read_text())
    source = (ref / "vector_add" / "solution.py").read_text()
    compiled = compile(source, "solution.py", "exec")
    import importlib.util
    import marshal

    pyc = importlib.util.MAGIC_NUMBER + b"\0" * 12 + marshal.dumps(compiled)
    add("compiled_solution.pyc", "vector_add").write_bytes(pyc)
    add("compiled_named_py.py", "vector_add").write_bytes(pyc)
    return made


@dataclasses.dataclass
class Record:
    """What grading one attack gave, and what it left behind."""

    attack: Attack
    status: str = ""  # graded, rejected, error, or: crashed, stalled, exception (the grader's)
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""  # findings and failed tests' outputs
    seconds: float = 0.0
    problem: str = ""  # the grader's own failure, in words
    files: list[str] = dataclasses.field(default_factory=list)
    processes: list[str] = dataclasses.field(default_factory=list)

    def problems(self, baseline: float) -> list[str]:
        """Everything wrong with this grading; empty when the attack was stopped cleanly."""
        found = []
        if self.problem:
            found.append(self.problem)
        if self.status not in ("graded", "rejected", "crashed", "stalled", "exception"):
            found.append(f"status {self.status!r} (a grader error): {self.reason[:300]}")
        if self.attack.expect == "full":
            if self.score != self.max_score or self.max_score == 0:
                found.append(
                    f"a correct kernel scored {self.score}/{self.max_score}: {self.reason[:300]}"
                )
        else:
            allowed = self.attack.max_allowed if self.attack.max_allowed is not None else baseline
            if self.score > allowed + 1e-6:
                found.append(f"scored {self.score}/{self.max_score} (baseline {allowed})")
            elif self.status in ("graded", "rejected") and not self.reason.strip():
                found.append("no reason a learner can read (no finding, no failed test output)")
        if self.files:
            found.append("left files: " + ", ".join(self.files))
        if self.processes:
            found.append("left processes: " + ", ".join(self.processes))
        return found


def _grade_child(connection, exercise: str, path: str, limits) -> None:
    os.setsid()  # its own session: an attack on the grader's group or session stays here
    try:
        result = grade_submission(exercise, path, seed=SEED, limits=limits)
        failed = [t.output for t in result.tests if not t.passed]
        reason = "\n".join([*result.findings, *failed, result.message])
        message = ("ok", result.status, result.score, result.max_score, reason)
    except BaseException as error:  # noqa: B036 - a grader crash is what we report
        message = ("exception", "exception", 0.0, 0.0, "".join(traceback.format_exception(error)))
    connection.send(message)
    connection.close()


def grade_all(
    attacks: list[Attack], jobs: int = 2, timeout: float = GRADER_TIMEOUT
) -> dict[str, Record]:
    """Grade each attack in its own forked grader process, `jobs` at a time."""
    context = multiprocessing.get_context("fork")
    pending = list(attacks)
    running: dict[str, tuple] = {}
    records: dict[str, Record] = {}
    while pending or running:
        while pending and len(running) < jobs:
            attack = pending.pop(0)
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_grade_child,
                args=(send, attack.exercise, str(attack.path), attack.limits),
            )
            process.start()
            send.close()
            running[attack.name] = (attack, process, receive, time.monotonic())
        time.sleep(0.02)
        for name, (attack, process, receive, start) in list(running.items()):
            record = records.setdefault(name, Record(attack))
            if receive.poll():
                try:
                    kind, status, score, max_score, reason = receive.recv()
                except EOFError:  # it died without a word: killed by the attack
                    process.join(5)
                    kind, status, score, max_score, reason = "crashed", "crashed", 0, 0, ""
                    record.problem = f"the grading process died (exit {process.exitcode})"
                record.status, record.score, record.max_score, record.reason = (
                    status,
                    score,
                    max_score,
                    reason,
                )
                if kind == "exception":
                    record.problem = "the grader raised: " + reason.strip().splitlines()[-1]
            elif process.is_alive() and time.monotonic() - start < timeout:
                continue
            elif process.is_alive():
                record.status = "stalled"
                record.problem = f"the grader did not finish in {timeout:.0f} s"
            elif not record.status:
                record.status = "crashed"
                record.problem = f"the grading process died (exit {process.exitcode})"
            _end(process)
            record.seconds = time.monotonic() - start
            mark = SURVIVOR + attack.stem
            record.processes += [  # seen at once: some would end before the final check
                f"pid {p.pid}: {' '.join(p.info['cmdline'] or [])[-80:]}"
                for p in survivors()
                if any(part.endswith(mark) for part in p.info["cmdline"] or ())
            ]
            receive.close()
            del running[name]
    return records


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _end(process) -> None:
    if process.is_alive():
        kill_group(process.pid)
    process.join(5)


def real_home() -> Path:
    return Path(pwd.getpwuid(os.getuid()).pw_dir)


def _canary_folders() -> list[Path]:
    folders = [Path("/tmp"), real_home(), Path.home(), REPOSITORY, REPOSITORY / "exercises"]
    folders += [p for p in (REPOSITORY / "exercises").iterdir() if p.is_dir()]
    return folders


def canaries() -> list[Path]:
    return sorted({p for folder in _canary_folders() for p in folder.glob(CANARY + "*")})


def survivors() -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if any(SURVIVOR in part for part in process.info["cmdline"] or ()):
            found.append(process)
    return found


def leftovers() -> tuple[list[Path], list[psutil.Process]]:
    return canaries(), survivors()


def blame(
    records: dict[str, Record], files: list[Path], processes: list[psutil.Process]
) -> list[str]:
    """Attach each leftover to the attack named in it; return the ones nobody owns."""
    stems = sorted(((r.attack.stem, r) for r in records.values()), key=lambda item: -len(item[0]))
    orphans = []
    for label, text in [(str(p), p.name) for p in files] + [
        (
            f"pid {p.pid}: {' '.join(p.info['cmdline'] or [])[-80:]}",
            " ".join(p.info["cmdline"] or []),
        )
        for p in processes
    ]:
        owner = next(
            (r for stem, r in stems if CANARY + stem in text or SURVIVOR + stem in text), None
        )
        if owner is None:
            orphans.append(label)
        elif label.startswith("pid "):
            if label not in owner.processes:
                owner.processes.append(label)
        else:
            owner.files.append(label)
    return orphans


def clean() -> None:
    """Remove marker files and kill marked processes (all started by the suite's attacks)."""
    for path in canaries():
        try:
            path.unlink()
        except OSError:
            pass
    for process in survivors():
        try:
            process.kill()
        except psutil.Error:
            pass


def git_status() -> set[str]:
    lines = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return {line[3:] for line in lines}


def baseline_path(exercise: str) -> Path:
    if exercise == "vector_add":
        return SUBMISSIONS / "honest_zeros.py"
    return REPOSITORY / "exercises" / exercise / "starter.ipynb"


def report(records: dict[str, Record], baselines: dict[str, float]) -> str:
    """One line per attack that got through, then counts."""
    lines = []
    for name, record in sorted(records.items()):
        problems = record.problems(baselines[record.attack.exercise])
        if problems:
            lines.append(
                f"{name} [{record.attack.exercise}, {record.status}, "
                f"{record.seconds:.1f} s]: " + "; ".join(problems)
            )
    lines.append(f"{len(lines)} of {len(records)} attacks got through")
    return "\n".join(lines)
