"""Capability as a stock: closed forms against an ODE solver, and the period property."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from jenga_games.commissioning import InvalidParameterError
from jenga_games.dynamics import (
    CapabilityParams,
    average_capability,
    capability_path,
    periodic_reorganisations,
    stationary_start,
    yearly_capability,
)


def _ode_cycle(prm: CapabilityParams, period: float, k0: float) -> tuple[float, float]:
    """One period of dK/dt = λ(K̄ − K) by an adaptive ODE solver: (K at the end, mean of K)."""
    sol = solve_ivp(
        lambda t, y: [prm.learning_rate * (prm.ceiling - y[0]), y[0]],
        (0.0, period),
        [k0, 0.0],
        rtol=1e-12,
        atol=1e-14,
    )
    return sol.y[0, -1], sol.y[1, -1] / period


@pytest.mark.parametrize("period", [0.5, 2.0, 3.7, 10.0])
@pytest.mark.parametrize("rho", [0.0, 0.55, 0.9])
def test_stationary_cycle_and_average_match_an_ode_solver(period, rho):
    prm = CapabilityParams(learning_rate=0.35, retained_share=rho)
    ks = stationary_start(period, prm)
    k_end, mean = _ode_cycle(prm, period, ks)
    assert rho * k_end == pytest.approx(ks, abs=1e-9)  # K_s is the cycle's fixed point
    assert average_capability(period, prm) == pytest.approx(mean, abs=1e-9)


def test_stationary_start_is_a_fixed_point_of_one_cycle():
    prm = CapabilityParams(learning_rate=0.4, retained_share=0.6)
    ks = stationary_start(3.0, prm)
    path = capability_path((3.0,), 3.0 + 1e-9, CapabilityParams(**{**prm.__dict__, "initial": ks}))
    k_end = prm.ceiling - (prm.ceiling - ks) * math.exp(-prm.learning_rate * 3.0)
    assert prm.retained_share * k_end == pytest.approx(ks, abs=1e-12)
    assert path.reorganisations == (3.0,)


def test_path_average_is_the_exact_integral():
    prm = CapabilityParams()
    r = capability_path(periodic_reorganisations(2, 30), 30, prm, points_per_year=2000)
    grid = r.path
    # the trapezoid rule straddles each of the 14 jumps: an error up to ~14 · Δt · jump / 30
    assert np.trapezoid(grid["capability"], grid["t"]) / 30 == pytest.approx(r.average, abs=2e-4)
    assert r.value_total == pytest.approx(prm.value_added * r.average * 30)


def test_no_loss_means_full_capability():
    prm = CapabilityParams(retained_share=1.0)
    assert average_capability(np.array([0.5, 2, 9]), prm) == pytest.approx(1.0)
    assert capability_path((1, 2, 3), 5, prm).average == pytest.approx(1.0)


@given(
    lam=st.floats(0.01, 5),
    rho=st.floats(0, 0.999),
    t1=st.floats(0.05, 40),
    t2=st.floats(0.05, 40),
)
def test_shorter_cycles_never_raise_average_capability(lam, rho, t1, t2):
    prm = CapabilityParams(learning_rate=lam, retained_share=rho)
    lo, hi = sorted((t1, t2))
    assert average_capability(lo, prm) <= average_capability(hi, prm) + 1e-12


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"learning_rate": -1}, "learning_rate"),
        ({"retained_share": 1.5}, "retained_share"),
        ({"initial": 2.0}, "exceeds the ceiling"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        CapabilityParams(**kwargs)


def test_bad_times_and_periods():
    with pytest.raises(InvalidParameterError, match="increase strictly"):
        capability_path((3, 2), 10)
    with pytest.raises(InvalidParameterError, match="inside"):
        capability_path((12,), 10)
    with pytest.raises(InvalidParameterError, match="positive"):
        average_capability(0.0)


def test_yearly_means_add_up_to_the_path_average():
    times = [2.0, 4.0, 6.5]
    y = yearly_capability(times, 10)
    assert y.mean() == pytest.approx(capability_path(times, 10).average, abs=1e-12)
    assert y[0] == pytest.approx(1.0) and y[2] < y[3]  # learning after the reset at 2


def test_reorganisation_cost_with_a_capability_stock():
    from jenga_games.commissioning import reorganisation_cost

    base = reorganisation_cost()
    costs = [
        reorganisation_cost(period=T, capability=CapabilityParams()).churn_cost
        for T in (1, 2, 5, 10)
    ]
    assert costs == sorted(costs, reverse=True)  # more frequent, dearer
    # no capability lost at a reorganisation: only the transition cost remains
    full = reorganisation_cost(capability=CapabilityParams(retained_share=1.0))
    assert full.churn_cost == pytest.approx(
        sum(45.0 * 1.035**-t for t in range(2, 30, 2)), rel=1e-9
    )
    assert base.churn_cost > full.churn_cost
    with pytest.raises(InvalidParameterError, match="CapabilityParams"):
        reorganisation_cost(capability={"learning_rate": 1})
