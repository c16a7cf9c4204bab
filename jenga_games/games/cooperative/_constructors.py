"""Constructors of TU games: from a function, a dict, and classic families.

Every constructor returns a :class:`TUGame` whose ``values[S]`` is ``v(S)``
for the bitmask ``S`` (player ``i`` is bit ``i``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

import numpy as np

from ...errors import InvalidGameError
from ...tolerance import leq
from ._bits import check_exact_size, members, subset_sums
from ._game import TUGame, _check_n, _check_players

__all__ = [
    "airport_game",
    "bankruptcy_game",
    "from_dict",
    "from_function",
    "from_tower",
    "glove_game",
    "weighted_voting_game",
]


def _vector(x, name: str, nonneg: bool = True) -> np.ndarray:
    try:
        a = np.array(x, dtype=float)
    except (TypeError, ValueError):
        raise InvalidGameError(f"{name} must be a sequence of numbers, not {x!r}") from None
    if a.ndim != 1 or a.size == 0:
        raise InvalidGameError(
            f"{name} must be a non-empty 1-D sequence of numbers (one per player)"
        )
    if not np.all(np.isfinite(a)):
        raise InvalidGameError(
            f"{name} must be finite; found {a[~np.isfinite(a)][0]} at index "
            f"{int(np.flatnonzero(~np.isfinite(a))[0])}"
        )
    if nonneg and np.any(a < 0):
        i = int(np.flatnonzero(a < 0)[0])
        raise InvalidGameError(f"{name} must be >= 0; {name}[{i}] = {a[i]}")
    check_exact_size(a.size, "a TU game")
    return a


def from_function(n: int, value: Callable[[frozenset], float], players=None) -> TUGame:
    """Build a game by evaluating ``value(S)`` for every coalition ``S``.

    Parameters
    ----------
    n : int
        Number of players.
    value : callable
        ``value(frozenset_of_player_labels) -> float``; ``value(frozenset())``
        must be 0.
    players : sequence, optional
        Player labels (default ``0..n-1``).
    """
    n = _check_n(n)
    check_exact_size(n, "from_function")
    pl = _check_players(n, players)
    vals = np.empty(2**n)
    for m in range(2**n):
        vals[m] = value(frozenset(pl[i] for i in members(m)))
    return TUGame(n, vals, pl)


def from_dict(
    values: Mapping[Iterable[Hashable], float],
    players: Sequence[Hashable],
    default: float | None = None,
) -> TUGame:
    """Build a game from ``{coalition: value}``.

    Keys are iterables of player labels (tuples, frozensets, or strings for
    one-character labels are *not* split: use tuples). The empty coalition may
    be omitted. Coalitions missing from ``values`` take ``default``; with
    ``default=None`` a missing coalition is an error.
    """
    pl = _check_players(len(players), players)
    n = len(pl)
    check_exact_size(n, "from_dict")
    game0 = TUGame(n, np.zeros(2**n), pl)
    vals = np.full(2**n, np.nan)
    vals[0] = 0.0
    for key, val in values.items():
        coal = (key,) if isinstance(key, str) or not isinstance(key, Iterable) else key
        vals[game0.mask(coal)] = val
    missing = np.flatnonzero(np.isnan(vals))
    if missing.size:
        if default is None:
            raise InvalidGameError(
                f"{missing.size} coalition(s) have no value, e.g. {game0.coalition(int(missing[0]))}; "
                "give every coalition or pass default=0.0"
            )
        vals[missing] = default
    return TUGame(n, vals, pl)


def weighted_voting_game(weights, quota: float, players=None) -> TUGame:
    """Weighted voting (simple) game ``[q; w_1, ..., w_n]``.

    ``v(S) = 1`` if ``w(S) >= q`` else 0, ``w(S) >= q`` read with the
    tolerance :data:`~jenga_games.tolerance.TOL` as :func:`winning_threshold`
    defines it (the reading :func:`weighted_voting_indices` uses too). For n
    in the hundreds use :func:`weighted_voting_indices`, which never builds
    the ``2**n`` array.
    """
    from ._power import winning_threshold

    w = _vector(weights, "weights")
    try:
        q = float(quota)
    except (TypeError, ValueError):
        raise InvalidGameError(f"quota must be a positive number, not {quota!r}") from None
    if not np.isfinite(q) or q <= 0:
        raise InvalidGameError(f"quota must be a positive number, not {quota!r}")
    ws = subset_sums(w)
    return TUGame(w.size, (ws >= winning_threshold(q)).astype(float), players)


def bankruptcy_game(estate: float, claims, players=None) -> TUGame:
    """Bankruptcy game ``v(S) = max(0, E - sum_{j not in S} c_j)`` [ONeill1982]_, [Aumann1985]_.

    Its nucleolus is the Talmud rule (Aumann & Maschler 1985).
    """
    c = _vector(claims, "claims")
    e = float(estate)
    if not np.isfinite(e) or e < 0:
        raise InvalidGameError(f"estate must be a finite number >= 0, not {estate!r}")
    if not leq(e, c.sum()):
        raise InvalidGameError(
            f"estate {e} exceeds the total claims {c.sum()}: not a bankruptcy problem "
            "(every claim can be paid in full)"
        )
    cs = subset_sums(c)
    return TUGame(c.size, np.maximum(0.0, e - (c.sum() - cs)), players)


def airport_game(costs, players=None) -> TUGame:
    """Airport *cost* game ``c(S) = max_{i in S} c_i`` [Littlechild1973]_.

    Its Shapley value shares each runway segment equally among the players
    that need it. Use ``.savings()`` for the savings game (gains) before the
    core, least core or nucleolus, whose conventions are for gains.
    """
    x = _vector(costs, "costs")
    n = x.size
    out = np.zeros(2**n)
    for i in range(n):
        half = 1 << i
        out[half : 2 * half] = np.maximum(out[:half], x[i])
    return TUGame(n, out, players)


def glove_game(left, right, players=None) -> TUGame:
    """Glove (market) game ``v(S) = min(L(S), R(S))``.

    ``left[i]`` and ``right[i]`` are the left and right gloves player ``i``
    holds; a pair sells for 1 [Shapley1969]_. Usually each player holds one
    kind only, e.g. ``left=[1, 0, 0], right=[0, 1, 1]``.
    """
    lv = _vector(left, "left")
    rv = _vector(right, "right")
    if lv.size != rv.size:
        raise InvalidGameError(
            f"left has {lv.size} entries and right {rv.size}; give one of each per player"
        )
    return TUGame(lv.size, np.minimum(subset_sums(lv), subset_sums(rv)), players)


def from_services(control, value_of: Callable[[frozenset], float], players=None) -> TUGame:
    """Game of commissioners who control services: ``v(S) = value_of(Σ(S)) - value_of(∅)``.

    Parameters
    ----------
    control : mapping or sequence
        The services each player controls: ``{player: services}`` or a list
        (one iterable of services per player). ``Σ(S)`` is the union over the
        members of ``S``.
    value_of : callable
        ``value_of(frozenset_of_services) -> float``: what a coalition gains
        from the services it controls. For a tower this is the gain of
        re-commissioning those services with nothing falling (built on the
        tower's ``max_safe_set``); any callable works, and calls are memoised
        on the service set.
    players : sequence, optional
        Labels when ``control`` is a list.
    """
    if isinstance(control, Mapping):
        pl = tuple(control) if players is None else _check_players(len(control), players)
        sets = (
            [frozenset(control[p]) for p in pl]
            if players is None
            else [frozenset(v) for v in control.values()]
        )
    else:
        sets = [frozenset(s) for s in control]
        pl = _check_players(len(sets), players)
    n = len(sets)
    check_exact_size(n, "from_services")
    if not callable(value_of):
        raise InvalidGameError(
            "value_of must be callable: value_of(frozenset_of_services) -> float"
        )
    memo: dict[frozenset, float] = {}

    def val(services: frozenset) -> float:
        if services not in memo:
            memo[services] = float(value_of(services))
        return memo[services]

    base = val(frozenset())
    vals = np.empty(2**n)
    union = [frozenset()] * (2**n)
    vals[0] = 0.0
    for m in range(1, 2**n):
        low = (m & -m).bit_length() - 1
        union[m] = union[m & (m - 1)] | sets[low]
        vals[m] = val(union[m]) - base
    return TUGame(n, vals, pl)


def from_tower(tower, control, weights=None, players=None) -> TUGame:
    """The game of commissioners re-commissioning the services they control in a tower.

    ``v(S)`` is the most a coalition ``S`` can gain by moving out of the tower
    services it controls (the union ``Σ(S)`` of its members' services) with
    nothing else falling: the value of the maximum safe set of ``tower`` with
    ``eligible = Σ(S)`` (:func:`jenga_games.tower.thresholds.max_safe_set`).

    Choices, documented: a service's gain is ``weights[service]`` (default:
    its spend at tariff ``a·p``, money; on a tower without tariffs, its
    activity — the care moved closer to home — which needs every service to
    count the same activity unit, since tests and bed-days do not add up); a
    coalition moves services
    only where the rest of the tower, including what other commissioners
    control, still stands (no one is compensated for a fall, so a fall is
    never worth it); and ``v(∅) = 0``. The game is monotone; it is
    superadditive when controlled sets are disjoint, since two safe sets of
    disjoint controllers need not be safe together (then it need not be).

    Parameters
    ----------
    tower : Tower
    control : mapping player -> services, or a sequence of service collections
    weights : mapping service -> float, optional
    players : sequence, optional
        Labels when ``control`` is a sequence.
    """
    from ...tower.model import Tower
    from ...tower.thresholds import max_safe_set

    if not isinstance(tower, Tower):
        raise InvalidGameError(
            f"from_tower needs a jenga_games.tower.Tower first, got {type(tower).__name__}; "
            "for any other value function use from_services(control, value_of)"
        )
    if weights is None:
        from ...tower.health import accounts, sole_unit

        weights = {s.id: s.activity * s.tariff for s in tower}
        if not any(v > 0 for v in weights.values()):  # no tariffs: activity, of one unit only
            sole_unit(
                accounts(tower).units,
                "TUGame.from_tower's default gain (activity)",
                "give weights=, e.g. each service's spend or a count of 1",
            )
            weights = {s.id: s.activity for s in tower}

    def value_of(services: frozenset) -> float:
        if not services:
            return 0.0
        return float(max_safe_set(tower, sorted(services, key=str), weights=weights).value)

    return from_services(control, value_of, players)
