"""The normal-form game: payoff tensor, labels, profiles, payoffs and best responses.

Index conventions
-----------------
A game of ``n`` players in which player ``i`` has ``a_i`` actions stores its
payoffs in one array ``payoffs`` of shape ``(a_1, ..., a_n, n)``:
``payoffs[s_1, ..., s_n, i]`` is player ``i``'s payoff when player ``j`` plays
action ``s_j``. Axis ``i`` of the payoff tensor is player ``i``'s action.

A mixed profile ``σ = (σ_1, ..., σ_n)`` gives each player a probability
vector over its actions. The expected payoff of player ``i`` is the
multilinear form

.. math:: u_i(σ) = \\sum_{s} u_i(s) \\prod_j σ_j(s_j),

and the value of each pure action ``a`` of player ``i`` against the others is
``u_i(a, σ_{-i})``. Player ``i``'s regret is
``max_a u_i(a, σ_{-i}) - u_i(σ)``; ``σ`` is a Nash equilibrium when every
regret is zero [Nash1951]_ (up to :data:`jenga_games.tolerance.TOL` in floating
point).
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ...errors import InvalidGameError, UnknownItemError
from ...tolerance import TOL
from ._kernels import SUPPORT_TOL, unit_payoffs
from ._kernels import action_values as _action_values
from ._kernels import expected as _expected
from ._kernels import regret as _regret

__all__ = ["NormalFormGame", "StrategyProfile"]

_PROB_TOL = 1e-9  # probabilities of a given profile must sum to 1 within this


def _is_exact_number(v: Any) -> bool:
    return isinstance(v, numbers.Rational) and not isinstance(v, bool)


def _to_fraction(v: Any) -> Fraction:
    """Exact rational value of a payoff entry (floats are converted exactly)."""
    if isinstance(v, Fraction):
        return v
    if isinstance(v, numbers.Integral):
        return Fraction(int(v))
    if isinstance(v, numbers.Rational):
        return Fraction(int(v.numerator), int(v.denominator))
    import sympy  # a core dependency

    if isinstance(v, sympy.Rational):
        return Fraction(int(v.p), int(v.q))
    return Fraction(float(v))


class StrategyProfile:
    """A (possibly mixed) strategy profile of a :class:`NormalFormGame`.

    Build one with :meth:`NormalFormGame.profile`. Immutable.

    Attributes
    ----------
    strategies : tuple of numpy.ndarray
        ``strategies[i][a]`` is the probability that player ``i`` plays action ``a``.
    players : tuple of str
    actions : tuple of tuple of str
    """

    __slots__ = ("_exact", "actions", "players", "strategies")

    def __init__(self, strategies, players, actions, exact=None):
        strategies = tuple(np.asarray(s, dtype=float).copy() for s in strategies)
        for s in strategies:
            s.setflags(write=False)
        object.__setattr__(self, "strategies", strategies)
        object.__setattr__(self, "players", tuple(players))
        object.__setattr__(self, "actions", tuple(tuple(a) for a in actions))
        object.__setattr__(
            self, "_exact", None if exact is None else tuple(tuple(e) for e in exact)
        )

    def __setattr__(self, name, value):
        raise AttributeError("StrategyProfile is immutable")

    @property
    def exact(self) -> tuple[tuple[Fraction, ...], ...] | None:
        """The probabilities as exact fractions, when the profile was given exactly."""
        return self._exact

    @property
    def is_pure(self) -> bool:
        """Whether every player puts probability one on a single action."""
        return all(np.count_nonzero(s) == 1 for s in self.strategies)

    @property
    def support(self) -> tuple[tuple[str, ...], ...]:
        """The actions each player plays with positive probability (labels)."""
        return tuple(
            tuple(a for a, p in zip(acts, s) if p > SUPPORT_TOL)
            for acts, s in zip(self.actions, self.strategies)
        )

    def support_indices(self) -> tuple[tuple[int, ...], ...]:
        """The support as action indices."""
        return tuple(
            tuple(int(k) for k in np.flatnonzero(s > SUPPORT_TOL)) for s in self.strategies
        )

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``{player: {action: probability}}`` over each support."""
        return {
            p: {a: float(x) for a, x in zip(acts, s) if x > SUPPORT_TOL}
            for p, acts, s in zip(self.players, self.actions, self.strategies)
        }

    def __iter__(self):
        return iter(self.strategies)

    def __len__(self) -> int:
        return len(self.strategies)

    def __getitem__(self, i):
        return self.strategies[i]

    def __eq__(self, other) -> bool:
        if not isinstance(other, StrategyProfile):
            return NotImplemented
        return (
            self.players == other.players
            and self.actions == other.actions
            and all(np.array_equal(a, b) for a, b in zip(self.strategies, other.strategies))
        )

    def __hash__(self) -> int:
        return hash((self.players, tuple(s.tobytes() for s in self.strategies)))

    def _format(self) -> str:
        parts = []
        for i, (p, acts, s) in enumerate(zip(self.players, self.actions, self.strategies)):
            if np.count_nonzero(s) == 1:
                body = acts[int(np.argmax(s))]
            else:
                ex = self._exact[i] if self._exact is not None else None
                items = []
                for k, (a, x) in enumerate(zip(acts, s)):
                    if x > SUPPORT_TOL:
                        val = str(ex[k]) if ex is not None else f"{x:.4g}"
                        items.append(f"{a}: {val}")
                body = "{" + ", ".join(items) + "}"
            parts.append(f"{p}={body}")
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"StrategyProfile({self._format()})"


