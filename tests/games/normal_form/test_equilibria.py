"""Equilibria of known games (with their sources) and of games recorded with pygambit."""

import dataclasses
import itertools
import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

from jenga_games.errors import InvalidGameError, TooLargeError
from jenga_games.games.normal_form import NormalFormGame

DATA = Path(__file__).parents[3] / "benchmarks" / "data" / "pygambit_normal_form.json"


def _exact_set(eqs):
    return sorted(tuple(tuple(s) for s in e.exact_strategies) for e in eqs)


def _fr(profile):
    return tuple(tuple(F(v) for v in s) for s in profile)


# (name, A, B, extreme equilibria as exact fractions, source)
KNOWN = [
    (
        "matching pennies",
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        [(("1/2", "1/2"), ("1/2", "1/2"))],
        "Osborne (2004), An Introduction to Game Theory, matching pennies",
    ),
    (
        "battle of the sexes",
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        [((1, 0), (1, 0)), (("2/3", "1/3"), ("1/3", "2/3")), ((0, 1), (0, 1))],
        "Osborne (2004), BoS",
    ),
    (
        "prisoner's dilemma",
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        [((0, 1), (0, 1))],
        "Axelrod (1984) payoffs T=5, R=3, P=1, S=0",
    ),
    (
        "stag hunt",
        [[2, 0], [1, 1]],
        [[2, 1], [0, 1]],
        [((1, 0), (1, 0)), (("1/2", "1/2"), ("1/2", "1/2")), ((0, 1), (0, 1))],
        "Skyrms (2004), two-player stag hunt",
    ),
    (
        "chicken",
        [[0, -1], [1, -10]],
        [[0, 1], [-1, -10]],
        [((1, 0), (0, 1)), (("9/10", "1/10"), ("9/10", "1/10")), ((0, 1), (1, 0))],
        "hawk-dove/chicken; mixed answer by indifference (also pygambit 16.7 enummixed)",
    ),
    (
        "3x2 with three equilibria",
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        [
            ((1, 0, 0), (1, 0)),
            (("4/5", "1/5", 0), ("2/3", "1/3")),
            ((0, "1/3", "2/3"), ("1/3", "2/3")),
        ],
        "von Stengel (2007), AGT ch. 3, the 3x2 example game",
    ),
    (
        "3x3 with three equilibria",
        [[2, 0, -1], [0, 1, -2], [-1, -3, -4]],
        [[2, 0, -1], [0, 1, -3], [-1, -2, -4]],
        [((1, 0, 0), (1, 0, 0)), (("1/3", "2/3", 0), ("1/3", "2/3", 0)), ((0, 1, 0), (0, 1, 0))],
        "coordination game with a strictly dominated third action (hand-computed; pygambit 16.7 agrees)",
    ),
]


@pytest.mark.parametrize("name, A, B, expected, source", KNOWN, ids=[k[0] for k in KNOWN])
@pytest.mark.parametrize("method", ["support_enumeration", "vertex_enumeration"])
def test_known_games_exact(name, A, B, expected, source, method):
    g = NormalFormGame.bimatrix(A, B)
    res = g.equilibria(method, exact=True)
    assert _exact_set(res) == sorted(_fr(p) for p in expected), source
    assert res.degenerate is False and res.complete
    assert len(res) % 2 == 1  # nondegenerate: an odd number (Shapley 1974)


@pytest.mark.parametrize("name, A, B, expected, source", KNOWN, ids=[k[0] for k in KNOWN])
def test_known_games_float_and_lemke_howson(name, A, B, expected, source):
    g = NormalFormGame.bimatrix(np.array(A, float), np.array(B, float))
    exp = [tuple(np.array([float(F(v)) for v in s]) for s in p) for p in expected]
    for method in ("support_enumeration", "vertex_enumeration"):
        got = g.equilibria(method)
        assert len(got) == len(exp)
        for e, x in zip(
            sorted(got, key=lambda e: [tuple(s) for s in e.strategies]),
            sorted(exp, key=lambda p: [tuple(s) for s in p]),
        ):
            assert all(np.allclose(a, b, atol=1e-12) for a, b in zip(e.strategies, x))
    lh = g.equilibria("lemke_howson", label=None)
    for e in lh:
        assert any(all(np.allclose(a, b, atol=1e-9) for a, b in zip(e.strategies, x)) for x in exp)
    lhx = NormalFormGame.bimatrix(A, B).equilibria("lemke_howson", label=None, exact=True)
    assert set(_exact_set(lhx)) <= set(_fr(p) for p in expected)


def test_degenerate_textbook_game():
    # von Stengel (2007), AGT ch. 3: the degenerate variant; row 1 has two best responses.
    g = NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    assert g.is_degenerate()
    res = g.equilibria("vertex_enumeration", exact=True)
    assert _exact_set(res) == sorted(
        [
            _fr(((1, 0, 0), (1, 0))),
            _fr(((1, 0, 0), ("2/3", "1/3"))),
            _fr(((0, "1/3", "2/3"), ("1/3", "2/3"))),
        ]
    )
    assert res.degenerate and res.continua  # (1,0,0) against a segment of column strategies
    assert res.nash_subsets == ((0, 1),)
    zero = NormalFormGame.bimatrix(np.zeros((2, 3)), np.zeros((2, 3))).equilibria(
        "vertex_enumeration"
    )
    assert len(zero) == 6 and zero.nash_subsets == (tuple(range(6)),)
    se = g.equilibria("support_enumeration")
    assert se.degenerate and not se.complete


