"""Sequential-equilibrium and subgame-perfection checks: textbook games and oracles."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings

from jenga_games.errors import InvalidGameError
from jenga_games.games.extensive import (
    ExtensiveGame,
    agent_logit_beliefs,
    agent_logit_path,
    beer_quiche,
    consistent_beliefs,
    nash_conv,
    selten_horse,
    sequence_form_lcp,
    sequential_equilibrium_check,
    subgame_nash_gaps,
    subgame_perfect_violations,
    subgames,
)

from .strategies import trees


def test_selten_horse():
    g = selten_horse()
    # (D, c, L): a Nash equilibrium whose threat of c is not credible at player 2's node
    dcl = [["D"], ["c"], ["L"]]
    assert nash_conv(g, dcl)[0] == 0
    r = sequential_equilibrium_check(g, dcl)
    assert not r.sequentially_rational and r.consistent and not r.is_sequential_equilibrium
    assert r.gains[("2", "2")] == pytest.approx(3.0)  # d then L pays 4 instead of 1
    # (C, c, R): sequential with belief 1/4 on the node after D (any belief <= 1/3) ...
    ccr = [[[F(1), F(0)]], [[F(1), F(0)]], [[F(0), F(1)]]]
    ok = sequential_equilibrium_check(g, ccr, beliefs=[[[1]], [[1]], [[F(1, 4), F(3, 4)]]])
    assert ok.is_sequential_equilibrium and ok.violations == ()
    assert all(v == 0 for v in ok.gains.values())
    # ... the witness: both deviations of the same order, d three times as likely as D
    (k_d, w_d), (k_D, w_D) = ok.witness[("2", "2", "d")], ok.witness[("1", "1", "D")]
    assert k_d == pytest.approx(k_D) and w_d - w_D == pytest.approx(np.log(3))
    # ... but not with belief 1/2 (the uniform trembles'), nor 2/5
    assert not sequential_equilibrium_check(g, ccr).sequentially_rational
    bad = sequential_equilibrium_check(g, ccr, beliefs=[[[1]], [[1]], [[F(2, 5), F(3, 5)]]])
    assert bad.gains[("3", "3")] == F(1, 5)
    # the only subgame is the whole game
    assert subgames(g) == [g.root]


def test_beer_quiche_pooling_equilibria_pass_with_the_right_beliefs():
    g = beer_quiche()
    beer_pool = [["beer", "beer"], ["not", "duel"]]  # duel whoever eats quiche
    assert nash_conv(g, beer_pool)[0] == 0
    # supported by the belief that a quiche eater is weak (>= 1/2)
    ok = sequential_equilibrium_check(g, beer_pool, beliefs=[[[1], [1]], [[0.9, 0.1], [0.3, 0.7]]])
    assert ok.is_sequential_equilibrium
    # the prior off the path (uniform trembles) does not support duelling
    r = sequential_equilibrium_check(g, beer_pool)
    assert r.beliefs[1][1] == pytest.approx([0.9, 0.1]) and not r.sequentially_rational
    assert "quiche" in r.violations[0]
    # beliefs on the path must follow Bayes' rule (9/10 strong after beer)
    inc = sequential_equilibrium_check(g, beer_pool, beliefs=[[[1], [1]], [[0.5, 0.5], [0.3, 0.7]]])
    assert inc.sequentially_rational and not inc.consistent
    # the quiche pooling equilibrium too (the intuitive criterion rejects it; sequential
    # equilibrium does not)
    quiche_pool = [["quiche", "quiche"], ["duel", "not"]]
    assert sequential_equilibrium_check(
        g, quiche_pool, beliefs=[[[1], [1]], [[0.2, 0.8], [0.9, 0.1]]]
    ).is_sequential_equilibrium
    # a pooling profile where the receiver duels on the path is no equilibrium at all
    bad = [["beer", "beer"], ["duel", "duel"]]
    assert not sequential_equilibrium_check(
        g, bad, beliefs=[[[1], [1]], [[0.9, 0.1], [0, 1]]]
    ).sequentially_rational


def test_consistency_ties_beliefs_to_one_deviation():
    # chance picks x or y; player A, not seeing it, stays Out; after In, B cannot tell x
    # from y: any trembles of In weigh both nodes alike, so only (1/2, 1/2) is consistent
    g = ExtensiveGame(["A", "B"])
    for node in g.add_chance(g.root, {"x": F(1, 2), "y": F(1, 2)}):
        out, inn = g.add_move(node, 0, ["Out", "In"], infoset="A")
        g.set_outcome(out, [0, 0])
        for leaf in g.add_move(inn, 1, ["l", "r"], infoset="B"):
            g.set_outcome(leaf, [1, 1])
    prof = [["Out"], ["l"]]
    assert sequential_equilibrium_check(g, prof, beliefs=[[[0.5, 0.5]], [[0.5, 0.5]]]).consistent
    r = sequential_equilibrium_check(g, prof, beliefs=[[[0.5, 0.5]], [[1, 0]]])
    assert not r.consistent and "no trembles" in r.violations[-1]
    # B's sets are not a proper subgame: A's set spans both chance branches
    assert subgames(g) == [g.root]


def _pure_oracle_gain(game, beh, i, s, mu):
    """Brute force: the best of the player's pure strategies (every information set)
    against the others, conditional on the beliefs at ``s``, minus the profile's value."""

    def value(node, plan):
        v = float(node.outcome.payoffs[i]) if node.outcome is not None else 0.0
        t = node.infoset
        if t is None:
            return v
        if t.player == i:
            probs = np.eye(len(t.actions))[plan[t.index]] if plan is not None else beh[i][t.index]
        elif t.is_chance:
            probs = [float(q) for q in t.probs]
        else:
            probs = beh[t.player][t.index]
        return v + sum(q * value(c, plan) for c, q in zip(node.children, probs) if q)

    def cond(plan):
        tot = 0.0
        for h, m in zip(s.members, mu):
            base = float(h.outcome.payoffs[i]) if h.outcome is not None else 0.0
            tot += float(m) * (value(h, plan) - base)
        return tot

    plans = itertools.product(*(range(len(t.actions)) for t in game.infosets[i]))
    return max(cond(p) for p in plans) - cond(None)


