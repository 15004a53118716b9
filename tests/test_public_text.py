"""User-facing text cites nothing outside the repository and no issue numbers.

README.md, docs/, courses/, exercises/ and the source of cudalike/ and autograder/ are read by
learners and instructors, who have neither the project's internal notes nor its issue
tracker: a sentence that needs a reason states the public fact itself (docs/testing.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ["README.md", "docs", "courses", "exercises", "cudalike", "autograder"]
SUFFIXES = {".md", ".py", ".ipynb", ".toml", ".txt", ".json", ".html", ".cfg", ".yml"}

CITATIONS = {
    "a file outside the repository": re.compile(r"\bshared/(?:facts|design)\b|\.\./shared/"),
    "the internal style guide": re.compile(r"\bSTYLE(?:\.md| rule)"),
    "an issue number": re.compile(r"\b[Ii]ssues? \d"),
    # "#12", but not HTML entities (&#39;), colours ("#888", color:#222) or `#1` in code.
    "an issue reference": re.compile(r"(?<![\w&#`/'\":])#\d{1,5}\b(?![`\w])"),
}


def public_files() -> list[Path]:
    files = [ROOT / "README.md"]
    for folder in PUBLIC[1:]:
        files += sorted(
            path
            for path in (ROOT / folder).rglob("*")
            if path.suffix in SUFFIXES and "__pycache__" not in path.parts
        )
    return files


def citations(text: str) -> list[str]:
    """'line N: what (the match)' for every citation in `text`."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in CITATIONS.items():
            found += [f"line {number}: {what} ({m.group(0)!r})" for m in pattern.finditer(line)]
    return found


@pytest.mark.parametrize("path", public_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_public_text_cites_only_public_facts(path):
    assert citations(path.read_text(encoding="utf-8", errors="replace")) == []


def test_the_patterns_catch_citations_and_spare_ordinary_text():
    for cited in [
        "see shared/facts/gpu-hardware.md",
        "(../shared/facts/grading-integrity.md)",
        "STYLE.md rule 3",
        "departs from STYLE rule 6",
        "the targets of issue 2",
        "Issue 5 builds a grader",
        "fixed in #123",
    ]:
        assert citations(cited), cited
    for ordinary in [
        "shared/local/const arrays",
        "color #222222 and #9fb7cc, color:#222, ('reference', '#888')",
        "ranked `#1`, `#2`",
        "&#x27; and &#39;",
        "C++ #include",
    ]:
        assert not citations(ordinary), ordinary
