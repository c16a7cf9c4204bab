"""The stage game of a repeated game, as the repeated-game code sees it.

A stage game is a :class:`~jenga_games.games.normal_form.NormalFormGame` or a
payoff array of shape ``(a_1, ..., a_n, n)``: ``payoffs[a_1, ..., a_n, i]`` is
player ``i``'s payoff when player ``j`` plays action ``a_j``. Arrays may hold
numbers (ints, floats, fractions) or ``sympy`` expressions (symbolic payoffs,
e.g. ``T, R, P, S`` of the prisoner's dilemma). Action labels come from the game;
for a plain array the labels of player ``i`` are the integers ``0 .. a_i - 1``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import numbers
import weakref
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from ...errors import InvalidGameError, UnknownItemError

__all__ = ["Stage", "as_stage", "prisoners_dilemma", "to_rational"]


def to_rational(x: Any) -> sp.Expr:
    """An exact sympy number or expression for ``x`` (floats by their decimal repr, 0.1 -> 1/10)."""
    if isinstance(x, sp.Basic):
        return x
    if isinstance(x, bool):
        raise InvalidGameError(f"a payoff or probability must be a number, not the bool {x!r}")
    if isinstance(x, numbers.Integral):
        return sp.Integer(int(x))
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    if isinstance(x, numbers.Real):
        xf = float(x)
        if not np.isfinite(xf):
            raise InvalidGameError(f"payoffs and probabilities must be finite; got {x!r}")
        return sp.Rational(repr(xf))
    raise InvalidGameError(f"cannot read {x!r} as a number or sympy expression")


@dataclasses.dataclass(frozen=True, eq=False)
class Stage:
    """Normalised stage game: float payoffs (when numeric), exact payoffs, labels."""

    shape: tuple[int, ...]
    labels: tuple[tuple[Any, ...], ...]
    players: tuple[str, ...]
    exact: np.ndarray  # object array (a_1..a_n, n) of sympy numbers/expressions
    numeric: np.ndarray | None  # float array, None when symbolic
    source: Any = None
    cache: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)

    @property
    def n_players(self) -> int:
        return len(self.shape)

    @property
    def symbolic(self) -> bool:
        return self.numeric is None

    @property
    def n_profiles(self) -> int:
        return int(np.prod(self.shape))

    @property
    def free_symbols(self) -> frozenset:
        out: set = set()
        for v in self.exact.flat:
            out |= v.free_symbols
        return frozenset(out)

    @functools.cached_property
    def exact_fractions(self) -> np.ndarray:
        """Payoffs as an object array of :class:`fractions.Fraction` (numeric stage games only)."""
        out = np.empty(self.exact.shape, dtype=object)
        for idx in np.ndindex(self.exact.shape):
            v = self.exact[idx]
            out[idx] = Fraction(int(v.p), int(v.q))
        return out

    def profiles(self):
        """All pure profiles as index tuples, in flat (C) order."""
        return itertools.product(*(range(k) for k in self.shape))

    def action_index(self, player: int, action: Any, what: str = "") -> int:
        """Index of ``action`` for ``player``: its label first, else an integer index."""
        labels = self.labels[player]
        for k, lab in enumerate(labels):
            if type(lab) is type(action) and lab == action:
                return k
        if (
            isinstance(action, numbers.Integral)
            and not isinstance(action, bool)
            and 0 <= int(action) < len(labels)
        ):
            return int(action)
        where = f" in {what}" if what else ""
        raise UnknownItemError(
            f"unknown action {action!r}{where} for player {self.players[player]!r}; "
            f"the stage game's actions are {list(labels)} (or indices 0..{len(labels) - 1})"
        )

    def is_symmetric_2p(self) -> bool:
        if self.n_players != 2 or self.shape[0] != self.shape[1]:
            return False
        A, B = self.exact[..., 0], self.exact[..., 1]
        return all(
            sp.simplify(A[i, j] - B[j, i]) == 0
            for i in range(self.shape[0])
            for j in range(self.shape[1])
        )


def _from_array(arr: Any, source: Any, labels=None, players=None) -> Stage:
    a = np.asarray(arr, dtype=object)
    if a.ndim < 2:
        raise InvalidGameError(
            f"a stage game payoff array needs shape (a_1, ..., a_n, n); got shape {a.shape}. "
            "For a bimatrix game stack the players last: np.stack([A, B], axis=-1)."
        )
    n = a.ndim - 1
    if a.shape[-1] != n:
        raise InvalidGameError(
            f"payoff array of shape {a.shape} has {n} action axes, so its last axis must have "
            f"length {n} (one payoff per player), not {a.shape[-1]}. "
            "For a bimatrix game stack the players last: np.stack([A, B], axis=-1)."
        )
    if any(k < 1 for k in a.shape[:-1]):
        raise InvalidGameError(f"every player needs at least one action; got shape {a.shape}")
    exact = np.empty(a.shape, dtype=object)
    for idx in np.ndindex(a.shape):
        exact[idx] = to_rational(a[idx])
    symbolic = any(v.free_symbols for v in exact.flat)
    numeric = None if symbolic else np.array(exact.astype(float), dtype=float)
    shape = tuple(int(k) for k in a.shape[:-1])
    if labels is None:
        labels = tuple(tuple(range(k)) for k in shape)
    if players is None:
        players = tuple(f"P{i + 1}" for i in range(n))
    return Stage(shape, tuple(tuple(x) for x in labels), tuple(players), exact, numeric, source)


_STAGES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def as_stage(game: Any) -> Stage:
    """Normalise a stage game (a NormalFormGame, a payoff array, or a Stage)."""
    if isinstance(game, Stage):
        return game
    if hasattr(game, "payoffs") and hasattr(game, "actions") and hasattr(game, "n_players"):
        try:
            cached = _STAGES.get(game)
        except TypeError:  # unhashable or not weak-referenceable
            cached = None
        if cached is not None:
            return cached
        src = game.exact_payoffs if getattr(game, "is_exact", False) else game.payoffs
        stage = _from_array(src, game, labels=game.actions, players=getattr(game, "players", None))
        with contextlib.suppress(TypeError):  # unhashable games are simply not cached
            _STAGES[game] = stage
        return stage
    if isinstance(game, str | bytes) or game is None:
        raise InvalidGameError(
            f"a stage game must be a NormalFormGame or a payoff array of shape (a_1, ..., a_n, n); got {game!r}"
        )
    return _from_array(game, game)


def prisoners_dilemma(T: Any = 5, R: Any = 3, P: Any = 1, S: Any = 0):
    """The prisoner's dilemma with actions ``C`` (cooperate) and ``D`` (defect).

    Payoffs (row, column): ``(C, C) -> (R, R)``, ``(C, D) -> (S, T)``,
    ``(D, C) -> (T, S)``, ``(D, D) -> (P, P)``; a dilemma when
    ``T > R > P > S`` (and ``2R > T + S`` for repeated play) :cite:`axelrod1984`.

    Numbers give a :class:`~jenga_games.games.normal_form.NormalFormGame`;
    ``sympy`` symbols give an object payoff array of shape ``(2, 2, 2)`` (the
    repeated-game functions accept both).
    """
    vals = [to_rational(v) for v in (T, R, P, S)]
    T_, R_, P_, S_ = vals
    arr = np.empty((2, 2, 2), dtype=object)
    arr[0, 0] = (R_, R_)
    arr[0, 1] = (S_, T_)
    arr[1, 0] = (T_, S_)
    arr[1, 1] = (P_, P_)
    if any(v.free_symbols for v in vals):
        return arr
    try:
        from ..normal_form import NormalFormGame
    except ImportError:  # pragma: no cover - the normal-form engine is part of the package
        return arr
    A = [[_plain(arr[i, j, 0]) for j in range(2)] for i in range(2)]
    B = [[_plain(arr[i, j, 1]) for j in range(2)] for i in range(2)]
    return NormalFormGame.bimatrix(A, B, players=["P1", "P2"], actions=[["C", "D"], ["C", "D"]])


def _plain(x: sp.Expr):
    if x.is_Integer:
        return int(x)
    return Fraction(int(x.p), int(x.q)) if x.is_Rational else float(x)
