"""The two-tower transition as a game (issue #15 item 4)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jenga_games.commissioning import JengaParams, commissioning_game
from jenga_games.errors import InvalidGameError
from jenga_games.games.sequential import JengaGame, TransitionGame
from jenga_games.tolerance import is_close
from jenga_games.tower import AllOf, Provider, Service, Tower

from .strategies import games


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(games(max_blocks=6, must_move=False))
def test_without_new_tower_or_delay_it_is_the_jenga_game(game):
    assume(game.fall_criterion == "fallen")
    play = TransitionGame(game).solve()
    spe = game.solve()
    assert np.all(is_close(np.array(list(play.payoffs.values())), list(spe.payoffs.values())))
    assert play.moved == spe.removed and play.fell == spe.fell


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(games(max_blocks=6, must_move=False), st.data())
def test_fixed_costs_still_due_are_the_tower_with_a_higher_overhead(game, data):
    """For every subset moved, the shifted batch cascade is the engine on the tower whose
    overheads carry the fixed costs still due (one by one: the oracle)."""
    assume(game.fall_criterion == "fallen")
    tg = TransitionGame(game)
    tower, movable = game.tower, tg.movable
    assume(movable)
    still_due = data.draw(st.lists(st.sampled_from(movable), unique=True, min_size=1))
    pending = tuple((b, 1) for b in still_due)
    due: dict = {}
    for b in still_due:
        s = tower.services[tower.ids[b]]
        if s.provider is not None:
            due[s.provider] = due.get(s.provider, 0.0) + s.fixed_cost
    raised = tower.replace(
        providers={p: {"overhead": tower.providers[p].overhead + f} for p, f in due.items()}
    )
    for k in range(1 << len(movable)):
        moved = frozenset(b for i, b in enumerate(movable) if k >> i & 1)
        expected = raised.cascade([tower.ids[b] for b in moved]).fallen
        assert tg._old_ends(moved, pending) == expected


def _pair():
    old = Tower([Service("a"), Service("b")])
    new = Tower([Service("a"), Service("b", support=AllOf())], [("a", "b")])
    game = JengaGame(old, ["P"], gains={"a": 1, "b": 5}, must_move=False, discount=0.9)
    return game, new


def test_a_service_moves_only_when_its_new_supports_stand():
    game, new = _pair()
    assert [b for _, _, b in TransitionGame(game).solve().path][:1] == ["b"]
    play = TransitionGame(game, new).solve()
    assert play.moved == ("a", "b")  # b needs a in the new tower
    assert play.payoffs["P"] == pytest.approx(1 + 0.9 * 5)  # b first would give 5 + 0.9


def _delayed():
    old = Tower(
        [
            Service("x", provider="H", activity=1, tariff=3, variable_cost=1, fixed_cost=2),
            Service("y", provider="H", activity=1, tariff=2, variable_cost=1),
        ],
        providers=[Provider("H", overhead=0, reserves=0.5)],
    )
    return JengaGame(old, ["A"], eligible={"A": ["x"]}, gains={"x": 1}, must_move=False)


def test_a_delay_before_fixed_costs_are_shed_can_make_a_safe_move_topple():
    game = _delayed()
    assert TransitionGame(game).solve().moved == ("x",)  # x's fixed cost goes with it
    # with the fixed cost due for one more turn the provider fails: 1 + 0.5 − 2 < 0
    assert TransitionGame(game, delay=1).solve().moved == ()
    assert game.tower.cascade(["x"]).standing == {"y"}


def test_dearer_reprovision_moves_nothing():
    game = commissioning_game(params=JengaParams(reprovision_share=1.2))
    play = TransitionGame(game, delay=2).solve()
    assert play.moved == () and not play.fell
    assert all(v == 0 for v in play.payoffs.values())


def test_bad_transitions_are_named():
    game, new = _pair()
    with pytest.raises(InvalidGameError, match="passing"):
        TransitionGame(JengaGame(game.tower, 1), new)
    with pytest.raises(InvalidGameError, match="delay"):
        TransitionGame(game, delay=-1)
    with pytest.raises(InvalidGameError, match="not in the new tower"):
        TransitionGame(game, Tower([Service("a")]))


def test_results_serialise_to_json():
    import json

    from jenga_games.games.bargaining import BargainingProblem, nash, price_activity_bargain
    from jenga_games.games.sequential import ProviderGame, ProviderMoves

    game, new = _pair()
    json.dumps(TransitionGame(game, new).solve().to_dict())
    delayed = _delayed()
    json.dumps(ProviderGame(delayed, ProviderMoves(funding={"H": 1.0})).solve().to_dict())
    json.dumps(delayed.solve().to_dict())
    json.dumps(nash(BargainingProblem([[1, 0], [0, 1]])).to_dict())
    json.dumps(price_activity_bargain().to_dict())
