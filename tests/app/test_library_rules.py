"""The app's moves come from the library's rules: move_consequence and myopic_action."""

from __future__ import annotations

import numpy as np
import pytest

from jenga_games.commissioning import commissioning_game
from jenga_games.games.sequential import move_consequence, myopic_action
from jenga_games.games.sequential._payoff import move_payoff
from jenga_games.tower import local_health_economy


@pytest.fixture(scope="module")
def game():
    return commissioning_game(local_health_economy())


@pytest.mark.parametrize("sees", ["full", "clinical"])
def test_myopic_action_replays_play_myopic(game, sees):
    """At every position of game.myopic()'s path, myopic_action picks the move it made."""
    play = game.myopic(sees=sees)
    removed: list = []
    for move in play.path:
        p = game.players.index(move.player)
        E = game.eligible_matrix[p]
        gone = set(game.tower.cascade(removed).gone)
        acts = [b for b in game.tower.ids if b not in gone and E[game.tower.index[b]]]
        if not game.must_move:
            acts.append(None)
        if not acts:
            continue  # a forced pass
        assert myopic_action(game, removed, p, acts, sees=sees) == move.block
        if move.block is not None:
            removed.append(move.block)


def test_move_consequence_is_the_payoff_rule(game):
    """Gain, and the collapse costs exactly when the cascade says the tower falls."""
    for b in ("cardiology", "theatres"):
        pay, falls, out = move_consequence(game, [], 0, b)
        assert falls == (out.fallen if game.fall_criterion == "fallen" else out.collapsed)
        assert np.array_equal(pay, move_payoff(game, 0, game.tower.index[b], falls))
    assert not move_consequence(game, [], 0, "cardiology")[1]
    assert move_consequence(game, [], 0, "theatres")[1]
    with pytest.raises(Exception, match="sees"):
        myopic_action(game, [], 0, ["cardiology"], sees="psychic")
