"""Spreadsheets (.xlsx and a folder of CSV files): exact round trips, strict cells, located errors."""

import csv
import re

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from jenga_games.errors import InvalidTowerError, JengaError, SchemaError, UnknownItemError
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import (
    AllOf,
    And,
    AnyOf,
    AtLeast,
    Or,
    Service,
    Tower,
    read_tower,
    rule_from_text,
    rule_to_text,
    write_tower,
)
from jenga_games.tower.economy import local_health_economy
from jenga_games.tower.spreadsheet import (
    COLUMNS,
    read_csv_folder,
    read_xlsx,
    tower_to_sheets,
    write_csv_folder,
    write_xlsx,
)

LOCATED = re.compile(r"sheet '[\w ]+', row \d+, column [A-Z]+")


# -- round trips ----------------------------------------------------------------------------
def test_worked_economy_round_trips_byte_identical_through_xlsx_and_csv(tmp_path):
    t = local_health_economy()
    direct = t.to_json()
    write_tower(t, tmp_path / "economy.xlsx")
    assert read_tower(tmp_path / "economy.xlsx").to_json() == direct
    write_tower(t, tmp_path / "economy")
    assert read_tower(tmp_path / "economy").to_json() == direct
    assert read_tower(tmp_path / "economy" / "services.csv").to_json() == direct


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(towers(max_services=6, grounded=None))
def test_random_towers_round_trip_exactly(tmp_path_factory, tower):
    d = tmp_path_factory.mktemp("rt")
    for back in (
        read_xlsx(write_xlsx(tower, d / "t.xlsx")),
        read_csv_folder(write_csv_folder(tower, d / "c")),
    ):
        assert back == tower
        assert back.to_json() == tower.to_json()


def test_floats_that_need_17_digits_survive_xlsx(tmp_path):
    t = Tower([Service("a", activity=0.1 + 0.2, tariff=1 / 3, health=-2.5e-7, unit="tests")])
    assert read_xlsx(write_xlsx(t, tmp_path / "t.xlsx")).to_json() == t.to_json()


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    t = Tower([Service("a", label="=SUM(A1)", source="=1+1")])
    assert read_xlsx(write_xlsx(t, tmp_path / "t.xlsx")) == t


def test_integer_ids_come_back_as_integers(tmp_path):
    t = Tower([Service(1), Service(2, support=AnyOf(1))], [(1, 2)])
    assert read_csv_folder(write_csv_folder(t, tmp_path / "c")) == t
    assert read_xlsx(write_xlsx(t, tmp_path / "t.xlsx")) == t


def test_ids_that_would_not_read_back_are_refused_on_writing(tmp_path):
    with pytest.raises(InvalidTowerError, match="digits"):
        write_xlsx(Tower([Service("007")]), tmp_path / "t.xlsx")


# -- rules as text --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("all", AllOf()),
        ("any", AnyOf()),
        ("at least 2", AtLeast(2)),
        ("AT LEAST 2 of (a, b, c)", AtLeast(2, "a", "b", "c")),
        (
            "pathology & (imaging | ultrasound)",
            AllOf("pathology") & (AllOf("imaging") | AllOf("ultrasound")),
        ),
        ("a and b or c", (AllOf("a") & AllOf("b")) | AllOf("c")),
        ("any of ('A&E', 3)", AnyOf("A&E", 3)),
    ],
)
def test_rule_text(text, rule):
    assert rule_from_text(text) == rule
    assert rule_from_text(rule_to_text(rule)) == rule


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("", "blank"),
        ("a &", "ends too early"),
        ("a b", "join rules"),
        ("(a", "expected ')'"),
        ("at least x", "whole number"),
        ("all of ()", "service name"),
        ("'x", "close the quote"),
        ("a + b", "quotes"),
    ],
)
def test_bad_rule_text_says_how_to_fix(text, fix):
    with pytest.raises(SchemaError, match=re.escape(fix)):
        rule_from_text(text)


