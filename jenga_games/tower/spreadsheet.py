"""Towers in spreadsheets: one ``.xlsx`` workbook, or the same sheets as a folder of CSV files.

The template (``docs/how-to/load-a-tower.md`` shows it filled in) has one sheet per table;
row 1 holds the column names (any order; case, spaces and ``-`` do not matter), each
later row one item; blank rows are skipped.

``services`` (required)
    ``id`` (required), ``label``, ``provider``, ``setting``, ``layer``, ``critical``,
    ``activity``, ``unit``, ``tariff``, ``variable_cost``, ``fixed_cost``, ``support``,
    ``health``, ``health_measure``, ``source``.
``supports``
    ``supporter``, ``dependant`` (``dependent`` is accepted): one dependency per row, the
    supporter's service first.
``providers``
    ``id`` (required), ``label``, ``overhead``, ``reserves``, ``source``. Without this sheet
    every provider a service names is created with no overhead and no reserves.
``tower``
    ``field``, ``value``: rows ``name``, ``grounded``, ``allow_unsatisfiable``.

A ``README`` sheet (or any file other than these ``.csv`` files in a folder) is ignored.

Cells
-----
* **ids**: text, or a whole number (an integer id; text made of digits is read as that
  number). Wherever a service or provider is named (``provider``, ``supporter``,
  ``dependant``, names inside ``support``) its label is accepted too when unique, and an
  unknown name gets a "did you mean".
* **numbers** (``activity``, ``tariff``, ``variable_cost``, ``fixed_cost``, ``overhead``,
  ``reserves``): a number cell, or text such as ``1,250.5`` or ``£1,250.5`` (comma
  thousands separators and a leading ``£`` are read; anything else, e.g. ``12%``,
  ``1.250,5`` or ``5m``, is refused). Must be >= 0. Blank: the documented default
  (``activity`` 1, the others 0).
* ``health``: a number of any sign, blank for none. ``layer``: a whole number, blank for none.
* **yes/no** (``critical``, ``grounded``, ``allow_unsatisfiable``): ``yes``/``no``,
  ``true``/``false``, ``y``/``n``, ``1``/``0`` (any case) or a TRUE/FALSE cell. Blank: no.
* ``support``: a rule as text (:mod:`jenga_games.tower.rule_text`): ``all``, ``any``,
  ``at least 2``, ``pathology & (imaging | ultrasound)``. Blank: all supporters.
* **text** (``label``, ``setting``, ``unit``, ``health_measure``, ``source``): as typed;
  blank for none.
* A formula cell is read from the value the spreadsheet program saved with it; a formula
  without a saved value is refused (open and save the file in the program first).

Every problem raises a :class:`~jenga_games.errors.JengaError` naming the file, the sheet,
the row and the column, e.g. ``economy.xlsx, sheet 'services', row 5, column I (tariff):
must be a number >= 0, got 'twelve'``. The reader is :mod:`openpyxl` (CSV: :mod:`csv`); a
file it cannot open is reported the same way, never as a traceback from the reader.

Writing (:func:`write_spreadsheet`) gives the template back: the tower read from it is
equal to the original, and its JSON byte-identical.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .._io import atomic_path, atomic_write_text
from ..errors import InvalidTowerError, JengaError, SchemaError, UnknownItemError
from ._names import NameIndex
from .io import _collector_paused
from .model import Provider, Service, Tower
from .rule_text import rule_from_text, rule_to_text
from .rules import AllOf, And, AnyOf, AtLeast, Or, Rule

__all__ = [
    "COLUMNS",
    "read_csv_folder",
    "read_spreadsheet",
    "read_xlsx",
    "write_csv_folder",
    "write_spreadsheet",
    "write_xlsx",
]

#: The columns of each sheet, in the order they are written.
COLUMNS: dict[str, tuple[str, ...]] = {
    "services": (
        "id",
        "label",
        "provider",
        "setting",
        "layer",
        "critical",
        "activity",
        "unit",
        "tariff",
        "variable_cost",
        "fixed_cost",
        "support",
        "health",
        "health_measure",
        "source",
    ),
    "supports": ("supporter", "dependant"),
    "providers": ("id", "label", "overhead", "reserves", "source"),
    "tower": ("field", "value"),
}
_REQUIRED = {"services": ("id",), "supports": ("supporter", "dependant"), "providers": ("id",)}
_ALIASES = {"dependent": "dependant"}
_TOWER_FIELDS = ("name", "grounded", "allow_unsatisfiable")
_IGNORED_SHEETS = {"readme"}
_NONNEG = {"activity", "tariff", "variable_cost", "fixed_cost", "overhead", "reserves"}
_TEXT = {"label", "setting", "unit", "health_measure", "source"}
_DESCRIPTIONS = {
    "id": "unique name (text, or a whole number)",
    "label": "display name; accepted wherever the id is, when unique",
    "provider": "the provider that runs it (id or label from the providers sheet)",
    "setting": "acute, community, primary, mental_health, ...",
    "layer": "row in drawings (0 = bottom); whole number or blank",
    "critical": "yes if its unplanned loss means the economy has collapsed (blank = no)",
    "activity": "units of activity a year (blank = 1)",
    "unit": "what one unit of activity counts (bed-days, tests, attendances, ...)",
    "tariff": "income per unit of activity (money)",
    "variable_cost": "cost per unit, saved when activity moves out",
    "fixed_cost": "cost a year, saved only when the whole service closes",
    "support": "which supporters it needs: all (blank), any, at least 2, a & (b | c)",
    "health": "health effect of one unit of activity (QALYs unless health_measure says)",
    "health_measure": "what health counts (blank = QALY)",
    "source": "where the numbers come from, or 'assumption'",
    "supporter": "the service that is needed",
    "dependant": "the service that needs it",
    "overhead": "cost a year paid while the provider operates",
    "reserves": "what the provider can draw on",
    "field": "name, grounded or allow_unsatisfiable",
    "value": "the tower's name; yes/no for the other two",
}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_PLAIN_NUMBER = re.compile(r"[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_INT_TEXT = re.compile(r"[+-]?\d+")


# -- locating problems --------------------------------------------------------------------
def _letter(col: int) -> str:
    """Column letters as a spreadsheet shows them: 0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


