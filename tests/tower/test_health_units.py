"""Units, health and sources: per-unit activity, QALYs lost, NMB at NICE's range, co-dependencies."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidTowerError
from jenga_games.tower import Service, Tower, local_health_economy, read_tower, write_tower
from jenga_games.tower.codependency import (
    EXAMPLE_RELATIONS,
    LEVELS,
    codependency_example,
    codependency_rule,
    codependency_tower,
)
from jenga_games.tower.economy import ECONOMY_HEALTH, ECONOMY_SERVICES, ECONOMY_UNITS
from jenga_games.tower.health import NICE_WTP, health_value, net_monetary_benefit
from jenga_games.tower.rules import AllOf, AnyOf


def _brute(tower, out):
    """The same accounts from the services one by one (an independent oracle)."""
    spend, health, by_unit = 0.0, {}, {}
    for sid in out.fell:
        s = tower.service(sid)
        spend += s.activity * s.tariff
        unit = s.unit or "units"
        by_unit[unit] = by_unit.get(unit, 0.0) + s.activity
        if s.health is not None:
            m = s.health_measure or "QALY"
            health[m] = health.get(m, 0.0) + s.activity * s.health
    return spend, health, by_unit


def test_every_single_and_pair_removal_of_the_economy_matches_the_oracle():
    t = local_health_economy()
    for k in (1, 2):
        for removed in itertools.islice(itertools.combinations(t.ids, k), 200):
            out = t.cascade(removed)
            spend, health, by_unit = _brute(t, out)
            assert out.spend_lost == pytest.approx(spend)
            assert out.activity_lost_by_unit == pytest.approx(by_unit)
            for m, v in health.items():
                assert out.health_lost[m] == pytest.approx(v)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 100),
            st.floats(0, 5),
            st.sampled_from([None, "tests", "bed-days"]),
            st.none() | st.floats(-1, 1),
            st.sampled_from([None, "QALY", "deaths averted"]),
        ),
        min_size=2,
        max_size=6,
    ),
    st.data(),
)
def test_accounts_keep_units_and_measures_apart(rows, data):
    services = [
        Service(i, activity=a, tariff=p, unit=u, health=h, health_measure=m)
        for i, (a, p, u, h, m) in enumerate(rows)
    ]
    edges = [(i, i + 1) for i in range(len(rows) - 1)]  # a chain: removing i topples all above
    t = Tower(services, edges)
    cut = data.draw(st.integers(0, len(rows) - 1))
    out = t.cascade([cut])
    spend, health, by_unit = _brute(t, out)
    assert out.spend_lost == pytest.approx(spend)
    assert dict(out.activity_lost_by_unit) == pytest.approx(by_unit)
    assert {m: v for m, v in out.health_lost.items() if v} == pytest.approx(
        {m: v for m, v in health.items() if v}
    )


def test_the_worked_economy_states_units_health_and_sources():
    t = local_health_economy()
    assert set(ECONOMY_UNITS) == set(ECONOMY_SERVICES)
    assert all(s.unit and s.source for s in t)
    assert all(p.source and "assumption" in p.source for p in t.providers.values())
    assert all("assumption" in s.source for s in t if s.id in ECONOMY_HEALTH)
    assert len({s.unit for s in t}) > 5  # many units: activity must never be summed across them


def test_demo_report_aggregates_use_money_or_patients_not_mixed_units(tmp_path):
    """The report's own totals and rankings (health section, one cascade) are in money or QALYs."""
    from jenga_games.cli._economy_report import section_health, section_sources
    from jenga_games.cli.demo import DemoContext

    ctx = DemoContext(tower=local_health_economy(), out=tmp_path)
    text = section_health(ctx)
    assert "QALYs lost" in text and "£" in text and "thousand units" not in text
    rows = ctx.data["health_lost"]
    assert [r["qalys_lost"] for r in rows] == sorted((r["qalys_lost"] for r in rows), reverse=True)
    sources = section_sources(ctx)
    assert "## Assumptions and sources" in sources and "NICE2013" in sources
    assert not ctx.data["sources"]["missing"]


def test_net_monetary_benefit_at_nice_thresholds():
    assert NICE_WTP == (20_000.0, 30_000.0)
    assert net_monetary_benefit(10, 150_000, 20_000) == pytest.approx(50_000)
    assert net_monetary_benefit(10, 0.25, 30_000, money_unit=1e6) == pytest.approx(0.05)
    out = local_health_economy().cascade(["stroke"])
    assert health_value(out, 20_000, money_unit=1e6) == pytest.approx(
        out.health_lost["QALY"] * 0.02
    )
    with pytest.raises(InvalidTowerError, match="money_unit"):
        net_monetary_benefit(1, 1, money_unit=0)


def test_health_and_units_round_trip_through_every_format(tmp_path):
    t = Tower(
        [
            Service("a", unit="tests", health=0.5, source="assumption"),
            Service("b", unit="bed-days", health=-0.1, health_measure="falls", source="x"),
        ],
        [("a", "b")],
    )
    for name in ("t.json", "t.graphml", "t.xlsx", "csv"):
        assert read_tower(write_tower(t, tmp_path / name)) == t


def test_codependency_levels_map_to_rules():
    assert set(LEVELS) == {"same site", "should", "networked", "none"}
    assert codependency_rule(["a"], ["b", "c"]) == AllOf("a") & AnyOf("b", "c")
    assert codependency_rule([], ["b"]) == AnyOf("b")
    assert codependency_rule(["a", "b"], []) == AllOf("a", "b")
    assert codependency_rule([], []) is None
    t = codependency_example()
    assert t.validate().ok
    networked = {(u, v) for v, u, lvl in EXAMPLE_RELATIONS if lvl == "networked"}
    assert not networked & set(t.supports)  # networked services hold nothing up
    # A&E stands with one of its two "should" partners and falls without both
    assert "ae" not in t.cascade(["general_surgery"]).fell
    assert t.cascade(["general_surgery", "trauma_orthopaedics"]).rounds[0] == ("ae",)
    with pytest.raises(InvalidTowerError, match="unknown co-dependency level 'maybe'"):
        codependency_tower([Service("a"), Service("b")], [("b", "a", "maybe")])
    assert (
        codependency_tower([Service("a"), Service("b")], [("b", "a", "Can be networked")]).supports
        == ()
    )


def test_no_nan_in_accounts_of_an_empty_cascade():
    out = local_health_economy().cascade()
    assert out.spend_lost == 0.0 and not out.activity_lost_by_unit
    assert all(np.isfinite(v) for v in out.health_lost.values())


def test_weakest_blocks_rank_by_money_not_by_mixed_activity():
    """Pathology (tests) topples as much money as imaging but far less 'activity': money decides."""
    from jenga_games.tower import weakest_blocks

    t = local_health_economy()
    wb = weakest_blocks(t)
    keys = [(-int(c), -v, -n) for c, v, n in zip(wb.collapsed, wb.value_lost, wb.n_fell)]
    assert keys == sorted(keys)  # collapse first, then contribution lost (money), then count
    ranks = {b: i for i, b in enumerate(wb.blocks)}
    assert ranks["pathology"] < ranks["acute_medicine"]  # by activity it came after it
