"""One style for every figure: journal-like, colour-blind safe, readable at column width.

The palette is Okabe & Ito's (2008) eight colours, distinguishable under the
common forms of colour blindness. Use :func:`figure` to make a figure in the
house style and :func:`save` to write it (PNG and PDF, atomically).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt

from .._io import atomic_path

__all__ = [
    "COLUMN_WIDTH",
    "PALETTE",
    "color_cycle",
    "figure",
    "figure_for",
    "save",
    "style",
    "styled",
]

#: Okabe–Ito palette: black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple.
PALETTE: tuple[str, ...] = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
#: A journal column is about 3.5 inches wide; a full page about 7.
COLUMN_WIDTH = 3.5
PAGE_WIDTH = 7.0

_RC = {
    "figure.dpi": 150,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.4,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE[1:] + PALETTE[:1]),
    "pdf.fonttype": 42,
    "svg.hashsalt": "jenga_games",
    "path.simplify": False,
}


def color_cycle(n: int) -> list[str]:
    """``n`` colours from the palette (cycling; black last so it is used least)."""
    base = [*PALETTE[1:], PALETTE[0]]
    return [base[i % len(base)] for i in range(n)]


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager applying the house style to figures made inside it."""
    with plt.rc_context(_RC):
        yield


def figure(
    width: float = COLUMN_WIDTH,
    height: float | None = None,
    nrows: int = 1,
    ncols: int = 1,
    **kwargs,
):
    """A figure and axes in the house style (``height`` defaults to 0.75 x width)."""
    with style():
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(width, height or 0.75 * width), constrained_layout=True, **kwargs
        )
    return fig, axes


def figure_for(ax=None, **kwargs):
    """``(figure, axes)`` to draw on: ``ax`` and its figure, or a new :func:`figure` (``kwargs``)."""
    if ax is None:
        return figure(**kwargs)
    return ax.figure, ax


def save(
    fig, path: str | os.PathLike[str], formats: Sequence[str] = ("png",), close: bool = True
) -> list[Path]:
    """Save ``fig`` atomically as ``path`` with each suffix in ``formats``.

    PDFs are written with a fixed creation date so they are reproducible.
    Returns the paths written.
    """
    stem = Path(path).with_suffix("")
    written = []
    with style():
        for fmt in formats:
            target = stem.with_suffix(f".{fmt}")
            metadata = (
                {"CreationDate": None}
                if fmt == "pdf"
                else ({"Software": None} if fmt == "png" else None)
            )
            with atomic_path(target) as tmp:
                fig.savefig(tmp, format=fmt, metadata=metadata)
            written.append(target)
    if close:
        plt.close(fig)
    return written


def styled(func):
    """Decorator: run a plotting function inside :func:`style` (fonts, palette, grid)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with style():
            return func(*args, **kwargs)

    return wrapper
