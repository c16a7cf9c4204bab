"""Hypothesis strategies for property-testing models built with jenga_games.

Use them in your own tests the way the toolkit's tests use them::

    from hypothesis import given
    from jenga_games.testing import tu_games

    @given(tu_games(n=3, convex=True))
    def test_shapley_in_core(game):
        assert game.core_contains(game.shapley().values).in_core  # convex ⇒ Shapley ∈ core

Cooperative games
    :func:`tu_values` draws the ``2**n`` coalition values of a TU game (player
    ``i`` is bit ``i``, ``v[0] = 0``); :func:`tu_games` wraps them in a
    :class:`~jenga_games.games.cooperative.TUGame`. ``superadditive=True`` and
    ``convex=True`` draw from *all* such games with small values (see
    :func:`tu_values` for the construction).

Normal-form games
    :func:`payoff_arrays` draws one payoff array per player;
    :func:`normal_form_games` wraps them in a
    :class:`~jenga_games.games.normal_form.NormalFormGame`.
    ``nondegenerate=True`` adds a small random perturbation (payoffs in general
    position) and, for two players, keeps only games that a linear-programming
    check certifies nondegenerate [vonStengel2002]_.

Towers
    :func:`towers` draws small towers (providers, monotone or not, cycles,
    compound rules, grounded or not); :func:`removal_orders` draws removal
    orders for a given tower (see :mod:`jenga_games.testing.tower_strategies`).

Repeated games
    :func:`automata` draws complete finite automata (pure or mixed) over
    action indices, for any number of players.

Every strategy shrinks towards small games with small values.
"""

from __future__ import annotations

import itertools
import numbers
from typing import Any

import numpy as np

try:
    from hypothesis import strategies as st
except ImportError as _err:  # hypothesis is a test-time dependency, not a runtime one
    raise ImportError(
        "jenga_games.testing needs hypothesis: pip install hypothesis "
        "(or pip install 'jenga-games[test]')"
    ) from _err

from ..errors import JengaError
from ._degenerate import bimatrix_is_degenerate
from .automaton_strategies import automata
from .tower_strategies import removal_orders, support_rules, towers

__all__ = [
    "automata",
    "bimatrix_is_degenerate",
    "normal_form_games",
    "payoff_arrays",
    "removal_orders",
    "support_rules",
    "towers",
    "tu_games",
    "tu_values",
]

IntOrStrategy = int | st.SearchStrategy[int]

#: Default sizes: small games shrink well and keep checks fast.
SMALL_N = st.integers(1, 4)
FEW_ACTIONS = st.integers(1, 3)


def _ints(value: IntOrStrategy, name: str, low: int, high: int) -> st.SearchStrategy[int]:
    if isinstance(value, st.SearchStrategy):
        return value
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not low <= value <= high
    ):
        raise JengaError(f"{name}={value!r}: give an int in [{low}, {high}] or a strategy of ints")
    return st.just(int(value))


def _numbers(integral: bool, low: float, high: float) -> st.SearchStrategy[float]:
    if integral:
        return st.integers(int(np.ceil(low)), int(np.floor(high))).map(float)
    return st.floats(low, high, allow_nan=False, allow_infinity=False, width=64)


def _check_max(max_value: float) -> None:
    if not isinstance(max_value, numbers.Real) or isinstance(max_value, bool) or not max_value > 0:
        raise JengaError(f"max_value={max_value!r}: give a positive number")


@st.composite
def tu_values(
    draw: Any,
    n: IntOrStrategy = SMALL_N,
    *,
    superadditive: bool = False,
    convex: bool = False,
    integral: bool = True,
    max_value: float = 10,
) -> np.ndarray:
    """Coalition values ``v`` (length ``2**n``, ``v[0] = 0``) of a TU game.

    Parameters
    ----------
    n : int or strategy of int
        Number of players (1 to 10); default ``st.integers(1, 4)``.
    superadditive : bool
        Draw a superadditive game: ``v(S ∪ T) ≥ v(S) + v(T)`` for disjoint ``S, T``.
    convex : bool
        Draw a convex (supermodular) game [Shapley1971]_:
        ``v(S ∪ {i}) − v(S) ≤ v(T ∪ {i}) − v(T)`` for ``S ⊆ T``, ``i ∉ T``. Convex
        games are superadditive.
    integral : bool
        Integer values (exact checks), else floats.
    max_value : float
        Bound on the drawn singleton values (in ``[-max_value, max_value]``) and
        on each *slack* (below).

    Notes
    -----
    Values are built coalition by coalition in order of size. Without a
    constraint each ``v(S)`` is drawn freely. With one, ``v(S)`` is its tightest
    lower bound from smaller coalitions plus a drawn slack ``≥ 0``:

    * superadditive: ``max over A ⊂ S, A ≠ ∅ of v(A) + v(S \\ A)``;
    * convex: ``max over i ≠ j in S of v(S − i) + v(S − j) − v(S − i − j)``
      (supermodularity needs only these pairwise conditions).

    Every game of the class is reached (its own slacks are ``≥ 0``), and a slack
    of 0, which hypothesis tries first, gives the boundary cases where the
    inequalities are tight.

    Examples
    --------
    >>> from hypothesis import given
    >>> from jenga_games.games.cooperative import TUGame
    >>> @given(tu_values(n=3, convex=True))
    ... def check(v):
    ...     assert TUGame(3, v).is_convex()
    >>> check()
    """
    from ..games.cooperative._bits import bipartitions

    n = draw(_ints(n, "n", 1, 10))
    _check_max(max_value)
    free = _numbers(integral, -max_value, max_value)
    slack = _numbers(integral, 0, max_value)
    v = np.zeros(2**n)
    for size in range(1, n + 1):
        for members in itertools.combinations(range(n), size):
            S = sum(1 << i for i in members)
            if size == 1 or not (superadditive or convex):
                v[S] = draw(free)
                continue
            if convex:
                bound = max(
                    v[S & ~(1 << i)] + v[S & ~(1 << j)] - v[S & ~(1 << i) & ~(1 << j)]
                    for i, j in itertools.combinations(members, 2)
                )
            else:
                bound = max(v[A] + v[S & ~A] for A in bipartitions(S))
            v[S] = bound + draw(slack)
    return v


