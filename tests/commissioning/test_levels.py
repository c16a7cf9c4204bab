"""Levels of commissioning: best levels by hand, reorganisation costs, properties, errors."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jenga_games.commissioning import (
    InvalidParameterError,
    LevelsParams,
    RiskParams,
    best_levels,
    reorganisation_cost,
)

LEVELS = {
    "individual": 1.0,
    "neighbourhood": 40_000.0,
    "council": 300_000.0,
    "national": 56_000_000.0,
}


def test_pure_scale_and_pure_fit_by_hand():
    """With no local-fit loss (h = 0) cost K/P + ρzσ/√P falls with P: the largest level wins.
    With no fixed cost or risk (K = σ = 0) cost h ln P is least at P = 1: the individual level.
    Mixed: K = 1e6, σ = 0, h = 1 gives c(P) = 1e6/P + ln P, minimised at P = 1e6 among the levels
    it is council (3.33 + 12.61 = 15.95) against neighbourhood (25 + 10.60 = 35.6) and national
    (0.018 + 17.84)."""
    prm = LevelsParams(
        levels=LEVELS,
        services={"scale": (1e6, 100.0, 0.0), "fit": (0.0, 0.0, 2.0), "mixed": (1e6, 0.0, 1.0)},
    )
    r = best_levels(prm)
    assert r.best == {"scale": "national", "fit": "individual", "mixed": "council"}
    assert r.cost.loc["mixed", "council"] == pytest.approx(1e6 / 3e5 + math.log(3e5))
    assert (r.saving_vs_single >= -1e-9).all()


def test_defaults_spread_over_every_level():
    assert sorted(set(best_levels().best.values())) == sorted(
        ["individual", "neighbourhood", "council", "regional", "national"]
    )


def test_reorganisation_counts_and_costs_by_hand():
    """30 years, a reorganisation every 2 years (t = 2, 4, ..., 28): 14. Undiscounted, with no
    disruption, the reorganisations cost 14 × £45 = £630 a head on top of the structure; with a
    disruption of 50% of £18 recovering over 2 years each costs 9 + 4.5 more: 14 × 13.5 = 189."""
    base = dict(discount_rate=0.0, years=30)
    r = reorganisation_cost(LevelsParams(**base, disruption=0.0), period=2)
    assert r.reorganisations == 14
    assert r.churn_cost == pytest.approx(14 * 45)
    r2 = reorganisation_cost(LevelsParams(**base, transition_cost=0.0), period=2)
    assert r2.churn_cost == pytest.approx(14 * (9 + 4.5))
    assert r.misplacement_cost >= 0


def test_no_reorganisation_within_the_horizon():
    r = reorganisation_cost(LevelsParams(years=10), period=10)
    assert r.reorganisations == 0 and r.churn_cost == pytest.approx(0)


@given(t1=st.floats(0, 100), dt=st.floats(0, 100), d=st.floats(0, 1), period=st.integers(1, 10))
def test_churn_cost_grows_with_transition_cost(t1, dt, d, period):
    a = reorganisation_cost(
        LevelsParams(transition_cost=t1, disruption=d), period=period
    ).churn_cost
    b = reorganisation_cost(
        LevelsParams(transition_cost=t1 + dt, disruption=d), period=period
    ).churn_cost
    assert b >= a - 1e-9 and a >= -1e-9


@given(rho=st.floats(0.0, 0.2), sig=st.floats(0, 1e5))
def test_best_cost_is_the_row_minimum(rho, sig):
    prm = LevelsParams(services={"s": (1e5, sig, 0.5)}, risk=RiskParams(capital_cost=rho))
    r = best_levels(prm)
    assert r.cost.loc["s", r.best["s"]] == pytest.approx(r.cost.loc["s"].min())


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"levels": {}}, "levels is empty"),
        ({"services": {}}, "services is empty"),
        ({"services": {"x": (-1, 0, 0)}}, "K must be >= 0"),
        ({"services": {"x": (1, 0)}}, r"must be \(K, sigma, h\)"),
        ({"levels": {"a": 0}}, "must be > 0"),
        ({"disruption": 2}, r"probability in \[0, 1\]"),
        ({"years": 0}, "years must be >= 1"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        LevelsParams(**kwargs)


def test_bad_calls():
    with pytest.raises(InvalidParameterError, match="not among the levels"):
        reorganisation_cost(pendulum=("council", "planet"))
    with pytest.raises(InvalidParameterError, match="unknown services"):
        reorganisation_cost(moved=["dentistry"])
    with pytest.raises(InvalidParameterError, match="period must be >= 1"):
        reorganisation_cost(period=0)


def test_figure(check_figure):
    from jenga_games.plot.commissioning import plot_levels

    check_figure(plot_levels(), "levels")


POP = list(LEVELS.values())


@given(
    K=st.floats(0, 1e7),
    sig=st.floats(0, 1e4),
    h=st.floats(0, 5),
    dh=st.floats(0.01, 5),
    dK=st.floats(1, 1e7),
)
def test_comparative_statics(K, sig, h, dh, dK):
    """More need for local fit (h) never moves the best level up; a bigger fixed cost (K) never
    moves it down: c(P2) − c(P1) changes by Δh (ln P2 − ln P1) >= 0 and ΔK (1/P2 − 1/P1) <= 0."""

    def best(K_, h_):
        return POP.index(
            LEVELS[
                best_levels(LevelsParams(levels=LEVELS, services={"s": (K_, sig, h_)})).best["s"]
            ]
        )

    assert best(K, h + dh) <= best(K, h)
    assert best(K + dK, h) >= best(K, h)
