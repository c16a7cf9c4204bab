"""Shroud waving: the separating condition against direct PBE enumeration."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.commissioning.signalling import (
    SignallingParams,
    separating_condition,
    signalling_equilibria,
    signalling_game,
)
from jenga_games.errors import InvalidParameterError
from jenga_games.games.extensive import nash_conv, sequence_form_lcp


def test_defaults_have_a_credible_warning_that_helps_the_commissioner():
    r = signalling_equilibria()
    assert r.credible_warning and separating_condition()
    sep = r.equilibria[r.equilibria["kind"] == "separating"].iloc[0]
    assert (sep["fragile_sends"], sep["robust_sends"]) == ("warn", "quiet")
    assert (sep["after_warn"], sep["after_quiet"]) == ("keep", "move")
    # the commissioner moves services only from robust providers: (1 - p) G = 0.7 * 0.8
    assert sep["commissioner_payoff"] == pytest.approx(0.56)
    assert "credible_warning=True" in repr(r)


def test_cheap_exaggeration_destroys_credibility():
    prm = SignallingParams(warn_cost_robust=0.5)  # c_R < V: robust providers would warn too
    r = signalling_equilibria(prm)
    assert not r.credible_warning and not separating_condition(prm)
    assert set(r.equilibria["kind"]) == {"pooling"}


def test_tree_and_lcp_agree_with_the_model():
    g = signalling_game()
    assert g.n_infosets == (2, 2) and g.is_perfect_recall()
    eq = sequence_form_lcp(g)
    assert nash_conv(g, eq.exact_behaviour)[0] == 0


def test_invalid_parameters():
    with pytest.raises(InvalidParameterError, match="prior_fragile"):
        SignallingParams(prior_fragile=1.5)
    with pytest.raises(InvalidParameterError, match="warn_cost_robust"):
        SignallingParams(warn_cost_robust=-1)


small = st.fractions(min_value=0, max_value=3, max_denominator=4)


@settings(max_examples=25)
@given(
    st.fractions(min_value=Fraction(1, 10), max_value=Fraction(9, 10), max_denominator=10),
    small,
    small,
    small,
    st.fractions(min_value=Fraction(1, 4), max_value=2, max_denominator=4),
    st.fractions(min_value=Fraction(1, 4), max_value=4, max_denominator=4),
)
def test_separating_condition_matches_enumeration(p, V, cF, cR, G, L):
    prm = SignallingParams(p, V, cF, cR, G, L)
    r = signalling_equilibria(prm)
    assert r.credible_warning == separating_condition(prm)
    assert len(r.equilibria) >= 1  # a pooling equilibrium always exists
    for _, row in r.equilibria.iterrows():
        if row["kind"] == "pooling":
            on_path = "after_quiet" if row["fragile_sends"] == "quiet" else "after_warn"
            move_value = (1 - p) * G - p * L
            assert (row[on_path] == "move") <= (move_value >= 0)
            assert (row[on_path] == "keep") <= (move_value <= 0)
