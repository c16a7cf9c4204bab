"""Correlated and coarse correlated equilibria by linear programming.

A *correlated equilibrium* [Aumann1974]_ is a distribution ``p`` over pure
profiles ``s = (s_1, ..., s_n)`` such that a mediator who draws ``s`` from
``p`` and privately recommends ``s_i`` to each player ``i`` is obeyed: for
every player ``i`` and every pair of actions ``a ≠ a'``,

.. math:: \\sum_{s_{-i}} p(a, s_{-i})\\,\\bigl[u_i(a, s_{-i}) - u_i(a', s_{-i})\\bigr] \\ge 0

(the *obedience* constraints). A *coarse* correlated equilibrium [Moulin1978]_
asks less: no player gains by committing in advance to a fixed action ``a'``,

.. math:: \\sum_{s} p(s)\\,\\bigl[u_i(s) - u_i(a', s_{-i})\\bigr] \\ge 0 .

Both sets are polytopes, so the maximum of a linear objective (the sum of
payoffs, one player's payoff, or any weights) is a linear program
[Papadimitriou2008]_. Every Nash equilibrium, as the product distribution
``p(s) = ∏_i σ_i(s_i)``, is a correlated equilibrium, and every correlated
equilibrium is coarse correlated.

Index conventions: ``p`` has the game's shape ``(a_1, ..., a_n)``; its flat
order is numpy's C order (player 1's action varying slowest).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._results import Provenance, Result, to_plain
from ...errors import InvalidGameError, InvalidParameterError
from ...tolerance import TOL
from .._rational_lp import solve_lp

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = [
    "CorrelatedEquilibrium",
    "coarse_correlated_equilibrium",
    "correlated_equilibrium",
    "obedience_gains",
    "product_distribution",
]

OBJECTIVES = ("feasible", "welfare", "player")


@dataclasses.dataclass(frozen=True, eq=False)
class CorrelatedEquilibrium(Result):
    """A (coarse) correlated equilibrium, certified by its obedience gains.

    Attributes
    ----------
    distribution : numpy.ndarray
        ``distribution[s]`` is the probability of pure profile ``s`` (game's shape).
    payoffs : numpy.ndarray
        Expected payoff of each player.
    welfare : float
        Sum of the expected payoffs.
    coarse : bool
        Whether the constraints were the coarse (ex-ante) ones.
    objective : str
        ``"feasible"``, ``"welfare"`` or ``"player"``.
    max_gain : float
        Largest gain of any deviation (``≤ 0`` up to tolerance; exactly when exact),
        recomputed from the game by :func:`obedience_gains`, not read from the solver.
    players, actions : tuple
    exact_distribution : numpy.ndarray or None
        Object array of :class:`~fractions.Fraction` in exact mode.
    exact_payoffs : tuple of Fraction or None
    provenance : Provenance
    """

    distribution: np.ndarray
    payoffs: np.ndarray
    welfare: float
    coarse: bool
    objective: str
    max_gain: float
    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    exact_distribution: np.ndarray | None = None
    exact_payoffs: tuple[Fraction, ...] | None = None
    provenance: Provenance | None = None

    def support(self) -> dict[tuple[str, ...], float]:
        """``{profile labels: probability}`` for the profiles with positive probability."""
        out = {}
        src = self.exact_distribution if self.exact_distribution is not None else self.distribution
        for idx in itertools.product(*(range(len(a)) for a in self.actions)):
            v = src[idx]
            if (v != 0) if self.exact_distribution is not None else (v > 1e-12):
                out[tuple(a[k] for a, k in zip(self.actions, idx))] = (
                    v if self.exact_distribution is not None else float(v)
                )
        return out

    def __repr__(self) -> str:
        kind = "CoarseCorrelatedEquilibrium" if self.coarse else "CorrelatedEquilibrium"
        items = ", ".join(f"{'/'.join(k)}: {v}" for k, v in self.support().items())
        pay = (
            [str(v) for v in self.exact_payoffs]
            if self.exact_payoffs is not None
            else [f"{v:.4g}" for v in self.payoffs]
        )
        return f"{kind}({{{items}}}; payoffs={pay})"

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["support"] = [
            {"profile": list(k), "probability": to_plain(v)} for k, v in self.support().items()
        ]
        return d


def _constraint_rows(U: np.ndarray, coarse: bool) -> list[tuple[int, list]]:
    """Rows ``g`` with ``g·p ≥ 0``, one per (player, action pair) or (player, action)."""
    shape = U.shape[:-1]
    n = len(shape)
    rows: list[tuple[int, list]] = []
    for i in range(n):
        Ui = U[..., i]
        for dev in range(shape[i]):
            # gain of recommended play over deviating to `dev`, per profile
            dev_vals = np.take(Ui, [dev], axis=i)
            diff = Ui - dev_vals  # broadcasting along axis i
            if coarse:
                rows.append((i, list(diff.ravel())))
            else:
                for a in range(shape[i]):
                    if a == dev:
                        continue
                    mask = np.zeros(shape, dtype=bool)
                    sl = [slice(None)] * n
                    sl[i] = a
                    mask[tuple(sl)] = True
                    row = np.where(mask, diff, 0)
                    rows.append((i, list(row.ravel())))
    return rows


def obedience_gains(game: NormalFormGame, distribution, coarse: bool = False) -> np.ndarray:
    """Each deviation's expected gain under ``distribution`` (CE: ``≤ 0`` everywhere).

    For a correlated equilibrium the entries are, per player ``i`` and action pair
    ``(a, a')``, ``Σ_{s_{-i}} p(a, s_{-i}) [u_i(a', s_{-i}) - u_i(a, s_{-i})]``; for a
    coarse one, per ``(i, a')``, ``Σ_s p(s)[u_i(a', s_{-i}) - u_i(s)]``. When
    ``distribution`` holds :class:`~fractions.Fraction` (and the game is exact)
    the gains are exact, as an object array.
    """
    p = np.asarray(distribution, dtype=object)
    if p.shape != game.shape:
        raise InvalidParameterError(
            f"the distribution has shape {p.shape}; the game's profiles have shape {game.shape}"
        )
    exact = all(isinstance(v, int | Fraction) for v in p.ravel())
    U = game.exact_payoffs if exact else game.payoffs
    flat = list(p.ravel()) if exact else list(np.asarray(distribution, dtype=float).ravel())
    out = []
    for _, row in _constraint_rows(U, coarse):
        out.append(-sum((g * q for g, q in zip(row, flat) if q), Fraction(0) if exact else 0.0))
    return np.array(out, dtype=object if exact else float)


def product_distribution(strategies: Sequence[Sequence]) -> np.ndarray:
    """The joint distribution ``∏_i σ_i(s_i)`` of independent mixed strategies."""
    exact = all(isinstance(v, int | Fraction) for s in strategies for v in s)
    if exact:
        shape = tuple(len(s) for s in strategies)
        out = np.empty(shape, dtype=object)
        for idx in itertools.product(*(range(k) for k in shape)):
            v = Fraction(1)
            for s, k in zip(strategies, idx):
                v *= Fraction(s[k])
            out[idx] = v
        return out
    out = np.array(1.0)
    for s in strategies:
        out = np.multiply.outer(out, np.asarray(s, dtype=float))
    return out


def _solve(
    game: NormalFormGame,
    coarse: bool,
    objective: str,
    player,
    weights,
    exact: bool,
    tol: float,
) -> CorrelatedEquilibrium:
    if objective not in OBJECTIVES and weights is None:
        raise InvalidParameterError(
            f"unknown objective {objective!r}; use one of {list(OBJECTIVES)} or pass weights=[...]"
        )
    n = game.n_players
    if weights is not None:
        w = list(weights)
        if len(w) != n:
            raise InvalidParameterError(
                f"weights has {len(w)} entries; give one per player ({n}: {list(game.players)})"
            )
        objective = "weights"
    elif objective == "player":
        if player is None:
            raise InvalidParameterError("objective='player' needs player=<name or index>")
        w = [0] * n
        w[game.player_index(player)] = 1
    elif objective == "welfare":
        w = [1] * n
    else:
        w = [0] * n
    U = game.exact_payoffs if exact else game.payoffs
    zero = Fraction(0) if exact else 0.0
    cost = [
        sum((Fraction(wi) if exact else float(wi)) * U[(*idx, i)] for i, wi in enumerate(w) if wi)
        + zero
        for idx in itertools.product(*(range(a) for a in game.shape))
    ]
    rows = [r for _, r in _constraint_rows(U, coarse)]
    A_ub = [[-v for v in r] for r in rows]
    b_ub = [zero] * len(rows)
    size = len(cost)
    what = f"{'coarse ' if coarse else ''}correlated equilibrium of {game!r}"
    sol = solve_lp(cost, A_ub, b_ub, [[1] * size], [1], exact=exact, what=what)
    if exact:
        dist_exact = np.empty(game.shape, dtype=object)
        dist_exact.ravel()[:] = list(sol.exact_x)
        gains = obedience_gains(game, dist_exact, coarse)
        max_gain = max(gains, default=Fraction(0))
        if max_gain > 0:
            raise RuntimeError(f"{what}: an obedience constraint fails exactly; please report")
        P = game.exact_payoffs
        ex_pay = tuple(
            sum(
                (dist_exact[idx] * P[(*idx, i)] for idx in np.ndindex(*game.shape)),
                Fraction(0),
            )
            for i in range(n)
        )
        dist = dist_exact.astype(float)
        pay = np.array([float(v) for v in ex_pay])
        max_gain_f = float(max_gain)
    else:
        dist = np.clip(sol.x, 0.0, None)
        dist = (dist / dist.sum()).reshape(game.shape)
        dist_exact, ex_pay = None, None
        gains = obedience_gains(game, dist, coarse)
        max_gain_f = float(gains.max(initial=0.0))
        scale = float(max(1.0, np.abs(game.payoffs).max(initial=0.0)))
        if max_gain_f > tol * scale:
            raise RuntimeError(f"{what}: obedience gain {max_gain_f:.3g} > tol; please report")
        pay = np.array([float((dist * game.payoffs[..., i]).sum()) for i in range(n)])
    dist.setflags(write=False)
    pay.setflags(write=False)
    return CorrelatedEquilibrium(
        distribution=dist,
        payoffs=pay,
        welfare=float(pay.sum()),
        coarse=coarse,
        objective=objective,
        max_gain=max_gain_f,
        players=game.players,
        actions=game.actions,
        exact_distribution=dist_exact,
        exact_payoffs=ex_pay,
        provenance=Provenance(
            method="coarse_correlated_equilibrium" if coarse else "correlated_equilibrium",
            params={
                "objective": objective,
                "weights": [str(v) for v in w],
                "lp": "rational simplex" if exact else "HiGHS",
            },
            exact=exact,
        ),
    )


def correlated_equilibrium(
    game: NormalFormGame,
    objective: str = "welfare",
    *,
    player: int | str | None = None,
    weights: Sequence | None = None,
    exact: bool = False,
    tol: float = TOL,
) -> CorrelatedEquilibrium:
    """A correlated equilibrium that maximises ``objective`` (an LP; any number of players).

    Parameters
    ----------
    game : NormalFormGame
    objective : {"welfare", "player", "feasible"}
        Maximise the sum of expected payoffs, one player's payoff (``player=``),
        or nothing (any point of the polytope).
    player : int or str, optional
        The player whose payoff ``objective="player"`` maximises.
    weights : sequence, optional
        Maximise ``Σ_i w_i u_i(p)`` instead (overrides ``objective``).
    exact : bool
        Solve the LP in rational arithmetic: the distribution is exact and every
        obedience constraint holds exactly.
    tol : float
        Floating-point tolerance for the obedience certificate.

    Returns
    -------
    CorrelatedEquilibrium

    Notes
    -----
    The LP has one variable per pure profile (``∏ a_i``) and ``Σ_i a_i(a_i - 1)``
    obedience rows [Aumann1974]_, [Papadimitriou2008]_.

    Examples
    --------
    >>> from jenga_games.games.normal_form import NormalFormGame
    >>> chicken = NormalFormGame.bimatrix([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    >>> ce = correlated_equilibrium(chicken, exact=True)
    >>> [str(v) for v in ce.exact_payoffs]
    ['21/4', '21/4']
    """
    _check_size(game)
    return _solve(game, False, objective, player, weights, exact, tol)


def coarse_correlated_equilibrium(
    game: NormalFormGame,
    objective: str = "welfare",
    *,
    player: int | str | None = None,
    weights: Sequence | None = None,
    exact: bool = False,
    tol: float = TOL,
) -> CorrelatedEquilibrium:
    """A coarse correlated equilibrium maximising ``objective`` [Moulin1978]_.

    Same parameters as :func:`correlated_equilibrium`; the constraints are the
    ``Σ_i a_i`` ex-ante ones, so the set is larger and the optimum at least as high.
    """
    _check_size(game)
    return _solve(game, True, objective, player, weights, exact, tol)


_MAX_PROFILES = 20_000


def _check_size(game) -> None:
    size = int(np.prod(game.shape))
    if size > _MAX_PROFILES:
        raise InvalidGameError(
            f"the game has {size} pure profiles; the correlated-equilibrium LP is limited to "
            f"{_MAX_PROFILES}. Remove dominated actions first (eliminate_dominated)."
        )
