"""Transitions on a timeline: the static limit, absorbing failure, lags, money."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.commissioning import DEFAULT_ELIGIBLE, InvalidParameterError, finance_tower
from jenga_games.dynamics import (
    TimelineParams,
    required_funding,
    schedule_from_order,
    static_outcomes,
    transition_timeline,
)
from jenga_games.tower import local_health_economy

ECONOMY = local_health_economy()
COMMISSIONABLE = sorted({s for v in DEFAULT_ELIGIBLE.values() for s in v})


def test_static_limit_until_something_falls():
    order = COMMISSIONABLE[:6]
    plan = schedule_from_order(ECONOMY, order, years_per_service=2)
    tl = transition_timeline(ECONOMY, plan)
    static = static_outcomes(ECONOMY, plan)
    first = min(tl.fell_in.values(), default=len(plan))
    for t in range(min(first + 1, len(plan))):
        assert tl.outcomes[t].fell == static[t].fell
        assert tl.outcomes[t].failed_providers == static[t].failed_providers
        assert tl.outcomes[t].balances == pytest.approx(static[t].balances)


def test_failure_is_absorbing_where_comparative_statics_resurrect():
    t = finance_tower()
    plan = schedule_from_order(t, t.ids, 2)
    static = [o.collapsed for o in static_outcomes(t, plan)]
    assert static[0] and not static[1]  # statics: fails half-way, healthy once the ward closes
    tl = transition_timeline(t, plan)
    assert tl.failed_in == {"hospital": 0}
    assert np.isnan(tl.years["balance[hospital]"].iloc[1:]).all()


def test_funding_and_lag_in_the_finance_model():
    t = finance_tower()
    plan = schedule_from_order(t, t.ids, 2)
    funded = transition_timeline(t, plan, funding={"hospital": 5.5})
    assert funded.safe
    more = transition_timeline(t, plan, TimelineParams(), funding={"hospital": [6.5] * len(plan)})
    assert more.safe
    for a, b in zip(more.outcomes, funded.outcomes):
        assert a.balances["hospital"] == pytest.approx(b.balances["hospital"] + 1.0)
    lagged = transition_timeline(t, plan, TimelineParams(shed_lag=1), funding={"hospital": 5.5})
    assert lagged.failed_in == {"hospital": 1}
    assert lagged.years["stranded"].iloc[1] == pytest.approx(t.services["ward1"].fixed_cost)


@settings(max_examples=25)
@given(
    order=st.permutations(COMMISSIONABLE).map(lambda p: p[:5]),
    lag=st.integers(0, 3),
    d=st.integers(1, 3),
)
def test_safe_on_the_timeline_is_safe_at_every_year(order, lag, d):
    plan = schedule_from_order(ECONOMY, order, d)
    tl = transition_timeline(ECONOMY, plan, TimelineParams(shed_lag=lag))
    if tl.safe:
        assert not any(o.fallen or o.collapsed for o in static_outcomes(ECONOMY, plan))
        assert transition_timeline(ECONOMY, plan).safe  # a lag only adds cost


def test_commissioners_money_and_double_running():
    plan = schedule_from_order(ECONOMY, COMMISSIONABLE[:3], 2)
    cheap = transition_timeline(ECONOMY, plan, TimelineParams(reprovision_share=0.5))
    dear = transition_timeline(ECONOMY, plan, TimelineParams(reprovision_share=1.2))
    ramp = transition_timeline(ECONOMY, plan, TimelineParams(reprovision_share=0.5, ramp_years=2))
    assert cheap.break_even_year == 0
    assert dear.break_even_year is None  # r > 1: never pays back (Imison et al. 2017)
    assert (ramp.years["new_cost"] >= cheap.years["new_cost"] - 1e-12).all()
    assert ramp.years["cumulative_net"].iloc[0] < cheap.years["cumulative_net"].iloc[0]


def test_stock_reserves_are_drawn_down():
    t = finance_tower()
    # 15% of a ward moved: margins − overhead = −0.47 a year, covered by reserves R = 1
    plan = {"ward1": [0.85] * 4}
    yearly = transition_timeline(t, plan)
    stock = transition_timeline(t, plan, TimelineParams(reserves="stock"))
    assert yearly.safe  # reserves are there again every year
    b = stock.years["balance[hospital]"]
    assert b.iloc[0] == pytest.approx(yearly.years["balance[hospital]"].iloc[0])
    assert b.iloc[1] == pytest.approx(b.iloc[0] - 0.47)  # reserves drawn in year 0 are gone
    assert stock.failed_in == {"hospital": 2}


@pytest.mark.parametrize(
    "schedule, kwargs, match",
    [
        ({"cardiology": [0.5, 1.0]}, {}, "returns to the old tower"),
        ({"cardiology": [1.5]}, {}, r"\[0, 1\]"),
        ({"cardiology": [0.5]}, {"funding": {"nobody": 1.0}}, "unknown provider"),
        ("cardiology", {}, "mapping"),
    ],
)
def test_bad_schedules(schedule, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        transition_timeline(ECONOMY, schedule, **kwargs)


@pytest.mark.parametrize("lag", [0, 1, 2])
def test_required_funding_is_enough_and_no_more(lag):
    order = ["cardiology", "ophthalmology", "diabetes_outpatients", "dermatology"]
    plan = schedule_from_order(ECONOMY, order, 1, horizon=6)
    prm = TimelineParams(shed_lag=lag)
    profile, tl = required_funding(ECONOMY, plan, prm)
    assert tl.safe
    funded = transition_timeline(ECONOMY, plan, prm, funding=profile.to_dict("list"))
    assert funded.safe
    # a pound less in any year that needed money, and that provider fails that year
    for pid in profile.columns:
        for year in np.flatnonzero(profile[pid].to_numpy() > 1e-9)[:3]:
            short = profile.copy()
            short.loc[year, pid] -= 1e-3 * max(1.0, short.loc[year, pid])
            assert (
                transition_timeline(
                    ECONOMY, plan, prm, funding=short.to_dict("list")
                ).failed_in.get(pid)
                == year
            )
    # commissioners pay the funding
    assert funded.years["net"].sum() == pytest.approx(
        (funded.years["released"] - funded.years["new_cost"]).sum() - profile.to_numpy().sum()
    )


def test_new_tower_reprovides_only_what_its_supports_hold_up():
    from jenga_games.tower import Service, Tower

    hub = Service("community_hub", provider="community", activity=1.0, tariff=1.0)
    derm = Service("dermatology", provider="community", activity=12.0, tariff=0.12)
    new = Tower([hub, derm], [("community_hub", "dermatology")])
    plan = schedule_from_order(ECONOMY, ["dermatology"], 2)
    ok = transition_timeline(ECONOMY, plan, new_tower=new)
    assert ok.reprovided is True and (ok.years["unprovided"] == 0).all()
    # the hub is itself an old service moved later: dermatology moves before it stands
    late = Tower(
        [Service("msk_physio", provider="community", activity=40.0, tariff=0.05), derm],
        [("msk_physio", "dermatology")],
    )
    order = schedule_from_order(ECONOMY, ["dermatology", "msk_physio"], 1)
    tl = transition_timeline(ECONOMY, order, new_tower=late)
    assert tl.reprovided is False
    assert tl.years["new_fell"].iloc[0] == ("dermatology",)
    assert tl.years["unprovided"].iloc[0] == pytest.approx(12.0 * 0.12)
    assert tl.years["unprovided"].iloc[1] == 0.0  # both moved: it stands in the new tower
    assert transition_timeline(ECONOMY, order).reprovided is None
