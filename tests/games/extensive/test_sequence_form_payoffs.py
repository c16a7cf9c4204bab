"""The exact LP and LCP report payoffs x^T A_k y from the sequence form; they must equal
the expected payoffs of the returned behaviour by a walk of the tree."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings

from jenga_games.games.extensive import one_card_poker, sequence_form_lcp, sequence_form_lp
from jenga_games.games.extensive._best_response import _expected

from .strategies import trees


def _walked(game, res):
    return tuple(_expected(game, res.exact_behaviour, Fraction(0)))


def test_one_card_poker_payoffs_from_plans_equal_the_tree_walk():
    g = one_card_poker()
    for res in (sequence_form_lp(g), sequence_form_lcp(g)):
        assert res.exact_payoffs == _walked(g, res) == (Fraction(1, 3), Fraction(-1, 3))


@settings(max_examples=25, deadline=None)
@given(trees(perfect_information=False, zero_sum=False))
def test_lcp_payoffs_from_plans_equal_the_tree_walk(g):
    res = sequence_form_lcp(g)
    assert res.exact_payoffs == _walked(g, res)


@settings(max_examples=25, deadline=None)
@given(trees(perfect_information=False, zero_sum=True))
def test_rational_simplex_payoffs_from_plans_equal_the_tree_walk(g):
    from jenga_games.games.extensive._forms import sequence_form
    from jenga_games.games.extensive._solvers import _sequence_form_lp

    res = _sequence_form_lp(g, sequence_form(g), exact=True)
    assert res.exact_payoffs == _walked(g, res)
