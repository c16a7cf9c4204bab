"""Extensive-form solvers against published values and independent oracles."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

from jenga_games.errors import InvalidGameError, InvalidParameterError
from jenga_games.games._rational_lp import solve_lp
from jenga_games.games.extensive import (
    ExtensiveGame,
    backward_induction,
    best_response,
    cfr,
    kuhn_poker,
    nash_conv,
    one_card_poker,
    read_efg,
    reduced_normal_form,
    sequence_form_lcp,
    sequence_form_lp,
)

from .strategies import trees


def test_kuhn_value_is_minus_one_eighteenth_exactly():
    # Kuhn (1950): the first player's value is -1/18
    r = sequence_form_lp(kuhn_poker())
    assert r.exact_payoffs == (Fraction(-1, 18), Fraction(1, 18))
    assert r.nash_conv == 0.0
    nc, gains = nash_conv(kuhn_poker(), r.exact_behaviour)
    assert nc == 0 and all(g == 0 for g in gains)
    # player 1 never bets the middle card Q first (a known feature of every equilibrium)
    assert r.exact_behaviour[0][1] == [Fraction(1), Fraction(0)]
    f = sequence_form_lp(kuhn_poker(), exact=False)
    assert f.payoffs[0] == pytest.approx(-1 / 18, abs=1e-9)
    assert "-1/18" in repr(r)


def test_exact_lp_is_certified_from_highs_or_falls_back_to_the_rational_simplex(monkeypatch):
    from jenga_games.games.extensive import _solvers

    warm = sequence_form_lp(kuhn_poker())
    assert warm.provenance.params["lp"].startswith("HiGHS, rationalised")
    assert nash_conv(kuhn_poker(), warm.exact_behaviour)[0] == 0
    # when no rounding certifies (here: forced), the rational simplex answers
    monkeypatch.setattr(_solvers, "_rationalise", lambda game, beh, bound: [])
    cold = sequence_form_lp(kuhn_poker())
    assert cold.provenance.params == {"lp": "rational simplex"}
    assert cold.exact_payoffs == warm.exact_payoffs == (Fraction(-1, 18), Fraction(1, 18))
    # a rounding that is not an equilibrium is refused, not returned
    monkeypatch.setattr(
        _solvers,
        "_rationalise",
        lambda game, beh, bound: [
            [[Fraction(1, 2)] * 2 for _ in game.infosets[p]] for p in range(2)
        ],
    )
    assert sequence_form_lp(kuhn_poker()).provenance.params == {"lp": "rational simplex"}


def _normal_form_value(game):
    """Oracle: the value of the reduced normal form by its own maximin LP."""
    nf = reduced_normal_form(game)
    A = nf.exact_payoffs[..., 0]
    m, n = A.shape
    c = [0] * m + [1]
    A_ub = [[-A[i, j] for i in range(m)] + [1] for j in range(n)]
    sol = solve_lp(c, A_ub, [0] * n, [[1] * m + [0]], [1], free=[m], exact=True)
    return sol.exact_value


def test_sequence_form_value_equals_reduced_normal_form_value():
    for g in (kuhn_poker(), one_card_poker()):
        assert sequence_form_lp(g).exact_payoffs[0] == _normal_form_value(g)


def test_cfr_plus_on_kuhn_reaches_stated_exploitability():
    # stated: CFR+ on Kuhn poker, 300 iterations -> exploitability (NashConv / 2) <= 1e-3
    r = cfr(kuhn_poker(), 300, record_every=100)
    assert r.exploitability <= 1e-3
    assert [t for t, _ in r.curve] == [100, 200, 300]
    assert r.curve[-1][1] == r.exploitability
    assert r.payoffs[0] == pytest.approx(-1 / 18, abs=2e-3)
    v = cfr(kuhn_poker(), 300, plus=False)
    assert v.exploitability <= 1e-2
    with pytest.raises(InvalidParameterError, match="at least 1"):
        cfr(kuhn_poker(), 0)


def test_best_response_exact_against_uniform():
    g = kuhn_poker()
    uniform = [[[Fraction(1, 2)] * 2 for _ in g.infosets[p]] for p in range(2)]
    choice, value = best_response(g, uniform, 0)
    assert isinstance(value, Fraction) and value > 0
    # against a uniform opponent, bluffing with the Jack beats checking (-1/2 > -1)
    assert choice[g.infoset(0, "J").index] == 1


def test_backward_induction_reads_jenga_efg_and_agrees_with_the_jenga_solver():
    from jenga_games.games.sequential import JengaGame

    game = JengaGame.classic(2, players=2, gains=0.5, collapse_cost=1 / 3, discount=0.9)
    tree = read_efg(game.to_efg())
    assert tree.is_perfect_information()
    r = backward_induction(tree)
    assert r.nash_conv == 0.0
    assert r.payoffs == pytest.approx(list(game.solve().payoffs.values()), abs=1e-9)


def test_solver_preconditions():
    with pytest.raises(InvalidGameError, match="perfect information"):
        backward_induction(kuhn_poker())
    g = ExtensiveGame(["A", "B"])
    x, y = g.add_move(g.root, 0, ["x", "y"])
    g.set_outcome(x, [1, 1])
    g.set_outcome(y, [0, 0])
    with pytest.raises(InvalidGameError, match="zero-sum"):
        sequence_form_lp(g)
    with pytest.raises(InvalidGameError, match="zero-sum"):
        cfr(g)


@settings(max_examples=30)
@given(trees())
def test_backward_induction_is_an_exact_equilibrium(g):
    r = backward_induction(g)
    nc, _ = nash_conv(g, r.exact_behaviour)
    assert nc == 0


@settings(max_examples=20)
@given(trees(perfect_information=False, zero_sum=True))
def test_sequence_form_value_matches_normal_form_oracle(g):
    assert g.is_perfect_recall()
    r = sequence_form_lp(g)
    assert r.exact_payoffs[0] == _normal_form_value(g)


def test_lcp_on_kuhn_gives_the_value():
    r = sequence_form_lcp(kuhn_poker())
    # any equilibrium of a zero-sum game pays the value
    assert r.exact_payoffs == (Fraction(-1, 18), Fraction(1, 18))
    assert nash_conv(kuhn_poker(), r.exact_behaviour)[0] == 0


@settings(max_examples=20)
@given(trees(perfect_information=False, zero_sum=False))
def test_lcp_finds_an_exact_equilibrium_of_general_sum_trees(g):
    r = sequence_form_lcp(g)
    nc, gains = nash_conv(g, r.exact_behaviour)
    assert nc == 0 and all(v == 0 for v in gains)


def test_nash_but_not_subgame_perfect_threat_is_flagged():
    # Selten's chain store with one contract: "fight if you enter" keeps the entrant out;
    # it is a Nash equilibrium (the threat is never tested) but not subgame perfect
    from jenga_games.commissioning.reputation import ReputationParams, chain_store_game
    from jenga_games.games.extensive import subgame_perfect_violations

    g = chain_store_game(ReputationParams(n_contracts=1), with_tough=False)
    threat = [[[Fraction(1), Fraction(0)]], [[Fraction(1), Fraction(0)]]]  # fight; stay out
    assert nash_conv(g, threat)[0] == 0
    bad = subgame_perfect_violations(g, threat)
    assert len(bad) == 1 and "'fight'" in bad[0]
    spe = backward_induction(g)
    assert subgame_perfect_violations(g, spe.exact_behaviour) == []
    # Kuhn poker's only subgame is the whole game, where uniform play is no equilibrium
    assert subgame_perfect_violations(kuhn_poker(), [[[0.5, 0.5]] * 6, [[0.5, 0.5]] * 6])
    assert (
        subgame_perfect_violations(kuhn_poker(), sequence_form_lp(kuhn_poker()).exact_behaviour)
        == []
    )


@settings(max_examples=20)
@given(trees())
def test_backward_induction_passes_the_subgame_perfection_check(g):
    from jenga_games.games.extensive import subgame_perfect_violations

    assert subgame_perfect_violations(g, backward_induction(g).exact_behaviour) == []


def test_leduc_poker_shape():
    from jenga_games.games.extensive import leduc_poker

    g = leduc_poker()
    # 144 information sets per player with suits abstracted away (288 in all)
    assert g.n_infosets == (144, 144) and g.is_zero_sum() and g.is_perfect_recall()


@pytest.mark.slow
def test_leduc_value_matches_the_published_one():
    # the first player's value of Leduc hold'em is -0.0856 (e.g. Lanctot et al. 2019,
    # OpenSpiel's documentation); HiGHS on the sequence form, certified by NashConv
    from jenga_games.games.extensive import leduc_poker

    r = sequence_form_lp(leduc_poker(), exact=False)
    assert r.payoffs[0] == pytest.approx(-0.0856, abs=5e-5)
    assert r.nash_conv <= 1e-9
    run = cfr(leduc_poker(), 100)
    assert run.exploitability <= 0.05  # measured 0.038 after 100 CFR+ iterations


@settings(max_examples=15, deadline=None)
@given(trees(perfect_information=False, zero_sum=True))
def test_warm_started_exact_lp_agrees_with_the_rational_simplex(g):
    from jenga_games.games.extensive import _solvers
    from jenga_games.games.extensive._forms import sequence_form

    warm = _solvers._warm_start(g, sequence_form(g))
    cold = _solvers._sequence_form_lp(g, sequence_form(g), exact=True)
    if warm is not None:  # certified: an exact equilibrium paying the value
        assert nash_conv(g, warm.exact_behaviour)[0] == 0
        assert warm.exact_payoffs == cold.exact_payoffs
