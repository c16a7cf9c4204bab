"""Loaders fuzzed with hypothesis (issue #23): any input ends in a tower/game or a JengaError.

No other exception, no hang (size, digit and nesting limits are checked before the work),
bounded memory. Inputs are mutations of valid files (so they reach deep into the parsers)
and arbitrary text/bytes.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jenga_games.errors import JengaError
from jenga_games.games.normal_form import NormalFormGame, parse_expression
from jenga_games.games.normal_form._nfg import read_nfg, write_nfg
from jenga_games.tower import AnyOf, Provider, Service, Tower
from jenga_games.tower.io import from_graphml, to_graphml

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_TOWER = Tower(
    [
        Service("a", provider="P", activity=10, tariff=2, variable_cost=1, fixed_cost=5),
        Service("b", provider="P", support=AnyOf("a"), critical=True, label="B"),
        Service(3, provider="Q", layer=1),
    ],
    [("a", "b"), ("b", 3), ("a", 3)],
    [Provider("P", overhead=1), Provider("Q", reserves=2)],
)
_JSON = _TOWER.to_json()
_NFG = write_nfg(NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
_NUMBERISH = st.sampled_from(
    [
        "1e400",
        "1e999999999",
        "9" * 5000,
        "-1",
        "NaN",
        "Infinity",
        "1/0",
        "true",
        '"3"',
        "[]",
        "{}",
        "null",
        "0.5",
        "-0",
        "1e-400",
        '"\\ud800"',
        "[[[[[[[[[[",
        "}",
        "\x00",
        "é",
    ]
)


def _mutate(text: str, data) -> str:
    """Replace a few slices of ``text`` by hostile tokens or random text."""
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 12)))
        piece = data.draw(st.one_of(_NUMBERISH, st.text(max_size=8)))
        text = text[:i] + piece + text[j:]
    return text


def _only_jenga_errors(call) -> None:
    try:
        call()
    except JengaError:
        pass


@FUZZ
@given(st.data())
def test_json_loader_mutations(data):
    _only_jenga_errors(lambda: Tower.from_json(_mutate(_JSON, data)))


@FUZZ
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: "{" + t))
def test_json_loader_arbitrary_input(blob):
    _only_jenga_errors(lambda: Tower.from_json(blob))


@FUZZ
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "schema",
                        "services",
                        "id",
                        "support",
                        "any_of",
                        "or",
                        "activity",
                        "providers",
                        "supports",
                        "tariff",
                        "at_least",
                        "of",
                    ]
                ),
                inner,
                max_size=4,
            )
        ),
        max_leaves=30,
    )
)
def test_dict_loader_arbitrary_structures(doc):
    if isinstance(doc, dict):
        doc.setdefault("schema", "jenga-tower/1")
    _only_jenga_errors(lambda: Tower.from_json(doc if isinstance(doc, dict) else json.dumps(doc)))


@FUZZ
@given(st.data())
def test_nfg_loader_mutations(data):
    _only_jenga_errors(lambda: read_nfg(_mutate(_NFG, data)))


@FUZZ
@given(st.text(max_size=40))
def test_expression_parser_arbitrary_text(text):
    _only_jenga_errors(lambda: parse_expression(text, {}))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_graphml_loader_mutations(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("g") / "t.graphml"
    to_graphml(_TOWER, path)
    path.write_text(_mutate(path.read_text(), data), encoding="utf-8")
    _only_jenga_errors(lambda: from_graphml(path))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_efg_loader_mutations(data):
    from jenga_games.games.extensive import kuhn_poker, read_efg, write_efg

    _only_jenga_errors(lambda: read_efg(_mutate(write_efg(kuhn_poker()), data)))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_csv_folder_loader_mutations(tmp_path_factory, data):
    from jenga_games.tower.files import read_tower, write_tower

    folder = tmp_path_factory.mktemp("csv") / "tower"
    write_tower(_TOWER, folder)
    files = sorted(p for p in folder.iterdir() if p.is_file())
    victim = files[data.draw(st.integers(0, len(files) - 1))]
    victim.write_text(_mutate(victim.read_text(encoding="utf-8"), data), encoding="utf-8")
    _only_jenga_errors(lambda: read_tower(folder))


_CELL = st.one_of(  # what a spreadsheet cell can hold (control characters cannot be stored)
    _NUMBERISH.filter(lambda v: "\x00" not in v),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**30), 10**30),
    st.booleans(),
    st.none(),
    st.sampled_from(["=1/0", "=A1", "=SUM(B2:B9)"]),  # formulas with no saved value
)


_XLSX: list[bytes] = []  # the workbook's bytes, written once (a zip holds a timestamp)


def _xlsx_bytes(tmp_path_factory) -> bytes:
    if not _XLSX:
        from jenga_games.tower.files import write_tower

        path = tmp_path_factory.mktemp("xlsx-template") / "tower.xlsx"
        write_tower(_TOWER, path)
        _XLSX.append(path.read_bytes())
    return _XLSX[0]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_xlsx_loader_mutations(tmp_path_factory, data):
    """Cells of a valid workbook replaced by hostile values, or its bytes damaged."""
    import openpyxl

    from jenga_games.tower.files import read_tower

    template = _xlsx_bytes(tmp_path_factory)
    path = tmp_path_factory.mktemp("xlsx") / "tower.xlsx"
    path.write_bytes(template)
    if data.draw(st.booleans()):
        book = openpyxl.load_workbook(path)
        for _ in range(data.draw(st.integers(1, 4))):
            sheet = book.worksheets[data.draw(st.integers(0, len(book.worksheets) - 1))]
            row = data.draw(st.integers(1, max(1, sheet.max_row) + 1))
            col = data.draw(st.integers(1, max(1, sheet.max_column) + 1))
            sheet.cell(row=row, column=col).value = data.draw(_CELL)
        book.save(path)
    else:  # damaged bytes: a truncated or overwritten zip
        raw = bytearray(template)
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i : i + data.draw(st.integers(1, 64))] = data.draw(st.binary(max_size=64))
        path.write_bytes(bytes(raw))
    _only_jenga_errors(lambda: read_tower(path))
