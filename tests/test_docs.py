"""Docs are tests: every ```python block of docs/**/*.md runs, and every module's doctests.

Rules (also in docs/how-to/write-docs.md):

* the ```python blocks of one page run in order, in one namespace, in a
  temporary working directory; other languages (bash, text, ...) are not run;
* a block preceded (on the line just before its opening fence) by the comment
  ``<!-- docs-test: skip -->`` is not run;
* the doctests of every module under ``jenga_games`` run with ELLIPSIS and
  NORMALIZE_WHITESPACE.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import textwrap
from pathlib import Path

import matplotlib.pyplot
import pytest

import jenga_games

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SKIP = "<!-- docs-test: skip -->"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*)$")


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number, code) of the runnable ```python blocks of a Markdown text."""
    blocks: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match["fence"], len(match["indent"])
        language = (match["info"].split() or [""])[0].lstrip(".{").lower()
        skipped = i > 0 and lines[i - 1].strip() == SKIP
        start, body = i + 2, []  # 1-based line of the block's first line of code
        i += 1
        while i < len(lines):
            close = FENCE.match(lines[i])
            if (close and close["fence"][0] == fence[0] and len(close["fence"]) >= len(fence)
                    and not close["info"].strip()):
                break
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        i += 1
        if language == "python" and not skipped:
            blocks.append((start, textwrap.dedent("\n".join(body))))
    return blocks


def test_block_extraction_rules():
    text = textwrap.dedent("""\
        ```python
        a = 1
        ```
        ```bash
        echo no
        ```
        <!-- docs-test: skip -->
        ```python
        raise SystemExit
        ```
        !!! note
            ````python
            b = a + 1
            ```
            still inside
            ````
        ~~~ python title="x.py"
        c = 3
        ~~~
        """)
    blocks = python_blocks(text)
    assert [code for _, code in blocks] == ["a = 1", "b = a + 1\n```\nstill inside", "c = 3"]
    assert [line for line, _ in blocks] == [2, 13, 18]


PAGES = sorted(p for p in DOCS.rglob("*.md") if python_blocks(p.read_text(encoding="utf-8")))


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_docs_page_code_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for line, code in python_blocks(page.read_text(encoding="utf-8")):
        compiled = compile(code, f"{page.relative_to(ROOT)}:{line}", "exec")
        try:
            exec(compiled, namespace)
        finally:
            matplotlib.pyplot.close("all")


def _modules() -> list[str]:
    names = ["jenga_games"]
    for info in pkgutil.walk_packages(jenga_games.__path__, "jenga_games.",
                                      onerror=lambda name: None):
        if not info.name.endswith("__main__"):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_module_doctests(name):
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name and not err.name.startswith("jenga_games"):
            pytest.skip(f"{name} needs the optional package {err.name}")
        raise
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    failed = sum(runner.run(test, out=report.append).failed
                 for test in finder.find(module, name) if test.examples)
    if failed:
        pytest.fail(f"{failed} doctest example(s) failed in {name}:\n" + "".join(report))