class _At(NamedTuple):  # a tuple: one is made per cell read, so it must be cheap
    origin: str
    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    col: int  # 0-based
    header: str | None = None

    def error(
        self, message: str, cls: type[JengaError] = SchemaError, cause: Exception | None = None
    ) -> JengaError:
        head = f" ({self.header})" if self.header else ""
        err = cls(
            f"{self.origin}, sheet {self.sheet!r}, row {self.row}, column "
            f"{_letter(self.col)}{head}: {message}"
        )
        err.item = getattr(cause, "item", None)
        err.kind = getattr(cause, "kind", None)
        err.sheet, err.row, err.column = self.sheet, self.row, _letter(self.col)
        return err


# -- reading: raw grids -------------------------------------------------------------------
Grid = list[list[Any]]


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")  # a formula element <f>, <f t=...>, <x:f>


def _has_formulas(path: Path) -> bool:
    """Whether any part of the workbook holds a formula element (when unsure: yes).

    Without one, no cell can be a formula without a saved value, and the workbook is
    read once (with its formulas, openpyxl would read it a second time).
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return any(
                _FORMULA_TAG.search(zf.read(info))
                for info in zf.infolist()
                if info.filename.lower().endswith(".xml")
            )
    except Exception:  # not a zip, or a damaged member: let openpyxl judge and report
        return True


def _read_xlsx_grids(path: Path) -> dict[str, Grid]:
    origin = str(path)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a core dependency
        raise SchemaError(
            f"{origin}: reading .xlsx needs openpyxl (pip install openpyxl)"
        ) from None
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = (
            openpyxl.load_workbook(path, read_only=True, data_only=False)
            if _has_formulas(path)
            else None
        )
    except Exception as err:  # the reader raises many kinds; report one clearly
        raise SchemaError(
            f"{origin}, sheet (none), row 1, column A: not a readable .xlsx workbook "
            f"({type(err).__name__}: {err}); save it from the spreadsheet program as "
            "Excel Workbook (.xlsx)"
        ) from None
    grids: dict[str, Grid] = {}
    try:
        for ws in values.worksheets:
            name = ws.title
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            grids[name] = rows
            if formulas is None:
                continue
            for r, frow in enumerate(formulas[name].iter_rows(values_only=True)):
                for c, f in enumerate(frow):
                    if isinstance(f, str) and f.startswith("=") and r < len(rows):
                        row = rows[r]
                        if c >= len(row) or row[c] is None:
                            raise _At(origin, name, r + 1, c).error(
                                f"the formula {f!r} has no saved value; open the file in "
                                "the spreadsheet program and save it, or type the number"
                            )
    except JengaError:
        raise
    except Exception as err:
        raise SchemaError(
            f"{origin}, sheet (none), row 1, column A: the workbook could not be read "
            f"({type(err).__name__}: {err})"
        ) from None
    finally:
        values.close()
        if formulas is not None:
            formulas.close()
    return grids


def _read_csv_grids(folder: Path) -> dict[str, Grid]:
    grids: dict[str, Grid] = {}
    for file in sorted(folder.glob("*.csv")):
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise SchemaError(
                f"{folder}, sheet {file.stem!r}, row 1, column A: the file is not UTF-8 text "
                f"({err.reason} at byte {err.start}); save it as CSV UTF-8"
            ) from None
        try:
            rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as err:
            raise SchemaError(
                f"{folder}, sheet {file.stem!r}, row 1, column A: not readable CSV ({err})"
            ) from None
        grids[file.stem] = rows
    return grids


# -- reading: cells -----------------------------------------------------------------------
def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _bad_type(value: Any) -> str | None:
    if isinstance(value, datetime | date | time | timedelta):
        return f"the cell holds a date or time ({value!r}); format the column as a number or text"
    return None


def _cell_number(value: Any, at: _At, *, nonneg: bool) -> float:
    need = "a number >= 0" if nonneg else "a number"
    if isinstance(value, bool) or _bad_type(value):
        raise at.error(_bad_type(value) or f"must be {need}, got the yes/no value {value!r}")
    if isinstance(value, int | float):
        x = float(value)
    elif isinstance(value, str):
        text = value.strip()
        body = text[1:].strip() if text.startswith("£") else text
        sign = -1.0 if (not nonneg and body.startswith("-")) else 1.0
        body = body[1:] if sign < 0 else body
        if _PLAIN_NUMBER.fullmatch(body):
            x = sign * float(body)
        elif _THOUSANDS.fullmatch(body):
            x = sign * float(body.replace(",", ""))
        else:
            hint = ""
            if "%" in text:
                hint = "; write a share as a plain number (0.3, not 30%)"
            elif re.search(r"\d,\d{1,2}$|\d\.\d{3},", text):
                hint = "; use . for decimals and , for thousands (1,250.5)"
            elif re.search(r"\d\s*[A-Za-z]+$", text):
                hint = "; write the number alone and state its unit in the unit column"
            raise at.error(f"must be {need}, got {value!r}{hint}")
    else:
        raise at.error(f"must be {need}, got {value!r}")
    if not math.isfinite(x):
        raise at.error(f"must be a finite number, got {value!r}")
    if nonneg and x < 0:
        raise at.error(f"must be a number >= 0, got {value!r}")
    return x


def _cell_whole(value: Any, at: _At) -> int:
    if isinstance(value, bool) or _bad_type(value):
        raise at.error(_bad_type(value) or f"must be a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    raise at.error(f"must be a whole number, got {value!r}")


def _cell_bool(value: Any, at: _At) -> bool:
    if _blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _YES:
            return True
        if word in _NO:
            return False
    raise at.error(f"must be yes or no (or true/false, 1/0), got {value!r}")


def _cell_text(value: Any, at: _At) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or _bad_type(value):
        raise at.error(_bad_type(value) or f"must be text, got {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise at.error(f"must be text, got {value!r}")


def _cell_id(value: Any, at: _At) -> Hashable:
    if isinstance(value, bool) or _bad_type(value):
        raise at.error(_bad_type(value) or f"an id must be text or a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise at.error(f"an id must be text or a whole number, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise at.error("the id is blank; give every row an id")
        return int(text) if _INT_TEXT.fullmatch(text) else text
    raise at.error(f"an id must be text or a whole number, got {value!r}")


def _name(value: Any, at: _At) -> Any:
    """A reference to an item (id or label): kept as typed for the name lookup."""
    if isinstance(value, bool) or _bad_type(value):
        raise at.error(_bad_type(value) or f"must name an item by id or label, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | str):
        return value.strip() if isinstance(value, str) else value
    raise at.error(f"must name an item by id or label, got {value!r}")


# -- reading: sheets ----------------------------------------------------------------------
def _norm_header(value: Any) -> str:
    text = re.sub(r"[\s\-]+", "_", str(value).strip().casefold())
    return _ALIASES.get(text, text)


@dataclass
class _Sheet:
    name: str
    columns: dict[str, int]  # column name -> 0-based position
    rows: list[tuple[int, list[Any]]]  # (1-based row number, cells)
    origin: str
    transposed: list[tuple[Any, ...]] | None = None  # the cells by column, once read

    def at(self, row: int, column: str) -> _At:
        return _At(self.origin, self.name, row, self.columns.get(column, 0), column)

    def get(self, cells: list[Any], column: str) -> Any:
        c = self.columns.get(column)
        return cells[c] if c is not None and c < len(cells) else None


def _sheet(origin: str, name: str, grid: Grid) -> _Sheet:
    allowed = COLUMNS[name]
    header_row = next((i for i, r in enumerate(grid) if not all(_blank(v) for v in r)), None)
    if header_row is None:
        if name in _REQUIRED and name == "services":
            raise _At(origin, name, 1, 0).error(
                "the sheet is empty; row 1 needs the column names (id, provider, activity, ...)"
            )
        return _Sheet(name, {}, [], origin)
    header = grid[header_row]
    columns: dict[str, int] = {}
    for c, raw in enumerate(header):
        at = _At(origin, name, header_row + 1, c)
        if _blank(raw):
            if any(c < len(r) and not _blank(r[c]) for r in grid[header_row + 1 :]):
                raise at.error("this column holds values but has no name in the header row")
            continue
        col = _norm_header(raw)
        if col not in allowed:
            import difflib

            close = difflib.get_close_matches(col, allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"columns are {', '.join(allowed)}"
            raise at.error(f"unknown column {raw!r}; {hint}")
        if col in columns:
            raise at.error(f"the column {col!r} appears twice; keep one")
        columns[col] = c
    for req in _REQUIRED.get(name, ()):
        if req not in columns:
            raise _At(origin, name, header_row + 1, len(header)).error(
                f"the header row lacks the column {req!r}"
            )
    rows = []
    for r in range(header_row + 1, len(grid)):
        cells = grid[r]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue  # a blank row (every cell _blank)
        rows.append((r + 1, cells))
    return _Sheet(name, columns, rows, origin)


def _sheets(origin: str, grids: dict[str, Grid]) -> dict[str, _Sheet]:
    out: dict[str, _Sheet] = {}
    for raw_name, grid in grids.items():
        key = _norm_header(raw_name)
        if key in _IGNORED_SHEETS:
            continue
        if key not in COLUMNS:
            import difflib

            close = difflib.get_close_matches(key, list(COLUMNS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else ""
            raise _At(origin, raw_name, 1, 0).error(
                f"unknown sheet {raw_name!r}; sheets are {', '.join(COLUMNS)} (and README, "
                f"which is ignored){'; ' + hint if hint else ''}"
            )
        if key in out:
            raise _At(origin, raw_name, 1, 0).error(f"a second {key!r} sheet; keep one")
        out[key] = _sheet(origin, key, grid)
    if "services" not in out:
        raise _At(origin, "services", 1, 0).error(
            "there is no 'services' sheet; a tower needs one (see the template)"
        )
    return out


def _locate(locate: Callable[[Any], int], value: Any, at: _At) -> int:
    try:
        return locate(value)
    except UnknownItemError as err:
        raise at.error(str(err), UnknownItemError, err) from None


def _map_names(rule: Rule, fn: Callable[[Any], Hashable]) -> Rule:
    """The same rule tree with every supporter name replaced by ``fn(name)``."""
    if isinstance(rule, AllOf):
        return AllOf(*(fn(n) for n in rule.of))
    if isinstance(rule, AnyOf):
        return AnyOf(*(fn(n) for n in rule.of))
    if isinstance(rule, AtLeast):
        return AtLeast(rule.k, *(fn(n) for n in rule.of))
    if isinstance(rule, And):
        return And(*(_map_names(r, fn) for r in rule.rules))
    if isinstance(rule, Or):
        return Or(*(_map_names(r, fn) for r in rule.rules))
    raise InvalidTowerError(f"unknown support rule {rule!r}")  # pragma: no cover


def _row_id(sh: _Sheet, r: int, cells: Any, seen: dict[Hashable, int], what: str) -> Hashable:
    """The id in row ``r``, refused when blank, badly typed or already used (``seen``)."""
    id_at = sh.at(r, "id")
    ident = _cell_id(sh.get(cells, "id"), id_at)
    if ident in seen:
        raise id_at.error(
            f"duplicate {what} id {ident!r} (also in row {seen[ident]}); give each its own",
            InvalidTowerError,
        )
    seen[ident] = r
    return ident


def _row_numbers(sh: _Sheet, r: int, cells: Any, cols: tuple[str, ...], into: dict) -> None:
    """The non-negative numbers of ``cols`` in row ``r`` into ``into`` (blanks: the default)."""
    for col in cols:
        v = sh.get(cells, col)
        if not _blank(v):
            into[col] = _cell_number(v, sh.at(r, col), nonneg=True)


def _read_options(sheets: dict[str, _Sheet]) -> dict[str, Any]:
    """The ``tower`` sheet: name, grounded, allow_unsatisfiable."""
    options: dict[str, Any] = {}
    if "tower" in sheets:
        sh = sheets["tower"]
        for r, cells in sh.rows:
            key_at = sh.at(r, "field")
            key = _cell_text(sh.get(cells, "field"), key_at)
            if key is None:
                raise key_at.error("the field is blank; use name, grounded or allow_unsatisfiable")
            key = _norm_header(key)
            if key not in _TOWER_FIELDS:
                raise key_at.error(f"unknown field {key!r}; fields are {', '.join(_TOWER_FIELDS)}")
            if key in options:
                raise key_at.error(f"{key!r} is given twice; keep one row")
            at = sh.at(r, "value")
            value = sh.get(cells, "value")
            options[key] = _cell_text(value, at) if key == "name" else _cell_bool(value, at)
    return options


def _read_providers(
    sheets: dict[str, _Sheet],
) -> tuple[list[Provider] | None, NameIndex | None]:
    """The ``providers`` sheet (few rows: read cell by cell) and the index of their names."""
    providers: list[Provider] | None = None
    prov_names: NameIndex | None = None
    if "providers" in sheets and sheets["providers"].rows:
        sh = sheets["providers"]
        providers = []
        seen: dict[Hashable, int] = {}
        for r, cells in sh.rows:
            pid = _row_id(sh, r, cells, seen, "provider")
            kwargs: dict[str, Any] = {}
            _row_numbers(sh, r, cells, ("overhead", "reserves"), kwargs)
            for col in ("label", "source"):
                kwargs[col] = _cell_text(sh.get(cells, col), sh.at(r, col))
            try:
                providers.append(Provider(pid, **kwargs))
            except JengaError as err:
                raise sh.at(r, "id").error(str(err), type(err), err) from None
        prov_names = NameIndex([p.id for p in providers], [p.label for p in providers], "provider")
    return providers, prov_names


def _tower_cellwise(origin: str, sheets: dict[str, _Sheet]) -> Tower:
    """The reference reader: every cell through its parser, in row order (exact errors)."""
    options = _read_options(sheets)
    providers, prov_names = _read_providers(sheets)

    # -- services (rules are resolved once every service is known)
    sh = sheets["services"]
    if not sh.rows:
        raise sh.at(len(sheets["services"].rows) + 2, "id").error(
            "the services sheet has no rows; a tower needs at least one service"
        )
    rows: list[tuple[int, dict[str, Any], Any]] = []
    seen: dict[Hashable, int] = {}
    for r, cells in sh.rows:
        sid = _row_id(sh, r, cells, seen, "service")
        kw: dict[str, Any] = {}
        _row_numbers(sh, r, cells, ("activity", "tariff", "variable_cost", "fixed_cost"), kw)
        v = sh.get(cells, "health")
        if not _blank(v):
            kw["health"] = _cell_number(v, sh.at(r, "health"), nonneg=False)
        v = sh.get(cells, "layer")
        if not _blank(v):
            kw["layer"] = _cell_whole(v, sh.at(r, "layer"))
        kw["critical"] = _cell_bool(sh.get(cells, "critical"), sh.at(r, "critical"))
        for col in _TEXT:
            kw[col] = _cell_text(sh.get(cells, col), sh.at(r, col))
        v = sh.get(cells, "provider")
        if not _blank(v):
            at = sh.at(r, "provider")
            name = _name(v, at)
            kw["provider"] = (
                prov_names.ids[_locate(prov_names.locate, name, at)]
                if prov_names is not None
                else _cell_id(v, at)
            )
        rule_cell = sh.get(cells, "support")
        rows.append((r, {"id": sid, **kw}, rule_cell))
    names = NameIndex([k["id"] for _, k, _ in rows], [k["label"] for _, k, _ in rows], "service")
    services = []
    where: dict[Hashable, int] = {}
    for r, kw, rule_cell in rows:
        if not _blank(rule_cell):
            at = sh.at(r, "support")
            if not isinstance(rule_cell, str):
                raise at.error(
                    f"a rule is text such as all, any, at least 2 or a & b, got {rule_cell!r}"
                )
            try:
                rule = rule_from_text(rule_cell, "rule")
                kw["support"] = _map_names(
                    rule, lambda n, at=at: names.ids[_locate(names.locate, n, at)]
                )
            except JengaError as err:
                if getattr(err, "sheet", None):
                    raise
                raise at.error(str(err), type(err), err) from None
        try:
            services.append(Service(kw.pop("id"), **kw))
        except JengaError as err:
            raise sh.at(r, "id").error(str(err), type(err), err) from None
        where[services[-1].id] = r

    # -- supports
    pairs: list[tuple[Hashable, Hashable]] = []
    pair_rows: dict[tuple, int] = {}
    if "supports" in sheets:
        sp = sheets["supports"]
        for r, cells in sp.rows:
            ends = []
            for col in ("supporter", "dependant"):
                at = sp.at(r, col)
                v = sp.get(cells, col)
                if _blank(v):
                    raise at.error(f"the {col} is blank; name a service by id or label")
                ends.append(names.ids[_locate(names.locate, _name(v, at), at)])
            u, v = ends
            if u == v:
                raise sp.at(r, "supporter").error(
                    f"service {u!r} cannot support itself; delete this row", InvalidTowerError
                )
            pairs.append((u, v))
            pair_rows.setdefault((u, v), r)

    try:
        return Tower(services, pairs, providers, **options)
    except JengaError as err:
        raise _blame(err, sheets, where, pair_rows) from None


# -- reading: whole columns at once -------------------------------------------------------
class _Slow(Exception):
    """The column reader cannot vouch for a cell; the sheet is read cell by cell instead."""


_NUM = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
#: A whole column of plain numbers, one a line (>= 0; of any sign), as ``_cell_number`` reads them.
_NUM_COLUMN = {
    True: re.compile(rf"(?:\+?{_NUM}\n)*\+?{_NUM}"),
    False: re.compile(rf"(?:[+-]?{_NUM}\n)*[+-]?{_NUM}"),
}


def _column(sh: _Sheet, col: str) -> list[Any]:
    """The cells of one column, one per row of ``sh.rows`` (``None`` where the row is short)."""
    c = sh.columns.get(col)
    if c is None or not sh.rows:
        return [None] * len(sh.rows)
    if sh.transposed is None:
        grid = [cells for _, cells in sh.rows]
        width = max(sh.columns.values()) + 1
        if all(len(cells) >= width for cells in grid):  # the usual case: one transpose
            sh.transposed = list(zip(*grid))
        else:
            sh.transposed = [
                tuple(cells[k] if k < len(cells) else None for cells in grid) for k in range(width)
            ]
    return list(sh.transposed[c])


def _fast_numbers(sh: _Sheet, col: str, nonneg: bool, default: float | None) -> list[Any]:
    """A number column (blanks: ``default``). Plain numbers typed as text are checked in
    one pattern match over the whole column and converted with :class:`float`, exactly
    as :func:`_cell_number` reads them; any other text (``£1,250``) goes through
    :func:`_cell_number` itself."""
    vals = _column(sh, col)
    if all(type(v) is str for v in vals):  # a CSV column: strip, match and convert at once
        stripped = [v.strip() for v in vals]
        texts = [v for v in stripped if v]
        if not texts:
            return [default] * len(vals)
        if _NUM_COLUMN[nonneg].fullmatch("\n".join(texts)):
            try:
                xs = iter(list(map(float, texts)))
            except ValueError:  # a cell with a line break inside: per cell
                raise _Slow from None
            got = [next(xs) if v else default for v in stripped]
            if not all(math.isfinite(x) for x in got if x is not None):
                raise _Slow
            return got
    out: list[Any] = [default] * len(vals)
    pos: list[int] = []
    texts: list[str] = []
    for i, v in enumerate(vals):
        t = type(v)
        if t is str:
            s = v.strip()
            if s:
                pos.append(i)
                texts.append(s)
        elif t is float or t is int:
            x = float(v)
            if not math.isfinite(x) or (nonneg and x < 0):
                raise _Slow
            out[i] = x
        elif v is not None:
            raise _Slow
    if texts and _NUM_COLUMN[nonneg].fullmatch("\n".join(texts)):
        try:
            xs = list(map(float, texts))
        except ValueError:  # a cell with a line break inside: per cell
            raise _Slow from None
        if not all(map(math.isfinite, xs)):
            raise _Slow
        for i, x in zip(pos, xs):
            out[i] = x
    else:
        for i in pos:
            out[i] = _cell_number(vals[i], sh.at(sh.rows[i][0], col), nonneg=nonneg)
    return out


def _int_cell(v: object) -> int | None:
    """The integer a cell holds (an int, an integral float or integer text), else ``None``."""
    t = type(v)
    if t is int:
        return v
    if t is float and v.is_integer():
        return int(v)
    if t is str and _INT_TEXT.fullmatch(s := v.strip()):
        return int(s)
    return None


def _fast_ids(sh: _Sheet) -> list[Hashable]:
    out: list[Hashable] = []
    for v in _column(sh, "id"):
        n = _int_cell(v)
        if n is not None:
            out.append(n)
        elif type(v) is str and (s := v.strip()):
            out.append(s)
        else:
            raise _Slow
    if len(set(out)) != len(out):
        raise _Slow
    return out


def _fast_whole(sh: _Sheet, col: str) -> list[int | None]:
    out: list[int | None] = []
    for v in _column(sh, col):
        if v is None or (type(v) is str and not v.strip()):
            out.append(None)
        elif (n := _int_cell(v)) is not None:
            out.append(n)
        else:
            raise _Slow
    return out


def _fast_bools(sh: _Sheet, col: str) -> list[bool]:
    out: list[bool] = []
    for v in _column(sh, col):
        t = type(v)
        if v is None:
            out.append(False)
        elif t is str:
            w = v.strip().casefold()
            if not w or w in _NO:
                out.append(False)
            elif w in _YES:
                out.append(True)
            else:
                raise _Slow
        elif t is bool:
            out.append(v)
        elif (t is int or t is float) and v in (0, 1):
            out.append(bool(v))
        else:
            raise _Slow
    return out


def _fast_texts(sh: _Sheet, col: str) -> list[str | None]:
    vals = _column(sh, col)
    if all(type(v) is str for v in vals):  # a CSV column
        return [v if v.strip() else None for v in vals]
    out: list[str | None] = []
    for v in vals:
        t = type(v)
        if v is None:
            out.append(None)
        elif t is str:
            out.append(v if v.strip() else None)
        elif t is int:
            out.append(str(v))
        else:
            raise _Slow
    return out


def _fast_name(v: Any) -> Any:
    """:func:`_name` for the common cells (text, whole numbers); blank or odd cells: per cell."""
    t = type(v)
    if t is str:
        s = v.strip()
        if s:
            return s
    elif t is int:
        return v
    elif t is float and v.is_integer():
        return int(v)
    raise _Slow


def _tower_by_columns(sheets: dict[str, _Sheet]) -> Tower:
    """The tower read column by column: the same tower as :func:`_tower_cellwise`.

    Raises :class:`_Slow` or a :class:`~jenga_games.errors.JengaError` (not yet located)
    at the first cell or item it cannot vouch for; the caller then reads the sheets cell
    by cell, which gives the exact value or the located error.
    """
    options = _read_options(sheets)
    providers, prov_names = _read_providers(sheets)
    sh = sheets["services"]
    if not sh.rows:
        raise _Slow
    ids = _fast_ids(sh)
    labels = _fast_texts(sh, "label")
    names = NameIndex(ids, labels, "service")
    locate, index = names.locate, names.index
    numbers = {
        col: _fast_numbers(sh, col, True, 1.0 if col == "activity" else 0.0)
        for col in ("activity", "tariff", "variable_cost", "fixed_cost")
    }
    health = _fast_numbers(sh, "health", False, None)
    layer = _fast_whole(sh, "layer")
    critical = _fast_bools(sh, "critical")
    texts = {col: _fast_texts(sh, col) for col in ("setting", "unit", "health_measure", "source")}
    provider: list[Hashable | None] = []
    for v in _column(sh, "provider"):
        if _blank(v):
            provider.append(None)
        elif prov_names is not None:
            provider.append(prov_names.ids[prov_names.locate(_fast_name(v))])
        else:
            provider.append(_cell_id(v, _At("", "", 0, 0)))

    def resolve(name: Any) -> Hashable:
        return ids[locate(name)]

    rules: dict[str, Rule] = {}  # a rule text is read and resolved once
    support: list[Rule | None] = []
    for v in _column(sh, "support"):
        if _blank(v):
            support.append(None)
        elif type(v) is not str:
            raise _Slow
        else:
            rule = rules.get(v)
            if rule is None:
                rule = rules[v] = _map_names(rule_from_text(v, "rule"), resolve)
            support.append(rule)
    src: list[int] = []
    dst: list[int] = []
    if "supports" in sheets:
        sp = sheets["supports"]
        for col, out in (("supporter", src), ("dependant", dst)):
            for v in _column(sp, col):
                i = index.get(v) if type(v) is str or type(v) is int else None
                out.append(locate(_fast_name(v)) if i is None else i)
        if any(u == v for u, v in zip(src, dst)):
            raise _Slow
    return Tower.from_columns(  # the columns as they are: no Service object until one is read
        ids,
        np.asarray(src, dtype=np.intp),
        np.asarray(dst, dtype=np.intp),
        providers,
        provider=provider,
        **numbers,
        support=support,
        critical=critical,
        setting=texts["setting"],
        layer=layer,
        label=labels,
        unit=texts["unit"],
        health=health,
        health_measure=texts["health_measure"],
        source=texts["source"],
        **options,
    )


def _tower_from_sheets(origin: str, sheets: dict[str, _Sheet]) -> Tower:
    """The tower, read by columns; when that cannot vouch for a cell, cell by cell.

    The column reader returns a tower only when every cell is one the per-cell reader
    reads the same way (a hypothesis property in the tests compares the two on random
    well-formed and broken sheets); otherwise :func:`_tower_cellwise` gives the value
    or the located error exactly as before.
    """
    try:
        return _tower_by_columns(sheets)
    except (_Slow, JengaError):
        return _tower_cellwise(origin, sheets)


def _blame(
    err: JengaError, sheets: dict[str, _Sheet], where: dict[Hashable, int], pair_rows: dict
) -> JengaError:
    """Put a tower-level error at the row (and column) of the item it is about."""
    item, kind, msg = getattr(err, "item", None), getattr(err, "kind", None), str(err)
    sh = sheets["services"]
    if kind == "support" and item in pair_rows:
        return sheets["supports"].at(pair_rows[item], "supporter").error(msg, type(err), err)
    sid = item if kind == "service" and item in where else None
    if sid is None:  # older errors carry no item: read the service from the message
        sid = next((s for s in where if msg.startswith(f"service {s!r}")), None)
    if sid is not None:
        col = "support" if "rule" in msg else ("provider" if "provider" in msg else "id")
        return sh.at(where[sid], col).error(msg, type(err), err)
    return sh.at(sh.rows[0][0] if sh.rows else 2, "id").error(msg, type(err), err)


def read_xlsx(path: str | os.PathLike[str]) -> Tower:
    """Read a tower from an ``.xlsx`` workbook following the template (module docstring)."""
    p = Path(path)
    if not p.is_file():
        raise SchemaError(f"spreadsheet {str(p)!r} does not exist")
    with _collector_paused():  # millions of cells, all kept: see tower.io._collector_paused
        return _tower_from_sheets(str(p), _sheets(str(p), _read_xlsx_grids(p)))


def read_csv_folder(path: str | os.PathLike[str]) -> Tower:
    """Read a tower from a folder of CSV files (``services.csv``, ``supports.csv``, ...).

    A path to one of the CSV files reads its folder.
    """
    p = Path(path)
    if p.is_file() and p.suffix.lower() == ".csv":
        p = p.parent
    if not p.is_dir():
        raise SchemaError(
            f"{str(p)!r} is not a folder of CSV files; give the folder that holds services.csv"
        )
    with _collector_paused():
        return _tower_from_sheets(str(p), _sheets(str(p), _read_csv_grids(p)))


def read_spreadsheet(path: str | os.PathLike[str]) -> Tower:
    """Read a tower from an ``.xlsx`` workbook or a folder of CSV files (by the path)."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(p)
    return read_csv_folder(p)


