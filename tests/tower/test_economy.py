"""The worked local health economy: each claim its docstring makes, checked."""

import networkx as nx
import pytest

from jenga_games.tower._reference import reference_cascade
from jenga_games.tower.economy import ECONOMY_PROVIDERS, ECONOMY_SERVICES, local_health_economy


@pytest.fixture(scope="module")
def economy():
    return local_health_economy()


def _balance(tower, out, provider):
    """Σ margins + R − F after ``out`` (fallen services strand f, removed ones contribute 0)."""
    prov = tower.providers[provider]
    total = prov.reserves - prov.overhead
    for s in tower:
        if s.provider != provider:
            continue
        if s.id in out.standing:
            total += s.full_margin
        elif s.id in out.fell:
            total -= s.fixed_cost
    return total


def test_size_settings_and_shape(economy):
    assert 25 <= len(economy) <= 40
    assert {s.setting for s in economy} == {"acute", "community", "primary", "mental_health"}
    assert set(economy.providers) == set(ECONOMY_PROVIDERS)
    assert all(s.layer is not None and s.label for s in economy)
    for sid in (
        "ae",
        "critical_care",
        "theatres",
        "imaging",
        "ultrasound",
        "pathology",
        "maternity",
        "community_nursing",
        "community_diagnostics",
        "gp_practices",
    ):
        assert sid in economy
    assert economy.service("ae").critical


def test_valid_and_viable_but_not_monotone(economy):
    """The worked economy stands and is viable; it is *not* monotone (issue #23).

    Removing the crisis team alone topples mental-health inpatients, whose
    stranded fixed cost fails the mental-health trust; removing both topples
    nothing (a planned removal strands no fixed cost).
    """
    report = economy.validate()
    assert report.ok and not report.monotone
    assert report.monotone_basis == "counterexample"
    small, big = report.counterexample
    assert set(small) < set(big)
    assert not economy.cascade(small).gone <= economy.cascade(big).gone
    alone = economy.cascade(["crisis_team"])
    both = economy.cascade(["crisis_team", "mental_health_inpatient"])
    assert "mental_health_inpatient" in alone.fell and alone.failed_providers
    assert not both.fallen and not both.failed_providers
    assert not report.unviable_providers and not report.falls_when_intact
    assert report.cycles == (("acute_medicine", "ae"),)  # the one mutual dependence


def test_layers_put_supporters_at_or_below_dependants(economy):
    for u, v in economy.supports:
        if {u, v} != {"ae", "acute_medicine"}:
            assert economy.service(u).layer < economy.service(v).layer, (u, v)


def test_money_follows_the_stated_formulas(economy):
    """c = v·p, f = (1 − v − m)·a·p, and F = Σ m·a·p + R − H (headroom H when intact)."""
    for sid, (_, _prov, a, p, v, m, *_rest) in ECONOMY_SERVICES.items():
        s = economy.service(sid)
        assert s.variable_cost == pytest.approx(v * p)
        assert s.full_margin == pytest.approx(m * a * p)
    intact = economy.cascade()
    for pid, (_, _, reserves, headroom) in ECONOMY_PROVIDERS.items():
        assert economy.providers[pid].reserves == reserves
        assert _balance(economy, intact, pid) == pytest.approx(headroom)


def test_income_matches_the_calibration(economy):
    """About £310 m of the £540 m that £1,800 a head buys for 300,000 people."""
    income = sum(s.activity * s.tariff for s in economy)
    assert 280 < income < 360
    assert economy.service("gp_practices").tariff == pytest.approx(0.155)  # £155 per patient


@pytest.mark.parametrize(
    "block",
    [
        "ultrasound",
        "dermatology",
        "ophthalmology",
        "cardiology",
        "community_diagnostics",
        "community_nursing",
        "intermediate_care",
    ],
)
def test_safe_single_removals(economy, block):
    assert not economy.cascade([block]).fallen


@pytest.mark.parametrize(
    ("block", "falls"), [("endoscopy", "gastroenterology"), ("maternity", "neonatal")]
)
def test_local_topples_that_the_acute_trust_survives(economy, block, falls):
    out = economy.cascade([block])
    assert out.fell == (falls,) and not out.collapsed
    assert 0 < _balance(economy, out, "acute_trust") < 0.5  # little to spare


def test_crisis_team_topples_the_mental_health_trust(economy):
    out = economy.cascade(["crisis_team"])
    assert "mental_health_wards" not in economy
    assert out.fell[0] == "mental_health_inpatient"
    assert out.failed_providers == ("mental_health_trust",)
    assert set(economy.services_of("mental_health_trust")) - {"crisis_team"} == set(out.fell)


@pytest.mark.parametrize("block", ["pathology", "critical_care"])
def test_foundations_bring_the_hospital_down(economy, block):
    out = economy.cascade([block])
    assert out.collapsed and "ae" in out.critical_lost
    assert "acute_trust" in out.failed_providers


def test_two_safe_blocks_together_topple_the_acute_trust(economy):
    pair = ["cardiology", "ophthalmology"]
    contribution = sum(economy.service(s).full_margin for s in pair)
    assert contribution > ECONOMY_PROVIDERS["acute_trust"][3]
    assert max(economy.service(s).full_margin for s in pair) < ECONOMY_PROVIDERS["acute_trust"][3]
    out = economy.cascade(pair)
    assert out.collapsed and out.failed_providers[0] == "acute_trust"


def test_discharge_alternatives_together_topple_ae(economy):
    out = economy.cascade(["community_nursing", "intermediate_care"])
    assert out.rounds[0] == ("acute_medicine",)
    assert "ae" in out.critical_lost and out.collapsed


def test_moving_activity_without_closing_wards(economy):
    """Moving 5% of acute medicine out is safe; 10% topples the acute trust (fixed cost stays)."""
    assert not economy.cascade({"acute_medicine": 0.95}).fallen
    out = economy.cascade({"acute_medicine": 0.90})
    assert out.failed_providers[0] == "acute_trust" and out.collapsed
    s = economy.service("acute_medicine")
    lost = 0.10 * s.activity * s.unit_margin
    assert lost > ECONOMY_PROVIDERS["acute_trust"][3] > lost / 2


def test_engine_agrees_with_reference_on_every_single_removal(economy):
    for sid in economy.ids:
        x = {s: 1.0 for s in economy.ids}
        x[sid] = 0.0
        _removed, fell, failed = reference_cascade(economy, x)
        out = economy.cascade([sid])
        assert set(out.fell) == fell and set(out.failed_providers) == failed


def test_graph_is_weakly_connected(economy):
    assert nx.is_weakly_connected(economy.graph)
