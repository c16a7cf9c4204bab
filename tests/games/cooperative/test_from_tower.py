"""TUGame.from_tower: a coalition's value is its best safe removal, checked by brute force."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError
from jenga_games.games.cooperative import TUGame, is_monotone
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower._reference import reference_cascade


def _brute_value(tower, services):
    best = 0.0
    for size in range(len(services) + 1):
        for combo in itertools.combinations(sorted(services), size):
            x = {s: (0.0 if s in combo else 1.0) for s in tower.ids}
            _, fell, _ = reference_cascade(tower, x)
            if not fell:
                best = max(best, sum(tower.service(s).activity for s in combo))
    return best


@settings(max_examples=25)
@given(st.data())
def test_values_match_brute_force(data):
    tower = data.draw(towers(max_services=6, providers=False))
    ids = list(tower.ids)
    control = {
        p: data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
        for p in ("A", "B", "C")
    }
    game = TUGame.from_tower(tower, control)
    for mask in range(8):
        members = [p for i, p in enumerate(control) if mask >> i & 1]
        services = set().union(*(set(control[p]) for p in members)) if members else set()
        assert game.values[mask] == pytest.approx(_brute_value(tower, services))
    assert is_monotone(game)


def test_needs_a_tower():
    with pytest.raises(InvalidGameError, match="from_services"):
        TUGame.from_tower({"A": ["x"]}, lambda s: 1.0)
