"""Money follows patients: hand-checked cases, engine cross-checks, properties, errors, figure."""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jenga_games.commissioning import (
    FinanceParams,
    InvalidParameterError,
    finance_symbolic,
    finance_tower,
    money_follows_patients,
)
from jenga_games.errors import JengaError
from jenga_games.tower import Provider, Service, Tower
from jenga_games.tower.economy import local_health_economy


def test_one_ward_by_hand():
    """One ward: a = 10, p = 2, v = 0.3 (c = 0.6), m = 0.1 so f = 0.6 × 10 × 2 = 12; R = 0, H = 1.

    p − c = 1.4. The ward stops covering its fixed cost at m = a − f/(p − c) = 10 − 12/1.4 = 1.428571;
    the provider's surplus 1 − 1.4 m reaches 0 at m = 1/1.4 = 0.714286. Cash released is 0.6 m
    until closure, when it jumps to 0.6 × 10 + 12 = 18 (payments saved 20): 30% of the money moved
    before the ward closes, 90% after.
    """
    r = money_follows_patients(
        params=FinanceParams(
            n_services=1,
            activity=10,
            tariff=2,
            variable_share=0.3,
            contribution_share=0.1,
            reserves=0,
            headroom=1,
        )
    )
    steps = {row.kind: row.moved for row in r.steps.itertuples()}
    assert steps["service_unviable"] == pytest.approx(10 - 12 / 1.4)
    assert steps["provider_unviable"] == pytest.approx(1 / 1.4)
    assert steps["service_closed"] == pytest.approx(10)
    before = r.curve[r.curve["moved"] < 10 - 1e-9]
    assert (before["cash_released"] - 0.6 * before["moved"]).abs().max() < 1e-9
    last = r.curve.iloc[-1]
    assert last["cash_released"] == pytest.approx(18) and last["payment_saved"] == pytest.approx(20)
    assert r.marginal_share == pytest.approx(0.3)
    assert r.headroom == pytest.approx(1)


def test_economy_acute_medicine_five_and_ten_percent():
    """Worked economy: acute medicine a = 28, p = 2, c = 0.6; acute trust headroom 2.

    Analytic: the trust fails after 2 / 1.4 = 1.4286 thousand admissions = 5.1% of 28 moved,
    so 5% is safe and 10% topples the trust (the economy's documented claim, by its engine).
    """
    t = local_health_economy()
    r = money_follows_patients(t, provider="acute_trust", order=["acute_medicine"])
    assert r.provider_unviable_at() == pytest.approx(2 / 1.4)
    assert not t.cascade({"acute_medicine": 0.95}).failed_providers
    assert "acute_trust" in t.cascade({"acute_medicine": 0.90}).failed_providers


@given(
    n=st.integers(1, 4),
    a=st.floats(0.5, 50),
    p=st.floats(0.1, 5),
    v=st.floats(0.05, 0.8),
    m=st.floats(0.0, 0.15),
    R=st.floats(0, 3),
    H=st.floats(0.01, 3),
)
def test_analytic_provider_point_matches_the_tower_engine(n, a, p, v, m, R, H):
    """The analytic provider point agrees with Tower.cascade: viable just before, failed just after."""
    assume(
        H <= R + n * m * a * p and H < 0.9 * a * p * (1 - v)
    )  # valid; fails inside the first ward
    prm = FinanceParams(
        n_services=n,
        activity=a,
        tariff=p,
        variable_share=v,
        contribution_share=m,
        reserves=R,
        headroom=H,
    )
    r = money_follows_patients(params=prm, points_per_service=6)
    mp = r.provider_unviable_at()
    assert mp is not None
    assert mp == pytest.approx(H / (p * (1 - v)), rel=1e-9)
    before = r.curve[r.curve["moved"] < mp * (1 - 1e-6) - 1e-9]
    assert not before["provider_failed"].any()
    # past the engine's tolerance (jenga_games.tolerance.TOL, relative to the overhead)
    after = r.curve[(r.curve["moved"] > mp + 5e-7 * max(1.0, a)) & (r.curve["moved"] < a - 1e-9)]
    assert len(after) > 0
    assert after["provider_failed"].all()