class NormalFormGame:
    """A finite game in normal (strategic) form with labelled players and actions.

    Parameters
    ----------
    payoffs : array_like or sequence of array_like
        Either one array of shape ``(a_1, ..., a_n, n)`` whose last axis is the
        player, or a list of ``n`` arrays of shape ``(a_1, ..., a_n)``, one per
        player (e.g. ``[A, B]`` for a bimatrix game). Entries may be ints,
        floats, :class:`fractions.Fraction` or ``sympy.Rational``; when all
        are rational the game also keeps them exactly for the exact solvers.
    players : sequence of str, optional
        Player names; default ``("P1", ..., "Pn")``.
    actions : sequence of sequence of str, optional
        Action names of each player; default ``("a1", ..., "a{a_i}")``.
    title : str, optional
        A name for the game (kept in ``.nfg`` files).

    Attributes
    ----------
    payoffs : numpy.ndarray
        Read-only float array of shape ``(a_1, ..., a_n, n)``.
    n_players : int
    players : tuple of str
    actions : tuple of tuple of str
    shape : tuple of int
        ``(a_1, ..., a_n)``.

    Raises
    ------
    InvalidGameError
        Ragged or mismatched arrays, NaN or infinite payoffs, a player with no
        actions, or labels of the wrong length or repeated.

    Examples
    --------
    >>> g = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             players=["Trust", "Practice"],
    ...                             actions=[["C", "D"], ["C", "D"]])
    >>> g.expected_payoffs(("D", "D")).tolist()
    [1.0, 1.0]
    >>> g.best_responses(("C", "C"), "Trust")
    ('D',)
    """

    def __init__(
        self,
        payoffs,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ):
        tensor, exact = _parse_payoffs(payoffs)
        n = tensor.ndim - 1
        shape = tensor.shape[:-1]
        self._payoffs = tensor
        self._payoffs.setflags(write=False)
        self._exact = exact
        self._exact_given = exact is not None
        self._unit_cache = None
        self._positive_cache = None  # (A' + 1, (B' + 1)^T) for Lemke–Howson, on first use
        self.n_players = n
        self.shape = tuple(int(a) for a in shape)
        self.players = _parse_players(players, n)
        self.actions = _parse_actions(actions, self.shape, self.players)
        self._player_index = {p: i for i, p in enumerate(self.players)}
        self._action_index = tuple({a: k for k, a in enumerate(acts)} for acts in self.actions)
        self.title = str(title)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def bimatrix(cls, A, B, players=None, actions=None) -> NormalFormGame:
        """Two-player game: the row player gets ``A[i, j]``, the column player ``B[i, j]``."""
        if all(isinstance(M, np.ndarray) and M.dtype.kind == "f" and M.ndim == 2 for M in (A, B)):
            # float matrices: the constructor's array path (no Python objects); it names any mismatch
            return cls([A, B], players=players, actions=actions)
        return cls([_as_matrix(A, "A"), _as_matrix(B, "B")], players=players, actions=actions)

    @classmethod
    def symmetric(cls, A, players=None, actions=None) -> NormalFormGame:
        """Symmetric two-player game: ``B = A^T``; one list of action names serves both players."""
        A = _as_matrix(A, "A")
        if A.shape[0] != A.shape[1]:
            raise InvalidGameError(
                f"a symmetric game needs a square payoff matrix; got shape {A.shape}. "
                "Pass a k x k matrix of the row player's payoffs."
            )
        if actions is not None and len(actions) > 0 and isinstance(actions[0], str):
            actions = [list(actions), list(actions)]
        return cls([A, A.T], players=players, actions=actions)

    @classmethod
    def zero_sum(cls, A, players=None, actions=None) -> NormalFormGame:
        """Two-player zero-sum game: the column player gets ``-A``."""
        A = _as_matrix(A, "A")
        return cls([A, -A], players=players, actions=actions)

    @classmethod
    def from_function(
        cls,
        f: Callable[[tuple], Sequence[Any]],
        shape: Sequence[int] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        players: Sequence[str] | None = None,
    ) -> NormalFormGame:
        """Build a game from a function of the action profile.

        Parameters
        ----------
        f : callable
            ``f(profile)`` returns the ``n`` payoffs. ``profile`` is a tuple of
            action labels when ``actions`` is given, else of action indices.
        shape : sequence of int, optional
            Number of actions of each player (when ``actions`` is not given).
        actions : sequence of sequence of str, optional
            Action names of each player.
        players : sequence of str, optional
        """
        if actions is None and shape is None:
            raise InvalidGameError(
                "from_function needs either shape=(a1, ..., an) or actions=[[...], ...]"
            )
        if actions is not None:
            acts = [list(a) for a in actions]
            shp = tuple(len(a) for a in acts)
            if shape is not None and tuple(shape) != shp:
                raise InvalidGameError(
                    f"shape {tuple(shape)} does not match the action lists (sizes {shp})"
                )
        else:
            shp = tuple(int(a) for a in shape)
            acts = None
        if any(a < 1 for a in shp):
            raise InvalidGameError(f"every player needs at least one action; got shape {shp}")
        n = len(shp)
        out = np.empty((*shp, n), dtype=object)
        for idx in itertools.product(*(range(a) for a in shp)):
            prof = tuple(acts[i][k] for i, k in enumerate(idx)) if acts is not None else idx
            vals = list(f(prof))
            if len(vals) != n:
                raise InvalidGameError(
                    f"f{prof!r} returned {len(vals)} payoffs; it must return one per player ({n})"
                )
            out[idx] = vals
        return cls(out, players=players, actions=actions)

    # ------------------------------------------------------------------ data
    @property
    def payoffs(self) -> np.ndarray:
        """Payoff tensor of shape ``(a_1, ..., a_n, n)`` (read-only)."""
        return self._payoffs

    @property
    def payoff_arrays(self) -> tuple[np.ndarray, ...]:
        """One array of shape ``(a_1, ..., a_n)`` per player."""
        return tuple(self._payoffs[..., i] for i in range(self.n_players))

    @property
    def exact_payoffs(self) -> np.ndarray:
        """Payoffs as an object array of :class:`fractions.Fraction` (exact when given exactly).

        Float payoffs are converted exactly (their binary value), so ``0.1``
        becomes ``3602879701896397/36028797018963968``; give ints or
        fractions for clean exact answers.
        """
        if self._exact is None:
            self._exact = np.vectorize(_to_fraction, otypes=[object])(self._payoffs)
        return self._exact

    @property
    def is_exact(self) -> bool:
        """Whether every payoff was given as an int or a fraction."""
        return self._exact_given

    def __repr__(self) -> str:
        dims = " x ".join(str(a) for a in self.shape)
        return f"NormalFormGame({dims}; players={list(self.players)})"

    def __eq__(self, other) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self.players == other.players
            and self.actions == other.actions
            and np.array_equal(self._payoffs, other._payoffs)
        )

    def __hash__(self) -> int:
        return hash((self.players, self.actions, self._payoffs.tobytes()))

    def __getitem__(self, profile) -> np.ndarray:
        """Payoff vector of a pure profile given as action labels or indices."""
        if not isinstance(profile, tuple):
            profile = (profile,)
        if len(profile) != self.n_players:
            raise InvalidGameError(
                f"a pure profile names one action per player ({self.n_players}); got {profile!r}"
            )
        idx = tuple(self.action_index(i, a) for i, a in enumerate(profile))
        return self._payoffs[idx].copy()

    def _source(self) -> np.ndarray:
        return self._exact if self._exact_given else self._payoffs

    # ------------------------------------------------------------------ lookups
    def player_index(self, player: int | str) -> int:
        """Index of a player given by name or index."""
        if isinstance(player, numbers.Integral) and not isinstance(player, bool):
            if 0 <= int(player) < self.n_players:
                return int(player)
            raise UnknownItemError(f"player index {player} is out of range 0..{self.n_players - 1}")
        try:
            return self._player_index[player]
        except (KeyError, TypeError):
            raise UnknownItemError(
                f"unknown player {player!r}; the players are {list(self.players)}"
            ) from None

    def action_index(self, player: int | str, action: int | str) -> int:
        """Index of an action of ``player`` given by name or index."""
        i = self.player_index(player)
        if isinstance(action, numbers.Integral) and not isinstance(action, bool):
            if 0 <= int(action) < self.shape[i]:
                return int(action)
            raise UnknownItemError(
                f"action index {action} of player {self.players[i]!r} is out of range 0..{self.shape[i] - 1}"
            )
        try:
            return self._action_index[i][action]
        except (KeyError, TypeError):
            raise UnknownItemError(
                f"unknown action {action!r} of player {self.players[i]!r}; "
                f"its actions are {list(self.actions[i])}"
            ) from None

    # ------------------------------------------------------------------ profiles
    def profile(self, spec) -> StrategyProfile:
        """Build and validate a strategy profile.

        ``spec`` may be a :class:`StrategyProfile`, a sequence with one entry
        per player, or a mapping ``{player: entry}`` naming every player. Each
        entry is an action (label or index) for a pure strategy, a probability
        vector over all the player's actions, or a mapping ``{action: prob}``
        (missing actions get probability zero). Probabilities must be
        non-negative and sum to 1 (within ``1e-9``); fractions are kept exactly.
        """
        if isinstance(spec, StrategyProfile):
            if spec.players != self.players or spec.actions != self.actions:
                raise InvalidGameError(
                    "the profile belongs to a game with other players or actions"
                )
            return spec
        if isinstance(spec, Mapping):
            missing = [
                p for p in self.players if p not in spec and self.players.index(p) not in spec
            ]
            unknown = [
                k
                for k in spec
                if not (k in self._player_index or (isinstance(k, int) and 0 <= k < self.n_players))
            ]
            if unknown:
                raise UnknownItemError(
                    f"unknown player(s) {unknown} in profile; the players are {list(self.players)}"
                )
            if missing:
                raise InvalidGameError(f"the profile gives no strategy for player(s) {missing}")
            entries = [spec[p] if p in spec else spec[i] for i, p in enumerate(self.players)]
        else:
            if isinstance(spec, str | bytes) or not isinstance(spec, Iterable):
                raise InvalidGameError(
                    f"a profile is a sequence with one strategy per player ({self.n_players}); got {spec!r}"
                )
            entries = list(spec)
            if len(entries) != self.n_players:
                raise InvalidGameError(
                    f"the profile has {len(entries)} strategies but the game has {self.n_players} players "
                    f"{list(self.players)}; give one per player"
                )
        strategies, exact = [], []
        all_exact = True
        for i, e in enumerate(entries):
            vec, ex = self._strategy(i, e)
            strategies.append(vec)
            exact.append(ex)
            all_exact = all_exact and ex is not None
        return StrategyProfile(strategies, self.players, self.actions, exact if all_exact else None)

    def _strategy(self, i: int, e):
        k = self.shape[i]
        p = self.players[i]
        if isinstance(e, str) or (isinstance(e, numbers.Integral) and not isinstance(e, bool)):
            a = self.action_index(i, e)
            vec = np.zeros(k)
            vec[a] = 1.0
            ex = [Fraction(0)] * k
            ex[a] = Fraction(1)
            return vec, ex
        if isinstance(e, Mapping):
            vals: list[Any] = [0] * k
            for a, x in e.items():
                vals[self.action_index(i, a)] = x
        else:
            vals = (
                list(np.asarray(e, dtype=object).ravel())
                if not isinstance(e, list | tuple)
                else list(e)
            )
            if len(vals) != k:
                raise InvalidGameError(
                    f"the strategy of player {p!r} has {len(vals)} probabilities but the player has "
                    f"{k} actions {list(self.actions[i])}"
                )
        try:
            vec = np.array([float(x) for x in vals], dtype=float)
        except (TypeError, ValueError):
            raise InvalidGameError(
                f"the strategy of player {p!r} must hold numbers; got {vals!r}"
            ) from None
        if not np.all(np.isfinite(vec)):
            raise InvalidGameError(
                f"the strategy of player {p!r} has NaN or infinite probabilities: {vals!r}"
            )
        if np.any(vec < -_PROB_TOL):
            raise InvalidGameError(
                f"the strategy of player {p!r} has negative probabilities: {vec.tolist()}"
            )
        exact_ok = all(_is_exact_number(x) for x in vals)
        if exact_ok:
            ex = [_to_fraction(x) for x in vals]
            if sum(ex) != 1:
                raise InvalidGameError(
                    f"the probabilities of player {p!r} sum to {sum(ex)}, not 1; rescale them"
                )
        else:
            ex = None
            if abs(vec.sum() - 1.0) > _PROB_TOL:
                raise InvalidGameError(
                    f"the probabilities of player {p!r} sum to {vec.sum():.12g}, not 1; rescale them"
                )
        vec = np.clip(vec, 0.0, None)
        return vec, ex

    # ------------------------------------------------------------------ payoffs
    def action_values(self, profile, player: int | str) -> np.ndarray:
        """``u_i(a, σ_{-i})`` for every action ``a`` of ``player``: the payoff of each
        pure deviation against the others' strategies in ``profile``."""
        prof = self.profile(profile)
        i = self.player_index(player)
        return _action_values(self._payoffs[..., i], prof.strategies, i)

    def expected_payoffs(self, profile) -> np.ndarray:
        """Expected payoff ``u_i(σ)`` of every player (array of length ``n``)."""
        prof = self.profile(profile)
        return _expected(self._payoffs, prof.strategies)

    def exact_expected_payoffs(self, profile) -> tuple[Fraction, ...]:
        """Expected payoffs in exact rational arithmetic (profile and payoffs as fractions)."""
        prof = self.profile(profile)
        if prof.exact is None:
            raise InvalidGameError(
                "exact payoffs need a profile whose probabilities are ints or fractions"
            )
        P = self.exact_payoffs
        out = [Fraction(0)] * self.n_players
        supp = [[k for k, x in enumerate(e) if x != 0] for e in prof.exact]
        for idx in itertools.product(*supp):
            w = math.prod((prof.exact[j][k] for j, k in enumerate(idx)), start=Fraction(1))
            for i in range(self.n_players):
                out[i] += w * P[(*idx, i)]
        return tuple(out)

    def best_responses(self, profile, player: int | str | None = None, tol: float = TOL):
        """Pure best responses to the others' strategies in ``profile``.

        Returns the tuple of action labels of ``player`` whose value is within
        ``tol`` times the player's payoff range of the best (decided on the
        unit payoffs, see :mod:`._kernels`, so the answer does not depend on
        the scale or shift of the payoffs); with
        ``player=None`` a dict ``{player: labels}`` for every player.
        """
        prof = self.profile(profile)
        if player is None:
            return {p: self._best(prof, i, tol) for i, p in enumerate(self.players)}
        return self._best(prof, self.player_index(player), tol)

    def _best(self, prof: StrategyProfile, i: int, tol: float) -> tuple[str, ...]:
        unit = unit_payoffs(self)[0]
        vals = _action_values(unit[..., i], prof.strategies, i)
        return tuple(self.actions[i][k] for k in np.flatnonzero(vals.max() - vals <= tol))

    def regret(self, profile) -> np.ndarray:
        """Each player's regret ``max_a u_i(a, σ_{-i}) - u_i(σ)`` (non-negative)."""
        prof = self.profile(profile)
        return _regret(self._payoffs, prof.strategies)

    def is_equilibrium(self, profile, tol: float = TOL) -> bool:
        """Whether no player can gain more than ``tol`` times its payoff range by deviating.

        The same test as the solvers' certificate (see :mod:`._kernels`): it
        does not depend on the scale or shift of any player's payoffs.
        """
        prof = self.profile(profile)
        return bool(np.all(_regret(unit_payoffs(self)[0], prof.strategies) <= tol))

    # ------------------------------------------------------------------ transforms
    def relabel(
        self, players: Sequence[str] | None = None, actions: Sequence[Sequence[str]] | None = None
    ) -> NormalFormGame:
        """The same game with new player and/or action names."""
        return NormalFormGame(
            self._source(), players=players or self.players, actions=actions or self.actions
        )

    def transpose_players(self, order: Sequence[int | str]) -> NormalFormGame:
        """The same game with the players listed in ``order``."""
        perm = [self.player_index(p) for p in order]
        if sorted(perm) != list(range(self.n_players)):
            raise InvalidGameError(f"order must name every player once; got {list(order)}")
        src = self._source()
        t = np.transpose(src, [*perm, self.n_players])[..., perm]
        return NormalFormGame(
            t, players=[self.players[i] for i in perm], actions=[self.actions[i] for i in perm]
        )

    # ------------------------------------------------------------------ solvers (delegation)
    def pure_equilibria(self, tol: float = TOL, exact: bool = False):
        """All pure Nash equilibria (vectorised over the payoff tensor); see :func:`pure_equilibria`."""
        from ._pure import pure_equilibria

        return pure_equilibria(self, tol=tol, exact=exact)

    def equilibria(self, method: str = "auto", **options):
        """Nash equilibria by ``method``; see :func:`jenga_games.games.normal_form.equilibria`."""
        from ._solve import equilibria

        return equilibria(self, method=method, **options)

    def is_degenerate(self) -> bool:
        """Whether a two-player game is degenerate; see :func:`is_degenerate`."""
        from ._vertex_enumeration import is_degenerate

        return is_degenerate(self)

    def eliminate_dominated(self, mixed: bool = True, tol: float = TOL):
        """Iterated elimination of strictly dominated strategies; see :func:`eliminate_dominated`."""
        from ._dominance import eliminate_dominated

        return eliminate_dominated(self, mixed=mixed, tol=tol)

    def restrict(self, keep: Sequence[Sequence[int | str]]) -> NormalFormGame:
        """The subgame in which player ``i`` may only use the actions ``keep[i]``."""
        if len(keep) != self.n_players:
            raise InvalidGameError(
                f"restrict needs one list of actions per player ({self.n_players})"
            )
        idx = [[self.action_index(i, a) for a in acts] for i, acts in enumerate(keep)]
        if any(len(k) == 0 for k in idx):
            raise InvalidGameError("restrict must keep at least one action of every player")
        src = self._source()
        sub = src[np.ix_(*idx, range(self.n_players))]
        return NormalFormGame(
            sub,
            players=self.players,
            actions=[[self.actions[i][k] for k in ks] for i, ks in enumerate(idx)],
        )

    def to_nashpy(self):
        """A :class:`nashpy.Game` with the same two payoff matrices."""
        from ._interop import to_nashpy

        return to_nashpy(self)

    @classmethod
    def from_nashpy(cls, game, players=None, actions=None) -> NormalFormGame:
        """A two-player game from a :class:`nashpy.Game`."""
        from ._interop import from_nashpy

        return from_nashpy(game, players=players, actions=actions)

    def to_nfg(self, path=None, title: str = "", outcomes: bool = False) -> str:
        """Gambit ``.nfg`` text (payoff version, or outcome version); written to ``path`` if given."""
        from ._nfg import write_nfg

        return write_nfg(self, path=path, title=title, outcomes=outcomes)

    @classmethod
    def from_nfg(cls, source) -> NormalFormGame:
        """Read a Gambit ``.nfg`` file (a path, or the text itself)."""
        from ._nfg import read_nfg

        return read_nfg(source)


