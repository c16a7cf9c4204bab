"""Reproducible papers: every figure and table rebuilt by one command, checked byte-for-byte.

A paper is a folder ``papers/<name>/`` with a ``README.md``, a ``paper.md``
and a ``figures.py`` whose functions are marked with :func:`figure` or
:func:`table`::

    from jenga_games.papers import figure, table

    @figure("collapse-curves", "Collapse curves of the built-in economy")
    def collapse_curves():
        fig, frame = compute_and_draw(seed=2026)  # fixed seeds
        return fig, frame   # a matplotlib figure and the pandas DataFrame behind it

    @table("prices-of-anarchy", "Prices of anarchy by collapse cost")
    def prices():
        return frame

:func:`build` runs them in order and writes ``<name>.png``, ``<name>.pdf`` and
``<name>.csv`` (figures) or ``<name>.csv`` and ``<name>.md`` (tables) into
``papers/<name>/output/``. :func:`check` rebuilds into a temporary folder and
compares every CSV byte-for-byte with the committed one. Artifacts declared
``quick=True`` form the fast subset used in the default test suite.
"""

from __future__ import annotations

import difflib
import importlib.util
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._io import atomic_path, atomic_write_text
from ._progress import progress_bar
from ._results import Result
from .errors import JengaError, UnknownItemError

__all__ = ["Artifact", "BuildReport", "build", "check", "figure", "find_papers", "table"]

log = logging.getLogger(__name__)

#: CSVs are written with this float format so that rebuilds are byte-identical.
FLOAT_FORMAT = "%.10g"


@dataclass(frozen=True)
class Artifact:
    """A figure or table of a paper: a function and what it is."""

    kind: str
    name: str
    caption: str
    quick: bool
    func: Callable = field(repr=False, compare=False)


def _mark(kind: str, name: str, caption: str, quick: bool):
    def deco(func):
        func._jenga_artifact = Artifact(kind, name, caption, quick, func)
        return func

    return deco


def figure(name: str, caption: str, quick: bool = False):
    """Mark a function returning ``(matplotlib figure, DataFrame)`` as a paper figure."""
    return _mark("figure", name, caption, quick)


def table(name: str, caption: str, quick: bool = False):
    """Mark a function returning a ``DataFrame`` as a paper table."""
    return _mark("table", name, caption, quick)


@dataclass(frozen=True)
class BuildReport(Result):
    """What :func:`build` or :func:`check` did: files written, seconds, mismatches."""

    paper: str
    artifacts: tuple[str, ...]
    files: tuple[str, ...]
    seconds: tuple[float, ...]
    mismatches: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.mismatches


def find_papers(root: str | os.PathLike[str] = "papers") -> dict[str, Path]:
    """Paper folders under ``root`` (those with a ``figures.py``)."""
    root = Path(root)
    if not root.is_dir():
        raise JengaError(
            f"no papers folder at {root.resolve()}; run from the repository root or pass --root"
        )
    return {p.name: p for p in sorted(root.iterdir()) if (p / "figures.py").is_file()}


def load_artifacts(paper_dir: Path) -> list[Artifact]:
    """The artifacts of ``paper_dir/figures.py``, in definition order."""
    path = paper_dir / "figures.py"
    mod_name = f"_jenga_paper_{paper_dir.name.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(mod_name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a file we just found
        raise JengaError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    sys.path.insert(0, str(paper_dir))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(paper_dir))
    arts = [v._jenga_artifact for v in vars(module).values() if hasattr(v, "_jenga_artifact")]
    names = [a.name for a in arts]
    if len(set(names)) != len(names):
        raise JengaError(f"{path}: two artifacts share a name; names must be unique")
    return arts


def _write_frame(frame: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def _run(art: Artifact, out: Path, images: bool) -> list[Path]:
    from .plot.style import save, style

    with style():  # every artifact is drawn in the house style
        result = art.func()
    written = []
    if art.kind == "figure":
        fig, frame = result
        if images:
            written += save(fig, out / art.name, formats=("png", "pdf"))
        else:
            import matplotlib.pyplot as plt

            plt.close(fig)
    else:
        frame = result
        md = frame_to_markdown(frame)
        written.append(atomic_write_text(out / f"{art.name}.md", f"{art.caption}\n\n{md}\n"))
    if not isinstance(frame, pd.DataFrame):
        raise JengaError(
            f"artifact {art.name!r} must return a pandas DataFrame of its data, "
            f"got {type(frame).__name__}"
        )
    _write_frame(frame, out / f"{art.name}.csv")
    written.append(out / f"{art.name}.csv")
    return written


def frame_to_markdown(frame: pd.DataFrame) -> str:
    """A DataFrame as a markdown table (numbers to 4 significant figures)."""

    def cell(v) -> str:
        if isinstance(v, float):
            return f"{v:.4g}"
        return str(v)

    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def _select(paper_dir: Path, only: Iterable[str] | None, quick: bool) -> list[Artifact]:
    arts = load_artifacts(paper_dir)
    if only:
        wanted = set(only)
        unknown = wanted - {a.name for a in arts}
        if unknown:
            raise UnknownItemError(
                f"{paper_dir.name} has no artifact {sorted(unknown)}; it has "
                f"{', '.join(a.name for a in arts)}"
            )
        arts = [a for a in arts if a.name in wanted]
    if quick:
        arts = [a for a in arts if a.quick]
    return arts


def build(
    paper_dir: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    only: Iterable[str] | None = None,
    quick: bool = False,
    images: bool = True,
    progress: bool = False,
) -> BuildReport:
    """Rebuild a paper's figures and tables (into ``paper_dir/output`` by default)."""
    paper_dir = Path(paper_dir)
    out = Path(out) if out is not None else paper_dir / "output"
    arts = _select(paper_dir, only, quick)
    files, secs = [], []
    for art in progress_bar(arts, enabled=progress, desc=paper_dir.name, unit="artifact"):
        t0 = time.perf_counter()
        log.info("building %s/%s", paper_dir.name, art.name)
        files += [str(p) for p in _run(art, out, images)]
        secs.append(round(time.perf_counter() - t0, 3))
    return BuildReport(paper_dir.name, tuple(a.name for a in arts), tuple(files), tuple(secs))


def check(
    paper_dir: str | os.PathLike[str],
    *,
    only: Iterable[str] | None = None,
    quick: bool = False,
    progress: bool = False,
) -> BuildReport:
    """Rebuild into a temporary folder and compare every CSV with the committed one."""
    paper_dir = Path(paper_dir)
    committed = paper_dir / "output"
    with tempfile.TemporaryDirectory(prefix="jenga-papers-") as tmp:
        report = build(paper_dir, tmp, only=only, quick=quick, images=False, progress=progress)
        mismatches = []
        for name in report.artifacts:
            new, old = Path(tmp) / f"{name}.csv", committed / f"{name}.csv"
            if not old.is_file():
                mismatches.append(
                    f"{name}.csv: not committed (run `jenga papers build {paper_dir.name}`)"
                )
                continue
            a, b = old.read_text().splitlines(), new.read_text().splitlines()
            if a != b:
                diff = list(difflib.unified_diff(a, b, "committed", "rebuilt", lineterm="", n=0))[
                    :8
                ]
                mismatches.append(f"{name}.csv differs:\n  " + "\n  ".join(diff))
    return BuildReport(report.paper, report.artifacts, (), report.seconds, tuple(mismatches))
