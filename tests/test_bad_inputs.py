"""The API bad-input catalogue (issue #23): each case ends in a JengaError naming the fix.

Every row is (id, call, error class, a regular expression the message must match).
The expression checks that the message names the offending item *and* says what to
do, so a bare "invalid input" would fail.
"""

from __future__ import annotations

import os
import pickle
import stat
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from jenga_games import errors
from jenga_games.errors import (
    InvalidGameError,
    InvalidTowerError,
    JengaError,
    SchemaError,
    TooLargeError,
    UnknownItemError,
)
from jenga_games.games import JengaGame, NormalFormGame, TUGame
from jenga_games.games.extensive import kuhn_poker, read_efg, write_efg
from jenga_games.games.normal_form import SymbolicGame, parse_expression
from jenga_games.games.normal_form._nfg import read_nfg
from jenga_games.tower import AllOf, AnyOf, Service, Tower
from jenga_games.tower.io import from_graphml, to_graphml
from jenga_games.tower.library import classic_jenga
from jenga_games.tower.thresholds import max_safe_set, min_collapse_set

NFG = 'NFG 1 R "t" { "1" "2" } { 1 1 }\n'


def _tower() -> Tower:
    return Tower(
        [
            Service("a", provider="P", activity=10, tariff=2, variable_cost=1, fixed_cost=5),
            Service("b", provider="P"),
        ],
        [("a", "b")],
    )


def _game() -> SymbolicGame:
    return SymbolicGame([["V", 0], [0, 1]], [[1, 0], [0, "V"]], parameters=["V"])


