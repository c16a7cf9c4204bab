"""max_safe_set and min_collapse_set against brute force over subsets."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidTowerError, TooLargeError
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import AllOf, AnyOf, Provider, Service, Tower
from jenga_games.tower.library import classic_jenga, layered_tower, local_health_economy
from jenga_games.tower.thresholds import max_safe_set, min_collapse_set
from jenga_games.tower.thresholds._brute import (
    brute_max_safe_set,
    brute_min_collapse_set,
    is_safe,
)
from jenga_games.tower.thresholds._exact import _closure


def _stands(tower):
    out = tower.cascade()
    return not out.fallen and not out.collapsed


def _eligible(data, tower):
    return data.draw(
        st.lists(st.sampled_from(list(tower.ids)), min_size=1, unique=True) | st.none()
    )


@settings(max_examples=50)
@given(st.data())
def test_max_safe_set_matches_brute_force_and_is_maximal(data):
    tower = data.draw(towers(max_services=7, grounded=None))
    assume(_stands(tower))
    elig = _eligible(data, tower)
    res = max_safe_set(tower, elig)
    best, _ = brute_max_safe_set(tower, elig)
    assert res.proven_optimal
    assert res.value == pytest.approx(best)
    assert not res.outcome.fallen and not res.outcome.collapsed
    pool = set(tower.ids if elig is None else elig)
    for extra in pool - set(res.removed):
        assert not is_safe(tower, set(res.removed) | {extra})


@settings(max_examples=40)
@given(st.data())
def test_weighted_max_safe_set_matches_brute_force(data):
    tower = data.draw(towers(max_services=7))
    assume(_stands(tower))
    weights = {s: data.draw(st.integers(-3, 5)) for s in tower.ids}
    res = max_safe_set(tower, weights=weights)
    best, _ = brute_max_safe_set(tower, None, weights)
    assert res.value == pytest.approx(best)
    assert is_safe(tower, res.removed)
    milp = max_safe_set(tower, weights=weights, method="milp")
    assert milp.value == pytest.approx(best)


@settings(max_examples=40)
@given(st.data())
def test_closure_agrees_with_milp_when_it_applies(data):
    """On all-of towers with slack providers, one minimum cut gives the MILP's optimum."""
    tower = data.draw(
        towers(max_services=8, compound_rules=False, providers=data.draw(st.booleans()))
    )
    assume(_stands(tower))
    tower = tower.replace(services={s: {"support": AllOf()} for s in tower.ids})
    assume(_stands(tower))
    weights = {s: data.draw(st.integers(-4, 4)) for s in tower.ids}
    import numpy as np

    from jenga_games.tower.thresholds._common import weight_array

    chosen = _closure(tower, np.arange(len(tower)), weight_array(tower, weights, "t"))
    assume(chosen is not None)
    a = max_safe_set(tower, weights=weights)
    b = max_safe_set(tower, weights=weights, method="milp")
    assert a.method == "closure"
    assert a.value == pytest.approx(b.value)
    assert is_safe(tower, a.removed)


@pytest.mark.parametrize("path", ["enumeration", "milp"])
@settings(max_examples=40)
@given(data=st.data())
def test_min_collapse_set_matches_brute_force(path, data):
    """Both paths (small sets through the undo engine; the MILP) give brute force's size."""
    from unittest import mock

    from jenga_games.tower.thresholds import _exact

    criterion = data.draw(st.sampled_from(["collapsed", "fallen"]))
    tower = data.draw(towers(max_services=7, monotone=True if criterion == "collapsed" else None))
    assume(_stands(tower))
    elig = _eligible(data, tower)
    # "milp": enumerate single removals only, the MILP does the rest
    budget = 0 if path == "milp" else _exact._ENUMERATION_BUDGET
    with mock.patch.object(_exact, "_ENUMERATION_BUDGET", budget):
        res = min_collapse_set(tower, elig, criterion)
    if res.size is not None and res.size > 1:
        assert res.provenance.params["method"] == path
    expected = brute_min_collapse_set(tower, elig, criterion)
    assert res.size == expected
    if expected is None:
        assert res.status == "infeasible" and res.removed is None
    else:
        assert res.proven_optimal
        assert res.outcome.fallen if criterion == "fallen" else res.outcome.collapsed


def test_known_answers():
    jenga = classic_jenga(3)
    bottom_two = [s for s in jenga.ids if not s.startswith("L2")]
    assert max_safe_set(jenga, bottom_two).removed == ("L0.0", "L0.2", "L1.0", "L1.2")
    assert min_collapse_set(jenga).size == 2
    assert min_collapse_set(jenga).provenance.params["method"] == "enumeration"
    econ = local_health_economy()
    assert min_collapse_set(econ).removed == ("pathology",)
    # cardiology and ophthalmology are each safe, not both (tests/tower/test_economy.py)
    res = max_safe_set(econ, ["cardiology", "ophthalmology"])
    assert res.value == 1


def test_picard_closure_with_negative_weights():
    """A chain a -> b -> c (all-of): removing a needs b and c gone too; c is worth -5."""
    t = Tower([Service("a"), Service("b"), Service("c")], [("a", "b"), ("b", "c")])
    res = max_safe_set(t, weights={"a": 3, "b": 1, "c": -5})
    assert res.method == "closure"
    assert res.removed == ("b", "c") or res.value == pytest.approx(max(0, -4 + 3 + 1 - 0))
    assert res.value == pytest.approx(brute_max_safe_set(t, None, {"a": 3, "b": 1, "c": -5})[0])


