"""Endogenous reorganisation: the deterministic closed form, the override's moments, seeds."""

import numpy as np
import pytest

from jenga_games.commissioning import InvalidParameterError
from jenga_games.dynamics import (
    CapabilityParams,
    CentreParams,
    centralisation,
    deterministic_period,
    simulate_centre,
    stationary_start,
)
from jenga_games.dynamics.reorganisation import _override_moments


def _identical_areas(aspiration, tenure=2, rho=0.55, initial=1.0):
    return CentreParams(
        fit={"central": (1.0, 0.0), "local": (1.1, 0.0)},
        noise=0.0,
        aspiration=aspiration,
        min_tenure=tenure,
        capability=CapabilityParams(retained_share=rho, initial=initial),
    )


@pytest.mark.parametrize("tenure", [1, 2, 3, 5])
@pytest.mark.parametrize("aspiration", [8.0, 12.0, 15.0, 19.0, 21.0])
def test_deterministic_period_matches_simulation(tenure, aspiration):
    # start on the stationary cycle: just after a reorganisation, capability K_s
    ks = stationary_start(tenure, CapabilityParams(retained_share=0.55))
    prm = _identical_areas(aspiration, tenure, initial=ks)
    sim = simulate_centre(prm, years=300)
    expected = deterministic_period(prm)
    if expected is None:
        assert len(sim.reorganisations) <= 1  # it settles at once (or after one move)
    else:
        gaps = np.diff(sim.reorganisations)
        assert len(gaps) >= 50 and np.all(gaps == expected)


def test_a_settled_organisation_is_not_drawn_into_the_vicious_cycle():
    # the same aspiration: from the cycle the centre never escapes, from full capability it
    # never enters (two regimes; noise is what moves a centre from one to the other)
    ks = stationary_start(1, CapabilityParams(retained_share=0.55))
    assert deterministic_period(_identical_areas(12.0, 1, initial=ks)) == 1
    assert simulate_centre(_identical_areas(12.0, 1, initial=1.0), years=100).reorganisations == ()


def test_override_moments_against_monte_carlo():
    rng = np.random.default_rng(7)
    mu_l, sd_l, mu_c, sd_c, floor = 20.7, 5.4, 18.0, 0.9, 17.0
    x = rng.normal(mu_l, sd_l, 400_000)
    c = rng.normal(mu_c, sd_c, x.size)
    y = np.where(x >= floor, x, c)
    m, s = _override_moments(mu_l, sd_l, mu_c, sd_c, floor)
    assert m == pytest.approx(y.mean(), abs=4 * y.std() / np.sqrt(y.size))
    assert s == pytest.approx(y.std(), rel=5e-3)


def test_switch_equity_weight_separates_central_and_local():
    base = CentreParams()
    eta = centralisation(base).switch_equity_weight
    assert eta == pytest.approx((1.15 - 1.0) / (0.3 - 0.05))
    below = centralisation(CentreParams(equity_weight=eta - 0.05)).table["welfare"]
    above = centralisation(CentreParams(equity_weight=eta + 0.05)).table["welfare"]
    assert below["local"] > below["central"] and above["central"] > above["local"]
    # the override can only help: it is local with the worst areas replaced
    r = centralisation(base)
    assert (
        r.table.loc["override", "welfare"]
        >= max(r.table.loc[["local", "central"], "welfare"]) - 1e-9
    )


def test_seeds_and_outputs():
    a = simulate_centre(CentreParams(aspiration=16.0), years=80, seed=1)
    b = simulate_centre(CentreParams(aspiration=16.0), years=80, seed=1)
    c = simulate_centre(CentreParams(aspiration=16.0), years=80, seed=2)
    assert a.path.equals(b.path) and not a.path.equals(c.path)
    assert a.reorganisations and set(a.path["structure"]) == {"central", "local"}
    assert 0 < a.share_local < 1


def test_bad_centre_parameters():
    with pytest.raises(InvalidParameterError, match="central"):
        CentreParams(fit={"central": (1, 0)})
    with pytest.raises(InvalidParameterError, match="start"):
        CentreParams(start="regional")