# ---------------------------------------------------------------------- validation
def _as_matrix(M, name: str) -> np.ndarray:
    arr = _obj_array(M, f"payoff matrix {name}")
    if arr.ndim != 2:
        raise InvalidGameError(f"payoff matrix {name} must be 2-dimensional; got shape {arr.shape}")
    return arr


def _obj_array(x, what: str) -> np.ndarray:
    """``np.array(x, dtype=object)`` that refuses ragged nesting."""
    try:
        arr = np.array(x, dtype=object)
    except ValueError:
        arr = None
    if arr is None or any(isinstance(v, list | tuple | np.ndarray) for v in arr.ravel()):
        raise InvalidGameError(
            f"{what} is ragged; every row needs the same length (give one array of shape "
            "(a_1, ..., a_n, n) or a list of n arrays of shape (a_1, ..., a_n))"
        )
    return arr


def _float_tensor(payoffs) -> np.ndarray | None:
    """The payoff tensor straight from floating-point numpy arrays (no Python objects), or None.

    One float array of shape ``(a_1, ..., a_n, n)``, or a list of ``n`` float
    arrays of shape ``(a_1, ..., a_n)``. Anything else (ints, which are kept
    exactly; objects; booleans) takes the general path.
    """
    if isinstance(payoffs, np.ndarray):
        if payoffs.dtype.kind != "f" or payoffs.ndim < 2 or payoffs.shape[-1] != payoffs.ndim - 1:
            return None
        tensor = np.array(payoffs, dtype=float)  # a copy: the game owns its payoffs
    elif isinstance(payoffs, list | tuple) and payoffs:
        n = len(payoffs)
        if not all(
            isinstance(p, np.ndarray) and p.dtype.kind == "f" and p.ndim == n for p in payoffs
        ):
            return None
        if len({p.shape for p in payoffs}) != 1:
            return None  # the general path names the mismatch
        tensor = np.empty((*payoffs[0].shape, n))
        for i, p in enumerate(payoffs):
            tensor[..., i] = p
    else:
        return None
    return tensor