def test_binding_provider_forces_milp():
    t = Tower(
        [
            Service("a", provider="P", activity=10, tariff=1, variable_cost=0),
            Service("b", provider="P", activity=10, tariff=1, variable_cost=0),
        ],
        [],
        [Provider("P", overhead=15)],
    )
    res = max_safe_set(t)
    assert res.method == "milp" and res.value == 0
    with pytest.raises(InvalidTowerError, match="closure"):
        max_safe_set(t, method="closure")


def test_grounded_cycle_safe_set():
    """Grounded: a loop a <-> b held up by g and h; one may go, not both (k-core: both)."""
    svc = [Service("g"), Service("h"), Service("a", support=AnyOf()), Service("b", support=AnyOf())]
    edges = [("g", "a"), ("h", "b"), ("a", "b"), ("b", "a")]
    t = Tower(svc, edges, grounded=True)
    res = max_safe_set(t, ["g", "h"])
    assert res.value == 1 and is_safe(t, res.removed)
    assert max_safe_set(Tower(svc, edges), ["g", "h"]).value == 2
    with pytest.raises(InvalidTowerError, match="grounded"):
        min_collapse_set(t)


def test_milp_on_a_larger_tower():
    t = layered_tower(6, 8, p=0.35, rule=AnyOf(), seed=2)
    res = max_safe_set(t, time_limit=30)
    assert res.proven_optimal and is_safe(t, res.removed)
    col = min_collapse_set(
        t.replace(services={s: {"critical": True} for s in t.ids}), criterion="fallen"
    )
    assert col.outcome.fallen


def test_errors():
    t = Tower(
        [Service("a"), Service("b", provider="P", tariff=0, variable_cost=1, activity=1)],
        [("a", "b")],
        [Provider("P", reserves=5)],
    )
    with pytest.raises(InvalidTowerError, match="variable"):
        min_collapse_set(t)
    with pytest.raises(InvalidTowerError, match="criterion"):
        min_collapse_set(t, criterion="toppled")
    with pytest.raises(InvalidTowerError, match="method"):
        max_safe_set(t, method="magic")
    falls = Tower([Service("a", provider="P")], [], [Provider("P", overhead=1)])
    with pytest.raises(InvalidTowerError, match="intact"):
        max_safe_set(falls)
    with pytest.raises(InvalidTowerError, match="eligible is empty"):
        max_safe_set(classic_jenga(2), [])
    with pytest.raises(InvalidTowerError, match="weight"):
        max_safe_set(classic_jenga(2), weights={"L0.0": "lots"})
    with pytest.raises(TooLargeError):
        brute_max_safe_set(classic_jenga(6))


def test_time_limit_reports_bound_and_gap():
    """A 2-core of a random graph (every service critical) under a short time limit."""
    import dataclasses

    from jenga_games.tower import AtLeast
    from jenga_games.tower.library import random_tower

    rt = random_tower(200, 7.0, AtLeast(1), seed=3)
    deg = {s: len(rt.supporters(s)) for s in rt.ids}
    keep = {s for s in rt.ids if deg[s] >= 3}
    t = Tower(
        [dataclasses.replace(rt.service(s), critical=True) for s in rt.ids if s in keep],
        [(u, v) for u, v in rt.supports if u in keep and v in keep],
        allow_unsatisfiable=True,
    )
    assume_stands = not t.cascade().fallen
    if not assume_stands:
        pytest.skip("instance does not stand intact")
    res = min_collapse_set(t, time_limit=0.3)
    assert res.status in ("optimal", "time_limit")
    if res.removed is not None:
        assert res.outcome.collapsed
        assert 2 <= res.bound <= res.size and 0 <= res.gap < 1
    safe = max_safe_set(
        t, weights={s: (1 if i % 2 else -1) for i, s in enumerate(t.ids)}, time_limit=0.3
    )
    assert safe.status in ("optimal", "time_limit") and safe.bound >= safe.value - 1e-9
    assert is_safe(t, safe.removed)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_enumeration_finds_sets_of_two_and_three_like_brute_force(data):
    """Towers whose answer is 2 or 3 (every service critical, needing two of its supporters)."""
    from jenga_games.tower import AtLeast
    from jenga_games.tower.library import random_tower

    seed = data.draw(st.integers(0, 10_000))
    n = data.draw(st.integers(6, 10))
    rt = random_tower(n, 5.0, AtLeast(data.draw(st.sampled_from([1, 2]))), seed=seed)
    rt = rt.replace(services={s: {"critical": True} for s in rt.ids})
    assume(_stands(rt))
    criterion = data.draw(st.sampled_from(["collapsed", "fallen"]))
    res = min_collapse_set(rt, criterion=criterion)
    assert res.size == brute_min_collapse_set(rt, criterion=criterion)
    if res.size is not None:
        out = rt.cascade(res.removed)
        assert out.collapsed if criterion == "collapsed" else out.fallen
        assert res.bound == res.size and res.gap == 0.0
