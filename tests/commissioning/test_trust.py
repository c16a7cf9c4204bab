"""Trust: the critical discount factor against (T − R)/(T − P), credibility, engagement."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.commissioning import InvalidParameterError, TrustParams, trust_game, trust_model
from jenga_games.commissioning.trust import delta_star_formula, sustainability_grid


def test_defaults_by_hand():
    """T = g_dash = 3, R = g − d = 1.5, P = 0: δ* = (3 − 1.5)/3 = 1/2. With δ = 0.9 and a
    reorganisation every other year (q = 0.5) the effective δ is 0.45 < 1/2: co-operation unravels;
    it would need 1 − q >= 0.5/0.9 = 0.5556."""
    r = trust_model()
    assert r.delta_star == pytest.approx(0.5) and r.formula_value == pytest.approx(0.5)
    assert str(r.delta_star_exact) == "1/2"
    assert r.effective_delta == pytest.approx(0.45)
    assert not r.sustainable
    assert r.credibility_needed == pytest.approx(0.5 / 0.9)
    assert trust_model(TrustParams(turnover=0.1)).sustainable


@settings(max_examples=12)
@given(g=st.integers(2, 9), d=st.integers(1, 5), extra=st.integers(1, 6))
def test_critical_delta_equals_the_grim_trigger_formula(g, d, extra):
    """Exact δ* from the product automaton equals (T − R)/(T − P) whenever dashing tempts (T > R > P = 0)."""
    if g - d <= 0:
        return
    T = g - d + extra
    r = trust_model(TrustParams(centre_gain=g, delivery_cost=d, dash_gain=T, k_max=0, horizon=1))
    f = delta_star_formula()
    sym = {str(x): x for x in f.free_symbols}
    expected = f.subs({sym["g"]: g, sym["d"]: d, sym["g_dash"]: T})
    assert r.delta_star_exact == expected
    assert r.delta_star == pytest.approx(r.formula_value)


def test_no_patience_needed_when_dashing_does_not_pay():
    r = trust_model(TrustParams(dash_gain=1.0, k_max=0, horizon=1))
    assert r.delta_star == 0 and r.sustainable


@given(delta=st.floats(0.01, 0.99), q=st.floats(0, 0.95))
def test_sustainable_iff_effective_delta_reaches_delta_star(delta, q):
    grid = sustainability_grid([delta], [q])
    assert bool(grid[0, 0]) == (delta * (1 - q) >= 0.5 - 1e-12)


def test_engagement_falls_with_dashed_expectations():
    """Miller et al. 2015's vicious cycle: engagement never rises with more dashes, and ends at 0."""
    e = trust_model().engagement["engagement"].to_numpy()
    assert (np.diff(e) <= 1e-12).all()
    assert e[0] == pytest.approx(1.0) and e[-1] == pytest.approx(0.0)


def test_stage_game_dominance():
    """Dashing is the centre's dominant action; GPs engage only against delivery."""
    g = trust_game()
    assert g.best_responses(("engage", "deliver"), "centre") == ("dash",)
    assert g.best_responses(("withdraw", "deliver"), "centre") == ("dash",)
    assert g.best_responses(("engage", "deliver"), "GPs") == ("engage",)
    assert g.best_responses(("engage", "dash"), "GPs") == ("withdraw",)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"delta": 1.0}, r"probability in \(0, 1\)"),
        ({"turnover": 1.0}, r"probability in \[0, 1\)"),
        ({"delivery_cost": -1}, "delivery_cost must be >= 0"),
        ({"gp_gain": 0.5}, "never engage"),
        ({"dash_gain": 0}, "dash_gain must be > 0"),
        ({"k_max": -1}, "k_max must be >= 0"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        TrustParams(**kwargs)


def test_figure(check_figure):
    from jenga_games.plot.commissioning import plot_trust

    check_figure(plot_trust(), "trust")


def test_erosion_is_a_parameter():
    from jenga_games.commissioning import InvalidParameterError, TrustParams, trust_model

    forgiving = trust_model(TrustParams(erosion={"drop": 1, "recovery": 2, "scar": 0}))
    default = trust_model()
    assert (forgiving.engagement["final"] >= default.engagement["final"]).all()
    assert forgiving.engagement["final"].min() == 1.0 > default.engagement["final"].min()
    with pytest.raises(InvalidParameterError, match="unknown keys"):
        TrustParams(erosion={"dorp": 1})
