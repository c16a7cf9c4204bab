"""Nucleolus and pre-nucleolus: published values, a slow independent oracle, Kohlberg, core."""

import numpy as np
import pytest
from hypothesis import given, settings

from jenga_games.errors import InvalidGameError, TooLargeError
from jenga_games.games.cooperative import (
    TUGame,
    airport_game,
    bankruptcy_game,
    core_contains,
    core_is_empty,
    glove_game,
    nucleolus,
    prenucleolus,
)

from .oracles import kohlberg_holds, nucleolus_slow
from .strategies import convex_games, games, market_games


@pytest.mark.parametrize(
    "estate, expected",
    [
        (100, [100 / 3, 100 / 3, 100 / 3]),
        (200, [50, 75, 75]),
        (300, [50, 100, 150]),
    ],
)
def test_published_talmud(estate, expected):
    """Aumann & Maschler (1985): the Talmud's division of an estate among claims 100, 200, 300
    is the nucleolus of the bankruptcy game."""
    r = nucleolus(bankruptcy_game(estate, [100, 200, 300]))
    assert np.allclose(r.allocation.values, expected, atol=1e-9)
    assert np.allclose(
        prenucleolus(bankruptcy_game(estate, [100, 200, 300])).allocation.values,
        expected,
        atol=1e-9,
    )


def test_published_glove_and_airport():
    assert np.allclose(nucleolus(glove_game([1, 0, 0], [0, 1, 1])).allocation.values, [1, 0, 0])
    # Littlechild (1974): airport nucleolus for costs 1, 2, 3 is (0.5, 0.75, 1.75) as cost shares
    cost = airport_game([1, 2, 3])
    y = nucleolus(cost.savings()).allocation.values
    assert np.allclose(np.array([1, 2, 3]) - y, [0.5, 0.75, 1.75])


def _imputations_exist(g):
    return g.values[1 << np.arange(g.n)].sum() <= g.grand + 1e-9


@settings(max_examples=40)
@given(games(min_n=2, max_n=4))
def test_matches_slow_oracle(g):
    pre = prenucleolus(g).allocation.values
    assert np.allclose(pre, nucleolus_slow(g.values, g.n, imputation=False), atol=1e-6)
    if _imputations_exist(g):
        nuc = nucleolus(g).allocation.values
        assert np.allclose(nuc, nucleolus_slow(g.values, g.n, imputation=True), atol=1e-6)
    else:
        with pytest.raises(InvalidGameError, match=r"imputation set is empty.*prenucleolus"):
            nucleolus(g)


@settings(max_examples=30)
@given(games(min_n=2, max_n=5))
def test_kohlberg_criterion(g):
    pre = prenucleolus(g).allocation.values
    assert kohlberg_holds(g.values, g.n, pre, imputation=False)
    if _imputations_exist(g):
        assert kohlberg_holds(g.values, g.n, nucleolus(g).allocation.values, imputation=True)


@given(market_games(max_n=6))
def test_nucleolus_in_core_when_core_nonempty(g):
    assert not core_is_empty(g)
    r = nucleolus(g)
    assert core_contains(g, r.allocation.values, tol=1e-7).in_core
    # pre-nucleolus = nucleolus when the core is non-empty
    assert np.allclose(prenucleolus(g).allocation.values, r.allocation.values, atol=1e-7)


@given(convex_games(max_n=6))
def test_efficient_and_levels_decrease(g):
    r = nucleolus(g)
    assert abs(r.allocation.values.sum() - g.grand) <= 1e-7 * max(1, abs(g.grand))
    assert all(a >= b - 1e-9 for a, b in zip(r.levels, r.levels[1:]))
    assert r.levels[0] <= 1e-9  # convex ⇒ core non-empty ⇒ level <= 0


def test_larger_game_against_kohlberg_and_reproducible():
    rng = np.random.default_rng(8)
    n = 6
    pc = np.bitwise_count(np.arange(2**n)).astype(float)
    v = np.round(rng.uniform(0.5, 1, 2**n) * pc**2, 2)
    v[0] = 0
    g = TUGame(n, v)
    a, b = nucleolus(g), nucleolus(g)
    assert np.array_equal(a.allocation.values, b.allocation.values)
    assert kohlberg_holds(v, n, a.allocation.values, imputation=True)
    assert a.provenance.params["domain"] == "imputation" and a.lp_solves >= len(a.levels)


@pytest.mark.slow
def test_n9_against_kohlberg_on_constraint_generation():
    rng = np.random.default_rng(12)
    n = 9
    pc = np.bitwise_count(np.arange(2**n)).astype(float)
    v = rng.uniform(0.5, 1, 2**n) * pc**2
    v[0] = 0
    g = TUGame(n, v)
    assert kohlberg_holds(v, n, prenucleolus(g).allocation.values, imputation=False)


def test_bad_input(monkeypatch):
    from jenga_games.games.cooperative import _nucleolus

    with pytest.raises(InvalidGameError, match="needs a TUGame"):
        nucleolus([0, 1])
    monkeypatch.setattr(_nucleolus, "MAX_NUCLEOLUS_PLAYERS", 3)
    with pytest.raises(TooLargeError, match=r"n=4 players.*limit is n <= 3"):
        nucleolus(TUGame.weighted_voting([1] * 4, 2))
    assert nucleolus(TUGame(1, [0, 3])).allocation.values.tolist() == [3.0]


@settings(max_examples=25)
@given(games(min_n=3, max_n=6, integer=False))
def test_unique_whatever_the_path(g):
    """The (pre-)nucleolus is unique: relabelling the players permutes it, and solving with
    constraint generation from few rows gives the same point as the full LPs."""
    from jenga_games.games.cooperative import _nucleolus

    pre = prenucleolus(g).allocation.values
    perm = np.roll(np.arange(g.n), 1)  # new player k is old player perm[k]
    m = np.arange(2**g.n)
    old = np.zeros_like(m)
    for k in range(g.n):
        old |= ((m >> k) & 1) << perm[k]
    h = TUGame(g.n, g.values[old])
    assert np.allclose(prenucleolus(h).allocation.values, pre[perm], atol=1e-7)
    saved = _nucleolus._FULL_LP_ROWS
    try:
        _nucleolus._FULL_LP_ROWS = 0  # force constraint generation
        assert np.allclose(prenucleolus(g).allocation.values, pre, atol=1e-7)
    finally:
        _nucleolus._FULL_LP_ROWS = saved


@pytest.mark.parametrize("scale", [1e-6, 1e6])
def test_badly_scaled_values(scale):
    r = nucleolus(bankruptcy_game(200 * scale, np.array([100, 200, 300]) * scale))
    assert np.allclose(r.allocation.values, np.array([50, 75, 75]) * scale, rtol=1e-9)


def test_result_serialises():
    r = nucleolus(bankruptcy_game(300, [100, 200, 300]))
    d = r.to_dict()
    assert d["allocation"]["values"] == pytest.approx([50, 100, 150])
    assert d["provenance"]["method"] == "sequential_lp_constraint_generation"
    assert "Nucleolus(" in repr(r)
