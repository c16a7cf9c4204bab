"""Building towers: ``Tower.from_arrays`` is the constructor on index arrays (issue #23, #20).

The oracle is the general constructor (pairs of ids, one at a time) and, for
the rule checks, a plain loop over the services in index order written here.
"""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidTowerError, JengaError, UnknownItemError
from jenga_games.tower import AllOf, AnyOf, AtLeast, Provider, Service, Tower
from jenga_games.tower.library import random_tower
from jenga_games.tower.model import SERVICE_FIELDS

RULES = [None, AllOf(), AnyOf(), AtLeast(1), AtLeast(2), AtLeast(3)]


@st.composite
def tower_inputs(draw):
    """Services (some sharing rule objects, some naming supporters), providers and index arrays."""
    n = draw(st.integers(1, 8))
    ids = draw(
        st.lists(
            st.one_of(st.integers(0, 20), st.sampled_from("abcdefghij")),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    m = draw(st.integers(0, 16))
    src = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    dst = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    shared = {i: draw(st.sampled_from(RULES)) for i in range(2)}
    services = []
    for sid in ids:
        choice = draw(st.integers(0, 3))
        if choice < 2:
            rule = shared[choice]  # one object shared by several services
        elif choice == 2:
            rule = draw(st.sampled_from(RULES))
        else:  # a rule naming one service (it may or may not support this one)
            rule = AnyOf(draw(st.sampled_from(ids)))
        provider = draw(st.sampled_from([None, "p", 1]))
        services.append(Service(sid, provider=provider, fixed_cost=1.0, support=rule))
    providers = draw(st.sampled_from([None, [Provider("p"), Provider(1)], [Provider("p")]]))
    allow = draw(st.booleans())
    return services, src, dst, providers, allow


def _outcome(build):
    try:
        return build()
    except JengaError as err:
        return type(err), str(err)


@settings(max_examples=150, deadline=None)
@given(tower_inputs())
def test_from_arrays_is_the_constructor_on_index_arrays(inputs):
    services, src, dst, providers, allow = inputs
    fast = _outcome(
        lambda: Tower.from_arrays(
            services,
            np.array(src, dtype=np.int64),
            np.array(dst, dtype=np.int64),
            providers,
            allow_unsatisfiable=allow,
        )
    )
    ids = [s.id for s in services]
    slow = _outcome(
        lambda: Tower(
            services,
            [(ids[u], ids[v]) for u, v in zip(src, dst)],
            providers,
            allow_unsatisfiable=allow,
        )
    )
    if isinstance(slow, tuple):  # the same error, word for word
        assert fast == slow
        return
    assert isinstance(fast, Tower) and fast == slow
    assert fast.supports == slow.supports and fast.ids == slow.ids
    assert fast._supporters == slow._supporters
    assert [a.tolist() for a in fast.support_arrays] == [a.tolist() for a in slow.support_arrays]


def _first_bad_rule(services, supports, allow):
    """The oracle: the first service, in index order, whose rule names a non-supporter or cannot hold."""
    for s in services:
        if s.support is None:
            continue
        sup = [u for u, v in supports if v == s.id]
        if any(k not in sup for k in s.support.names()):
            return s.id, "names"
        if not allow and not s.support.max_satisfiable(len(sup)):
            return s.id, "cannot hold"
    return None


@settings(max_examples=150, deadline=None)
@given(tower_inputs())
def test_the_rule_check_names_the_first_wrong_service(inputs):
    services, src, dst, _, allow = inputs
    ids = [s.id for s in services]
    supports = sorted({(ids[u], ids[v]) for u, v in zip(src, dst) if u != v}, key=str)
    expected = _first_bad_rule(services, supports, allow)
    if expected is None:
        Tower(services, supports, allow_unsatisfiable=allow)
        return
    sid, what = expected
    with pytest.raises(InvalidTowerError) as err:
        Tower(services, supports, allow_unsatisfiable=allow)
    assert str(err.value).startswith(f"service {sid!r}: its rule") and what in str(err.value)


def test_support_arrays_are_copies_and_read_only():
    src, dst = np.array([0, 0]), np.array([1, 2])
    t = Tower.from_arrays([Service("a"), Service("b"), Service("c")], src, dst)
    src[0] = 1  # the caller's arrays stay the caller's
    assert t.supports == (("a", "b"), ("a", "c"))
    a, b = t.support_arrays
    assert not a.flags.writeable and not b.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 2
    again = Tower.from_arrays(list(t), *t.support_arrays)  # the documented round trip
    assert again == t and again.supports == t.supports


def test_bad_index_arrays_get_clear_errors():
    services = [Service("a"), Service("b")]
    with pytest.raises(InvalidTowerError, match=r"integer index arrays.*float64"):
        Tower.from_arrays(services, np.array([0.0]), np.array([1.0]))
    with pytest.raises(InvalidTowerError, match="1-d arrays of one length"):
        Tower.from_arrays(services, [0, 1], [1])
    with pytest.raises(UnknownItemError, match=r"outside 0\.\.1"):
        Tower.from_arrays(services, [-1], [1])
    with pytest.raises(InvalidTowerError, match="'b' cannot support itself"):
        Tower.from_arrays(services, [0, 1], [1, 1])


def test_providers_are_checked_in_bulk_with_the_same_messages():
    with pytest.raises(InvalidTowerError, match="services must be Service objects, got 3"):
        Tower.from_arrays([Service("a"), 3], [], [])
    with pytest.raises(InvalidTowerError, match="duplicate service id 'a'"):
        Tower.from_arrays([Service("a"), Service("b"), Service("a")], [], [])
    with pytest.raises(InvalidTowerError, match="duplicate provider id 'p'"):
        Tower([Service("a", provider="p")], [], [Provider("p"), Provider("p")])
    with pytest.raises(UnknownItemError, match=r"service 'b' names provider 'q'.*Provider\('q'\)"):
        Tower([Service("a", provider="p"), Service("b", provider="q")], [], [Provider("p")])
    # numpy integers name the same provider as Python integers
    t = Tower([Service("a", provider=np.int64(3))], [], [Provider(np.int64(3))])
    assert list(t.providers) == [3] and type(t.service("a").provider) is int


def test_big_generated_tower_builds_lazily_and_matches():
    """10^4 services, 10^5 supports: the pairs of ids are built only when read."""
    t = random_tower(10_000, 10, AtLeast(3), seed=3)
    assert "supports" not in t.__dict__  # not built yet
    u, v = t.support_arrays
    assert len(t.supports) == u.size and t.supports[5] == (int(u[5]), int(v[5]))
    again = Tower.from_arrays(list(t), u, v, allow_unsatisfiable=True)
    assert again.cascade(list(range(100))).fell == t.cascade(list(range(100))).fell


# -- Tower.from_columns: services held as columns, Service objects made when read ----------
_FIELDS = [f for f in SERVICE_FIELDS if f != "id"]


def _columns_of(services, draw_style):
    """Columns of ``services``: a single value when all agree (if drawn so), else one per service."""
    cols = {}
    for f in _FIELDS:
        values = [getattr(s, f) for s in services]
        style = draw_style(f)
        if style == "omit" and all(v == getattr(Service(0), f) for v in values):
            continue
        if style == "scalar" and all(v is values[0] or v == values[0] for v in values):
            cols[f] = values[0]
        elif style == "array" and f in ("activity", "tariff", "variable_cost", "fixed_cost"):
            cols[f] = np.array(values, dtype=float)
        else:
            cols[f] = values
    return cols


def _deep_equal(a, b) -> bool:
    """Equal arrays (dtype too), and containers of them (compiled rules hold index arrays)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return type(a) is type(b) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, dict):
        return type(b) is dict and a.keys() == b.keys() and all(_deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_deep_equal, a, b))
    return a == b


def _same_tower(fast, slow, probes):
    """Equal in every public attribute, in their compiled arrays and in every cascade of ``probes``."""
    assert fast == slow and slow == fast and fast.services == slow.services
    assert fast.ids == slow.ids and list(fast) == list(slow) and fast.supports == slow.supports
    assert fast.providers == slow.providers and fast.index == slow.index
    assert fast._supporters == slow._supporters and fast._dependants == slow._dependants
    assert fast.to_json() == slow.to_json() and repr(fast) == repr(slow)
    assert fast.validate() == slow.validate()
    for sid in fast.ids:
        assert fast.service(sid) == slow.service(sid) and fast.service(sid) is fast.services[sid]
        assert vars(fast.service(sid)) == vars(slow.service(sid))  # same values, same types
    cf, cs = fast.compiled, slow.compiled
    for f in dataclasses.fields(cf):
        a, b = getattr(cf, f.name), getattr(cs, f.name)
        assert _deep_equal(a, b), f.name
    for removed in probes:
        assert fast.cascade(removed) == slow.cascade(removed)
        assert fast.play(removed) == slow.play(removed)
    again = pickle.loads(pickle.dumps(fast))
    assert again == slow and again.cascade(probes[0]) == slow.cascade(probes[0])


@settings(max_examples=120, deadline=None)
@given(tower_inputs(), st.data())
def test_from_columns_is_from_arrays_on_services(inputs, data):
    """Random towers built from columns and from Service objects agree in every public attribute."""
    services, src, dst, providers, allow = inputs
    style = st.sampled_from(["omit", "scalar", "list", "array"])
    cols = _columns_of(services, lambda f: data.draw(style, label=f))
    ids = [s.id for s in services]
    args = (np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), providers)
    fast = _outcome(lambda: Tower.from_columns(ids, *args, allow_unsatisfiable=allow, **cols))
    slow = _outcome(lambda: Tower.from_arrays(services, *args, allow_unsatisfiable=allow))
    if isinstance(slow, tuple):  # the same error, word for word
        assert fast == slow
        return
    assert isinstance(fast, Tower)
    probes = [data.draw(st.lists(st.sampled_from(ids), unique=True), label="removed")]
    _same_tower(fast, slow, probes)


_ODD = {  # values a Service converts or refuses: from_columns must do the same, word for word
    "number": [
        0,
        2.5,
        7,
        -1.0,
        float("nan"),
        float("inf"),
        True,
        "3",
        None,
        np.float64(2.0),
        np.int64(3),
        10**400,
    ],
    "provider": ["p", 1, None, "", "  ", True, np.int64(1), 2.5],
    "critical": [True, False, 1, None, np.bool_(True)],
    "layer": [0, 2, None, True, 1.5, np.int64(1)],
    "health": [None, -1.0, 2, float("nan"), "x", np.float64(0.5)],
    "text": [None, "acute", 3, ""],
    "support": [None, AnyOf(), AtLeast(1), "rule"],
}
_KIND = {
    "provider": "provider",
    "activity": "number",
    "tariff": "number",
    "variable_cost": "number",
    "fixed_cost": "number",
    "support": "support",
    "critical": "critical",
    "layer": "layer",
    "health": "health",
}


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_from_columns_checks_values_as_services_do(data):
    """Odd values: the same tower (same conversions) or the same error as Service objects give."""
    n = data.draw(st.integers(1, 4))
    ids = data.draw(
        st.one_of(
            st.lists(
                st.sampled_from(["a", "b", "c", "d", 0, 1, 2, "", " ", True, np.int64(3)]),
                min_size=n,
                max_size=n,
            ),
            st.just(range(n)),
            st.just(np.arange(n)),
        )
    )
    cols = {}
    for f in data.draw(st.lists(st.sampled_from(_FIELDS), unique=True, max_size=4)):
        pool = st.sampled_from(_ODD[_KIND.get(f, "text")])
        if data.draw(st.booleans()):
            cols[f] = data.draw(pool)
        else:
            k = data.draw(st.sampled_from([n, n, n + 1]))  # sometimes the wrong length
            cols[f] = data.draw(st.lists(pool, min_size=k, max_size=k))
    m = data.draw(st.integers(0, 6))
    src = data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    dst = data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    fast = _outcome(lambda: Tower.from_columns(ids, src, dst, allow_unsatisfiable=True, **cols))

    def by_services():
        rows = []
        for i, sid in enumerate(ids):
            row = {}
            for f, c in cols.items():
                if isinstance(c, list):
                    if len(c) != n:
                        raise InvalidTowerError(
                            f"column {f!r} has {len(c)} values for {n} services; give one value "
                            "per service, or a single value for all of them"
                        )
                    row[f] = c[i]
                else:
                    row[f] = c
            rows.append((sid, row))
        services = [Service(sid, **row) for sid, row in rows]
        return Tower.from_arrays(services, src, dst, allow_unsatisfiable=True)

    try:
        slow = _outcome(by_services)
    except OverflowError:  # Service's own behaviour for an integer beyond the float range
        with pytest.raises(OverflowError):
            Tower.from_columns(ids, src, dst, allow_unsatisfiable=True, **cols)
        return
    if isinstance(slow, tuple):
        assert fast == slow
        return
    assert isinstance(fast, Tower)
    _same_tower(fast, slow, [list(slow.ids[:1])])


def test_from_columns_errors_and_laziness():
    with pytest.raises(InvalidTowerError, match=r"unknown service field 'tarrif'.*'tariff'"):
        Tower.from_columns(["a"], tarrif=1.0)
    with pytest.raises(InvalidTowerError, match="unknown service field 'id'"):
        Tower.from_columns(["a"], id=["a"])
    with pytest.raises(InvalidTowerError, match="column 'tariff' has 1 values for 2 services"):
        Tower.from_columns(["a", "b"], tariff=[1.0])
    with pytest.raises(InvalidTowerError, match="a tower needs at least one service"):
        Tower.from_columns([])
    with pytest.raises(InvalidTowerError, match="duplicate service id 'a'"):
        Tower.from_columns(["a", "b", "a"])
    with pytest.raises(UnknownItemError, match=r"service 'b' names provider 'q'.*Provider\('q'\)"):
        Tower.from_columns(["a", "b"], provider=["p", "q"], providers=[Provider("p")])
    with pytest.raises(InvalidTowerError, match=r"service 1: tariff must be >= 0, got -2\.0"):
        Tower.from_columns(range(3), tariff=np.array([1.0, -2.0, -3.0]))
    t = Tower.from_columns(range(1000), np.arange(999), np.arange(1, 1000), tariff=2.0)
    assert not t.services._made and t.compiled.activity.sum() == 1000.0  # nothing made yet
    assert t.service(7).tariff == 2.0 and list(t.services._made) == [7]  # one made when read
    assert t.services[7] is t.service(7) and len(list(t)) == 1000 and list(t)[7] is t.service(7)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3000), st.integers(0, 20000), st.integers(0, 2**32 - 1), st.booleans())
def test_csr_counting_sort_equals_the_sort(n, m, seed, grouped):
    """The CSR of the engine (scipy's counting sort when big) is the stable sort's, array for array."""
    from jenga_games.tower.engine._compiled import _csr, _csr_by_sort

    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    if grouped:
        src = np.sort(src)
    ptr, idx = _csr(src, dst, n)
    order = np.argsort(src, kind="stable")
    assert np.array_equal(idx, dst[order]) and idx.dtype == np.int64 and ptr.dtype == np.int64
    assert np.array_equal(ptr, np.concatenate(([0], np.cumsum(np.bincount(src, minlength=n)))))
    for a, b in zip((ptr, idx), _csr_by_sort(src, dst, n)):
        assert np.array_equal(a, b)


def test_towers_held_as_columns_compare_by_value():
    """Two column-held towers: equal when their services are, however the columns are given."""
    a = Tower.from_columns(["x", "y"], [0], [1], tariff=2.0, support=AnyOf(), provider="p")
    b = Tower.from_columns(
        ["x", "y"],
        [0],
        [1],
        tariff=np.array([2.0, 2.0]),
        support=[AnyOf(), AnyOf()],
        provider=["p", "p"],
    )
    assert a == b and a.services == b.services and a.services == dict(b.services)
    c = Tower.from_columns(["x", "y"], [0], [1], tariff=[2.0, 3.0], support=AnyOf(), provider="p")
    assert a != c and a.services != c.services and dict(a.services) != c.services
    d = Tower.from_columns(["x", "z"], [0], [1], tariff=2.0, support=AnyOf(), provider="p")
    assert a.services != d.services
    assert repr(a.services) == repr(dict(b.services)) and list(a.services.keys()) == ["x", "y"]
