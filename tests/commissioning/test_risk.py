"""Risk pooling: analytic moments, the 1/√N law, published replications, the pooling game."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from jenga_games.commissioning import (
    InvalidParameterError,
    RiskParams,
    annual_cost_moments,
    group_cost,
    group_size,
    pooling_game,
    replication_table,
    reserve_per_head,
    simulate_annual_costs,
)
from jenga_games.games.cooperative import is_convex

Z95 = stats.norm.ppf(0.95)


def test_moments_and_reserve_by_hand():
    """Defaults: £1,800 a head, κ = 3 so σ = £5,400 a person; a list of 1,600.

    E[S] = 1,600 × 1,800 = £2.88 m; SD = √1,600 × 5,400 = £216,000; reserve per head at ε = 5%
    is 1.6449 × 5,400 / 40 = £222.06, and four times the population halves it.
    """
    mean, sd = annual_cost_moments(1600)
    assert mean == pytest.approx(2_880_000) and sd == pytest.approx(216_000)
    r1 = reserve_per_head(1600)
    assert r1 == pytest.approx(Z95 * 5400 / 40)
    assert reserve_per_head(6400) == pytest.approx(r1 / 2)


def test_simulation_matches_analytic_moments():
    """20,000 simulated years of 10,000 people: mean and SD within sampling error of the formulas."""
    prm = RiskParams()
    sims = simulate_annual_costs(10_000, 20_000, prm, seed=1)
    mean, sd = annual_cost_moments(10_000, prm)
    assert abs(sims.mean() - mean) < 4 * sd / math.sqrt(len(sims))
    assert sims.std(ddof=1) == pytest.approx(sd, rel=0.03)


def test_seeds():
    a = simulate_annual_costs(1600, 50, seed=0)
    assert np.array_equal(a, simulate_annual_costs(1600, 50, seed=0))
    assert not np.array_equal(a, simulate_annual_costs(1600, 50, seed=1))


def test_simulated_reserve_close_to_normal_for_large_groups():
    """At 100,000 people the normal approximation and the simulated 95% quantile agree within 5%."""
    n = reserve_per_head(100_000)
    s = reserve_per_head(100_000, method="simulation", years=40_000, seed=3)
    assert s == pytest.approx(n, rel=0.05)


def test_replication_table_against_published_figures():
    """Crump et al. 1991: CV 7.5%, 5.0%, 1.8% at 9,000 / 24,000 / 179,400 are within 10% of κ/√N
    with a single κ fitted to all three (one parameter, three figures), and the seeded 100-year
    simulation within 25% (100 years give the SD to about ±7% only).
    Bachmann & Bevan 1996: worst-of-100-years / mean = 6.8/2.8 is matched by the fitted rate
    (exactly, up to root finding), and 200 seeded replications average within 5% of it.
    """
    t = replication_table(seed=0)
    crump = t[t["source"] == "Crump1991 CV"]
    assert len(crump) == 3
    assert (crump["rel_error"].abs() < 0.10).all()
    assert ((crump["simulated"] - crump["published"]).abs() / crump["published"] < 0.25).all()
    bb = t[t["source"] == "Bachmann1996 worst/mean"].iloc[0]
    assert bb["published"] == pytest.approx(6.8 / 2.8)
    assert bb["model"] == pytest.approx(bb["published"], rel=1e-6)
    assert bb["simulated"] == pytest.approx(bb["published"], rel=0.05)
    cv30 = t[t["source"].str.contains("30,000")]["model"].iloc[0]
    cv7 = t[t["source"].str.contains("7,000 \\(implied")]["model"].iloc[0]
    assert cv7 == pytest.approx(cv30 * math.sqrt(30_000 / 7_000))


@given(
    n1=st.integers(1, 200_000),
    n2=st.integers(1, 200_000),
    eps=st.floats(0.001, 0.5),
    cv=st.floats(2.0, 10.0),
)
def test_pooling_never_raises_reserve_per_head(n1, n2, eps, cv):
    prm = RiskParams(overspend_prob=eps, per_person_cv=cv)
    pooled = reserve_per_head(n1 + n2, prm)
    apart = (n1 * reserve_per_head(n1, prm) + n2 * reserve_per_head(n2, prm)) / (n1 + n2)
    assert pooled <= apart * (1 + 1e-12)


@settings(max_examples=25)
@given(lists=st.lists(st.integers(500, 20_000), min_size=2, max_size=5))
def test_pure_risk_pooling_game_is_convex_and_shapley_in_core(lists):
    """Without coordination or focus costs, c(S) ∝ √N_S is submodular: a convex savings game,
    so the core is non-empty and contains the Shapley value; shares are efficient."""
    g = pooling_game(lists, RiskParams(coordination_cost=0, focus_loss=0))
    assert is_convex(g.game)
    assert not g.core_empty and g.shapley_in_core
    for x in (g.shapley, g.nucleolus, g.proportional):
        assert x.sum() == pytest.approx(g.game.grand, rel=1e-9, abs=1e-6)


def test_two_equal_practices_by_hand():
    """v({1,2}) = ρ z σ (2√1600 − √3200) = 0.035 × 1.6449 × 5400 × 23.431 = 7,284.3; halves each."""
    g = pooling_game([1600, 1600], RiskParams(coordination_cost=0, focus_loss=0))
    expected = 0.035 * Z95 * 5400 * (80 - math.sqrt(3200))
    assert g.game.grand == pytest.approx(expected)
    assert g.shapley == pytest.approx([expected / 2] * 2)
    assert g.nucleolus == pytest.approx([expected / 2] * 2)


def test_group_cost_by_hand():
    prm = RiskParams(capital_cost=0.0, coordination_cost=10.0, focus_loss=1.0)
    # 3 practices: 3 pairs × 10; focus Σ n ln(N/n) = 3 × 1000 × ln 3
    assert group_cost([1000, 1000, 1000], prm) == pytest.approx(30 + 3000 * math.log(3))


@given(gamma=st.floats(1.0, 200.0), rho=st.floats(0.01, 0.1))
def test_best_group_size_matches_calculus(gamma, rho):
    """With φ = 0 the per-head cost A k^{-1/2} + B (k − 1), A = ρ z σ/√n, B = γ/(2n), is minimised
    at k* = (A/(2B))^{2/3}; the integer optimum is floor or ceil of k* (a convex function of k)."""
    prm = RiskParams(focus_loss=0.0, coordination_cost=gamma, capital_cost=rho)
    A = rho * prm.z * prm.sd_per_person / math.sqrt(prm.list_size)
    B = gamma / (2 * prm.list_size)
    kstar = (A / (2 * B)) ** (2 / 3)
    g = group_size(prm, max_practices=max(10, int(3 * kstar) + 5))
    assert g.best_practices in {max(1, math.floor(kstar)), math.ceil(kstar)}


def test_default_best_group_near_published_range():
    """Defaults put the best group between 50,000 and 150,000 people: Jones 2009 (risk unacceptable
    below about 100,000) and Bojke et al. 2001 (no gain above about 100,000)."""
    g = group_size()
    assert 50_000 <= g.best_population <= 150_000


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"cost_per_head": -1}, "cost_per_head must be > 0"),
        ({"overspend_prob": 0}, r"probability in \(0, 1\)"),
        ({"overspend_prob": 1.2}, r"probability in \(0, 1\)"),
        ({"per_person_cv": 0.5}, "cannot vary less"),
        ({"list_size": 0}, "list_size must be >= 1"),
        ({"coordination_cost": -5}, "coordination_cost must be >= 0"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        RiskParams(**kwargs)


def test_bad_calls():
    with pytest.raises(InvalidParameterError, match="empty"):
        pooling_game([])
    with pytest.raises(InvalidParameterError, match="must be > 0"):
        pooling_game([1600, 0])
    with pytest.raises(InvalidParameterError, match="at most 20"):
        pooling_game([1600] * 21)
    with pytest.raises(InvalidParameterError, match="method"):
        reserve_per_head(1600, method="exact")
    with pytest.raises(InvalidParameterError, match="population"):
        reserve_per_head(0)


def test_figure(check_figure):
    from jenga_games.plot.commissioning import plot_risk

    check_figure(plot_risk(), "risk")


def test_costly_coordination_splits_the_group():
    """With γ = £2,000 a pair, ten practices together lose money (v(N) < 0): the nucleolus is
    undefined (NaN), the core is empty, and the best structure splits them into groups whose
    total saving beats both the grand coalition and standing alone."""
    g = pooling_game([1600] * 10, RiskParams(coordination_cost=2000))
    assert g.game.grand < 0 and g.core_empty
    assert np.isnan(g.nucleolus).all()
    blocks = g.structure
    assert sorted(p for b in blocks for p in b) == sorted(g.game.players)
    total = sum(g.game.value(b) for b in blocks)
    assert len(blocks) > 1 and total > max(0.0, g.game.grand)
    # every group size is within one of the calculus optimum for identical practices
    k = group_size(RiskParams(coordination_cost=2000, focus_loss=0.3)).best_practices
    assert all(abs(len(b) - k) <= 1 for b in blocks)
