"""Conversion to and from :class:`nashpy.Game` (two-player games)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...errors import InvalidGameError

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["from_nashpy", "to_nashpy"]


def to_nashpy(game: NormalFormGame):
    """A :class:`nashpy.Game` with the row and column payoff matrices of a two-player game.

    Labels are not carried (nashpy has none).
    """
    import nashpy

    if game.n_players != 2:
        raise InvalidGameError(
            f"nashpy represents two-player games only; this game has {game.n_players} players"
        )
    return nashpy.Game(np.array(game.payoffs[..., 0]), np.array(game.payoffs[..., 1]))


def from_nashpy(game, players=None, actions=None) -> NormalFormGame:
    """A :class:`NormalFormGame` from a :class:`nashpy.Game` (its ``payoff_matrices``)."""
    from ._game import NormalFormGame

    mats = getattr(game, "payoff_matrices", None)
    if mats is None or len(mats) != 2:
        raise InvalidGameError(
            f"expected a nashpy.Game with two payoff matrices, got {type(game).__name__}"
        )
    return NormalFormGame.bimatrix(
        np.asarray(mats[0]), np.asarray(mats[1]), players=players, actions=actions
    )
