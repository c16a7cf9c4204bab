"""Properties (superadditive, convex, monotone, essential) and the optimal coalition structure."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.games.cooperative import (
    TUGame,
    is_convex,
    is_essential,
    is_monotone,
    is_superadditive,
    optimal_coalition_structure,
)

from .oracles import best_partition_value, convex_brute, superadditive_brute
from .strategies import convex_games, games


@given(games(max_n=5))
def test_superadditive_and_convex_match_brute_force(g):
    assert is_superadditive(g) == superadditive_brute(g.values, g.n)
    assert is_convex(g) == convex_brute(g.values, g.n)


def _check_planted_pair(n: int, a: tuple[int, int], b: tuple[int, int]) -> None:
    """v(S) = |S| + [A ⊆ S] + [B ⊆ S] (additive plus two unanimity games: convex) is
    superadditive with the pair (A, B) tight; lowering v(A ∪ B) by 0.5 breaks that pair
    and no pair with a singleton, so only the pair checks (the first block of six players,
    or the chunks by highest member, past the 2^10 low-bit block at n >= 11) can find it."""
    A = (1 << a[0]) | (1 << a[1])
    B = (1 << b[0]) | (1 << b[1])
    m = np.arange(2**n)
    v = (np.bitwise_count(m) + ((m & A) == A) + ((m & B) == B)).astype(float)
    assert is_superadditive(TUGame(n, v))
    v[A | B] -= 0.5
    assert not is_superadditive(TUGame(n, v))
    if n <= 7:
        assert not superadditive_brute(v, n)


@settings(max_examples=25, deadline=None)
@given(st.integers(7, 12), st.data())
def test_superadditive_finds_one_planted_pair_anywhere(n, data):
    p = data.draw(st.permutations(range(n)))
    _check_planted_pair(n, (p[0], p[1]), (p[2], p[3]))


@pytest.mark.parametrize(
    "a, b",
    [
        ((0, 1), (2, 3)),
        ((11, 0), (10, 1)),
        ((11, 10), (0, 1)),
        ((0, 10), (1, 11)),
        ((9, 5), (7, 6)),
    ],
)
def test_superadditive_planted_pair_in_every_high_chunk(a, b):
    """n = 12: the pairs whose union holds players 10 and 11 sit in the three chunks of h = 11."""
    _check_planted_pair(12, a, b)


@given(convex_games())
def test_convex_implies_superadditive(g):
    assert is_convex(g) and is_superadditive(g)


def test_float_additive_game_is_convex_only_with_tolerance():
    """An additive game in floats has second differences of ±1e-16, not exactly 0: the exact
    comparison (tol=0) calls it non-convex, the documented tolerance does not."""
    n = 8
    m = np.arange(2**n)
    bits = ((m[:, None] >> np.arange(n)) & 1).astype(float)
    w = np.array([0.1, 0.2, 0.3, 0.7, 1.1, 0.45, 0.15, 0.05])
    g = TUGame(n, np.round(bits @ w, 12) * 3.3)
    assert not is_convex(g, tol=0.0)  # rounding noise
    assert is_convex(g) and is_superadditive(g) and is_monotone(g)


def test_float_convex_game_is_convex_within_tolerance():
    """v(S) = 0.1 |S|^2 built in floats has second differences that are not exactly 0.2."""
    n = 8
    pc = np.bitwise_count(np.arange(2**n)).astype(float)
    v = 0.1 * pc * pc + 0.7 * pc  # convex on paper
    g = TUGame(n, v)
    assert is_convex(g) and is_superadditive(g) and is_monotone(g)
    v2 = v.copy()
    v2[-1] -= 1e-6 + 0.1 * 2 * (n - 1)  # a real violation at the top
    assert not is_convex(TUGame(n, v2))


@settings(max_examples=40)
@given(games(max_n=5), st.sampled_from([1e-8, 1e8]), st.integers(0, 2))
def test_properties_do_not_depend_on_the_unit(g, c, k):
    """The same game in pounds or in millions of pounds (×1e8, ×1e-8) has the same properties,
    also when a violation is small against the game (1e-7 of its scale, above the tolerance)."""
    v = g.values.copy()
    if k:  # plant a small violation of superadditivity and convexity at the grand coalition
        scale = max(1.0, float(np.abs(v).max()))
        v[-1] = v[-1 ^ 1] + v[1] - 10.0**-k * 1e-6 * scale if g.n > 1 else v[-1]
    small, big = TUGame(g.n, v), TUGame(g.n, v * c)
    for prop in (is_superadditive, is_convex, is_monotone, is_essential):
        assert prop(small) == prop(big), prop.__name__
    assert is_superadditive(small) == superadditive_brute(small.values, small.n)
    assert is_convex(small) == convex_brute(small.values, small.n)


def test_a_violation_small_in_absolute_terms_counts_in_a_small_unit():
    """×1e-8: a shortfall of 1e-6 of the game's scale is 1e-14 in absolute terms, still a shortfall
    (an absolute tolerance of 1e-9 would have called the game superadditive)."""
    v = np.array([0.0, 1.0, 1.0, 2.0 - 1e-6]) * 1e-8
    assert not is_superadditive(TUGame(2, v))
    assert is_superadditive(TUGame(2, np.array([0.0, 1.0, 1.0, 2.0 - 1e-12]) * 1e-8))


def test_monotone_and_essential():
    assert is_monotone(TUGame(2, [0, 1, 1, 2])) and not is_monotone(TUGame(2, [0, 1, 1, 0.5]))
    assert is_essential(TUGame(2, [0, 1, 1, 3])) and not is_essential(TUGame(2, [0, 1, 1, 2]))


@given(games(max_n=6))
def test_coalition_structure_matches_brute_force(g):
    cs = optimal_coalition_structure(g)
    assert np.isclose(cs.value, best_partition_value(g.values, g.n))
    # the blocks partition the players and their values add up
    flat = sorted(p for b in cs.blocks for p in b)
    assert flat == list(range(g.n))
    assert np.isclose(sum(g.value(b) for b in cs.blocks), cs.value)


def test_structure_superadditive_keeps_grand_coalition():
    g = TUGame(3, [0, 1, 1, 3, 1, 3, 3, 6])
    cs = optimal_coalition_structure(g)
    assert cs.blocks == ((0, 1, 2),) and cs.value == 6


def test_structure_prefers_small_groups_when_size_costs():
    """Practices gain from pooling up to a size of 2 and lose beyond (a congestion cost)."""
    g = TUGame.from_function(4, lambda S: {0: 0, 1: 1, 2: 3, 3: 3.5, 4: 4}[len(S)])
    cs = optimal_coalition_structure(g)
    assert cs.value == 6 and all(len(b) == 2 for b in cs.blocks)
