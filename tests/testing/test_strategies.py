"""The strategies of jenga_games.testing draw what they promise (checked by brute force)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import find, given
from hypothesis import strategies as st

from jenga_games.errors import JengaError
from jenga_games.games.cooperative import TUGame
from jenga_games.games.normal_form import NormalFormGame, is_degenerate
from jenga_games.testing import (
    bimatrix_is_degenerate,
    normal_form_games,
    payoff_arrays,
    tu_games,
    tu_values,
)


def superadditive_by_definition(v: np.ndarray) -> bool:
    """v(S ∪ T) ≥ v(S) + v(T) for every pair of disjoint coalitions."""
    size = len(v)
    return all(
        v[S | T] >= v[S] + v[T] - 1e-9 for S in range(size) for T in range(size) if S & T == 0
    )


def convex_by_definition(v: np.ndarray) -> bool:
    """v(S+i) − v(S) ≤ v(T+i) − v(T) for every S ⊆ T and i ∉ T (not the pairwise shortcut)."""
    n = len(v).bit_length() - 1
    for T in range(len(v)):
        for S in range(len(v)):
            if S & ~T:
                continue
            for i in range(n):
                bit = 1 << i
                if T & bit == 0 and v[S | bit] - v[S] > v[T | bit] - v[T] + 1e-9:
                    return False
    return True


@given(tu_values(n=st.integers(1, 5), superadditive=True))
def test_superadditive_values(v):
    assert v[0] == 0 and len(v) in (2, 4, 8, 16, 32)
    assert superadditive_by_definition(v)
    assert TUGame(len(v).bit_length() - 1, v).is_superadditive()


@given(tu_values(n=st.integers(1, 5), convex=True, integral=False))
def test_convex_values(v):
    assert convex_by_definition(v) and superadditive_by_definition(v)


@given(tu_games(n=4, convex=True))
def test_convex_games_have_shapley_in_core(game):
    # Shapley's theorem [Shapley1971]: a convex game's Shapley value lies in its core
    assert game.is_convex()
    assert game.core_contains(game.shapley().values).in_core


def test_unconstrained_values_reach_games_outside_the_classes():
    v = find(tu_values(n=3), lambda v: not superadditive_by_definition(v))
    assert not TUGame(3, v).is_superadditive()
    w = find(tu_values(n=3, superadditive=True), lambda v: not convex_by_definition(v))
    assert superadditive_by_definition(w)
    # the constrained strategies still reach strict inequalities, not only the boundary
    s = find(tu_values(n=3, convex=True), lambda v: v[7] > v[3] + v[4] + 1)
    assert convex_by_definition(s)


@given(payoff_arrays(n_players=st.integers(1, 4), actions=st.integers(1, 3)))
def test_payoff_arrays_shapes(arrays):
    shape = arrays[0].shape
    assert len(shape) == len(arrays) and all(a.shape == shape for a in arrays)
    assert all(np.array_equal(a, np.round(a)) and np.abs(a).max() <= 10 for a in arrays)


@given(payoff_arrays(actions=st.integers(1, 4), nondegenerate=True))
def test_nondegenerate_bimatrix_certified_by_a_second_algorithm(arrays):
    A, B = arrays
    assert not bimatrix_is_degenerate(A, B)
    # the normal-form package's vertex-labelling check is an independent oracle
    assert not is_degenerate(NormalFormGame([A, B]))


@given(payoff_arrays(actions=st.integers(1, 3), max_value=2))
def test_lp_degeneracy_check_agrees_with_vertex_labels(arrays):
    # small integer payoffs: ties are frequent, so both verdicts are exercised
    A, B = arrays
    assert bimatrix_is_degenerate(A, B) == is_degenerate(NormalFormGame([A, B]))


def test_degeneracy_known_cases():
    pennies = np.array([[1, -1], [-1, 1]])
    assert not bimatrix_is_degenerate(pennies, -pennies)
    # column player indifferent between her columns against the first row: degenerate
    assert bimatrix_is_degenerate(np.array([[1, 0], [0, 1]]), np.array([[2, 2], [0, 1]]))
    # the pure first row has both columns as best responses (B's first row ties): degenerate
    A = np.array([[3, 3], [2, 5], [0, 6]])
    B = np.array([[3, 3], [2, 6], [3, 1]])
    assert bimatrix_is_degenerate(A, B)
    assert bimatrix_is_degenerate(A, B) == is_degenerate(NormalFormGame.bimatrix(A, B))


@given(normal_form_games(n_players=3, actions=2, nondegenerate=True))
def test_games_wrap_arrays(game):
    assert game.n_players == 3 and game.shape == (2, 2, 2)
    payoffs = game.payoffs
    # perturbed payoffs in general position: no two payoffs of a player tie
    for p in range(3):
        flat = np.sort(payoffs[..., p].ravel())
        assert np.all(np.diff(flat) > 0)


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        (lambda: tu_values(n=0), "n=0"),
        (lambda: tu_values(n=11), "n=11"),
        (lambda: tu_values(n=2, max_value=-1), "max_value"),
        (lambda: payoff_arrays(n_players=7), "n_players=7"),
        (lambda: payoff_arrays(actions=0), "actions=0"),
        (lambda: payoff_arrays(nondegenerate=True, perturbation=0), "perturbation"),
    ],
)
def test_bad_arguments(strategy, message):
    with pytest.raises(JengaError, match=message):
        find(strategy(), lambda _: True)


def test_supports_of_the_pairwise_shortcut():
    # the pairwise (local) supermodularity condition used by tu_values(convex=True) is
    # equivalent to the definition: check it on every 0/1-valued game of 3 players
    n = 3
    for bits in itertools.product([0.0, 1.0], repeat=2**n - 1):
        v = np.array((0.0, *bits))
        local = all(
            v[S | (1 << i) | (1 << j)] + v[S] >= v[S | (1 << i)] + v[S | (1 << j)] - 1e-12
            for S in range(2**n)
            for i, j in itertools.combinations(range(n), 2)
            if not S & ((1 << i) | (1 << j))
        )
        assert local == convex_by_definition(v)
