"""MkDocs hook: complete the nav from the docs folders and generate the API reference.

* Pages listed in ``mkdocs.yml``'s ``nav`` keep their place and title.
* Any other page ``docs/<section>/**.md`` is appended to the nav section of its
  top folder (``games/`` → "Games", ``tower/`` → "Tower", ...; a sub-folder becomes
  a sub-section), so engineers add pages without editing ``mkdocs.yml``. A new
  top folder becomes a new section before "Reference".
* ``reference/bibliography.md`` is generated from ``docs/references.bib``; pages cite
  with ``[Key][]`` (resolved by mkdocs-autorefs); in rendered docstrings, ``[Key]_``
  citations link to it and Sphinx roles (``:func:`x```) become code.
* ``reference/api/<module>.md`` pages are generated for every public package of
  ``jenga_games`` whose ``__init__.py`` declares ``__all__`` (rendered from the
  docstrings by mkdocstrings) and listed under Reference → API.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bibtex import format_entry, read_bib

SECTION_TITLES = {"tutorials": "Tutorials", "how-to": "How-to", "explanation": "Explanation",
                  "games": "Games", "tower": "Tower", "reference": "Reference"}
ROOT_MODULES = ["jenga_games", "jenga_games.errors", "jenga_games.tolerance"]
_API_MODULES: list[str] = []
_BIB_KEYS: list[str] = []


def _api_modules(package_dir: Path) -> list[str]:
    modules = list(ROOT_MODULES)
    for init in sorted(package_dir.rglob("__init__.py")):
        rel = init.parent.relative_to(package_dir.parent)
        if any(part.startswith("_") for part in rel.parts) or rel.parts == ("jenga_games",):
            continue
        if "__all__" in init.read_text(encoding="utf-8"):
            modules.append(".".join(rel.parts))
    return modules


def _listed(nav: object) -> set[str]:
    found: set[str] = set()
    if isinstance(nav, str):
        found.add(nav)
    elif isinstance(nav, list):
        for item in nav:
            found |= _listed(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= _listed(value)
    return found


def _section(nav: list, title: str, before: str | None = None) -> list:
    for item in nav:
        if isinstance(item, dict) and title in item:
            return item[title]
    entries: list = []
    index = len(nav)
    if before is not None:
        index = next((i for i, item in enumerate(nav) if isinstance(item, dict) and before in item),
                     len(nav))
    nav.insert(index, {title: entries})
    return entries


def _title(name: str) -> str:
    return SECTION_TITLES.get(name, name.replace("_", " ").replace("-", " ").capitalize())


def on_config(config):
    docs = Path(config["docs_dir"])
    nav = config["nav"] or []
    listed = _listed(nav)
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                   if not any(part.startswith(("_", ".")) for part in p.relative_to(docs).parts))
    # index pages first, then by path
    pages.sort(key=lambda p: (p.rsplit("/", 1)[0], not p.endswith("index.md"), p))
    for page in pages:
        if page in listed or "/" not in page:
            continue
        top, *subdirs, _ = page.split("/")
        entries = _section(nav, _title(top), before="Reference")
        for sub in subdirs:
            entries = _section(entries, _title(sub))
        entries.append(page)
    package = Path(config["config_file_path"]).parent / "jenga_games"
    modules = _api_modules(package)
    _API_MODULES[:] = modules
    reference = _section(nav, "Reference")
    api = _section(reference, "API")
    api.extend(f"reference/api/{m}.md" for m in modules
               if f"reference/api/{m}.md" not in listed)
    if "reference/bibliography.md" not in listed:
        reference.append("reference/bibliography.md")
    config["nav"] = _prune(nav)
    return config


def _prune(nav: list) -> list:
    """Drop sections that stayed empty (e.g. Games before any game page exists)."""
    out = []
    for item in nav:
        if isinstance(item, dict):
            item = {k: _prune(v) if isinstance(v, list) else v for k, v in item.items()}
            if all(isinstance(v, list) and not v for v in item.values()):
                continue
        out.append(item)
    return out


def on_files(files, config):
    for module in _API_MODULES:
        content = f"# `{module}`\n\n::: {module}\n"
        files.append(File.generated(config, f"reference/api/{module}.md", content=content))
    bib = Path(config["docs_dir"]) / "references.bib"
    entries = read_bib(bib) if bib.exists() else {}
    lines = ["# Bibliography", "",
             "The works cited in docstrings (as `[Key]_`) and pages, from `docs/references.bib`.", ""]
    lines += [f'- <a id="{key}"></a>{format_entry(key, entries[key])}'
              for key in sorted(entries, key=str.lower)]
    _BIB_KEYS[:] = list(entries)
    files.append(File.generated(config, "reference/bibliography.md", content="\n".join(lines) + "\n"))
    return files


_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|exc|obj):<code>(~?)([\w.]+)</code>")
_CITE = re.compile(r"\[([A-Za-z][A-Za-z0-9]*\d{4}[a-z]?)\]_")


def on_page_content(html, page, config, files):
    """Tidy docstring markup in rendered pages: Sphinx roles become code, and ``[Key]_``
    citations link to the bibliography."""
    if page.file.src_uri == "reference/bibliography.md":
        # register every key with mkdocs-autorefs, so pages can cite with [Key][]
        autorefs = config["plugins"].get("autorefs")
        if autorefs is not None:
            for key in _BIB_KEYS:
                autorefs.register_anchor(page, key, key)
    html = _ROLE.sub(lambda m: f"<code>{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}"
                     "</code>", html)
    depth = page.url.count("/") if page.url else 0
    bib = "../" * depth + "reference/bibliography/"
    return _CITE.sub(lambda m: f'<a href="{bib}#{m.group(1)}">[{m.group(1)}]</a>', html)
