"""Feedback in Chinese: the grader's own words from the catalogue, the exercise's from
`[translations.zh]`, the runtime's through the child's CUDALIKE_LANG."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder import cli
from autograder.spec import SpecError, load_exercise

ROOT = Path(__file__).resolve().parents[2]
FORGOT_GUARD = ROOT / "tests/exercises/wrong/vector_add/forgot_guard.py"
CHINESE_ADVICE = "每个线程都要先检查 i < out.size，再读写数组。"


@pytest.fixture
def translated_exercise(tmp_path: Path) -> Path:
    """vector_add with its advice and hints also in Chinese."""
    folder = tmp_path / "vector_add"
    shutil.copytree(ROOT / "exercises/vector_add", folder)
    with (folder / "exercise.toml").open("a", encoding="utf-8") as toml:
        toml.write(
            "\n[translations.zh]\n"
            'title = "向量加法"\n'
            'hints = ["用 cuda.grid(1) 得到全局索引。"]\n'
            "[translations.zh.feedback]\n"
            f'out_of_bounds = "{CHINESE_ADVICE}"\n'
        )
    return folder


def test_a_wrong_attempt_is_told_what_to_change_in_chinese(translated_exercise, capsys):
    code = cli.main(["--language", "zh", "check", str(translated_exercise), str(FORGOT_GUARD)])
    report = capsys.readouterr().out
    assert code != 0
    assert "未通过" in report and "得分" in report
    assert f"需要修改：{CHINESE_ADVICE}" in report
    assert "提示：用 cuda.grid(1) 得到全局索引。" in report


def test_english_stays_the_default_and_untranslated_advice_falls_back(capsys):
    cli.main(["check", "vector_add", str(FORGOT_GUARD)])
    english = capsys.readouterr().out
    assert "what to change:" in english and "FAIL" in english
    cli.main(["--language", "zh", "check", "vector_add", str(FORGOT_GUARD)])
    chinese = capsys.readouterr().out
    assert "需要修改：A thread past the end" in chinese


def test_a_translation_for_a_language_cudalike_does_not_speak_is_refused(translated_exercise):
    toml = translated_exercise / "exercise.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("translations.zh", "translations.fr"))
    with pytest.raises(SpecError, match="'fr' is not a language"):
        load_exercise(translated_exercise)
