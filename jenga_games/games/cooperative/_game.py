"""The transferable-utility game: data, validation and one-line delegations.

A TU game on players ``N = {0, ..., n-1}`` is a characteristic function
``v: 2^N -> R`` with ``v(∅) = 0``. It is stored as a numpy array of length
``2**n``: ``values[S]`` is ``v(S)`` where coalition ``S`` is a bitmask (bit
``i`` set when player ``i`` is a member; player 0 is the least significant
bit). Values are *gains* (what a coalition can make together); a cost game is
turned into its savings game with :meth:`TUGame.savings` [Peleg2007]_.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

import numpy as np

from ...errors import InvalidGameError, UnknownItemError
from ...tolerance import TOL
from ._bits import MAX_EXACT_PLAYERS, check_exact_size, members

__all__ = ["FunctionGame", "TUGame"]


def _check_players(n: int, players) -> tuple:
    if players is None:
        return tuple(range(n))
    players = tuple(players)
    if len(players) != n:
        raise InvalidGameError(
            f"players has {len(players)} labels but the game has n={n} players; give one label per player"
        )
    if len(set(players)) != n:
        dup = sorted({p for p in players if players.count(p) > 1}, key=repr)
        raise InvalidGameError(f"player labels must be distinct; repeated: {dup}")
    return players


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InvalidGameError(f"n must be a positive int (the number of players), not {n!r}")
    return int(n)


class _Coalitions:
    """Shared player-label handling of TUGame and FunctionGame."""

    n: int
    players: tuple

    def _index(self) -> dict:
        idx = getattr(self, "_idx", None)
        if idx is None:
            idx = {p: i for i, p in enumerate(self.players)}
            object.__setattr__(self, "_idx", idx)
        return idx

    def mask(self, coalition: Iterable[Hashable]) -> int:
        """The bitmask of a coalition given as an iterable of player labels."""
        if isinstance(coalition, str):
            coalition = (coalition,)
        idx = self._index()
        m = 0
        for p in coalition:
            try:
                m |= 1 << idx[p]
            except (KeyError, TypeError):
                raise UnknownItemError(
                    f"unknown player {p!r}; the players are {list(self.players)}"
                ) from None
        return m

    def coalition(self, mask: int) -> tuple:
        """The player labels of coalition ``mask``."""
        return tuple(self.players[i] for i in members(mask))


class TUGame(_Coalitions):
    """A transferable-utility (TU) game stored as its ``2**n`` coalition values.

    Parameters
    ----------
    n : int
        Number of players (at most ``MAX_EXACT_PLAYERS`` = 26).
    values : array_like of float, length ``2**n``
        ``values[S] = v(S)`` for the coalition with bitmask ``S`` (player ``i``
        is bit ``i``). ``values[0] = v(∅)`` must be 0.
    players : sequence of hashable, optional
        Labels of the players (default ``0, ..., n-1``).

    Raises
    ------
    InvalidGameError
        On a wrong length, NaN or infinite values, or ``v(∅) != 0``.
    TooLargeError
        When ``n`` exceeds the exact limit (use :class:`FunctionGame`).

    Examples
    --------
    >>> g = TUGame(2, [0, 1, 1, 3], players=["GP", "trust"])
    >>> g.shapley().as_dict()
    {'GP': 1.5, 'trust': 1.5}
    """

    __slots__ = ("_idx", "_scale", "n", "players", "values")

    def __init__(self, n: int, values, players: Sequence[Hashable] | None = None):
        n = _check_n(n)
        check_exact_size(n, "TUGame")
        raw = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
        if raw.dtype.kind in "OUSb":
            bad = next(
                (x for x in raw.ravel() if isinstance(x, str | bytes | bool | np.bool_)), None
            )
            if bad is not None:  # no silent coercion of "1" or True into a coalition value
                raise InvalidGameError(
                    f"values must be numbers; coalition value {bad!r} is not (write it without quotes)"
                )
        try:
            v = np.array(values, dtype=float)
        except (TypeError, ValueError) as exc:
            raise InvalidGameError(f"values must be numbers: {exc}") from None
        if v.ndim != 1 or v.shape[0] != 2**n:
            raise InvalidGameError(
                f"values has shape {v.shape} but a game of n={n} players needs a 1-D array of "
                f"2^{n} = {2**n} coalition values indexed by bitmask (player i is bit i)"
            )
        bad = np.flatnonzero(~np.isfinite(v))
        if bad.size:
            raise InvalidGameError(
                f"values must be finite; v is {v[bad[0]]} at coalition {members(int(bad[0]))} "
                f"(index {bad[0]}) and {bad.size - 1} other(s)"
            )
        if abs(v[0]) > TOL:
            raise InvalidGameError(
                f"v(∅) = values[0] must be 0, not {float(v[0])!r}; subtract it from every value "
                "(a constant does not change any solution concept)"
            )
        v[0] = 0.0
        v.setflags(write=False)
        self.n = n
        self.values = v
        self.players = _check_players(n, players)
        self._idx = None
        self._scale = None  # max |v(S)|, on first use (see _core._game_scale)

    # --- access ---------------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"TUGame(n={self.n}, players={list(self.players)}, v(N)={self.grand:.6g})"

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, TUGame)
            and other.n == self.n
            and other.players == self.players
            and np.array_equal(other.values, self.values)
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def grand(self) -> float:
        """``v(N)``, the value of the grand coalition."""
        return float(self.values[-1])

    @property
    def full_mask(self) -> int:
        """The bitmask of the grand coalition, ``2**n - 1``."""
        return (1 << self.n) - 1

    def value(self, coalition: Iterable[Hashable]) -> float:
        """``v(S)`` for a coalition given by its players' labels."""
        return float(self.values[self.mask(coalition)])

    # --- constructors (see _constructors.py) ---------------------------------------------
    @classmethod
    def from_function(cls, n: int, value: Callable, players=None) -> TUGame:
        """Evaluate ``value(frozenset_of_players)`` on every coalition (see :func:`from_function`)."""
        from ._constructors import from_function

        return from_function(n, value, players)

    @classmethod
    def from_dict(
        cls, values: Mapping, players: Sequence[Hashable], default: float | None = None
    ) -> TUGame:
        """Build from ``{coalition: value}`` (see :func:`from_dict`)."""
        from ._constructors import from_dict

        return from_dict(values, players, default)

    @classmethod
    def weighted_voting(cls, weights, quota, players=None) -> TUGame:
        """Simple game ``v(S) = 1`` iff ``w(S) >= quota`` (see :func:`weighted_voting_game`)."""
        from ._constructors import weighted_voting_game

        return weighted_voting_game(weights, quota, players)

    @classmethod
    def bankruptcy(cls, estate, claims, players=None) -> TUGame:
        """``v(S) = max(0, E - c(N \\ S))`` (see :func:`bankruptcy_game`)."""
        from ._constructors import bankruptcy_game

        return bankruptcy_game(estate, claims, players)

    @classmethod
    def airport(cls, costs, players=None) -> TUGame:
        """Cost game ``c(S) = max_{i in S} c_i`` (see :func:`airport_game`)."""
        from ._constructors import airport_game

        return airport_game(costs, players)

    @classmethod
    def glove(cls, left, right, players=None) -> TUGame:
        """Market game ``v(S) = min(L(S), R(S))`` (see :func:`glove_game`)."""
        from ._constructors import glove_game

        return glove_game(left, right, players)

    @classmethod
    def from_services(cls, control, value_of, players=None) -> TUGame:
        """Game of coalitions controlling services, any value function (see :func:`from_services`)."""
        from ._constructors import from_services

        return from_services(control, value_of, players)

    @classmethod
    def from_tower(cls, tower, control, weights=None, players=None) -> TUGame:
        """Game of commissioners moving services out of a tower safely (see :func:`from_tower`)."""
        from ._constructors import from_tower

        return from_tower(tower, control, weights, players)

    # --- transformations (see _transform.py) ---------------------------------------------
    def dual(self) -> TUGame:
        """The dual game ``v*(S) = v(N) - v(N \\ S)``."""
        from ._transform import dual

        return dual(self)

    def zero_normalized(self) -> TUGame:
        """``v0(S) = v(S) - sum_{i in S} v({i})``."""
        from ._transform import zero_normalized

        return zero_normalized(self)

    def zero_one_normalized(self) -> TUGame:
        """Zero-normalised and scaled so that ``v(N) = 1`` (essential games only)."""
        from ._transform import zero_one_normalized

        return zero_one_normalized(self)

    def subgame(self, players: Iterable[Hashable]) -> TUGame:
        """The game restricted to the given players."""
        from ._transform import subgame

        return subgame(self, players)

    def savings(self) -> TUGame:
        """Read ``self`` as a cost game; return its savings game ``s(S) = sum_S c({i}) - c(S)``."""
        from ._transform import savings

        return savings(self)

    def excesses(self, x) -> np.ndarray:
        """``e(S, x) = v(S) - x(S)`` for all ``2**n`` coalitions."""
        from ._transform import excesses

        return excesses(self, x)

    # --- values ----------------------------------------------------------------------------
    def shapley(self):
        """Exact Shapley value (see :func:`shapley`)."""
        from ._shapley import shapley

        return shapley(self)

    def shapley_sampled(
        self, samples: int = 1000, method: str = "permutation", seed=None, confidence: float = 0.95
    ):
        """Sampled Shapley value with a confidence interval (see :func:`shapley_sampled`)."""
        from ._sampling import shapley_sampled

        return shapley_sampled(
            self, samples=samples, method=method, seed=seed, confidence=confidence
        )

    def banzhaf(self, normalized: bool = False):
        """Banzhaf value (see :func:`banzhaf`)."""
        from ._shapley import banzhaf

        return banzhaf(self, normalized=normalized)

    def tau_value(self):
        """τ-value of a quasi-balanced game (see :func:`tau_value`)."""
        from ._values import tau_value

        return tau_value(self)

    def myerson(self, graph):
        """Myerson value on a communication graph (see :func:`myerson`)."""
        from ._values import myerson

        return myerson(self, graph)

    def owen(self, unions):
        """Owen value for a coalition structure (see :func:`owen`)."""
        from ._values import owen

        return owen(self, unions)

    # --- core ------------------------------------------------------------------------------
    def core_contains(self, x, tol: float = TOL, limit: int = 10):
        """Is ``x`` in the core, and which coalitions object (see :func:`core_contains`)."""
        from ._core import core_contains

        return core_contains(self, x, tol=tol, limit=limit)

    def core_is_empty(self, tol: float = TOL) -> bool:
        """Bondareva–Shapley test (see :func:`core_is_empty`)."""
        from ._core import core_is_empty

        return core_is_empty(self, tol=tol)

    def least_core(self):
        """Least-core value and a point (see :func:`least_core`)."""
        from ._core import least_core

        return least_core(self)

    def nucleolus(self):
        """Nucleolus by a sequence of LPs (see :func:`nucleolus`)."""
        from ._nucleolus import nucleolus

        return nucleolus(self)

    def prenucleolus(self):
        """Pre-nucleolus by a sequence of LPs (see :func:`prenucleolus`)."""
        from ._nucleolus import prenucleolus

        return prenucleolus(self)

    # --- properties --------------------------------------------------------------------------
    def is_superadditive(self, tol: float = TOL) -> bool:
        """``v(S ∪ T) >= v(S) + v(T)`` for disjoint ``S, T``."""
        from ._properties import is_superadditive

        return is_superadditive(self, tol)

    def is_convex(self, tol: float = TOL) -> bool:
        """Supermodular: ``v(S ∪ T) + v(S ∩ T) >= v(S) + v(T)``."""
        from ._properties import is_convex

        return is_convex(self, tol)

    def is_monotone(self, tol: float = TOL) -> bool:
        """``v(S) <= v(T)`` whenever ``S ⊆ T``."""
        from ._properties import is_monotone

        return is_monotone(self, tol)

    def is_essential(self, tol: float = TOL) -> bool:
        """``v(N) > sum_i v({i})``."""
        from ._properties import is_essential

        return is_essential(self, tol)

    def is_balanced(self, tol: float = TOL) -> bool:
        """Non-empty core (Bondareva–Shapley)."""
        from ._core import core_is_empty

        return not core_is_empty(self, tol=tol)

    def optimal_coalition_structure(self):
        """The partition of ``N`` with the largest total value (see :func:`optimal_coalition_structure`)."""
        from ._structure import optimal_coalition_structure

        return optimal_coalition_structure(self)


