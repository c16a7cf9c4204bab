"""The ``out=`` directory of a sweep: a manifest and one part file per finished chunk.

Layout::

    out/manifest.json          what was swept (function and grid fingerprints, format)
    out/part-000001.parquet    rows of one finished chunk (or .csv without pyarrow)
    out/part-000002.parquet    ...

Every file is written atomically (:func:`jenga_games._io.atomic_path`), so a
killed sweep leaves only complete parts; a rerun reads them, skips their tasks
and writes new parts beside them. Parts are written by the process that called
:func:`~jenga_games.sweep.sweep` (never by workers, which may not share the disk).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from .._io import atomic_path, atomic_write_text
from .._version import __version__
from ..errors import JengaError, JengaWarning, SchemaError

__all__ = ["SweepStore", "default_format", "read_sweep"]

MANIFEST = "manifest.json"
SCHEMA = "jenga_games.sweep/1"
_PART = re.compile(r"^part-(\d+)\.(csv|parquet)$")


def _have_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def default_format() -> str:
    """``"parquet"`` when pyarrow is installed, else ``"csv"``."""
    return "parquet" if _have_pyarrow() else "csv"


class SweepStore:
    """Reads and appends the part files of one sweep directory."""

    def __init__(self, path: str | os.PathLike[str], manifest: dict[str, Any], fmt: str | None):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise JengaError(f"sweep out={str(self.path)!r} is a file; give a directory path")
        old = self._read_manifest()
        if old is not None:
            for key, what in (
                ("function_hash", "function (its name or source)"),
                ("grid_hash", "grid or seeds"),
            ):
                if old.get(key) != manifest[key]:
                    raise JengaError(
                        f"sweep out={str(self.path)!r} holds results of a different sweep: the "
                        f"{what} changed since they were written (stored function "
                        f"{old.get('function')!r}). Resuming would mix results; use a new out "
                        "directory, or delete this one to start afresh"
                    )
            if old.get("version") != __version__:
                raise JengaError(
                    f"sweep out={str(self.path)!r} was written by jenga_games "
                    f"{old.get('version')!r}, this is {__version__!r}: results may differ, so "
                    "resuming would mix them; use a new out directory, or delete this one "
                    "to start afresh"
                )
            if fmt is not None and fmt != old["format"]:
                raise JengaError(
                    f"sweep out={str(self.path)!r} stores {old['format']} parts; "
                    f"format={fmt!r} cannot be mixed in. Leave format=None"
                )
            self.format = old["format"]
        else:
            if any(self.path.glob("*")) if self.path.is_dir() else False:
                raise JengaError(
                    f"sweep out={str(self.path)!r} exists and is not a sweep "
                    f"directory (no {MANIFEST}); give a new or empty directory"
                )
            self.format = fmt or default_format()
            self.path.mkdir(parents=True, exist_ok=True)
            atomic_write_text(
                self.path / MANIFEST,
                json.dumps(
                    {"schema": SCHEMA, "version": __version__, "format": self.format, **manifest},
                    indent=2,
                    sort_keys=True,
                ),
            )
        if self.format == "parquet" and not _have_pyarrow():
            raise JengaError(
                f"sweep out={str(self.path)!r} stores Parquet parts but pyarrow is "
                "not installed: `pip install pyarrow`"
            )
        if self.format not in ("csv", "parquet"):
            raise JengaError(f"sweep format {self.format!r}: use 'parquet' or 'csv'")
        # leftovers of writes interrupted by a kill: never renamed, so never counted
        for tmp in self.path.glob(".part-*"):
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._next = 1 + max(
            (int(m.group(1)) for m in map(_PART.match, os.listdir(self.path)) if m), default=0
        )

    def _read_manifest(self) -> dict[str, Any] | None:
        file = self.path / MANIFEST
        if not file.exists():
            return None
        try:
            data = json.loads(file.read_text())
        except json.JSONDecodeError as err:
            raise SchemaError(
                f"{file} is not valid JSON ({err}); delete the directory to start the sweep afresh"
            ) from err
        if data.get("schema") != SCHEMA:
            raise SchemaError(f"{file} has schema {data.get('schema')!r}, expected {SCHEMA!r}")
        return data

    def append(self, rows: list[dict[str, Any]]) -> Path | None:
        """Write ``rows`` as a new part file, atomically."""
        if not rows:
            return None
        target = self.path / f"part-{self._next:06d}.{self.format}"
        self._next += 1
        frame = pd.DataFrame(rows)
        with atomic_path(target) as tmp:
            if self.format == "parquet":
                try:
                    frame.to_parquet(tmp, index=False)
                except Exception:  # mixed-type object columns: store as text
                    obj = frame.select_dtypes(include="object").columns
                    frame[obj] = frame[obj].astype(str)
                    frame.to_parquet(tmp, index=False)
            else:
                frame.to_csv(tmp, index=False)
        return target

    def read(self) -> pd.DataFrame:
        """All stored rows (with their ``_task`` column), one row per task."""
        return _read_parts(self.path, self.format)


def _read_parts(path: Path, fmt: str) -> pd.DataFrame:
    parts = sorted(p for p in path.iterdir() if _PART.match(p.name) and p.suffix == f".{fmt}")
    if not parts:
        return pd.DataFrame({"_task": pd.Series([], dtype="int64")})
    # parts in task order (not completion order), so columns appear in the order of the
    # lowest task that has them, exactly as in a frame built in memory
    reader = pd.read_parquet if fmt == "parquet" else _read_csv_text
    frames = []
    for p in parts:
        try:
            frames.append(reader(p))
        except Exception as err:  # a truncated or corrupt part: pyarrow/pandas raise many types
            bad = p.with_name(f".corrupt-{p.name}")
            with contextlib.suppress(OSError):
                p.rename(bad)
            warnings.warn(
                f"sweep part {p} cannot be read ({type(err).__name__}: {err}); it was set "
                f"aside as {bad.name} and its tasks will be computed again on resume",
                JengaWarning,
                stacklevel=3,
            )
    if not frames:
        return pd.DataFrame({"_task": pd.Series([], dtype="int64")})
    if fmt == "parquet":
        frames = sorted(frames, key=_first_task)
        header = []
        for f in frames:
            header.extend(c for c in f.columns if c not in header)
        # a part whose column holds only missing values stores it untyped: leave it out so
        # the other parts decide the column's type
        frames = [f.dropna(axis=1, how="all") for f in frames]
        frame = pd.concat(frames, ignore_index=True).reindex(columns=header)
    else:
        # parse all parts at once so each column's type is inferred from all its values
        header: list[str] = []
        frames = sorted(frames, key=_first_task)
        for f in frames:
            header.extend(c for c in f.columns if c not in header)
        buffer = io.StringIO()
        pd.concat(frames, ignore_index=True).reindex(columns=header).to_csv(buffer, index=False)
        buffer.seek(0)
        frame = pd.read_csv(buffer)
    return frame.drop_duplicates("_task", keep="first").sort_values("_task", ignore_index=True)


def _read_csv_text(path: Path) -> pd.DataFrame:
    if not path.read_bytes().endswith(b"\n"):  # every part is written whole, ending a line
        raise SchemaError(f"{path.name} ends mid-line (cut short?)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "_task" not in frame or frame.empty or (frame["_task"] == "").any():
        raise SchemaError(f"{path.name} lacks task numbers (cut short?)")
    pd.to_numeric(frame["_task"])  # a half-written last line fails here
    return frame


def _first_task(frame: pd.DataFrame) -> int:
    return int(pd.to_numeric(frame["_task"]).min()) if len(frame) else -1


def read_sweep(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The results stored by a sweep run with ``out=path`` (finished tasks only).

    Parameters
    ----------
    path : str or os.PathLike
        The sweep's ``out`` directory.

    Returns
    -------
    pandas.DataFrame
        The same tidy frame :func:`~jenga_games.sweep.sweep` returned, restricted
        to the tasks finished so far (useful while a long sweep is running).

    Raises
    ------
    JengaError
        If ``path`` is not a sweep directory.
    """
    path = Path(path)
    if not (path / MANIFEST).exists():
        raise JengaError(
            f"{str(path)!r} is not a sweep directory (no {MANIFEST}); pass the out= path of a sweep"
        )
    fmt = json.loads((path / MANIFEST).read_text()).get("format", "csv")
    return _read_parts(path, fmt).drop(columns="_task")