def _parse_payoffs(payoffs) -> tuple[np.ndarray, np.ndarray | None]:
    if isinstance(payoffs, NormalFormGame):
        return payoffs.payoffs.copy(), (payoffs._exact if payoffs._exact_given else None)
    fast = _float_tensor(payoffs)
    if fast is not None and all(a > 0 for a in fast.shape[:-1]) and np.isfinite(fast).all():
        return fast, None
    arrays = None
    if isinstance(payoffs, list | tuple) and len(payoffs) > 0:
        parts = [
            _obj_array(p, f"the payoff array of player {k + 1}") for k, p in enumerate(payoffs)
        ]
        if all(p.ndim == len(parts) for p in parts):
            shapes = {p.shape for p in parts}
            if len(shapes) != 1:
                raise InvalidGameError(
                    f"the players' payoff arrays have different shapes {[p.shape for p in parts]}; "
                    "each must have shape (a_1, ..., a_n)"
                )
            arrays = parts
    if arrays is not None:
        tensor = np.stack(arrays, axis=-1)
    elif isinstance(payoffs, list | tuple) and any(
        isinstance(p, np.ndarray) and p.ndim >= 2 for p in payoffs
    ):  # e.g. [A]: one matrix in a list would otherwise read as a 1 x 2 game
        raise InvalidGameError(
            f"got a list of {len(payoffs)} payoff array(s) of shapes "
            f"{[np.shape(p) for p in payoffs]}: a game of n players needs n arrays of n "
            "dimensions each, e.g. [A, B] for two players (or NormalFormGame.bimatrix(A, B))"
        )
    else:
        tensor = _obj_array(payoffs, "the payoff array")
        if tensor.ndim < 2 or tensor.shape[-1] != tensor.ndim - 1:
            raise InvalidGameError(
                f"cannot read payoffs of shape {tensor.shape}: give one array of shape (a_1, ..., a_n, n) "
                "whose last axis has one entry per player, or a list of n arrays of shape (a_1, ..., a_n)"
            )
    if any(a == 0 for a in tensor.shape[:-1]):
        raise InvalidGameError(
            f"every player needs at least one action; the payoff shape {tensor.shape[:-1]} has a zero"
        )
    flat = tensor.ravel()
    text = next((v for v in flat if isinstance(v, str | bytes | bool | np.bool_)), None)
    if text is not None:  # no silent coercion of "3" or True into a payoff
        raise InvalidGameError(
            f"payoff {text!r} is {'text' if isinstance(text, str | bytes) else 'a boolean'}, "
            "not a number; write payoffs as numbers (use SymbolicGame for expressions)"
        )
    exact = all(_is_exact_number(v) or _is_sympy_rational(v) for v in flat)
    try:
        fl = np.array([float(v) for v in flat], dtype=float).reshape(tensor.shape)
    except (TypeError, ValueError):
        bad = next(v for v in flat if not _floatable(v))
        raise InvalidGameError(
            f"payoff {bad!r} is not a number; payoffs must be real numbers "
            "(use SymbolicGame for payoffs with symbols)"
        ) from None
    if not np.all(np.isfinite(fl)):
        where = tuple(int(k) for k in np.argwhere(~np.isfinite(fl))[0])
        raise InvalidGameError(
            f"payoff at index {where} is NaN or infinite; payoffs must be finite numbers"
        )
    ex = None
    if exact:
        ex = np.empty(tensor.shape, dtype=object)
        ex.ravel()[:] = [_to_fraction(v) for v in flat]
        ex.setflags(write=False)
    return fl, ex


