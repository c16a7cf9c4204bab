"""The mediator's plan on a small Jenga game: the welfare chain SPE <= CE <= CCE <= cooperative."""

from __future__ import annotations

import pytest

from jenga_games.commissioning.mediator import default_mediation_game, mediated_plan
from jenga_games.games.extensive import backward_induction, read_efg, reduced_normal_form
from jenga_games.games.normal_form import correlated_equilibrium, obedience_gains


def test_welfare_chain_and_what_a_mediator_cannot_do():
    r = mediated_plan()
    w = r.welfare
    assert w["spe"] <= w["correlated"] + 1e-12
    assert w["correlated"] <= w["coarse_correlated"] + 1e-12
    assert w["coarse_correlated"] <= w["cooperative"] + 1e-12
    # on this tower the first mover can secure 1.0 alone, more than the cooperative plan
    # gives it (-0.62): without side payments the mediator cannot close the gap
    assert r.mediator_gain == pytest.approx(0.0)
    assert r.remaining_gap == pytest.approx(1.08)
    assert r.payoffs.loc["P1", "cooperative"] < r.payoffs.loc["P1", "spe"]
    assert r.plan["probability"].sum() == pytest.approx(1.0)
    assert "L0.1" in r.plan["play"].iloc[0]


def test_spe_on_the_tree_and_obedience_exact():
    game = default_mediation_game()
    tree = read_efg(game.to_efg())
    assert backward_induction(tree).payoffs == pytest.approx(list(game.solve().payoffs.values()))
    nf = reduced_normal_form(tree)
    ce = correlated_equilibrium(nf, exact=True)
    assert all(g <= 0 for g in obedience_gains(nf, ce.exact_distribution))
