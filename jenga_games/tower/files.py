"""One entry point for tower files: JSON, GraphML, an ``.xlsx`` workbook or a folder of CSV files.

:func:`read_tower` and :func:`write_tower` choose the format from the path:

========================  ===========================================================
``*.json``                versioned JSON (:mod:`jenga_games.tower.io`)
``*.graphml``             GraphML (networkx, Gephi, yEd, Cytoscape)
``*.xlsx``                the spreadsheet template (:mod:`jenga_games.tower.spreadsheet`)
a folder, or ``*.csv``    the same template as CSV files (``services.csv``, ...)
========================  ===========================================================

Every command of ``jenga`` that takes a tower reads it with :func:`read_tower`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import SchemaError
from .model import Tower

__all__ = ["FORMATS", "read_tower", "write_tower"]

#: What each path form is read and written as.
FORMATS = {
    ".json": "jenga-tower JSON",
    ".graphml": "GraphML",
    ".xlsx": "spreadsheet (.xlsx)",
    "folder": "spreadsheet as a folder of CSV files",
}
_SPREADSHEET_ONLY = {".xls", ".ods", ".numbers", ".xlsb"}


def _refuse(path: Path, doing: str) -> SchemaError:
    if path.suffix.lower() in _SPREADSHEET_ONLY:
        return SchemaError(
            f"cannot {doing} {str(path)!r}: {path.suffix} files are not supported; save it from "
            "the spreadsheet program as Excel Workbook (.xlsx) or as CSV files in a folder"
        )
    return SchemaError(
        f"cannot tell the format of {str(path)!r}: name it .json, .graphml or .xlsx, or "
        "give a folder (CSV files)"
    )


def read_tower(source: Any) -> Tower:
    """Read a tower from a path (format from the path: module docstring), JSON text or a dict.

    Raises
    ------
    SchemaError, InvalidTowerError, UnknownItemError
        The file is missing, of an unknown format, or not a valid tower; the
        message says where (line and field, or sheet, row and column).
    """
    if not isinstance(source, str | os.PathLike) or (
        isinstance(source, str) and source.lstrip().startswith(("{", "["))
    ):
        from .io import tower_from_json

        return tower_from_json(source)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        from .io import from_graphml

        return from_graphml(path)
    if suffix in (".xlsx", ".xlsm"):
        from .spreadsheet import read_xlsx

        return read_xlsx(path)
    if path.is_dir() or suffix == ".csv":
        from .spreadsheet import read_csv_folder

        return read_csv_folder(path)
    if suffix == ".json" or (path.is_file() and suffix not in _SPREADSHEET_ONLY):
        from .io import tower_from_json

        return tower_from_json(path)
    if not path.exists():
        raise SchemaError(
            f"tower file {str(path)!r} does not exist; give a .json, .graphml or .xlsx file, "
            "or a folder of CSV files"
        )
    raise _refuse(path, "read")


def write_tower(tower: Tower, path: str | os.PathLike[str]) -> Path:
    """Write ``tower`` in the format its path names (module docstring); return the path.

    A path without a suffix (or an existing folder) gets the CSV folder.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".json":
        tower.to_json(p)
        return p
    if suffix == ".graphml":
        from .io import to_graphml

        return to_graphml(tower, p)
    if suffix == ".xlsx":
        from .spreadsheet import write_xlsx

        return write_xlsx(tower, p)
    if suffix == "" or p.is_dir():
        from .spreadsheet import write_csv_folder

        return write_csv_folder(tower, p)
    raise _refuse(p, "write")
