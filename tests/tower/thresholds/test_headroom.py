"""headroom against cascades, linear programs and its own symbolic form; find_threshold."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from jenga_games.errors import JengaError, UnknownItemError
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import Provider, Service, Tower
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
        beyond = 1 - frac * (1 + eps) - eps
        if beyond <= 0:  # moving that much is moving everything: leave a sliver open instead
            beyond = (1 - frac) / 2  # (x = 0 would close it and save its fixed cost too)
            if (1 - frac) * a * svc[s].unit_margin < 1e-6:
                beyond = None  # within the viability tolerance of the edge
        if beyond is not None:
            assert _failed(tower, {s: beyond}, pid)
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


def test_find_threshold_check_catches_a_non_monotone_question():
    # True on [0.3, 0.4] and above 0.8: bisection of [0, 1] finds one flip, the check sees the other
    def bumpy(t):
        return 0.3 <= t <= 0.4 or t > 0.8

    with pytest.raises(JengaError, match="not monotone"):
        find_threshold(bumpy, 0.0, 1.0, check=20)
    th = find_threshold(lambda t: t > 0.5, 0.0, 1.0, check=20)
    assert th.value == pytest.approx(0.5, abs=1e-6) and th.evaluations > 20


def test_moving_nearly_everything_is_not_closing():
    """Regression (random-seed failure of the test above): the fraction that topples P is 0.9999;
    moving a bit more than that *partially* fails P, but closing the service saves its fixed
    cost too and P survives. The test had clipped the move to 0 (a closure); headroom was right."""
    t = Tower(
        [Service("s", provider="P", activity=10, tariff=10, fixed_cost=5)],
        [],
        [Provider("P", overhead=0.01, reserves=5)],
    )
    h = headroom(t, "P")
    assert h.balance == pytest.approx(99.99) and h.per_service_fraction["s"] == pytest.approx(
        0.9999
    )
    assert _failed(t, {"s": 1e-9}, "P")  # all but a sliver moved: P fails
    assert not _failed(t, {"s": 0.0}, "P") and h.can_close["s"]  # closed: P keeps 4.99


@settings(max_examples=40)
@given(st.data())
def test_can_close_is_what_the_cascade_says(data):
    """can_close[s] is exactly "P survives the cascade of closing s" (issue #23: not just full margin <= B)."""
    tower = data.draw(towers(max_services=6))
    pid = data.draw(st.sampled_from(list(tower.providers)))
    removed = data.draw(st.lists(st.sampled_from(list(tower.ids)), max_size=2, unique=True))
    h = headroom(tower, pid, removed=removed)
    for s in h.services:
        assert h.can_close[s] == (pid not in tower.cascade([*removed, s]).failed_providers)


def test_can_close_counts_the_dependants_it_topples():
    """Closing s alone is affordable by margins, but d falls with it and strands d's fixed cost."""
    t = Tower(
        [
            Service("s", provider="P", activity=1, tariff=2, fixed_cost=1),
            Service("d", provider="P", activity=1, tariff=5, fixed_cost=4),
        ],
        [("s", "d")],
        [Provider("P", reserves=0.5)],
    )
    h = headroom(t, "P")  # B = 1 + 1 + 0.5 = 2.5; s's full margin 1 <= B
    assert t.service("s").full_margin <= h.balance
    assert not h.can_close["s"]  # d falls: 0 + (-4) + 0.5 < 0
    assert "P" in t.cascade(["s"]).failed_providers