@settings(max_examples=15, deadline=None)
@given(trees(perfect_information=False))
def test_gains_equal_a_brute_force_over_pure_strategies(g):
    rng = np.random.default_rng(len(list(g.nodes())))
    beh = [[rng.dirichlet(np.ones(len(s.actions))) for s in g.infosets[p]] for p in range(2)]
    # make some actions zero so that beliefs come from the trembles off the path
    for row in beh:
        for v in row[::2]:
            v[:] = np.eye(len(v))[int(np.argmax(v))]
    r = sequential_equilibrium_check(g, beh)
    assert r.consistent  # the uniform trembles' beliefs are consistent by construction
    for i in range(2):
        for s in g.infosets[i]:
            oracle = _pure_oracle_gain(g, beh, i, s, r.beliefs[i][s.index])
            assert float(r.gains[(g.players[i], s.label or str(s.number))]) == pytest.approx(
                oracle, abs=1e-9
            )


@settings(max_examples=6, deadline=None)
@given(trees(perfect_information=False, generic=True))
def test_agent_qre_limit_is_nearly_sequential(g):
    # McKelvey & Palfrey (1998): limits of the agent QRE are sequential equilibria;
    # at λ = 2000 every conditional gain is small (stated: <= 1e-2 payoff units)
    beh = agent_logit_path(g, max_lambda=2000).last
    r = sequential_equilibrium_check(g, beh, agent_logit_beliefs(g, beh), tol=1e-2 / 4)
    assert r.sequentially_rational and r.consistent, r.violations


@settings(max_examples=10, deadline=None)
@given(trees(perfect_information=False))
def test_lcp_equilibria_pass_at_the_root_and_tremble_beliefs_are_consistent(g):
    eq = sequence_form_lcp(g).exact_behaviour
    # the whole game is a subgame, and a Nash equilibrium leaves no gain there
    assert g.root in subgames(g)
    assert [root for root, _, _ in subgame_nash_gaps(g, eq)].count(g.root) == 0
    beliefs = consistent_beliefs(g, eq)
    assert sequential_equilibrium_check(g, eq, beliefs).consistent


def test_subgame_perfection_with_hidden_information():
    # an entrant stays out for fear of a fight; after entry the two play a simultaneous
    # coordination game (a proper subgame) in which "fight, fight" is no equilibrium
    g = ExtensiveGame(["Entrant", "Incumbent"])
    out, enter = g.add_move(g.root, 0, ["out", "enter"], infoset="enter?")
    g.set_outcome(out, [0, 2])
    for a, node in zip(["share", "fight"], g.add_move(enter, 0, ["share", "fight"], infoset="e")):
        for b, leaf in zip(
            ["share", "fight"], g.add_move(node, 1, ["share", "fight"], infoset="i")
        ):
            pay = {("share", "share"): [1, 1], ("fight", "fight"): [-1, -1]}.get((a, b), [0, 0])
            g.set_outcome(leaf, pay)
    assert subgames(g) == [g.root, enter]
    threat = [["out", "fight"], ["fight"]]
    assert nash_conv(g, threat)[0] == 0
    bad = subgame_perfect_violations(g, threat)
    assert len(bad) == 2 and all("'e'" in b for b in bad)  # both gain by sharing there
    spe = [["enter", "share"], ["share"]]
    assert subgame_perfect_violations(g, spe) == []
    assert sequential_equilibrium_check(g, spe).is_sequential_equilibrium


def test_errors():
    g = selten_horse()
    with pytest.raises(InvalidGameError, match="probability vector over its 2 nodes"):
        sequential_equilibrium_check(g, [["C"], ["c"], ["R"]], beliefs=[[[1]], [[1]], [[1]]])
    with pytest.raises(InvalidGameError, match="one entry per player"):
        sequential_equilibrium_check(g, [["C"], ["c"], ["R"]], beliefs=[[[1]]])
