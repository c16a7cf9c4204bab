"""TUGame: construction, validation (bad input raises a helpful JengaError), constructors, transforms."""

import numpy as np
import pytest
from hypothesis import given

from jenga_games.errors import InvalidGameError, JengaError, TooLargeError, UnknownItemError
from jenga_games.games.cooperative import (
    FunctionGame,
    TUGame,
    airport_game,
    bankruptcy_game,
    from_dict,
    glove_game,
    shapley,
    shapley_sampled,
)

from .strategies import games


def test_bitmask_convention_and_labels():
    g = TUGame(2, [0, 1, 2, 5], players=["GP", "trust"])
    assert g.value(["GP"]) == 1 and g.value(["trust"]) == 2 and g.value(["GP", "trust"]) == 5
    assert g.value([]) == 0 and g.grand == 5 and g.mask(["trust"]) == 2
    assert g.coalition(3) == ("GP", "trust")
    assert "TUGame(n=2" in repr(g)
    with pytest.raises(UnknownItemError, match="unknown player 'CCG'"):
        g.value(["CCG"])


@pytest.mark.parametrize(
    "n, values, match",
    [
        (2, [0, 1, 2], "2\\^2 = 4 coalition values"),
        (2, [1, 1, 2, 3], "v\\(∅\\) = values\\[0\\] must be 0"),
        (2, [0, np.nan, 1, 2], "must be finite.*coalition \\(0,\\)"),
        (2, [0, 1, np.inf, 2], "must be finite"),
        (0, [0], "positive int"),
        (2, [[0, 1], [2, 3]], "1-D array"),
        (2, ["a", 1, 2, 3], "must be numbers"),
    ],
)
def test_bad_values_raise(n, values, match):
    with pytest.raises(InvalidGameError, match=match):
        TUGame(n, values)


def test_bad_players():
    with pytest.raises(InvalidGameError, match="one label per player"):
        TUGame(2, [0, 1, 1, 2], players=["a"])
    with pytest.raises(InvalidGameError, match="distinct"):
        TUGame(2, [0, 1, 1, 2], players=["a", "a"])


def test_too_large_names_size_and_alternative():
    with pytest.raises(
        TooLargeError, match=r"n=40.*2\^40.*shapley_sampled.*weighted_voting_indices"
    ):
        TUGame(40, np.zeros(4))
    with pytest.raises(TooLargeError, match="shapley_sampled"):
        FunctionGame(30, lambda S: len(S)).to_tugame()
    with pytest.raises(TooLargeError):
        TUGame.weighted_voting([1] * 30, 16)
    assert issubclass(TooLargeError, JengaError)


def test_from_function_dict_and_agreement():
    g = TUGame.from_function(3, lambda S: len(S) ** 2, players="abc")
    assert g.value(["a", "b"]) == 4 and g.value("a") == 1 and g.value(["a", "b", "c"]) == 9
    d = from_dict(
        {
            ("a",): 1,
            ("b",): 1,
            ("c",): 1,
            ("a", "b"): 4,
            ("a", "c"): 4,
            ("b", "c"): 4,
            ("a", "b", "c"): 9,
        },
        players="abc",
    )
    assert d == TUGame(3, [0, 1, 1, 4, 1, 4, 4, 9], "abc")
    with pytest.raises(InvalidGameError, match=r"have no value.*default=0.0"):
        from_dict({("a",): 1}, players="ab")
    assert from_dict({("a",): 1}, players="ab", default=0.0).values.tolist() == [0, 1, 0, 0]
    with pytest.raises(InvalidGameError, match="empty coalition must be 0"):
        FunctionGame(3, lambda S: 1.0)


def test_weighted_voting_bankruptcy_airport_glove():
    g = TUGame.weighted_voting([4, 3, 2, 1], 6)
    assert g.value([0, 1]) == 1 and g.value([0, 3]) == 0 and g.value([1, 2, 3]) == 1
    b = bankruptcy_game(200, [100, 200, 300])
    # v(S) = max(0, E - c(N \ S))
    assert b.value([2]) == 0 and b.value([1, 2]) == 100 and b.grand == 200
    a = airport_game([1, 2, 3])
    assert a.value([0, 1]) == 2 and a.value([0]) == 1 and a.grand == 3
    gl = glove_game([1, 0, 0], [0, 1, 1])
    assert gl.value([1, 2]) == 0 and gl.value([0, 2]) == 1 and gl.grand == 1
    with pytest.raises(InvalidGameError, match="exceeds the total claims"):
        bankruptcy_game(700, [100, 200, 300])
    with pytest.raises(InvalidGameError, match="quota must be a positive"):
        TUGame.weighted_voting([1, 2], 0)
    with pytest.raises(InvalidGameError, match=r"claims\[1\] = -1"):
        bankruptcy_game(1, [1, -1])
    with pytest.raises(InvalidGameError, match="one of each per player"):
        glove_game([1, 0], [0, 1, 1])


def test_from_services_memoises_and_unions():
    calls = []

    def value_of(services):
        calls.append(services)
        return {frozenset(): 2.0, frozenset("a"): 3.0, frozenset("b"): 2.0, frozenset("ab"): 7.0}[
            services
        ]

    g = TUGame.from_services({"ccg1": ["a"], "ccg2": ["b"], "council": ["a", "b"]}, value_of)
    assert g.players == ("ccg1", "ccg2", "council")
    assert g.value(["ccg1"]) == 1 and g.value(["ccg2"]) == 0 and g.value(["council"]) == 5
    assert g.value(["ccg1", "ccg2"]) == 5
    assert len(calls) == len(set(calls)) == 4  # one call per distinct service set
    g2 = TUGame.from_services([["a"], ["b"]], value_of, players=["x", "y"])
    assert g2.value(["x", "y"]) == 5


@given(games(max_n=5))
def test_dual_is_an_involution_and_preserves_shapley(g):
    d = g.dual()
    assert np.allclose(d.dual().values, g.values)
    # Shapley value is self-dual
    assert np.allclose(shapley(d).values, shapley(g).values)


@given(games(min_n=2, max_n=5))
def test_normalisation_and_subgame(g):
    z = g.zero_normalized()
    assert np.allclose(z.values[1 << np.arange(g.n)], 0)
    # Shapley is covariant: shapley(z) = shapley(g) - v({i})
    assert np.allclose(shapley(z).values, shapley(g).values - g.values[1 << np.arange(g.n)])
    sub = g.subgame([0, g.n - 1])
    assert sub.value([0, g.n - 1]) == g.value([0, g.n - 1]) and sub.n == 2
    if g.is_essential():
        assert np.isclose(g.zero_one_normalized().grand, 1.0)
    else:
        with pytest.raises(InvalidGameError, match="not essential"):
            g.zero_one_normalized()


def test_savings_game():
    c = airport_game([1, 2, 3])
    s = c.savings()
    assert s.value([0, 1]) == 1 + 2 - 2 and s.grand == 6 - 3


def test_function_game_vectorised_agrees():
    f1 = FunctionGame(4, lambda S: float(len(S)) ** 1.5)
    f2 = FunctionGame(4, lambda M: M.sum(axis=1) ** 1.5, vectorized=True)
    assert np.allclose(f1.to_tugame().values, f2.to_tugame().values)
    a = shapley_sampled(f1, samples=50, seed=3)
    b = shapley_sampled(f2, samples=50, seed=3)
    assert np.array_equal(a.values, b.values)
    with pytest.raises(InvalidGameError, match="returned 1 values for 2"):
        FunctionGame(2, lambda M: np.zeros(1), vectorized=True).evaluate(np.zeros((2, 2), bool))