@given(
    a=st.floats(0.5, 50),
    p=st.floats(0.1, 5),
    v=st.floats(0.05, 0.8),
    m=st.floats(0.0, 0.15),
    R=st.floats(0, 3),
    extra=st.floats(0.01, 5),
)
def test_more_reserves_never_fail_sooner(a, p, v, m, R, extra):
    """Raising reserves (same overhead) never brings the provider's unviable point earlier."""
    t = finance_tower(
        FinanceParams(
            n_services=2,
            activity=a,
            tariff=p,
            variable_share=v,
            contribution_share=m,
            reserves=R,
            headroom=min(R, 0.5),
        )
    )
    richer = t.replace(providers={"hospital": {"reserves": R + extra}})
    p0 = money_follows_patients(t, points_per_service=2).provider_unviable_at()
    p1 = money_follows_patients(richer, points_per_service=2).provider_unviable_at()
    assert p1 is None or (p0 is not None and p1 >= p0 - 1e-9)


@given(v=st.floats(0.0, 0.9), m=st.floats(0.0, 0.1), r=st.floats(0, 1))
def test_cash_is_a_nondecreasing_step_function_below_payments(v, m, r):
    """Cash released never falls as more moves out, and never exceeds the payments saved."""
    res = money_follows_patients(
        params=FinanceParams(
            variable_share=v, contribution_share=m, headroom=0.5, reprovision_share=r
        ),
        points_per_service=8,
    )
    cash = res.curve["cash_released"].to_numpy()
    assert (cash[1:] >= cash[:-1] - 1e-9).all()
    assert (cash <= res.curve["payment_saved"].to_numpy() + 1e-9).all()
    assert (res.curve["net_saving"] - (cash - res.curve["reprovision_cost"])).abs().max() < 1e-9