def _is_sympy_rational(v) -> bool:
    try:
        import sympy

        return isinstance(v, sympy.Rational)
    except ImportError:  # pragma: no cover
        return False


def _floatable(v) -> bool:
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def _parse_players(players, n: int) -> tuple[str, ...]:
    if players is None:
        return tuple(f"P{i + 1}" for i in range(n))
    if isinstance(players, str):
        raise InvalidGameError(
            f"players must be a sequence of {n} names, not the string {players!r}"
        )
    players = tuple(players)
    if len(players) != n:
        raise InvalidGameError(
            f"got {len(players)} player names {list(players)} for a game of {n} players"
        )
    if not all(isinstance(p, str) for p in players):
        raise InvalidGameError(f"player names must be strings; got {list(players)}")
    if len(set(players)) != n:
        raise InvalidGameError(f"player names must be distinct; got {list(players)}")
    return players


def _parse_actions(
    actions, shape: tuple[int, ...], players: tuple[str, ...]
) -> tuple[tuple[str, ...], ...]:
    if actions is None:
        return tuple(tuple(f"a{k + 1}" for k in range(a)) for a in shape)
    if isinstance(actions, str) or len(actions) != len(shape):
        raise InvalidGameError(
            f"actions must be a list of {len(shape)} lists of names (one per player); got {actions!r}"
        )
    out = []
    for p, acts, a in zip(players, actions, shape):
        if isinstance(acts, str):
            raise InvalidGameError(
                f"the actions of player {p!r} must be a list of names, not the string {acts!r}"
            )
        acts = tuple(acts)
        if len(acts) != a:
            raise InvalidGameError(
                f"player {p!r} has {a} actions in the payoffs but {len(acts)} action names {list(acts)}"
            )
        if not all(isinstance(x, str) for x in acts):
            raise InvalidGameError(
                f"action names of player {p!r} must be strings; got {list(acts)}"
            )
        if len(set(acts)) != a:
            raise InvalidGameError(
                f"action names of player {p!r} must be distinct; got {list(acts)}"
            )
        out.append(acts)
    return tuple(out)
