"""The message catalogues: .po reading, the in-memory .mo, and a complete Chinese catalogue."""

from __future__ import annotations

import ast
import gettext
import io
import re
from pathlib import Path

import pytest

from cudalike import config, i18n

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "cudalike").rglob("*.py")), *sorted((ROOT / "autograder").rglob("*.py"))]


def translatable_messages() -> dict[str, str]:
    """Every literal passed to `_()` in the code, with where it is."""
    found = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_po_entries_read_with_continuations_escapes_and_fuzzy_left_out():
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "old"\nmsgstr "旧"\n\n'
        'msgid "a \\"b\\""\n" c"\nmsgstr "甲"\n"乙"\n'
        'msgid "untranslated"\nmsgstr ""\n'
    )
    assert i18n.read_po(text) == {'a "b" c': "甲乙"}


def test_a_line_that_is_not_po_syntax_is_reported_with_its_number():
    with pytest.raises(ValueError, match="line 3"):
        i18n.read_po('msgid "a"\nmsgstr "b"\nmsgctx "c"\n')


def test_the_compiled_catalogue_is_read_by_the_standard_gettext():
    catalogue = {"grid": "网格", "{n} cores": "{n} 个核"}
    translations = gettext.GNUTranslations(io.BytesIO(i18n.compile_catalogue(catalogue)))
    assert translations.gettext("grid") == "网格"
    assert translations.gettext("{n} cores").format(n=8) == "8 个核"
    assert translations.gettext("unknown") == "unknown"


def test_the_language_setting_chooses_the_catalogue():
    messages = translatable_messages()
    if not messages:
        pytest.skip("no translatable message in the code yet")
    message = next(iter(messages))
    assert i18n._(message) == message
    with config.override(language="zh"):
        assert i18n._(message) != message


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        with config.override(language="fr"):
            pass


def test_every_message_in_the_code_has_a_chinese_translation_and_none_is_stale():
    messages = translatable_messages()
    catalogue = i18n.read_po((i18n.LOCALE / "zh.po").read_text(encoding="utf-8"))
    missing = {m: where for m, where in messages.items() if m not in catalogue}
    assert not missing, f"messages with no translation in cudalike/locale/zh.po: {missing}"
    stale = set(catalogue) - set(messages)
    assert not stale, f"translations of messages the code no longer has: {stale}"


def test_translations_keep_every_placeholder():
    catalogue = i18n.read_po((i18n.LOCALE / "zh.po").read_text(encoding="utf-8"))
    for message, translation in catalogue.items():
        names = sorted(re.findall(r"\{[^{}]*\}", message))
        assert sorted(re.findall(r"\{[^{}]*\}", translation)) == names, message