def _nested_rules():
    leaf = st.builds(AllOf, st.sampled_from(["a", "b", "c"])) | st.sampled_from(
        [AllOf(), AnyOf(), AtLeast(1), AnyOf("a", "b"), AtLeast(2, "a", "b", "c"), AllOf("b", "c")]
    )
    # compounds of two or more parts (``a & b`` is how a compound is written)
    return st.recursive(
        leaf,
        lambda kids: (
            st.builds(lambda rs: And(*rs), st.lists(kids, min_size=2, max_size=3))
            | st.builds(lambda rs: Or(*rs), st.lists(kids, min_size=2, max_size=3))
        ),
        max_leaves=8,
    )


@given(_nested_rules())
def test_any_rule_tree_reads_back_as_the_same_tree(rule):
    assert rule_from_text(rule_to_text(rule)) == rule


# -- strict cells ---------------------------------------------------------------------------
def _services_csv(tmp_path, rows, header=("id", "provider", "activity", "tariff", "critical")):
    folder = tmp_path / "econ"
    folder.mkdir(exist_ok=True)
    with open(folder / "services.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return folder


def test_yes_no_and_blanks_take_the_documented_defaults(tmp_path):
    rows = [
        ["a", "p", "1,250.5", "£2", "no"],
        ["b", "p", "", "", ""],
        ["c", "p", "3", "0.5", "Yes"],
    ]
    t = read_tower(_services_csv(tmp_path, rows))
    assert [s.critical for s in t] == [False, False, True]  # blank and "no" are not critical
    assert t.service("a").activity == 1250.5 and t.service("a").tariff == 2.0
    assert t.service("b").activity == 1.0 and t.service("b").tariff == 0.0


@pytest.mark.parametrize(
    ("cell", "column", "fix"),
    [
        ("maybe", "E", "yes or no"),
        ("12%", "D", "0.3, not 30%"),
        ("1.250,5", "C", "decimals"),
        ("5m", "C", "unit column"),
        ("-3", "C", ">= 0"),
        ("nan", "C", "number"),
    ],
)
def test_bad_cells_name_sheet_row_and_column(tmp_path, cell, column, fix):
    row = ["a", "p", "1", "1", "no"]
    row["ABCDE".index(column)] = cell
    with pytest.raises(SchemaError) as err:
        read_tower(_services_csv(tmp_path, [["z", "p", "1", "1", "no"], row]))
    msg = str(err.value)
    assert f"sheet 'services', row 3, column {column}" in msg and fix in msg
    assert (err.value.sheet, err.value.row, err.value.column) == ("services", 3, column)


def test_unknown_column_gets_a_suggestion(tmp_path):
    with pytest.raises(
        SchemaError, match=r"row 1, column D: unknown column 'tarrif'; did you mean 'tariff'"
    ):
        read_tower(
            _services_csv(
                tmp_path, [["a", "p", "1", "1"]], ("id", "provider", "activity", "tarrif")
            )
        )


def test_duplicate_ids_and_unknown_names_are_located(tmp_path):
    with pytest.raises(
        InvalidTowerError,
        match=r"row 3, column A \(id\): duplicate service id 'a' \(also in row 2\)",
    ):
        read_tower(
            _services_csv(tmp_path, [["a", "p", "1", "1", "no"], ["a", "p", "1", "1", "no"]])
        )
    folder = _services_csv(
        tmp_path, [["cardiology", "p", "1", "1", "no"], ["echo", "p", "1", "1", "no"]]
    )
    (folder / "supports.csv").write_text("supporter,dependant\ncardiolgy,echo\n")
    with pytest.raises(
        UnknownItemError, match=r"sheet 'supports', row 2, column A.*did you mean 'cardiology'"
    ):
        read_tower(folder)


def test_rules_accept_labels_and_locate_errors(tmp_path):
    t = local_health_economy()
    write_xlsx(t, tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "e.xlsx")
    ws = wb["services"]
    col = COLUMNS["services"].index("support") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "maternity")
    ws.cell(
        row, col
    ).value = "'Theatres & anaesthesia' & any of (ultrasound, 'community diagnostics')"
    wb.save(tmp_path / "labels.xlsx")
    assert read_tower(tmp_path / "labels.xlsx") == t  # labels and loose spellings resolve to ids
    ws.cell(row, col).value = "theatres & any of (ultrasund)"
    wb.save(tmp_path / "typo.xlsx")
    with pytest.raises(
        UnknownItemError, match=rf"row {row}, column L \(support\).*did you mean 'ultrasound'"
    ):
        read_tower(tmp_path / "typo.xlsx")
    ws.cell(row, col).value = "theatres & pathology"  # pathology does not support maternity
    wb.save(tmp_path / "edge.xlsx")
    with pytest.raises(InvalidTowerError, match=rf"row {row}, column L \(support\).*add the edge"):
        read_tower(tmp_path / "edge.xlsx")