CASES = [
    (
        "activity as text",
        lambda: Service("x", activity="10"),
        InvalidTowerError,
        r"activity must be a number, got '10'; write it without quotes",
    ),
    (
        "activity as bool",
        lambda: Service("x", tariff=True),
        InvalidTowerError,
        r"tariff must be a number, got True",
    ),
    (
        "label not text",
        lambda: Service("x", setting=5),
        InvalidTowerError,
        r"setting must be (text|a string)",
    ),
    (
        "fraction as text",
        lambda: _tower().cascade({"a": "0.5"}),
        InvalidTowerError,
        r"fraction for 'a' must be a number.*without quotes",
    ),
    (
        "fraction as bool",
        lambda: _tower().cascade({"a": False}),
        InvalidTowerError,
        r"fraction for 'a' must be a number",
    ),
    (
        "list inside a state",
        lambda: _tower().cascade([["a"]]),
        UnknownItemError,
        r"\['a'\].*(not a service id|unknown service)",
    ),
    (
        "list inside AnyOf",
        lambda: AnyOf(["M"]),
        InvalidTowerError,
        r"AnyOf.*got \['M'\]; pass the names one by one: AnyOf\('M'\)",
    ),
    (
        "misspelt field in replace",
        lambda: _tower().replace(services={"a": {"tarrif": 3}}),
        InvalidTowerError,
        r"'tarrif'.*did you mean 'tariff'",
    ),
    (
        "misspelt tower field in replace",
        lambda: _tower().replace(groundd=True),
        InvalidTowerError,
        r"'groundd'.*did you mean 'grounded'",
    ),
    (
        "unknown service",
        lambda: _tower().cascade(["zz"]),
        UnknownItemError,
        r"unknown service 'zz'",
    ),
    (
        "deep JSON",
        lambda: Tower.from_json(
            '{"schema":"jenga-tower/1","services":' + "[" * 100_000 + "]" * 100_000 + "}"
        ),
        SchemaError,
        r"nests too deeply",
    ),
    (
        "deep rule",
        lambda: Tower.from_json(
            '{"schema":"jenga-tower/1","services":[{"id":"a",'
            '"support":' + '{"or":[' * 200 + '{"all_of":[]}' + "]}" * 200 + "}]}"
        ),
        SchemaError,
        r"nest more than \d+ levels.*flatten",
    ),
    (
        "4,300-digit number",
        lambda: Tower.from_json(
            '{"schema":"jenga-tower/1","services":[{"id":"a","activity":' + "9" * 5000 + "}]}"
        ),
        SchemaError,
        r"too long to read.*at most a few dozen digits",
    ),
    (
        "Latin-1 bytes",
        lambda: Tower.from_json(b'{"schema":"jenga-tower/1","services":[{"id":"caf\xe9"}]}'),
        SchemaError,
        r"line 1: byte 0xe9 is not UTF-8.*save the file as UTF-8",
    ),
    (
        "JSON from a device",
        lambda: Tower.from_json("/dev/zero"),
        SchemaError,
        r"is a device, not a file",
    ),
    (
        ".nfg payoff 1e400",
        lambda: read_nfg(NFG + "1e400 0"),
        SchemaError,
        r"line 2: payoff '1e400' is beyond the range.*rescale",
    ),
    (
        ".nfg payoff 1e999999999",
        lambda: read_nfg(NFG + "1e999999999 0"),
        SchemaError,
        r"beyond the range.*rescale",
    ),
    (
        ".nfg huge game",
        lambda: read_nfg('NFG 1 R "t" { "1" "2" } { 100000 100000 }\n1 2'),
        TooLargeError,
        r"10,000,000,000 strategy profiles.*check the strategy counts",
    ),
    (
        ".nfg huge count",
        lambda: read_nfg('NFG 1 R "t" { "1" "2" } { ' + "9" * 5000 + " 1 }"),
        SchemaError,
        r"far too large",
    ),
    (
        ".nfg Latin-1",
        lambda: read_nfg(b'NFG 1 R "caf\xe9" { "1" "2" } { 1 1 }\n1 2'),
        SchemaError,
        r"not UTF-8",
    ),
    (".nfg from a device", lambda: read_nfg("/dev/zero"), SchemaError, r"is a device"),
    (
        "symbolic 1/0",
        lambda: SymbolicGame([["1/0", 0], [0, 1]], [[1, 0], [0, 1]]),
        InvalidGameError,
        r"'1/0' divides by zero.*fix the denominator",
    ),
    (
        "symbolic 2^(10^10)",
        lambda: parse_expression("2^(10^10)", {}),
        InvalidGameError,
        r"out of range.*rescale",
    ),
    (
        "symbolic deep nesting",
        lambda: parse_expression("(" * 3000 + "1" + ")" * 3000, {}),
        InvalidGameError,
        r"nests too deeply",
    ),
    (
        "payoff as text",
        lambda: NormalFormGame.bimatrix([["3", "0"], ["5", "1"]], [[3, 5], [0, 1]]),
        InvalidGameError,
        r"payoff '3' is text, not a number; write payoffs as numbers",
    ),
    (
        "payoff as bool",
        lambda: NormalFormGame.bimatrix([[True, 0], [5, 1]], [[3, 5], [0, 1]]),
        InvalidGameError,
        r"payoff True is a boolean, not a number",
    ),
    (
        "[A] is not a 1x2 game",
        lambda: NormalFormGame([np.array([[3, 0], [5, 1]])]),
        InvalidGameError,
        r"list of 1 payoff array.*e.g. \[A, B\] for two players",
    ),
    (
        "TU values as text",
        lambda: TUGame(2, ["0", "1", "1", "2"]),
        InvalidGameError,
        r"values must be numbers; coalition value '0' is not.*without quotes",
    ),
    (
        "a million Jenga players",
        lambda: JengaGame(classic_jenga(levels=2), players=10**6),
        TooLargeError,
        r"players=1,000,000.*at most 1,000 players",
    ),
    (
        "max_safe_set(time_limit=-1)",
        lambda: max_safe_set(classic_jenga(3), time_limit=-1),
        InvalidTowerError,
        r"time_limit must be > 0 seconds \(None for no limit\), got -1",
    ),
    (
        "min_collapse_set(time_limit='5')",
        lambda: min_collapse_set(classic_jenga(3), time_limit="5"),
        InvalidTowerError,
        r"time_limit must be a number of seconds or None",
    ),
    (
        "subs with a bool",
        lambda: _game().subs({"V": True}),
        InvalidGameError,
        r"value of 'V' must be a number",
    ),
    (
        "subs with a list",
        lambda: _game().subs({"V": [1]}),
        InvalidGameError,
        r"value of 'V' must be a number",
    ),
    (
        "a support given as the string 'ab'",
        lambda: Tower([Service("a"), Service("b")], ["ab"]),
        InvalidTowerError,
        r"a support must be a pair \(supporter, dependant\), got the string 'ab'; write it as a "
        r"pair",
    ),
    (
        "supports given as one string",
        lambda: Tower([Service("a"), Service("b")], "ab"),
        InvalidTowerError,
        r"supports must be a list of pairs \(supporter, dependant\), got the string 'ab'",
    ),
    (
        "and/or rules nested 60 deep in code",
        lambda: _nested_rule(60),
        InvalidTowerError,
        r"and/or rules nest 51 levels deep, more than 50; flatten the nesting",
    ),
    (
        "read_efg of a missing file",
        lambda: read_efg("no-such-game.efg"),
        SchemaError,
        r"no \.efg file at 'no-such-game\.efg'; give a path or the file's text",
    ),
    (
        "read_efg of a folder",
        lambda: read_efg(Path(__file__).parent),
        SchemaError,
        r"is a folder; give the path of a file",
    ),
]