def tu_games(
    n: IntOrStrategy = SMALL_N,
    *,
    superadditive: bool = False,
    convex: bool = False,
    integral: bool = True,
    max_value: float = 10,
) -> st.SearchStrategy[Any]:
    """:class:`~jenga_games.games.cooperative.TUGame` objects; see :func:`tu_values`.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(tu_games(n=3, superadditive=True))
    ... def check(game):
    ...     assert game.is_superadditive()
    >>> check()
    """
    from ..games.cooperative import TUGame

    return tu_values(
        n, superadditive=superadditive, convex=convex, integral=integral, max_value=max_value
    ).map(lambda v: TUGame(int(np.log2(len(v))), v))


@st.composite
def payoff_arrays(
    draw: Any,
    n_players: IntOrStrategy = 2,
    actions: IntOrStrategy = FEW_ACTIONS,
    *,
    nondegenerate: bool = False,
    integral: bool = True,
    max_value: float = 10,
    perturbation: float = 1e-3,
) -> tuple[np.ndarray, ...]:
    """Payoff arrays ``(P_1, ..., P_n)`` of a normal-form game, each of shape ``(a_1, ..., a_n)``.

    Parameters
    ----------
    n_players : int or strategy of int
        Number of players (1 to 6).
    actions : int or strategy of int
        Number of actions of each player (drawn per player; 1 to 8).
    nondegenerate : bool
        Payoffs in general position. Each payoff gets an independent
        perturbation uniform in ``[0, perturbation)`` (drawn from a numpy
        generator seeded by hypothesis, so failures replay), which makes the game
        nondegenerate with probability one; for two players every game is also
        checked by :func:`bimatrix_is_degenerate` and degenerate draws are
        rejected, so nondegeneracy is certified (to that check's tolerance,
        ``1e-9`` of the payoff scale). The payoffs are then no longer integers.
    integral : bool
        Integer payoffs in ``[-max_value, max_value]`` (before any perturbation),
        which makes ties, and so degenerate games, frequent.
    max_value : float
        Bound on the payoffs' absolute values.
    perturbation : float
        Size of the nondegeneracy perturbation; keep it well above ``1e-7``
        (the LP check's feasibility tolerance) and below the payoff differences
        you care about.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(payoff_arrays(actions=3, nondegenerate=True))
    ... def check(arrays):
    ...     A, B = arrays
    ...     assert A.shape == B.shape == (3, 3)
    ...     assert not bimatrix_is_degenerate(A, B)
    >>> check()
    """
    n = draw(_ints(n_players, "n_players", 1, 6))
    _check_max(max_value)
    if nondegenerate and not (isinstance(perturbation, numbers.Real) and perturbation > 0):
        raise JengaError(f"perturbation={perturbation!r}: give a small positive number")
    shape = tuple(draw(_ints(actions, "actions", 1, 8)) for _ in range(n))
    size = int(np.prod(shape))
    values = _numbers(integral, -max_value, max_value)
    arrays = [
        np.array(draw(st.lists(values, min_size=size, max_size=size)), dtype=float).reshape(shape)
        for _ in range(n)
    ]
    if nondegenerate:
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        arrays = [a + perturbation * rng.random(shape) for a in arrays]
        if n == 2:
            from hypothesis import assume

            assume(not bimatrix_is_degenerate(arrays[0], arrays[1]))
    return tuple(arrays)


def normal_form_games(
    n_players: IntOrStrategy = 2,
    actions: IntOrStrategy = FEW_ACTIONS,
    *,
    nondegenerate: bool = False,
    integral: bool = True,
    max_value: float = 10,
    perturbation: float = 1e-3,
) -> st.SearchStrategy[Any]:
    """:class:`~jenga_games.games.normal_form.NormalFormGame` objects; see :func:`payoff_arrays`.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(normal_form_games(actions=2, nondegenerate=True))
    ... def check(game):
    ...     assert game.shape == (2, 2) and not game.is_degenerate()
    >>> check()
    """
    from ..games.normal_form import NormalFormGame

    return payoff_arrays(
        n_players,
        actions,
        nondegenerate=nondegenerate,
        integral=integral,
        max_value=max_value,
        perturbation=perturbation,
    ).map(lambda arrays: NormalFormGame(list(arrays)))
