"""Worksheets: exercises for students and a separate solutions file, in markdown and HTML."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

import markdown

from .._io import atomic_write_text
from .base import Exercise, make_exercise

__all__ = ["render_html", "write_sheet"]

_CSS = """body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;line-height:1.45}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}
img{max-width:100%}code{background:#f3f3f3;padding:0 .2em}"""


def render_html(md_text: str, title: str) -> str:
    """A standalone HTML page from markdown (tables and code supported)."""
    body = markdown.markdown(md_text, extensions=["tables", "fenced_code"])
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_CSS}</style></head><body>{body}</body></html>\n"
    )


def write_sheet(
    types: Sequence[str],
    seeds: Sequence[int],
    out: str | os.PathLike[str],
    difficulty: int = 1,
    title: str = "Worksheet",
) -> dict[str, Path]:
    """Write ``worksheet.md/.html`` and ``solutions.md/.html`` (with figures) to ``out``.

    One exercise per (type, seed) pair, numbered in order. Returns the paths written.
    """
    out = Path(out)
    figdir = out / "figures"
    exercises: list[Exercise] = [make_exercise(t, s, difficulty) for t in types for s in seeds]
    sheet, sol = [f"# {title}\n"], [f"# {title}: solutions\n"]
    for i, ex in enumerate(exercises, 1):
        fig = None
        if ex.figure is not None:
            target = figdir / f"ex{i:02d}-{ex.type}-{ex.seed}.png"
            ex.figure(target)
            fig = f"figures/{target.name}"
        sheet.append(f"# Exercise {i}\n\n" + ex.markdown(solution=False, figure_path=fig))
        sol.append(f"# Exercise {i}\n\n" + ex.markdown(solution=True, figure_path=fig))
    written = {}
    for name, parts in (("worksheet", sheet), ("solutions", sol)):
        text = "\n\n".join(parts)
        written[f"{name}.md"] = atomic_write_text(out / f"{name}.md", text)
        written[f"{name}.html"] = atomic_write_text(out / f"{name}.html", render_html(text, title))
    return written