def _nested_rule(depth: int):
    """``((AnyOf() & AllOf()) | AnyOf()) & ...``: each & and | adds a level (no flattening)."""
    rule = AnyOf()
    for i in range(depth):
        rule = rule & AllOf() if i % 2 else rule | AnyOf()
    return rule


@pytest.mark.parametrize(
    ("call", "cls", "pattern"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_gives_a_clear_error(call, cls, pattern):
    with pytest.raises(cls, match=pattern):
        call()


# -- security: no string reaches eval/sympify ------------------------------------------------
CODE = [
    "__import__('os').system('touch /tmp/jenga-pwned')",
    "exec('1')",
    "eval('2')",
    "lambda: 1",
    "sum(range(10**8))",
    "V.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "Symbol('x')",
]


@pytest.mark.parametrize("text", CODE)
def test_code_in_a_parameter_value_is_refused_not_run(text):
    with pytest.raises(JengaError, match=r"cannot parse|unknown parameter|unexpected"):
        _game().subs({"V": text})
    with pytest.raises(JengaError):
        SymbolicGame([[text, 0], [0, 1]], [[1, 0], [0, 1]], parameters=["V"])
    assert not os.path.exists("/tmp/jenga-pwned")


def test_arithmetic_text_is_still_a_value():
    g = _game().subs({"V": "3/2"})
    assert g.exact_payoffs[0, 0, 0] == Fraction(3, 2)


# -- false claims --------------------------------------------------------------------------
def test_graphml_false_is_false(tmp_path):
    path = tmp_path / "t.graphml"
    to_graphml(Tower([Service("a"), Service("b")], [("a", "b")], grounded=True), path)
    text = path.read_text().replace('attr.type="boolean"', 'attr.type="string"')
    text = text.replace(">True<", ">false<").replace(">true<", ">false<")
    path.write_text(text)
    assert from_graphml(path).grounded is False


def test_graphml_refuses_colliding_ids_instead_of_losing_one(tmp_path):
    with pytest.raises(InvalidTowerError, match=r"1 and '1' would both be node '1'.*JSON") as e:
        to_graphml(Tower([Service(1), Service("1")]), tmp_path / "t.graphml")
    assert e.value.item == "1"


def test_graphml_bad_int_id_is_a_schema_error(tmp_path):
    path = tmp_path / "t.graphml"
    to_graphml(Tower([Service(1), Service(2)], [(1, 2)]), path)
    path.write_text(
        path.read_text()
        .replace('<node id="1">', '<node id="x1">')
        .replace('source="1"', 'source="x1"')
    )
    with pytest.raises(SchemaError, match=r"node 'x1'.*int_id is true but the node id"):
        from_graphml(path)


def test_relative_path_starting_with_brace_or_nfg_is_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "NFG1").write_text(NFG + "3 4")
    assert read_nfg("NFG1").exact_payoffs[0, 0, 0] == 3
    (tmp_path / "{t}.json").write_text(_tower().to_json())
    assert Tower.from_json("{t}.json") == _tower()
    (tmp_path / "EFG-kuhn.efg").write_text(write_efg(kuhn_poker()))
    assert read_efg("EFG-kuhn.efg").players == kuhn_poker().players
    assert read_efg(b"" + write_efg(kuhn_poker()).encode()).players == kuhn_poker().players


def test_a_rule_at_the_depth_limit_still_works():
    rule = _nested_rule(50)
    assert rule.depth == 50 and Tower([Service("a", support=rule)]).validate() is not None


# -- errors carry their item -----------------------------------------------------------------
def test_errors_carry_the_item_and_survive_pickling():
    with pytest.raises(UnknownItemError) as e:
        Tower([Service("a")], [("a", "zz")])
    assert e.value.item == ("a", "zz") and e.value.kind == "support"
    copy = pickle.loads(pickle.dumps(e.value))
    assert copy.item == ("a", "zz") and str(copy) == str(e.value)


def test_json_loader_locates_errors_from_the_item_not_the_text():
    text = (
        '{"schema": "jenga-tower/1",\n "services": [\n  {"id": "a"},\n'
        '  {"id": "b", "support": {"all_of": ["a"]}}\n ],\n "supports": []\n}'
    )
    with pytest.raises(InvalidTowerError, match=r"line 4 \(services\[1\]\)"):
        Tower.from_json(text)


def test_every_exception_class_lives_in_errors_and_old_names_work():
    from jenga_games.commissioning._common import InvalidParameterError
    from jenga_games.games.cooperative._lp import LPError
    from jenga_games.games.repeated.exact import InvalidDiscountError
    from jenga_games.sweep import SweepError

    for cls in (InvalidParameterError, LPError, InvalidDiscountError, SweepError):
        assert cls.__module__ == "jenga_games.errors"
        assert getattr(errors, cls.__name__) is cls and issubclass(cls, JengaError)


# -- files ---------------------------------------------------------------------------------
def test_written_files_respect_the_umask_and_symlinks(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "real.json"
        _tower().to_json(target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        link = tmp_path / "link.json"
        link.symlink_to(target)
        Tower([Service("z")]).to_json(link)
        assert link.is_symlink() and Tower.from_json(target).ids == ("z",)
    finally:
        os.umask(old)


def test_partial_files_of_dead_writers_are_cleaned_up(tmp_path):
    stale = tmp_path / ".t.json.jenga-tmp-999999999-abc.json"
    stale.write_text("partial")
    _tower().to_json(tmp_path / "t.json")
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.json"]


def test_file_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    from jenga_games import _io

    path = tmp_path / "t.json"
    _tower().to_json(path)
    monkeypatch.setattr(_io, "MAX_FILE_BYTES", 10)
    with pytest.raises(TooLargeError, match=r"more than the limit of 10.*MAX_FILE_BYTES"):
        Tower.from_json(path)


# -- the fast JSON reader is the general reader, faster ----------------------------------
def test_fast_reader_builds_the_same_tower_as_the_general_path(monkeypatch):
    from jenga_games.tower import Provider, local_health_economy
    from jenga_games.tower import io as tower_io

    towers = [
        local_health_economy(),
        Tower(
            [
                Service(7, provider=3, activity=0, tariff=1.5, critical=True, layer=2),
                Service("x", provider=3, support=AnyOf(7), label="X", setting="acute"),
            ],
            [(7, "x")],
            [Provider(3, overhead=2, reserves=1, label="Trust")],
            grounded=True,
        ),
    ]
    fast = [Tower.from_json(t.to_json()) for t in towers]
    monkeypatch.setattr(tower_io, "_BULK", False)
    slow = [Tower.from_json(t.to_json()) for t in towers]
    for t, f, s in zip(towers, fast, slow):
        assert f == s == t
        assert [vars(a) for a in f] == [vars(b) for b in s]  # same types (floats), same fields
        assert [vars(p) for p in f.providers.values()] == [vars(p) for p in s.providers.values()]


@pytest.mark.parametrize(
    ("field", "value", "pattern"),
    [
        ("activity", -1, r"services\[0\]\.activity.*>= 0"),
        ("activity", "10", r"services\[0\]\.activity"),
        ("id", "  ", r"services\[0\]"),
        ("critical", 1, r"services\[0\]\.critical"),
        ("label", 5, r"services\[0\]\.label"),
        ("tariff", int("1" + "0" * 400), r"services\[0\]\.tariff.*finite"),
    ],
)
def test_fast_reader_leaves_errors_to_the_located_path(field, value, pattern):
    doc = {"schema": "jenga-tower/1", "services": [{"id": "a", field: value}]}
    with pytest.raises(JengaError, match=pattern):
        Tower.from_json(doc)


def test_unknown_ids_are_not_chained_to_a_key_error():
    from jenga_games.tower import local_health_economy

    tower = local_health_economy()
    for call in (lambda: tower.cascade(["zz"]), lambda: tower.play(["zz"])):
        with pytest.raises(UnknownItemError, match=r"unknown service 'zz'") as e:
            call()
        assert e.value.__context__ is None or e.value.__suppress_context__


def test_no_public_exception_class_is_defined_outside_errors():
    """#14 item 7: one home for the toolkit's errors (private control-flow ones excepted)."""
    import ast
    from pathlib import Path

    import jenga_games

    root = Path(jenga_games.__file__).parent
    stray = []
    for path in root.rglob("*.py"):
        if path.name == "errors.py" and path.parent == root:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = [ast.unparse(b) for b in node.bases]
                if any(b.endswith(("Error", "Exception", "Warning")) for b in bases):
                    stray.append(f"{path.relative_to(root)}: {node.name}")
    assert not stray, f"define these in jenga_games/errors.py and re-export them: {stray}"
