"""The column reader of spreadsheets gives exactly the per-cell reader's tower, or steps aside.

``_tower_by_columns`` parses whole columns at once; whenever it cannot vouch for a cell
it raises and ``_tower_from_sheets`` reads the sheets cell by cell (``_tower_cellwise``,
the reference). These properties certify that the fast path never returns a tower the
reference would not (equal, same JSON), never accepts a sheet the reference refuses,
and is really taken on well-formed sheets.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jenga_games.errors import JengaError
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower.economy import local_health_economy
from jenga_games.tower.spreadsheet import (
    COLUMNS,
    _sheets,
    _Slow,
    _tower_by_columns,
    _tower_cellwise,
    _tower_from_sheets,
    tower_to_sheets,
)

_WORKED = tower_to_sheets(local_health_economy())

#: Cells that are nearly numbers, yes/no values, ids or rules, typed as a person might.
_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "1",
            "-0",
            "+5",
            "-+5",
            " 12 ",
            "1e999",
            "-1e999",
            ".5",
            "5.",
            "1_000",
            "1,250.5",
            "£1,250.5",
            "£ 3",
            "£-3",
            "- 3",
            "12%",
            "1.250,5",
            "5m",
            "1\n2",
            "nan",
            "inf",
            "０",
            "٣",
            "yes",
            "No",
            " TRUE ",
            "y",
            "2",
            "maybe",
            "all",
            "any",
            "at least 2",
            "pathology & (imaging | ultrasound)",
            "nope | ae",
            "ae",
            "A&E",
            " ae ",
            "acute_trust",
            "Acute trust",
            "=1+1",
            "3",
            "7",
        ]
    ),
    st.text(max_size=5),
)


def _as_csv(value):
    """A cell as the CSV reader hands it back (every cell text)."""
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


@st.composite
def _grids(draw):
    """Template sheets of the worked economy or a random tower, with a few cells changed."""
    if draw(st.booleans()):
        sheets = copy.deepcopy(_WORKED)
    else:
        sheets = tower_to_sheets(draw(towers(max_services=6, grounded=None)))
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(sorted(sheets)))
        rows = sheets[name]
        if len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            c = draw(st.integers(0, len(COLUMNS[name]) - 1))
            rows[r][c] = draw(_CELLS)
    if draw(st.booleans()):  # as read from CSV files: every cell text
        sheets = {k: [[_as_csv(v) for v in row] for row in rows] for k, rows in sheets.items()}
    return sheets


def _outcome(fn, *args):
    try:
        return fn(*args)
    except JengaError as err:
        return err


def _same(a, b):
    if isinstance(a, JengaError) or isinstance(b, JengaError):
        return type(a) is type(b) and str(a) == str(b)
    return a == b and a.to_json() == b.to_json()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_grids())
def test_column_reader_agrees_with_the_per_cell_reader(grids):
    try:
        sheets = _sheets("t.xlsx", grids)
    except JengaError:
        return  # a header problem: found before either reader runs
    reference = _outcome(_tower_cellwise, "t.xlsx", sheets)
    try:
        fast = _tower_by_columns(sheets)
    except (_Slow, JengaError):
        fast = None  # steps aside: the reference answers
    if isinstance(reference, JengaError):
        assert fast is None, f"the column reader accepted a sheet refused with: {reference}"
    elif fast is not None:
        assert _same(fast, reference)
    assert _same(_outcome(_tower_from_sheets, "t.xlsx", sheets), reference)


def test_column_reader_is_taken_on_well_formed_sheets():
    """The worked economy, typed or as CSV text, with £ and thousands separators."""
    sheets = copy.deepcopy(_WORKED)
    col = COLUMNS["services"].index("fixed_cost")
    sheets["services"][1][col] = "£1,250.5"
    text = {k: [[_as_csv(v) for v in row] for row in rows] for k, rows in sheets.items()}
    for grids in (sheets, text):
        parsed = _sheets("t", grids)
        fast = _tower_by_columns(parsed)
        assert _same(fast, _tower_cellwise("t", parsed))
        assert fast.service(sheets["services"][1][0]).fixed_cost == 1250.5


def test_formula_scan_finds_every_formula(tmp_path):
    """A workbook without formula elements is read once; with one (or unreadable), twice."""
    import openpyxl

    from jenga_games.tower.spreadsheet import _has_formulas, write_xlsx

    plain = write_xlsx(local_health_economy(), tmp_path / "plain.xlsx")
    assert not _has_formulas(plain)
    for formula in ("=1+1", "=SUM(A1:A2)"):
        wb = openpyxl.load_workbook(plain)
        wb["services"]["G2"] = formula
        wb.save(tmp_path / "f.xlsx")
        assert _has_formulas(tmp_path / "f.xlsx")
    (tmp_path / "junk.xlsx").write_bytes(b"not a zip")
    assert _has_formulas(tmp_path / "junk.xlsx")