# -- writing ------------------------------------------------------------------------------
def _id_cell(value: Hashable, what: str) -> Any:
    if isinstance(value, str):
        if value != value.strip() or _INT_TEXT.fullmatch(value.strip() or "x"):
            raise InvalidTowerError(
                f"{what} id {value!r} would not read back the same from a spreadsheet (surrounding "
                "spaces, or text made of digits, which is read as a number); rename it or save "
                "the tower as JSON"
            )
    return value


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def tower_to_sheets(tower: Tower) -> dict[str, list[list[Any]]]:
    """The tower as the template's sheets: a header row, then one row per item."""
    if not isinstance(tower, Tower):
        raise InvalidTowerError(f"write_spreadsheet needs a Tower, got {type(tower).__name__}")
    services: list[list[Any]] = [list(COLUMNS["services"])]
    for s in tower:
        row = {
            "id": _id_cell(s.id, "service"),
            "provider": None if s.provider is None else _id_cell(s.provider, "provider"),
            "critical": _yes(s.critical),
            "support": None if s.support is None else rule_to_text(s.support),
        }
        for col in COLUMNS["services"]:
            if col not in row:
                row[col] = getattr(s, col)
        services.append([row[c] for c in COLUMNS["services"]])
    supports = [list(COLUMNS["supports"])] + [[u, v] for u, v in tower.supports]
    providers = [list(COLUMNS["providers"])] + [
        [_id_cell(p.id, "provider"), p.label, p.overhead, p.reserves, p.source]
        for p in tower.providers.values()
    ]
    about = [
        list(COLUMNS["tower"]),
        ["name", tower.name],
        ["grounded", _yes(tower.grounded)],
        ["allow_unsatisfiable", _yes(tower.allow_unsatisfiable)],
    ]
    return {"services": services, "supports": supports, "providers": providers, "tower": about}


