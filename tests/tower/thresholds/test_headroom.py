"""headroom against cascades, linear programs and its own symbolic form; find_threshold."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from jenga_games.errors import JengaError, UnknownItemError
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower.library import local_health_economy
from jenga_games.tower.thresholds import find_threshold, headroom


def _failed(tower, state, pid):
    return pid in tower.cascade(state).failed_providers


def test_economy_claims():
    econ = local_health_economy()
    h = headroom(econ, "acute_trust")
    assert h.balance == pytest.approx(2.0)  # the stated headroom of the acute trust
    # moving 5% of acute medicine is safe, 10% topples the trust (tests/tower/test_economy.py)
    assert 0.05 < h.per_service_fraction["acute_medicine"] < 0.10
    assert h.can_close["cardiology"] and h.can_close["ophthalmology"]
    assert set(h.to_frame()["service"]) == set(h.services)


@settings(max_examples=40)
@given(st.data())
def test_headroom_against_cascades_and_lps(data):
    tower = data.draw(towers(max_services=6, monotone=True, cycles=False))
    pid = data.draw(st.sampled_from(list(tower.providers)))
    intact = tower.cascade()
    h = headroom(tower, pid)
    if intact.fallen or intact.collapsed or not h.services:
        return
    svc = tower.services
    eps = 1e-4
    for s in h.services:
        a = svc[s].activity
        frac = h.per_service_fraction[s]
        if a == 0 or frac >= 1:
            continue
        assert not _failed(tower, {s: 1 - frac * (1 - eps)}, pid)
        assert _failed(tower, {s: max(0.0, 1 - frac * (1 + eps) - eps)}, pid)
        oracle = find_threshold(
            lambda t, s=s: _failed(tower, {s: 1 - t}, pid), 0.0, 1 - 1e-12, tol=1e-9
        )
        assert frac == pytest.approx(oracle.value, abs=1e-6)
    ms = np.array([svc[s].unit_margin for s in h.services])
    acts = np.array([svc[s].activity for s in h.services])
    # least units that topple: min Σδ s.t. Σ m δ >= B, 0 <= δ <= a
    lp = linprog(np.ones(len(ms)), A_ub=[-ms], b_ub=[-h.balance], bounds=list(zip(0 * acts, acts)))
    if np.sum(ms.clip(0) * acts) <= h.balance + 1e-9:  # even moving everything leaves B >= 0
        assert math.isinf(h.min_units_to_fail)
    elif lp.status == 0 and h.balance > 0:
        assert h.min_units_to_fail == pytest.approx(lp.fun, rel=1e-6, abs=1e-9)
    lp = linprog(-np.ones(len(ms)), A_ub=[ms], b_ub=[h.balance], bounds=list(zip(0 * acts, acts)))
    if h.balance >= 0:
        assert h.max_units_safe == pytest.approx(-lp.fun, rel=1e-6, abs=1e-9)
    theta = h.proportional_fraction
    if 0 < theta < 1:
        assert not _failed(tower, dict.fromkeys(h.services, 1 - theta * (1 - eps)), pid)
        assert _failed(tower, dict.fromkeys(h.services, 1 - theta * (1 + eps) - eps), pid)


def test_symbolic_agrees_with_numbers():
    econ = local_health_economy()
    h = headroom(econ, "community_trust", symbolic=True)
    sym = h.symbolic
    vals = sym["values"]
    assert float(sym["balance"].subs(vals)) == pytest.approx(h.balance)
    for s in h.services:
        units = float(sym["per_service"][s].subs(vals))
        holds = bool(sym["conditions"]["per_service"][s].subs(vals))
        a = econ.service(s).activity
        assert holds == (units <= a)
        assert min(units, a) == pytest.approx(h.per_service[s])
    theta = float(sym["proportional"].subs(vals))
    assert bool(sym["conditions"]["proportional"].subs(vals))
    assert theta == pytest.approx(h.proportional_fraction)
    assert h.provenance.exact
    assert "balance" in h.to_dict()


def test_headroom_after_removals_and_reserves_threshold():
    """Reserves needed to survive losing cardiology and ophthalmology = the deficit (bisection oracle)."""
    econ = local_health_economy()
    gone = {"cardiology", "ophthalmology"}
    h = headroom(econ, "acute_trust", removed=gone)
    assert h.balance < 0 and not h.viable and h.min_units_to_fail == 0
    R0 = econ.providers["acute_trust"].reserves

    def survives(R):
        return not econ.replace(providers={"acute_trust": {"reserves": R}}).cascade(gone).collapsed

    # the cascade itself drops the trust; recompute the deficit before any fall:
    before = headroom(econ, "acute_trust").balance - sum(econ.service(s).full_margin for s in gone)
    th = find_threshold(survives, R0, R0 + 10, tol=1e-7)
    assert th.outcome_low is False and th.outcome_high is True
    assert th.value == pytest.approx(R0 - before, abs=1e-6)
    assert th.bracket[0] <= R0 - before + 1e-9 <= th.bracket[1] + 1e-9


def test_find_threshold_bracket_and_errors():
    th = find_threshold(lambda x: x > math.pi, 0, 10, tol=1e-9)
    assert th.bracket[0] <= math.pi <= th.bracket[1]
    assert th.bracket[1] - th.bracket[0] <= 1e-9
    assert th.evaluations <= 2 + math.ceil(math.log2(10 / 1e-9)) + 1
    with pytest.raises(JengaError, match="both"):
        find_threshold(lambda x: True, 0, 1)
    with pytest.raises(JengaError, match="low < high"):
        find_threshold(lambda x: x > 0.5, 1, 0)
    with pytest.raises(JengaError, match="finite"):
        find_threshold(lambda x: x > 0.5, 0, float("inf"))
    with pytest.raises(UnknownItemError, match="provider"):
        headroom(local_health_economy(), "hospital")