@pytest.mark.parametrize("m_moved", [0.0, 2.5, 9.99, 10.0])
def test_symbolic_matches_numeric(m_moved):
    """finance_symbolic evaluated at numbers equals the numeric model on a one-service tower."""
    a, p, c, f, R, F = 10.0, 2.0, 0.6, 10.0, 1.0, 4.0
    t = Tower(
        [Service("s", provider="P", activity=a, tariff=p, variable_cost=c, fixed_cost=f)],
        (),
        [Provider("P", overhead=F, reserves=R)],
    )
    res = money_follows_patients(t, points_per_service=1001)
    sym = finance_symbolic().subs(a=a, p=p, c=c, f=f, R=R, F=F, r=0.5, m=m_moved)
    row = res.curve.iloc[(res.curve["moved"] - m_moved).abs().argmin()]
    if abs(row["moved"] - m_moved) < 1e-9:
        assert sym["cash_released"] == pytest.approx(row["cash_released"])
        assert sym["provider_surplus"] == pytest.approx(row["provider_surplus"])
    assert sym["provider_unviable_at"] == pytest.approx(res.provider_unviable_at())
    assert sym["service_unviable_at"] == pytest.approx(a - f / (p - c))
    assert sym["marginal_to_average"] == pytest.approx(c / (c + f / a))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"activity": -1}, "activity must be >= 0"),
        ({"variable_share": 1.5}, r"probability in \[0, 1\]"),
        ({"n_services": 0}, "n_services must be >= 1"),
        ({"variable_share": 0.8, "contribution_share": 0.3}, "fixed cost negative"),
        ({"headroom": 100}, "overhead would be negative"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        FinanceParams(**kwargs)


def test_bad_calls():
    t = local_health_economy()
    with pytest.raises(JengaError, match="not in the tower"):
        money_follows_patients(t, provider="nobody")
    with pytest.raises(InvalidParameterError, match="not run by provider"):
        money_follows_patients(t, provider="acute_trust", order=["msk_physio"])
    with pytest.raises(InvalidParameterError, match="twice"):
        money_follows_patients(t, provider="acute_trust", order=["stroke", "stroke"])
    with pytest.raises(InvalidParameterError, match="reprovision_share must be >= 0"):
        money_follows_patients(reprovision_share=-1)
    with pytest.raises(InvalidParameterError, match="must be a Tower"):
        money_follows_patients("tower.json")


def test_figure(check_figure):
    from jenga_games.plot.commissioning import plot_finance

    check_figure(plot_finance(money_follows_patients(local_health_economy())), "finance")


def test_result_serialises():
    d = money_follows_patients().to_dict()
    assert d["provider"] == "hospital" and math.isclose(d["headroom"], 2.0)


def test_economy_cascade_agrees_with_analytic_point():
    """Draining the acute trust top-down, the first unplanned fall the tower engine reports is the
    analytic point where the trust's surplus hits zero (22.36 thousand units: diabetes outpatients
    closed, then 12.36 of cardiology's 30 at p − c = 0.1375 against headroom 2 − 0.3 = 1.7)."""
    r = money_follows_patients(local_health_economy())
    assert r.provider_unviable_at() == pytest.approx(10 + 1.7 / 0.1375)
    assert r.first_fall == pytest.approx(r.provider_unviable_at(), rel=1e-5)


@st.composite
def _money_towers(draw):
    """Small towers of 1-3 providers with any money (loss-making services, zero activity, no
    provider, critical ones) and an acyclic support graph; with or without layers."""
    n = draw(st.integers(1, 6))
    k = draw(st.integers(1, 3))
    layered = draw(st.booleans())
    services = []
    for i in range(n):
        p = draw(st.floats(0.1, 5))
        services.append(
            Service(
                f"s{i}",
                provider=draw(st.one_of(st.none(), st.sampled_from([f"P{j}" for j in range(k)]))),
                activity=draw(st.sampled_from([0.0, 1.0]) | st.floats(0.1, 30)),
                tariff=p,
                variable_cost=p * draw(st.floats(0, 1.2)),
                fixed_cost=draw(st.sampled_from([0.0]) | st.floats(0, 10)),
                critical=draw(st.booleans()),
                layer=draw(st.integers(0, 2)) if layered else None,
            )
        )
    supports = [
        (f"s{i}", f"s{j}") for i in range(n) for j in range(i + 1, n) if draw(st.floats(0, 1)) < 0.3
    ]
    providers = [
        Provider(f"P{j}", overhead=draw(st.floats(0, 20)), reserves=draw(st.floats(0, 5)))
        for j in range(k)
    ]
    return Tower(services, supports, providers)


def _surplus_by_hand(tower, pid, order, moved):
    """The provider's surplus after ``moved`` units, written out from DESIGN §1 (the oracle):
    drained services closed (margin 0), the one being drained at ``(a − m)(p − c) − f``."""
    prov = tower.providers[pid]
    total = prov.reserves - prov.overhead
    taken, left = {}, moved
    for sid in order:  # drained in this order, each emptied before the next
        taken[sid] = min(tower.services[sid].activity, max(0.0, left))
        left -= tower.services[sid].activity
    for sid in tower.services_of(pid):
        s = tower.services[sid]
        m = taken.get(sid, 0.0)
        if sid in taken and m >= s.activity * (1 - 1e-12):
            continue  # closed as planned: neither income nor fixed cost
        total += (s.activity - m) * (s.tariff - s.variable_cost) - s.fixed_cost
    return total


@given(_money_towers(), st.data())
def test_surplus_and_step_points_follow_the_money_rule(tower, data):
    """On random towers, every grid point's provider surplus is the money rule written out by hand,
    the provider fails where that surplus crosses 0, and each service stops covering its fixed cost
    where its own margin does: the finance model keeps no formula of its own that could drift."""
    runs = [p for p in tower.providers if tower.services_of(p)]
    assume(runs)
    pid = data.draw(st.sampled_from(runs))
    r = money_follows_patients(tower, provider=pid, points_per_service=4)
    order = list(r.order)
    scale = max(1.0, tower.providers[pid].overhead) + sum(
        tower.services[s].activity * tower.services[s].tariff for s in order
    )
    for moved, surplus in zip(r.curve["moved"], r.curve["provider_surplus"], strict=True):
        if any(
            abs(moved - sum(tower.services[s].activity for s in order[: i + 1])) < 1e-9
            for i in range(len(order))
        ):
            continue  # a closing point: the oracle's "closed" test is not the engine's tolerance
        assert surplus == pytest.approx(
            _surplus_by_hand(tower, pid, order, moved), abs=1e-9 * scale
        )
    assert r.headroom == pytest.approx(_surplus_by_hand(tower, pid, [], 0.0), abs=1e-9 * scale)
    starts = dict(zip(order, np.cumsum([0.0] + [tower.services[s].activity for s in order])))
    for row in r.steps.itertuples():
        if row.kind == "provider_unviable" and row.service in starts:  # not at the start
            s = tower.services[row.service]
            inside = row.moved - starts[row.service]
            if 0 < inside < s.activity * (1 - 1e-9):  # inside the service: the surplus crosses 0
                left = _surplus_by_hand(tower, pid, order, row.moved)
                assert left == pytest.approx(0.0, abs=1e-9 * scale)
        if row.kind == "service_unviable":
            s = tower.services[row.service]
            inside = row.moved - starts[row.service]
            if inside > 0:  # the service's own margin on what remains is 0 there
                own = (s.activity - inside) * (s.tariff - s.variable_cost) - s.fixed_cost
                assert own == pytest.approx(0.0, abs=1e-9 * max(1.0, s.activity * s.tariff))
