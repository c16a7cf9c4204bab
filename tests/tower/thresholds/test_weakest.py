"""weakest_blocks against one full cascade per block; dominators against the incremental engine."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidTowerError
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import AnyOf, Provider, Tower
from jenga_games.tower.library import classic_jenga, layered_tower, local_health_economy
from jenga_games.tower.thresholds import weakest_blocks


def _check_against_cascades(tower, wb):
    intact = tower.cascade()
    for rank, b in enumerate(wb.blocks):
        if b in intact.fell:
            continue
        out = tower.cascade({b})
        fell = set(out.fell) - set(intact.fell)
        assert set(wb.falls(b)) == fell, b
        assert wb.n_fell[rank] == len(fell)
        spend = sum(tower.service(s).activity * tower.service(s).tariff for s in fell)
        assert wb.spend_lost[rank] == pytest.approx(spend)
        qalys = sum(tower.service(s).activity * (tower.service(s).health or 0.0) for s in fell)
        assert wb.health_lost[rank] == pytest.approx(qalys)
        new_fail = set(out.failed_providers) - set(intact.failed_providers)
        crit = any(tower.service(s).critical for s in fell)
        assert bool(wb.collapsed[rank]) == (bool(new_fail) or crit), b


@settings(max_examples=60)
@given(st.data())
def test_weakest_blocks_equal_full_cascades(data):
    tower = data.draw(towers(max_services=8, grounded=None))
    health = data.draw(st.lists(st.floats(0, 9), min_size=len(tower), max_size=len(tower)))
    tower = tower.replace(services={s: {"health": h} for s, h in zip(tower.ids, health)})
    _check_against_cascades(tower, weakest_blocks(tower))


@settings(max_examples=40)
@given(st.data())
def test_dominators_equal_incremental_on_any_of_towers(data):
    tower = data.draw(towers(max_services=9, cycles=False, compound_rules=False))
    tower = tower.replace(
        services={s: {"support": AnyOf(), "health": 0.5 * i} for i, s in enumerate(tower.ids)}
    )
    inc = weakest_blocks(tower, method="incremental")
    try:
        dom = weakest_blocks(tower, method="dominators")
    except InvalidTowerError:
        return  # falls intact, or p < c somewhere
    assert dom.blocks == inc.blocks
    assert np.array_equal(dom.n_fell, inc.n_fell)
    assert np.array_equal(dom.collapsed, inc.collapsed)
    assert np.allclose(dom.health_lost, inc.health_lost)
    for b in tower.ids:
        assert set(dom.falls(b)) == set(inc.falls(b))
    _check_against_cascades(tower, dom)


def test_layered_any_of_tower_uses_dominators_with_provider_redo():
    t = layered_tower(8, 10, p=0.3, rule=AnyOf(), seed=4)
    svc = [replace(s, provider="P", activity=1, tariff=2, variable_cost=1) for s in t]
    t = Tower(svc, t.supports, [Provider("P", overhead=77.5)])
    wb = weakest_blocks(t)
    assert wb.method == "dominators"
    assert wb.provenance.params["redone_incrementally"] > 0
    _check_against_cascades(t, wb)


def test_known_economy_and_jenga():
    wb = weakest_blocks(local_health_economy())
    assert wb.blocks[0] == "gp_practices" and wb.collapsed[0]  # the ground of the community
    assert wb.collapsed[list(wb.blocks).index("pathology")]
    frame = wb.to_frame()
    assert list(frame.columns) == [
        "block",
        "n_fell",
        "spend_lost",
        "value_lost",
        "collapsed",
        "health_lost",
    ]
    # pathology's fall takes the acute trust, with the QALYs of its acute services
    assert wb.health_lost[list(wb.blocks).index("pathology")] > 0
    assert "endoscopy" in wb.to_dict()["blocks"]
    assert set(wb.falls("endoscopy")) == {"gastroenterology"}
    jenga = classic_jenga(4)
    j = weakest_blocks(jenga)
    assert j.method == "incremental" and j.n_fell.max() == 0  # no single block topples Jenga
    with pytest.raises(InvalidTowerError, match="method"):
        weakest_blocks(jenga, method="fast")
    with pytest.raises(InvalidTowerError, match="dominators"):
        weakest_blocks(jenga, method="dominators")


def test_dominator_tree_equals_networkx():
    import networkx as nx

    from jenga_games.tower.thresholds._weakest import _immediate_dominators

    t = layered_tower(7, 9, p=0.3, rule=AnyOf(), seed=11)
    ct = t.compiled
    grounded = (ct.indegree == 0) | (ct.threshold == 0)
    g = nx.DiGraph()
    n = len(t)
    g.add_edges_from((n, int(v)) for v in np.flatnonzero(grounded))
    g.add_edges_from(zip(ct.in_idx.tolist(), ct.in_dst.tolist()))
    expected = nx.immediate_dominators(g, n)
    ours = _immediate_dominators(t, grounded)
    assert all(ours[v] == expected[v] for v in range(n))
