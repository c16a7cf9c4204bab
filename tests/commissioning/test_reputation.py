"""Kreps-Wilson reputation: exact Nash check on the tree, the ln ε / ln b rule, Selten's paradox."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.commissioning.reputation import (
    ReputationParams,
    chain_store_game,
    reputation,
)
from jenga_games.errors import InvalidParameterError
from jenga_games.games.extensive import backward_induction


def test_defaults_deter_early_entry_that_perfect_information_cannot():
    r = reputation()
    assert r.nash_conv == 0
    assert r.uncontested == 2 and r.perfect_information_uncontested == 0
    assert list(r.path["contested"]) == [False, False, True, True, True]
    # the weak incumbent fights with certainty while entrants are still deterred
    assert r.path["weak_fights"].iloc[0] == 1.0 and r.path["weak_fights"].iloc[-1] == 0.0
    assert r.threshold_contracts == pytest.approx(math.log(0.1) / math.log(0.5))
    assert "2 of 5" in repr(r)


def test_boundary_belief_makes_the_entrant_mix():
    # ε = b^2 exactly: the entrant with two contracts left stays out with probability 1/a
    r = reputation(ReputationParams(n_contracts=5, prior_tough=0.25, entrant_gain=0.5))
    assert r.nash_conv == 0
    assert r.path["stay_out"].tolist() == [1.0, 1.0, 1.0, 0.5, 0.0]


def test_selten_paradox_by_backward_induction():
    g = chain_store_game(ReputationParams(n_contracts=3), with_tough=False)
    assert g.is_perfect_information()
    spe = backward_induction(g)
    # every entrant enters and is accommodated: the incumbent gets 0, each entrant b
    assert spe.exact_payoffs == (Fraction(0), Fraction(1, 2), Fraction(1, 2), Fraction(1, 2))


def test_long_chains_use_the_formula_only():
    r = reputation(ReputationParams(n_contracts=40, prior_tough=0.01, entrant_gain=0.5))
    assert r.nash_conv is None and r.perfect_information_uncontested is None
    assert r.uncontested == 40 - math.ceil(math.log(0.01) / math.log(0.5)) + 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_contracts": 0}, "n_contracts"),
        ({"n_contracts": 2.5}, "integer"),
        ({"prior_tough": -0.1}, "prior_tough"),
        ({"entrant_gain": 1.0}, "strictly between"),
        ({"incumbent_gain": 0.5}, "exceed 1"),
    ],
)
def test_invalid_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        ReputationParams(**kwargs)


@settings(max_examples=20)
@given(
    st.integers(1, 4),
    st.fractions(min_value=Fraction(1, 50), max_value=Fraction(49, 50), max_denominator=50),
    st.fractions(min_value=Fraction(1, 10), max_value=Fraction(9, 10), max_denominator=10),
    st.fractions(min_value=Fraction(11, 10), max_value=5, max_denominator=10),
)
def test_kreps_wilson_is_an_exact_nash_equilibrium_of_the_tree(N, eps, b, a):
    r = reputation(ReputationParams(N, eps, b, a))
    assert r.nash_conv == 0  # also asserted inside; recomputed by the independent BR code
    # entrants stay out exactly while ε > b^k (k contracts left), from the start
    expected = 0
    for k in range(N, 0, -1):
        if eps > b**k:
            expected += 1
        else:
            break
    assert r.uncontested == expected
    assert r.perfect_information_uncontested == 0
