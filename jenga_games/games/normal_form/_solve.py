"""``equilibria(game, method=...)``: one entry point to every Nash equilibrium solver.

============================  =======  ==========================================  =======================
method                        players  finds                                       exact mode
============================  =======  ==========================================  =======================
``"pure"``                    any      every pure equilibrium                      yes
``"support_enumeration"``     2        all, if the game is nondegenerate           yes
``"vertex_enumeration"``      2        every extreme equilibrium, any game         yes
``"lemke_howson"``            2        one per dropped label (``label=None``: all  yes (small games)
                                       labels, deduplicated); not necessarily all
``"polynomial"``              any      all isolated equilibria of small games;     always (sympy)
                                       continua reported
``"auto"``                    any      2 players: vertex enumeration when small,   as ``exact``
                                       Lemke–Howson otherwise; n players:
                                       polynomial when small, else the pure
                                       equilibria only (``complete=False``)
============================  =======  ==========================================  =======================
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ...errors import InvalidGameError
from ...tolerance import TOL
from ._game import NormalFormGame

if TYPE_CHECKING:
    from ._equilibrium import EquilibriumSet

__all__ = ["METHODS", "equilibria"]

METHODS = (
    "auto",
    "pure",
    "support_enumeration",
    "vertex_enumeration",
    "lemke_howson",
    "polynomial",
)

_DEGENERACY_LIMIT = 200_000  # C(m+n, m) up to which degeneracy is checked automatically


def require_two_players(game: NormalFormGame, method: str) -> None:
    if game.n_players != 2:
        raise InvalidGameError(
            f"{method} solves two-player games; this game has {game.n_players} players. "
            "Use method='pure' or method='polynomial' for n players."
        )


def degeneracy_flag(game: NormalFormGame) -> bool | None:
    """``is_degenerate(game)`` for games small enough to check, else ``None``."""
    m, n = game.shape
    if math.comb(m + n, m) > _DEGENERACY_LIMIT:
        return None
    from ._vertex_enumeration import is_degenerate

    return is_degenerate(game)


def equilibria(
    game: NormalFormGame, method: str = "auto", *, exact: bool = False, tol: float = TOL, **options
) -> EquilibriumSet:
    """Nash equilibria of ``game`` by the named method (see the module table).

    Parameters
    ----------
    game : NormalFormGame
    method : str
        One of :data:`METHODS`.
    exact : bool
        Rational arithmetic (payoffs converted exactly); every equilibrium
        then has ``exact_strategies`` and zero regret.
    tol : float
        Floating-point tolerance (see :mod:`jenga_games.tolerance`).
    **options
        Passed to the method (e.g. ``label`` for Lemke–Howson,
        ``max_support`` for the polynomial method).

    Returns
    -------
    EquilibriumSet
    """
    if not isinstance(game, NormalFormGame):
        raise InvalidGameError(f"expected a NormalFormGame, got {type(game).__name__}")
    if method not in METHODS:
        raise InvalidGameError(f"unknown method {method!r}; choose one of {list(METHODS)}")
    if method == "auto":
        if game.n_players == 2:
            m, n = game.shape
            from ._vertex_enumeration import MAX_SYSTEMS_EXACT

            if math.comb(m + n, m) <= (MAX_SYSTEMS_EXACT if exact else 100_000):
                method = "vertex_enumeration"
            else:
                method = "lemke_howson"
        else:
            from ._polynomial import auto_is_small

            if not auto_is_small(game):
                import dataclasses

                from ._pure import pure_equilibria

                _no_options("pure", options)
                # only the pure equilibria: the set is not all equilibria of the game
                return dataclasses.replace(
                    pure_equilibria(game, tol=tol, exact=exact), complete=False
                )
            method = "polynomial"
    if method == "pure":
        from ._pure import pure_equilibria

        _no_options(method, options)
        return pure_equilibria(game, tol=tol, exact=exact)
    if method == "support_enumeration":
        from ._support_enumeration import support_enumeration

        _no_options(method, options)
        return support_enumeration(game, tol=tol, exact=exact)
    if method == "vertex_enumeration":
        from ._vertex_enumeration import vertex_enumeration

        _no_options(method, options)
        return vertex_enumeration(game, tol=tol, exact=exact)
    if method == "lemke_howson":
        from ._lemke_howson import lemke_howson

        if options.keys() - {"label", "max_pivots"}:
            _no_options(method, options, allowed=("label", "max_pivots"))
        return lemke_howson(game, exact=exact, tol=tol, **options)
    from ._polynomial import polynomial_equilibria

    _no_options(method, options, allowed=("max_support",))
    return polynomial_equilibria(game, **options)


def _no_options(method: str, options: dict, allowed: tuple[str, ...] = ()) -> None:
    bad = [k for k in options if k not in allowed]
    if bad:
        raise InvalidGameError(
            f"method {method!r} takes no option(s) {bad}"
            + (f"; it accepts {list(allowed)}" if allowed else "")
        )