class FunctionGame(_Coalitions):
    """A TU game given by a value function, for n too large to store ``2**n`` values.

    Used by :func:`shapley_sampled`. ``value`` receives a ``frozenset`` of player
    labels, or, with ``vectorized=True``, a boolean array of shape ``(k, n)``
    (row ``r`` marks the members of the r-th coalition) and returns ``k`` values.
    ``value`` of the empty coalition must be 0.

    Examples
    --------
    >>> from jenga_games.games.cooperative import shapley_sampled
    >>> g = FunctionGame(40, lambda S: len(S) ** 2)   # symmetric: every φ_i = 40
    >>> est = shapley_sampled(g, samples=400, seed=1)
    >>> bool(abs(est[0] - 40) < 4 * est.stderr[0])
    True
    """

    __slots__ = ("_empty", "_idx", "n", "players", "value_fn", "vectorized")

    def __init__(self, n: int, value: Callable, players=None, vectorized: bool = False):
        self.n = _check_n(n)
        if not callable(value):
            raise InvalidGameError(f"value must be callable, not {type(value).__name__}")
        self.value_fn = value
        self.vectorized = bool(vectorized)
        self.players = _check_players(self.n, players)
        self._idx = None
        self._empty = 0.0
        empty = float(self.evaluate(np.zeros((1, self.n), dtype=bool))[0])
        if abs(empty) > TOL:
            raise InvalidGameError(
                f"value of the empty coalition must be 0, not {empty!r}; subtract it in your function"
            )

    def __repr__(self) -> str:
        return f"FunctionGame(n={self.n}, value={getattr(self.value_fn, '__name__', 'fn')})"

    def evaluate(self, masks: np.ndarray) -> np.ndarray:
        """Values of the coalitions marked by the rows of a boolean ``(k, n)`` array."""
        masks = np.asarray(masks, dtype=bool)
        if self.vectorized:
            out = np.asarray(self.value_fn(masks), dtype=float).reshape(-1)
            if out.shape[0] != masks.shape[0]:
                raise InvalidGameError(
                    f"vectorized value returned {out.shape[0]} values for {masks.shape[0]} coalitions"
                )
        else:
            pl = self.players
            out = np.array(
                [
                    float(self.value_fn(frozenset(pl[j] for j in np.flatnonzero(row))))
                    for row in masks
                ]
            )
        if not np.all(np.isfinite(out)):
            raise InvalidGameError("the value function returned NaN or an infinite value")
        return out

    def to_tugame(self) -> TUGame:
        """Evaluate every coalition (n <= MAX_EXACT_PLAYERS)."""
        check_exact_size(self.n, "FunctionGame.to_tugame", MAX_EXACT_PLAYERS)
        m = np.arange(2**self.n, dtype=np.int64)
        bits = ((m[:, None] >> np.arange(self.n)) & 1).astype(bool)
        return TUGame(self.n, self.evaluate(bits), self.players)
