"""Impossible work is refused early: the payoff tables grow with sets × turn positions × players."""

from __future__ import annotations

import tracemalloc

import pytest

from jenga_games.errors import JengaError, TooLargeError
from jenga_games.games.sequential import JengaGame, ProviderGame, ProviderMoves
from jenga_games.games.sequential._backward import PAYOFFS_PER_STATE, backward, state_cap
from jenga_games.tower.model import Provider, Service, Tower


def _free_blocks(n: int) -> Tower:
    """``n`` blocks on the ground: nothing ever falls, so every subset is reachable."""
    return Tower([Service(f"b{i}") for i in range(n)], [])


@pytest.mark.parametrize("engine", [None, "layers"])
def test_sixty_four_players_on_fifteen_blocks_are_refused_at_once(engine):
    """2^15 sets × 64 turn positions × 64 players × 8 bytes = 1.07 GB: refused, not built."""
    game = JengaGame(_free_blocks(15), 64)
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError) as err:
            backward(game, "spe", "first", 10_000_000, engine=engine)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50e6  # bytes: refused while enumerating (was 1.06 GB and 186 s)
    text = str(err.value)
    assert isinstance(err.value, JengaError)
    for part in ("2^15 = 32,768", "64 turn positions × 64 players", "1.07 GB", "fewer players"):
        assert part in text
    assert "max_states=10,000,000" in text and "33,554,432" in text


def test_the_cap_keeps_its_meaning_for_two_players_and_shrinks_with_the_tables():
    two = JengaGame(_free_blocks(4), 2)
    assert state_cap(two, 10_000_000) == 10_000_000  # T = m = 2: max_states sets, as before
    assert state_cap(JengaGame(_free_blocks(4), 1), 7) == 7
    three = JengaGame(_free_blocks(4), 3)
    assert state_cap(three, 900) == PAYOFFS_PER_STATE * 900 // 9 == 400
    assert state_cap(three, 1) == 1


def test_a_game_just_inside_the_budget_solves_and_agrees():
    """3 players, 8 free blocks: 256 sets × 9 payoffs; max_states=500 allows 222 sets, 600 allows 266."""
    game = JengaGame(_free_blocks(8), 3, collapse_cost=4.0)
    with pytest.raises(TooLargeError, match="payoff tables would not fit"):
        game.solve(max_states=500)
    inside = game.solve(max_states=600)
    assert inside.payoffs == game.solve().payoffs and inside.path == game.solve().path
    # nothing falls and every block earns 1: the 8 blocks are shared out in turn (3, 3, 2)
    assert inside.payoffs == {"P1": 3.0, "P2": 3.0, "P3": 2.0}


def test_the_provider_game_counts_its_players_too():
    services = [
        Service(f"s{i}", provider="p", activity=1, tariff=2, variable_cost=1) for i in range(3)
    ]
    tower = Tower(services, [], [Provider("p", overhead=1.0, reserves=1.0)])
    moves = ProviderMoves(restructure={"p": (0.1, 0.5)})
    small = ProviderGame(
        JengaGame(tower, 2, must_move=False), moves
    ).solve()  # 3 payoff rows per state: fits
    assert small.payoffs
    many = ProviderGame(JengaGame(tower, 6, must_move=False), moves)  # 7 payoff rows per state
    with pytest.raises(TooLargeError, match="payoff table would hold"):
        many.solve(max_states=many_states(many))
    assert many.solve(max_states=2 * many_states(many)).payoffs  # room for 7 rows: solves


def many_states(pg) -> int:
    """States ``N·T²`` of a provider game (``T`` turn positions with the acting providers)."""
    import numpy as np

    n_codes = np.concatenate(pg._enumerate()).size
    T = pg.game.n_turns + pg.k
    return n_codes * T * T
