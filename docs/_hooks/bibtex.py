"""A small BibTeX reader for docs/references.bib (entries of ``field = {...}`` or ``"..."``).

Used by the MkDocs hook to render the bibliography page and by tests/test_docs.py
to check that every citation key used in a docstring has an entry.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

__all__ = ["format_entry", "read_bib"]

_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def _braced(text: str, start: int) -> tuple[str, int]:
    """The content of the brace group opening at ``text[start]``, and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    raise ValueError(f"unbalanced braces from offset {start}")


def read_bib(path: str | Path) -> dict[str, dict[str, str]]:
    """``{key: {"type": ..., field: value}}`` for every entry of a BibTeX file."""
    text = Path(path).read_text(encoding="utf-8")
    entries: dict[str, dict[str, str]] = {}
    for match in _ENTRY.finditer(text):
        kind, key = match.group(1).lower(), match.group(2)
        if kind in ("comment", "string", "preamble"):
            continue
        body, _ = _braced(text, text.index("{", match.start()))
        fields: dict[str, str] = {"type": kind}
        pos = body.index(",") + 1
        field = re.compile(r"\s*(\w+)\s*=\s*")
        while True:
            m = field.match(body, pos)
            if not m:
                break
            pos = m.end()
            if body[pos] == "{":
                value, pos = _braced(body, pos)
            elif body[pos] == '"':
                end = body.index('"', pos + 1)
                value, pos = body[pos + 1:end], end + 1
            else:
                m2 = re.compile(r"[^,}]+").match(body, pos)
                value, pos = m2.group(0).strip(), m2.end()
            fields[m.group(1).lower()] = " ".join(value.split())
            comma = body.find(",", pos)
            if comma < 0:
                break
            pos = comma + 1
        entries[key] = fields
    return entries


_ACCENTS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303",
            "c": "\u0327"}


def _plain(value: str) -> str:
    value = re.sub(r"\\(['\"`^~c])\s*\{?(\w)\}?",
                   lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]), value)
    value = value.replace("\\pounds", "£").replace("--", "–").replace("\\&", "&")
    value = value.replace("\\%", "%")
    return re.sub(r"[{}]", "", value)


def format_entry(key: str, entry: dict[str, str]) -> str:
    """One Markdown line: **key** — authors (year). *Title*. Venue."""
    authors = _plain(entry.get("author", entry.get("editor", "")))
    authors = ", ".join(a.strip() for a in authors.split(" and ")) if authors else ""
    venue = next((_plain(entry[f]) for f in ("journal", "booktitle", "publisher", "institution",
                                             "howpublished") if f in entry), "")
    parts = [f"**[{key}]**"]
    if authors:
        parts.append(f"{authors} ({entry.get('year', 'n.d.')}).")
    else:
        parts.append(f"({entry.get('year', 'n.d.')}).")
    parts.append(f"*{_plain(entry.get('title', ''))}*.")
    if venue:
        parts.append(venue + ".")
    for extra in ("volume", "pages", "doi", "url"):
        if extra in entry:
            parts.append(f"{extra}: {_plain(entry[extra])}.")
    return " ".join(parts)
