"""Messages in the learner's language: gettext catalogues chosen by `config.language`.

English is the source language: a message's English text is its gettext msgid, and
`cudalike/locale/<language>.po` maps it to a translation. The .po text is compiled to gettext's
binary catalogue in memory the first time it is needed, so the standard library's `gettext`
reads it with no build step. Messages with values are templates filled after translation:
`_("{wrong} of {total} elements are wrong").format(wrong=3, total=100)`.
"""

from __future__ import annotations

import ast
import functools
import gettext
import io
import struct
from pathlib import Path

from cudalike import config

LOCALE = Path(__file__).parent / "locale"


def _(message: str) -> str:
    """`message` in the configured language; the English text where there is no translation."""
    language = config.get().language
    if language == "en":
        return message
    return translations(language).gettext(message)


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` (an empty one when the language has no .po file)."""
    path = LOCALE / f"{language}.po"
    if not path.exists():
        return gettext.NullTranslations()
    catalogue = read_po(path.read_text(encoding="utf-8"))
    return gettext.GNUTranslations(io.BytesIO(compile_catalogue(catalogue)))


def read_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a .po file; untranslated and fuzzy entries are left out."""
    entries: dict[str, str] = {}
    entry: dict[str, str] = {"flags": ""}
    field = None

    def finish() -> None:
        if entry.get("msgid") and entry.get("msgstr") and "fuzzy" not in entry["flags"]:
            entries[entry["msgid"]] = entry["msgstr"]

    def next_entry() -> None:
        nonlocal entry
        if "msgstr" in entry:
            finish()
            entry = {"flags": ""}

    for number, line in enumerate((line.strip() for line in text.splitlines()), 1):
        if line.startswith("#,"):
            next_entry()
            entry["flags"] += line
        elif line.startswith(("msgid ", "msgstr ")):
            field, _space, literal = line.partition(" ")
            if field == "msgid":
                next_entry()
            entry[field] = _literal(literal, number)
        elif line.startswith('"') and field:
            entry[field] += _literal(line, number)
        elif line and not line.startswith("#"):
            raise ValueError(f"line {number} of the catalogue is not .po syntax: {line!r}")
    finish()
    return entries


def _literal(text: str, number: int) -> str:
    """A .po string literal ("..." with C escapes) as text."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = None
    if not isinstance(value, str):
        raise ValueError(f"line {number} of the catalogue has a bad string: {text!r}")
    return value


def compile_catalogue(catalogue: dict[str, str]) -> bytes:
    """gettext's binary .mo form of `catalogue` (format: the GNU gettext manual, "MO Files")."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **catalogue}
    keys = sorted(entries)
    originals = [key.encode() for key in keys]
    translated = [entries[key].encode() for key in keys]
    header_size = 7 * 4
    tables = 2 * 8 * len(keys)
    offset = header_size + tables
    original_table, translated_table, data = [], [], b""
    for strings, table in ((originals, original_table), (translated, translated_table)):
        for string in strings:
            table.append((len(string), offset + len(data)))
            data += string + b"\0"
    header = struct.pack(
        "<7I", 0x950412DE, 0, len(keys), header_size, header_size + 8 * len(keys), 0, 0
    )
    body = b"".join(struct.pack("<2I", *pair) for pair in original_table + translated_table)
    return header + body + data


def N_(message: str) -> str:  # noqa: N802 - gettext's name for it
    """Mark `message` for translation where it is defined; `_()` translates it where it is used."""
    return message