def test_formulas_without_saved_values_are_refused(tmp_path):
    t = Tower([Service("a", activity=2.0)])
    write_xlsx(t, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    wb["services"]["G2"] = "=1+1"
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(
        SchemaError, match=r"row 2, column G: the formula '=1\+1' has no saved value"
    ):
        read_tower(tmp_path / "f.xlsx")


def test_not_a_workbook(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SchemaError, match=r"not a readable \.xlsx workbook"):
        read_tower(tmp_path / "bad.xlsx")
    with pytest.raises(SchemaError, match=r"save it .* as Excel Workbook"):
        (tmp_path / "old.xls").write_bytes(b"x")
        read_tower(tmp_path / "old.xls")


# -- fuzzing: every bad file is a located JengaError ----------------------------------------
_NASTY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            " ",
            "yes",
            "no",
            "all",
            "any",
            "at least 9",
            "a & (b",
            "£1,000",
            "1.2.3",
            "pathology",
            "imaging | nope",
            "ae",
            "A&E",
            "12%",
            "=1+1",
            "acute_trust",
        ]
    ),
    st.text(max_size=6),
)


@st.composite
def _mutated_sheets(draw):
    t = local_health_economy()
    sheets = tower_to_sheets(t)
    sheet = draw(st.sampled_from(["services", "supports", "providers", "tower"]))
    rows = sheets[sheet]
    action = draw(st.sampled_from(["cell", "cell", "cell", "column", "duplicate", "header"]))
    if action == "cell":
        r = draw(st.integers(1, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = draw(_NASTY)
    elif action == "column":
        rows[0].append(draw(st.sampled_from(["colour", "notes", "tarif", "id"])))
        rows[1].append("x")
    elif action == "duplicate":
        rows.append(list(rows[draw(st.integers(1, len(rows) - 1))]))
    else:
        rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(_NASTY)
    return sheets


def _xlsx_safe(v):
    if isinstance(v, float) and v != v:
        return "nan"
    return ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v


def _write_grid(sheets, path, fmt):
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append([_xlsx_safe(v) for v in row])
        wb.save(path / "t.xlsx")
        return path / "t.xlsx"
    folder = path / "csv"
    folder.mkdir()
    for name, rows in sheets.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([["" if v is None else v for v in row] for row in rows])
    return folder


def _fuzz(tmp_path_factory, fmt, data):
    sheets = data.draw(_mutated_sheets())
    path = _write_grid(sheets, tmp_path_factory.mktemp("fz"), fmt)
    try:
        read_tower(path)
    except JengaError as err:
        assert LOCATED.search(str(err)), str(err)


_FUZZ = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@settings(max_examples=8, **_FUZZ)
@given(data=st.data())
def test_fuzzed_spreadsheets_fail_only_with_located_errors(tmp_path_factory, fmt, data):
    _fuzz(tmp_path_factory, fmt, data)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@settings(max_examples=300, **_FUZZ)
@given(data=st.data())
def test_fuzzed_spreadsheets_many(tmp_path_factory, fmt, data):
    _fuzz(tmp_path_factory, fmt, data)
