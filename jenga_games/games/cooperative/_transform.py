"""Transformations of TU games: dual, normalisations, sub-games, savings, excesses.

Definitions (Peleg & Sudhölter 2007, ch. 2 [Peleg2007]_):

- dual: ``v*(S) = v(N) - v(N \\ S)``;
- zero-normalisation: ``v0(S) = v(S) - sum_{i in S} v({i})``;
- (0,1)-normalisation: ``v0(S) / v0(N)`` (needs ``v0(N) > 0``, an essential game);
- sub-game on ``T``: ``v_T(S) = v(S)`` for ``S ⊆ T``;
- savings game of a cost game ``c``: ``s(S) = sum_{i in S} c({i}) - c(S)``;
- excess of ``S`` at ``x``: ``e(S, x) = v(S) - x(S)``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np

from ...errors import InvalidGameError
from ...tolerance import TOL
from ._bits import members, submasks, subset_sums
from ._game import TUGame

__all__ = [
    "as_allocation_vector",
    "dual",
    "excesses",
    "savings",
    "subgame",
    "zero_normalized",
    "zero_one_normalized",
]


def as_allocation_vector(game: TUGame, x) -> np.ndarray:
    """Validate an allocation: a finite vector of one payoff per player."""
    try:
        a = np.asarray(x, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidGameError(f"an allocation must be a vector of numbers, not {x!r}") from None
    if a.shape[0] != game.n:
        raise InvalidGameError(
            f"the allocation has {a.shape[0]} entries but the game has "
            f"{game.n} players; give one payoff per player"
        )
    if not np.all(np.isfinite(a)):
        raise InvalidGameError("the allocation contains NaN or infinite payoffs")
    return a


def _singletons(game: TUGame) -> np.ndarray:
    return game.values[1 << np.arange(game.n)]


def dual(game: TUGame) -> TUGame:
    """``v*(S) = v(N) - v(N \\ S)``; the dual of the dual is the game itself."""
    v = game.values
    return TUGame(game.n, v[-1] - v[::-1], game.players)


def zero_normalized(game: TUGame) -> TUGame:
    """``v0(S) = v(S) - sum_{i in S} v({i})`` (strategically equivalent, ``v0({i}) = 0``)."""
    return TUGame(game.n, game.values - subset_sums(_singletons(game)), game.players)


def zero_one_normalized(game: TUGame) -> TUGame:
    """The (0,1)-normalised game: ``v0 / v0(N)``; raises for a game that is not essential."""
    g0 = zero_normalized(game)
    if g0.grand <= TOL * max(1.0, abs(game.grand)):
        raise InvalidGameError(
            f"the game is not essential (v(N) - sum v({{i}}) = {g0.grand:.3g} <= 0), so it has no "
            "(0,1)-normalisation; use zero_normalized() instead"
        )
    return TUGame(game.n, g0.values / g0.grand, game.players)


def subgame(game: TUGame, players: Iterable[Hashable]) -> TUGame:
    """The game restricted to ``players`` (in the game's order of players)."""
    keep = game.mask(players)
    idx = members(keep)
    if not idx:
        raise InvalidGameError("a sub-game needs at least one player")
    sub = submasks(keep)
    return TUGame(len(idx), game.values[sub], [game.players[i] for i in idx])


def savings(cost: TUGame) -> TUGame:
    """Savings game of a cost game: ``s(S) = sum_{i in S} c({i}) - c(S)``.

    A savings allocation ``y`` gives the cost shares ``c({i}) - y_i``.
    """
    return TUGame(cost.n, subset_sums(_singletons(cost)) - cost.values, cost.players)


def excesses(game: TUGame, x) -> np.ndarray:
    """``e(S, x) = v(S) - x(S)`` for all ``2**n`` coalitions (index = bitmask)."""
    return game.values - subset_sums(as_allocation_vector(game, x))
