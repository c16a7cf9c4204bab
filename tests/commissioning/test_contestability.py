"""Contestability: regions by hand, the SPE checked on the normal form, properties, errors."""

import dataclasses
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.commissioning import (
    ContestParams,
    InvalidParameterError,
    contest,
    contest_normal_form,
    contest_regions,
)


@pytest.mark.parametrize(
    "q, D, region, action",
    [
        (1.0, 50, "no alternative", "shirk"),  # 0.08 × 1 = 0.08 <= k = 0.1: no entrant
        (2.0, 50, "credible threat", "perform"),  # 0.08 × 2 > 0.1 and 0.7 × 2 = 1.4 <= H = 2
        (2.857, 50, "credible threat", "perform"),  # 0.7 × 2.857 = 1.9999 <= 2: still survives
        (3.0, 50, "too big to fail", "shirk"),  # 0.7 × 3 = 2.1 > 2: the incumbent would fail
        (3.0, 0.15, "credible threat", "perform"),  # ... unless D = 0.15 < (b − s) q = 0.24
        (11.0, 0, "no alternative", "shirk"),  # above the entrant's capacity of 10
    ],
)
def test_single_lot_regions_by_hand(q, D, region, action):
    """Defaults v = 0.3, m = 0.05, e = 0.03, b = 0.1, s = 0.02, H = 2, k = 0.1, m_E = 0.08, Q_E = 10.

    Credible iff an entrant could take the lot (q <= 10 and 0.08 q > 0.1, i.e. q > 1.25) and C
    prefers moving after a shirk: (b − s) q = 0.08 q > D if the incumbent fails (0.7 q > 2), else > 0.
    When credible, the incumbent performs: m q − e q = 0.02 q > (m − 1 + v) q = −0.65 q.
    """
    row = contest(ContestParams(quanta=(q,), collapse_cost=D)).path.iloc[0]
    assert row["region"] == region
    assert row["incumbent"] == action


def test_chain_store_by_hand():
    """Two lots of 2.5 against H = 2. Lot 2 alone is credible (0.7 × 2.5 = 1.75 <= 2), so the
    incumbent performs there and C gets b q = 0.25. In lot 1, moving after a shirk gives C
    0.08 × 2.5 = 0.2 now but leaves H = 0.25, so lot 2 becomes too big to fail (C gets 0 there):
    0.2 < 0 + 0.25 = keeping. The threat in lot 1 is not worth carrying out and the incumbent shirks.
    Payoffs: C 0.25, I = 0.05 × 2.5 + (0.05 − 0.03) × 2.5 = 0.175, entrants 0."""
    r = contest(ContestParams(quanta=(2.5, 2.5)))
    assert list(r.path["region"]) == ["threat not worth carrying out", "credible threat"]
    assert list(r.path["incumbent"]) == ["shirk", "perform"]
    assert r.payoffs == {
        "commissioner": Fraction(1, 4),
        "incumbent": Fraction(7, 40),
        "entrants": 0,
    }
    assert not r.incumbent_failed


params_st = st.builds(
    ContestParams,
    quanta=st.tuples(st.floats(0.1, 15)),
    variable_share=st.floats(0, 0.9),
    margin=st.floats(0, 0.2),
    effort_cost=st.floats(0, 0.2),
    quality_gain=st.floats(0, 0.3),
    switching_cost=st.floats(0, 0.3),
    headroom=st.floats(0, 5),
    collapse_cost=st.floats(0, 5),
    failure_cost=st.floats(0, 5),
    entry_cost=st.floats(0, 1),
    entrant_margin=st.floats(0, 0.3),
    entrant_capacity=st.floats(0, 15),
)


@settings(max_examples=40)
@given(params_st)
def test_backward_induction_is_a_nash_equilibrium_of_the_normal_form(prm):
    """The SPE strategies of one lot form a pure Nash equilibrium of the induced normal form
    (checked by NormalFormGame, exact payoffs) with the same payoffs."""
    r = contest(prm)
    row = r.path.iloc[0]
    g = contest_normal_form(prm)
    prof = (row["incumbent"], row["entrant_strategy"], row["commissioner_strategy"])
    assert g.is_equilibrium(prof)
    pay = g.exact_expected_payoffs(prof)
    assert (pay[0], pay[1], pay[2]) == (
        r.payoffs["incumbent"],
        r.payoffs["entrants"],
        r.payoffs["commissioner"],
    )


@settings(max_examples=40)
@given(params_st, st.floats(0.01, 5))
def test_more_headroom_never_makes_a_credible_threat_incredible(prm, extra):
    """A provider with more headroom is never 'too big to fail' where a poorer one was not."""
    base = contest(prm).path.iloc[0]
    richer = contest(dataclasses.replace(prm, headroom=prm.headroom + extra)).path.iloc[0]
    if base["credible"]:
        assert richer["credible"]
    if not base["too_big_to_fail"]:
        assert not richer["too_big_to_fail"]


def test_regions_table():
    t = contest_regions([1.0, 2.0, 3.0], [0.0, 50.0])
    assert len(t) == 6
    assert set(t["region"]) <= {
        "no alternative",
        "credible threat",
        "too big to fail",
        "threat not worth carrying out",
    }
    assert t.set_index(["quantum", "collapse_cost"]).loc[(3.0, 50.0), "region"] == "too big to fail"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"quanta": ()}, "empty"),
        ({"quanta": (1, -2)}, r"quanta\[1\] must be > 0"),
        ({"margin": 1.5}, r"probability in \[0, 1\]"),
        ({"collapse_cost": -1}, "collapse_cost must be >= 0"),
        ({"quanta": (1,) * 17}, "at most 16"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        ContestParams(**kwargs)


def test_normal_form_needs_one_lot():
    with pytest.raises(InvalidParameterError, match="exactly one lot"):
        contest_normal_form(ContestParams(quanta=(1, 2)))


def test_figure(check_figure):
    from jenga_games.plot.commissioning import plot_contestability

    check_figure(plot_contestability(contest_regions([0.5, 2, 3, 6, 11], [0, 0.5, 1])), "contest")


@settings(max_examples=60)
@given(params_st)
def test_single_lot_region_matches_closed_form(prm):
    """Independent closed form for one lot: an alternative exists iff q <= Q_E and m_E q > k; the
    incumbent fails if moved iff (1 − v) q > H; the threat is credible iff C gains by moving after
    a shirk, (b − s) q − D·[fails] > 0; with an alternative and a credible threat the incumbent
    performs (it loses (1 − v − e) q >= 0 otherwise, ties broken towards performing)."""
    P = prm.exact()
    q = Fraction(str(float(prm.quanta[0])))
    alt = q <= P["entrant_capacity"] and P["entrant_margin"] * q > P["entry_cost"]
    fails = (1 - P["variable_share"]) * q > P["headroom"]
    credible = (P["quality_gain"] - P["switching_cost"]) * q - (
        P["collapse_cost"] if fails else 0
    ) > 0 and q <= P["entrant_capacity"]
    row = contest(prm).path.iloc[0]
    assert (
        row["alternative"] == alt
        and row["too_big_to_fail"] == fails
        and row["credible"] == credible
    )
    if alt and credible:
        assert row["incumbent"] == "perform"
    elif P["effort_cost"] > 0:
        assert row["incumbent"] == "shirk"
