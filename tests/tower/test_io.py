"""JSON (jenga-tower/1 and /2) and GraphML: exact round-trips, and errors that name line and field."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidTowerError, SchemaError, UnknownItemError
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import AnyOf, AtLeast, Provider, Service, Tower
from jenga_games.tower import io as tower_io
from jenga_games.tower.economy import local_health_economy
from jenga_games.tower.io import (
    SCHEMA,
    from_graphml,
    to_graphml,
    tower_from_dict,
    tower_from_json,
    tower_to_dict,
    tower_to_json,
)
from jenga_games.tower.library import classic_jenga, random_tower

from .test_build import _same_tower


@given(towers(max_services=8, grounded=None))
def test_json_round_trip_is_exact(tower):
    text = tower.to_json()
    back = Tower.from_json(text)
    assert back == tower
    assert back.ids == tower.ids  # index order survives
    assert back.supports == tower.supports  # edge order too
    assert json.loads(text)["schema"] == SCHEMA


_money = st.floats(0, 1e12, allow_nan=False, allow_infinity=False)
_ids = st.one_of(st.integers(-(10**6), 10**6), st.text(min_size=1, max_size=8).filter(str.strip))


@st.composite
def _odd_towers(draw):
    """Arbitrary finite floats, integer and unicode ids, labels and settings."""
    ids = draw(st.lists(_ids, min_size=1, max_size=5, unique=True))
    services = [
        Service(
            i,
            activity=draw(_money),
            tariff=draw(_money),
            variable_cost=draw(_money),
            fixed_cost=draw(_money),
            label=draw(st.none() | st.text(max_size=6)),
            setting=draw(st.none() | st.text(max_size=4)),
            layer=draw(st.none() | st.integers(-3, 3)),
        )
        for i in ids
    ]
    edges = [(u, v) for u in ids for v in ids if u != v and draw(st.booleans())]
    return Tower(services, edges, name=draw(st.none() | st.text(max_size=5)))


@given(_odd_towers())
def test_json_round_trip_exact_for_any_floats_and_ids(tower):
    assert Tower.from_json(tower.to_json()) == tower
    assert Tower.from_json(tower_to_json(tower, compact=True)).ids == tower.ids


@settings(max_examples=40)
@given(_odd_towers())
def test_graphml_round_trip_or_clear_refusal(tmp_path_factory, tower):
    """GraphML is XML 1.0: strings with control characters are refused by name; the rest round-trip."""
    import re

    path = tmp_path_factory.mktemp("odd") / "t.graphml"
    strings = [tower.name] + [v for s in tower for v in (s.id, s.label, s.setting)]
    unsafe = any(
        isinstance(v, str)
        and re.search("[\x00-\x1f]", v)
        and re.search("[^\t\n]", "".join(c for c in v if ord(c) < 32))
        for v in strings
    )
    if unsafe:
        with pytest.raises(InvalidTowerError, match="control character"):
            to_graphml(tower, path)
    else:
        to_graphml(tower, path)
        assert from_graphml(path) == tower


@given(towers(max_services=6, grounded=None))
def test_graphml_round_trip_is_exact(tmp_path_factory, tower):
    path = tmp_path_factory.mktemp("g") / "t.graphml"
    to_graphml(tower, path)
    back = from_graphml(path)
    assert back == tower and back.ids == tower.ids


def test_round_trips_of_builtin_towers(tmp_path):
    for t in (local_health_economy(), classic_jenga(5), random_tower(50, 3.0, AtLeast(2), seed=1)):
        assert Tower.from_json(t.to_json()) == t
        assert Tower.from_json(tower_to_json(t, compact=True)) == t
        assert tower_from_dict(tower_to_dict(t)) == t
        to_graphml(t, tmp_path / "t.graphml")
        assert from_graphml(tmp_path / "t.graphml") == t


def test_integer_ids_keep_their_type(tmp_path):
    t = Tower(
        [Service(0, provider=7), Service(1, support=AnyOf(0))], [(0, 1)], [Provider(7, overhead=0)]
    )
    assert Tower.from_json(t.to_json()).ids == (0, 1)
    to_graphml(t, tmp_path / "i.graphml")
    back = from_graphml(tmp_path / "i.graphml")
    assert back == t and back.ids == (0, 1) and back.service(0).provider == 7


def test_file_write_and_read(tmp_path):
    t = local_health_economy()
    path = tmp_path / "sub" / "economy.json"
    t.to_json(path)
    assert Tower.from_json(path) == t and tower_from_json(str(path)) == t
    with open(path) as fh:
        assert tower_from_json(fh) == t
    assert not list(path.parent.glob(".*"))  # atomic write left no temporary file


def test_shipped_data_file_is_the_economy():
    from importlib.resources import files

    shipped = files("jenga_games.tower") / "data" / "local_health_economy.json"
    assert Tower.from_json(shipped.read_text()) == local_health_economy()


@pytest.fixture
def text():
    return local_health_economy().to_json()


def _line_of(text, needle):
    return text[: text.index(needle)].count("\n") + 1


def test_wrong_schema_version_names_line_and_field(text):
    with pytest.raises(
        SchemaError, match=r"line 2 \(schema\).*jenga-tower/9.*reads 'jenga-tower/1' and"
    ):
        Tower.from_json(text.replace(f'"{SCHEMA}"', '"jenga-tower/9"'))
    with pytest.raises(SchemaError, match='add "schema"'):
        Tower.from_json(text.replace(f' "schema": "{SCHEMA}",\n', ""))


def test_bad_number_names_line_and_field(text):
    bad = text.replace('"tariff": 0.15,', '"tariff": -0.15,', 1)
    line = _line_of(bad, '"tariff": -0.15')
    with pytest.raises(
        SchemaError, match=rf"line {line} \(services\[\d+\]\.tariff\): must be a finite number >= 0"
    ):
        Tower.from_json(bad)
    with pytest.raises(SchemaError, match="NaN is not allowed"):
        Tower.from_json(text.replace('"tariff": 0.15,', '"tariff": NaN,', 1))
    with pytest.raises(SchemaError, match=r"tariff\): must be a finite number"):
        Tower.from_json(text.replace('"tariff": 0.15,', '"tariff": "0.15",', 1))


def test_unknown_field_is_named(text):
    bad = text.replace('"label": "A&E"', '"lable": "A&E"')
    with pytest.raises(
        SchemaError, match=rf"line {_line_of(bad, 'lable')} .*unknown field 'lable'"
    ):
        Tower.from_json(bad)


def test_unknown_supporter_and_duplicates_are_located(text):
    bad = text.replace('["pathology", "ae"]', '["pathologie", "ae"]')
    with pytest.raises(
        UnknownItemError,
        match=rf"line {_line_of(bad, 'pathologie')} \(supports\[\d+\]\).*pathologie",
    ):
        Tower.from_json(bad)
    dup = text.replace('"id": "ultrasound"', '"id": "imaging"')
    line = _line_of(dup, '"id": "imaging", "provider": "acute_trust", "activity": 45')
    with pytest.raises(InvalidTowerError, match=rf"line {line} .*duplicate service id 'imaging'"):
        Tower.from_json(dup)


def test_bad_rule_and_bad_json(text):
    with pytest.raises(SchemaError, match=r"support\): .*unknown rule keys \['all_off'\]"):
        Tower.from_json(text.replace('"all_of"', '"all_off"', 1))
    with pytest.raises(SchemaError, match=r"line \d+, column \d+: not valid JSON"):
        Tower.from_json(text[:-3])
    with pytest.raises(SchemaError, match="does not exist"):
        Tower.from_json("no/such/file.json")
    with pytest.raises(SchemaError, match="non-empty list"):
        tower_from_dict({"schema": SCHEMA, "services": []})


def test_content_is_never_evaluated(tmp_path):
    """A rule given as Python source is data, not code: it is rejected, not run."""
    doc = tower_to_dict(Tower([Service("a"), Service("b")], [("a", "b")]))
    doc["services"][1]["support"] = "__import__('os').system('echo pwned')"
    with pytest.raises(SchemaError, match="a rule must be an object"):
        tower_from_dict(doc)


def test_graphml_errors(tmp_path):
    path = tmp_path / "bad.graphml"
    to_graphml(Tower([Service("a"), Service("b")], [("a", "b")]), path)
    path.write_text(path.read_text().replace('"tariff"', '"tarrif"'))
    with pytest.raises(SchemaError, match="unknown attribute 'tarrif'"):
        from_graphml(path)
    path.write_text("<graphml>not really")
    with pytest.raises(SchemaError, match="not a readable GraphML"):
        from_graphml(path)


def test_array_construction_equals_the_constructor():
    """Tower.from_arrays (the fast path of random_tower and the JSON reader) builds the same tower."""
    import numpy as np

    from jenga_games.tower.model import _clone_services

    t = random_tower(300, 4.0, AtLeast(2), seed=5)
    slow = Tower(list(t), t.supports, allow_unsatisfiable=True, name=t.name)
    assert slow == t and slow.ids == t.ids and slow.supports == t.supports
    assert slow._supporters == t._supporters and slow._dependants == t._dependants
    assert t.cascade(list(range(40))).fell == slow.cascade(list(range(40))).fell
    services = [Service("a"), Service("b"), Service("c", support=AnyOf())]
    fast = Tower.from_arrays(services, np.array([0, 1, 0, 1]), np.array([2, 2, 2, 0]))
    assert fast == Tower(services, [("a", "c"), ("b", "c"), ("b", "a")])
    assert fast.supports == (("a", "c"), ("b", "c"), ("b", "a"))  # duplicate dropped, order kept
    with pytest.raises(InvalidTowerError, match="cannot support itself"):
        Tower.from_arrays(services, np.array([1]), np.array([1]))
    with pytest.raises(UnknownItemError, match=r"outside 0\.\.2"):
        Tower.from_arrays(services, np.array([0]), np.array([3]))
    with pytest.raises(InvalidTowerError, match="cannot hold"):
        Tower.from_arrays(
            _clone_services(Service(0, support=AtLeast(2)), range(2)), np.array([0]), np.array([1])
        )
    clones = _clone_services(Service(0, tariff=2.0, support=AtLeast(1)), [0, 1, np.int64(2)])
    assert clones == [Service(i, tariff=2.0, support=AtLeast(1)) for i in range(3)]


@settings(max_examples=60, deadline=None)
@given(st.one_of(towers(max_services=8, grounded=None), _odd_towers()), st.data())
def test_column_reader_equals_the_one_at_a_time_reader(tower, data):
    """The JSON reader's columns (Service objects made when read) give the tower read item by item."""
    text = tower.to_json()
    columns = Tower.from_json(text)
    tower_io._BULK = False
    try:
        items = Tower.from_json(text)
    finally:
        tower_io._BULK = True
    assert type(columns.services).__name__ == "_ServiceView"  # the column path was taken
    assert type(items.services) is dict
    removed = data.draw(st.lists(st.sampled_from(tower.ids), unique=True))
    _same_tower(columns, items, [removed])
    assert columns == tower
