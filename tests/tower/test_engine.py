"""The engine protocol: one interface whichever engine the tower chooses; a query written on it."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.testing.tower_strategies import removal_orders, towers
from jenga_games.tower.economy import local_health_economy
from jenga_games.tower.engine import (
    FullCascade,
    ScalarCascade,
    first_failing_provider,
    open_engine,
    unviable,
)


def _first_failure_by_play(tower, order):
    """The oracle: Tower.play's per-step record of failed providers."""
    for step, rec in enumerate(tower.play(order).steps):
        if rec.failed_providers:
            return step, rec.failed_providers[0]
    return None


@settings(max_examples=60)
@given(st.data())
def test_first_failing_provider_matches_play(data):
    tower = data.draw(towers(max_services=7, grounded=None))
    order = data.draw(removal_orders(tower))
    if tower.cascade().collapsed:  # a provider failing intact fails before any step
        return
    assert first_failing_provider(tower, order) == _first_failure_by_play(tower, order)


def test_first_failing_provider_on_the_economy():
    econ = local_health_economy()
    assert first_failing_provider(econ, ["cardiology", "ophthalmology"]) == (1, "acute_trust")
    assert first_failing_provider(econ, ["crisis_team"]) == (0, "mental_health_trust")
    assert first_failing_provider(econ, ["dermatology"]) is None


@settings(max_examples=40)
@given(st.data())
def test_engines_share_the_protocol_and_undo(data):
    tower = data.draw(towers(max_services=7, grounded=None))
    order = data.draw(removal_orders(tower))
    eng = open_engine(tower)
    assert isinstance(eng, FullCascade if tower.grounded else ScalarCascade)
    start = list(map(bool, eng.alive))
    mark = eng.checkpoint()
    gone = set()
    for sid in order:
        i = tower.index_of(sid)
        if eng.alive[i]:
            fell, _ = eng.remove(i)
            gone |= {i, *fell}
    played = tower.play(order)
    assert {tower.ids[i] for i in gone} == played.gone - set(tower.cascade().fell)
    eng.undo(mark)
    assert list(map(bool, eng.alive)) == start


def test_viability_is_scaled_by_overhead():
    bal = np.array([-1e-10, -1e-8, -5e-7, 0.0])
    scale = np.array([1.0, 1.0, 1000.0, 1.0])
    assert unviable(bal, scale).tolist() == [False, True, False, False]


@settings(max_examples=40)
@given(st.data())
def test_provider_balances_match_the_reference_accounting(data):
    """CompiledTower.provider_balances against the oracle's own copy of the money rule."""
    from jenga_games.tower._reference import _balances

    tower = data.draw(towers(max_services=7))
    n = len(tower)
    alive = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    removed = ~alive & np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    ct = tower.compiled
    got = ct.provider_balances(alive, removed)
    ids = tower.ids
    want = _balances(
        tower,
        dict.fromkeys(ids, 1.0),
        {ids[i] for i in np.flatnonzero(alive)},
        {ids[i] for i in np.flatnonzero(removed)},
    )
    assert np.allclose(got, [want[p] for p in tower.providers], rtol=1e-12, atol=1e-9)
    # intact: each provider's headroom, Σ full margins + R − F
    for j, (pid, prov) in enumerate(tower.providers.items()):
        own = tower.services_of(pid)
        head = sum(tower.services[s].full_margin for s in own) + prov.reserves - prov.overhead
        assert np.isclose(ct.provider_balances()[j], head, rtol=1e-12, atol=1e-9)


@settings(max_examples=40)
@given(st.data())
def test_open_batch_kinds_agree_with_play(data):
    """Every kind open_batch offers gives, copy by copy and step by step, what Tower.play gives."""
    from jenga_games.tower.engine import open_batch

    tower = data.draw(towers(max_services=7, grounded=None))
    orders = [data.draw(st.permutations(list(tower.ids))) for _ in range(3)]
    idx = np.array([[tower.index_of(s) for s in o] for o in orders])
    act = tower.compiled.activity
    kinds = ["auto", "full"] if tower.grounded else ["auto", "batch", "scalar", "full"]
    for kind in kinds:
        bc = open_batch(tower, 3, weight=act, kind=kind)
        for k in range(idx.shape[1] + 1):
            if k:
                bc.step(idx[:, k - 1])
            for s, order in enumerate(orders):
                out = tower.play(order[:k])
                assert bool(bc.fallen[s]) == out.fallen, kind
                assert bool(bc.collapsed[s]) == out.collapsed, kind
                standing = [tower.index_of(x) for x in tower.ids if x not in out.gone]
                assert np.isclose(bc.surviving[s], act[standing].sum()), kind


def test_engine_kinds_are_checked():
    import pytest

    from jenga_games.errors import InvalidTowerError
    from jenga_games.tower import AnyOf, Service, Tower
    from jenga_games.tower.engine import open_batch

    grounded = Tower([Service("g"), Service("a", support=AnyOf())], [("g", "a")], grounded=True)
    with pytest.raises(InvalidTowerError, match="grounded"):
        open_engine(grounded, kind="scalar")
    with pytest.raises(InvalidTowerError, match="grounded"):
        open_batch(grounded, 2, kind="batch")
    with pytest.raises(InvalidTowerError, match="kind"):
        open_engine(grounded, kind="fast")
    assert isinstance(open_engine(local_health_economy(), kind="full"), FullCascade)