def _readme_rows() -> list[list[str]]:
    rows = [["sheet", "column", "meaning"]]
    for sheet, cols in COLUMNS.items():
        rows += [[sheet, c, _DESCRIPTIONS[c]] for c in cols]
    rows.append(["", "", "See jenga_games.tower.spreadsheet for the cell rules."])
    return rows


def _xlsx_value(value: Any) -> Any:
    """Numbers that 16 significant digits cannot hold exactly are written as text."""
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        return repr(value)
    return value


def write_xlsx(tower: Tower, path: str | os.PathLike[str]) -> Path:
    """Write ``tower`` as an ``.xlsx`` workbook following the template (atomically)."""
    import openpyxl
    from openpyxl.styles import Font

    sheets = tower_to_sheets(tower)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    from openpyxl.utils.exceptions import IllegalCharacterError

    for name, rows in [*sheets.items(), ("README", _readme_rows())]:
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            try:
                ws.append([_xlsx_value(v) for v in row])
            except IllegalCharacterError:
                raise InvalidTowerError(
                    f"sheet {name!r}, row {r}: a text holds a control character that .xlsx "
                    "cannot store; remove it, or save the tower as JSON"
                ) from None
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, not a formula
        ws.freeze_panes = "A2"
        for c in range(len(rows[0])):
            width = max(len(str(r[c])) if c < len(r) and r[c] is not None else 0 for r in rows)
            ws.column_dimensions[_letter(c)].width = min(60, max(8, width + 2))
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _csv_text(rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for row in rows:
        w.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row])
    return buf.getvalue()


def write_csv_folder(tower: Tower, folder: str | os.PathLike[str]) -> Path:
    """Write ``tower`` as a folder of CSV files (``services.csv``, ``supports.csv``, ...).

    Files are UTF-8 with a byte-order mark (so that spreadsheet programs read ``£`` and
    accents right), written atomically one by one.
    """
    sheets = tower_to_sheets(tower)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        atomic_write_text(out / f"{name}.csv", "\ufeff" + _csv_text(rows))
    return out


def write_spreadsheet(tower: Tower, path: str | os.PathLike[str]) -> Path:
    """Write ``tower`` as ``.xlsx`` (by the suffix) or as a folder of CSV files."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        return write_xlsx(tower, p)
    return write_csv_folder(tower, p)