def _load():
    if not DATA.exists():  # pragma: no cover - the file is committed
        pytest.skip("recorded pygambit answers missing")
    return json.loads(DATA.read_text())["cases"]


def test_matches_pygambit_bimatrix_exact():
    cases = [c for c in _load() if c["kind"].startswith("bimatrix")]
    assert len(cases) >= 30
    n_degenerate = 0
    for c in cases:
        g = NormalFormGame.bimatrix(*c["payoffs"])
        res = g.equilibria("vertex_enumeration", exact=True)
        # pygambit 16.7 lists some extreme equilibria of degenerate games twice: compare as sets
        assert _exact_set(res) == sorted(set(_fr(p) for p in c["equilibria"])), c["payoffs"]
        n_degenerate += bool(res.degenerate)
        if c["kind"] == "bimatrix_random" and not res.degenerate:
            se = g.equilibria("support_enumeration", exact=True)
            assert _exact_set(se) == _exact_set(res)
    assert n_degenerate >= 5  # the degenerate cases really are degenerate


def test_matches_pygambit_three_player_pure():
    cases = [c for c in _load() if c["kind"] == "three_player"]
    assert len(cases) >= 10
    for c in cases:
        g = NormalFormGame([np.array(a) for a in c["payoffs"]])
        ours = sorted(_fr([s.tolist() for s in e.strategies]) for e in g.pure_equilibria())
        exact = sorted(
            _fr([[int(v) for v in s] for s in e.exact_strategies])
            for e in g.pure_equilibria(exact=True)
        )
        assert ours == exact == sorted(_fr(p) for p in c["equilibria"])


def test_lemke_howson_every_label_on_random_games_is_certified():
    for N, seed in itertools.product((10, 20), range(5)):
        rng = np.random.default_rng(seed)
        g = NormalFormGame.bimatrix(rng.random((N, N)), rng.random((N, N)))
        res = g.equilibria("lemke_howson", label=None)
        assert 1 <= len(res) <= 2 * N
        for e in res:
            assert g.is_equilibrium(e.profile)


def test_lemke_howson_degenerate_games_terminate():
    # many ties: the lexicographic rule must still end every path at an equilibrium
    rng = np.random.default_rng(5)
    for _ in range(20):
        A, B = rng.integers(0, 2, (4, 5)), rng.integers(0, 2, (4, 5))
        g = NormalFormGame.bimatrix(A.tolist(), B.tolist())
        for exact in (False, True):
            res = g.equilibria("lemke_howson", label=None, exact=exact)
            assert all(g.is_equilibrium(e.profile) for e in res)
    g = NormalFormGame.bimatrix(np.zeros((3, 3)), np.zeros((3, 3)))
    assert len(g.equilibria("lemke_howson", label=None)) >= 1


def test_equilibrium_result_api():
    g = NormalFormGame.bimatrix(
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        players=["CCG", "Trust"],
        actions=[["opera", "fight"], ["opera", "fight"]],
    )
    res = g.equilibria("vertex_enumeration", exact=True)
    mixed = next(e for e in res if not e.is_pure)
    assert mixed.support == (("opera", "fight"), ("opera", "fight"))
    assert mixed.exact_payoffs == (F(2, 3), F(2, 3))
    assert mixed.as_dict()["CCG"]["opera"] == pytest.approx(2 / 3)
    assert "CCG={opera: 2/3, fight: 1/3}" in repr(mixed)
    d = res.to_dict()
    assert d["equilibria"][0]["support"] and d["provenance"]["exact"] is True
    with pytest.raises(dataclasses.FrozenInstanceError):
        mixed.method = "x"


def test_method_errors():
    g3 = NormalFormGame(np.zeros((2, 2, 2, 3)))
    with pytest.raises(InvalidGameError, match="two-player"):
        g3.equilibria("support_enumeration")
    g = NormalFormGame.bimatrix([[1]], [[1]])
    with pytest.raises(InvalidGameError, match="unknown method"):
        g.equilibria("magic")
    with pytest.raises(InvalidGameError, match="takes no option"):
        g.equilibria("vertex_enumeration", label=3)
    with pytest.raises(InvalidGameError, match="label must be"):
        g.equilibria("lemke_howson", label=7)
    big = NormalFormGame.bimatrix(np.ones((30, 30)), np.ones((30, 30)))
    with pytest.raises(TooLargeError, match="lemke_howson"):
        big.equilibria("vertex_enumeration")


def test_auto_method_choices():
    small = NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert small.equilibria().method == "vertex_enumeration"
    rng = np.random.default_rng(0)
    big = NormalFormGame.bimatrix(rng.random((40, 40)), rng.random((40, 40)))
    res = big.equilibria()
    assert res.method == "lemke_howson" and not res.complete and len(res) == 1
    many = NormalFormGame(rng.integers(0, 3, (3, 3, 3, 3, 4)).tolist())
    res = many.equilibria()
    assert res.method == "pure" and not res.complete  # mixed equilibria were not searched
    assert many.pure_equilibria().complete
