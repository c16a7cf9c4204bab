"""The NormalFormGame class: construction, labels, profiles, payoffs, best responses, errors."""

from fractions import Fraction as F

import numpy as np
import pytest

from jenga_games.errors import InvalidGameError, JengaError, UnknownItemError
from jenga_games.games.normal_form import NormalFormGame

PD = NormalFormGame.bimatrix(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=["Trust", "Practice"],
    actions=[["C", "D"], ["C", "D"]],
)


def test_two_input_forms_agree():
    rng = np.random.default_rng(1)
    T = rng.random((2, 3, 4, 3))
    g1 = NormalFormGame(T)
    g2 = NormalFormGame([T[..., 0], T[..., 1], T[..., 2]])
    assert g1 == g2
    assert g1.shape == (2, 3, 4) and g1.n_players == 3
    assert g1.players == ("P1", "P2", "P3")
    assert g1.actions[1] == ("a1", "a2", "a3")
    assert not g1.payoffs.flags.writeable


def test_constructors():
    A = [[1, 2], [3, 4]]
    s = NormalFormGame.symmetric(A, actions=["x", "y"])
    assert s.actions == (("x", "y"), ("x", "y"))
    assert np.array_equal(s.payoffs[..., 1], np.array(A).T)
    z = NormalFormGame.zero_sum(A)
    assert np.array_equal(z.payoffs.sum(axis=-1), np.zeros((2, 2)))
    f = NormalFormGame.from_function(
        lambda p: (p.count("C"), -p.count("D"), 0), actions=[["C", "D"]] * 3
    )
    assert f["C", "D", "C"].tolist() == [2, -1, 0]
    f2 = NormalFormGame.from_function(lambda p: (sum(p), -sum(p)), shape=(2, 3))
    assert f2[1, 2].tolist() == [3, -3]
    assert f2.is_exact


def test_expected_payoffs_multilinear_against_brute_force():
    rng = np.random.default_rng(2)
    g = NormalFormGame(rng.random((2, 3, 2, 3)))
    prof = [rng.dirichlet(np.ones(a)) for a in g.shape]
    brute = np.zeros(3)
    for idx in np.ndindex(*g.shape):
        brute += np.prod([prof[j][k] for j, k in enumerate(idx)]) * g.payoffs[idx]
    assert np.allclose(g.expected_payoffs(prof), brute)
    for i in range(3):
        vals = g.action_values(prof, i)
        assert np.isclose(vals @ prof[i], brute[i])


def test_best_responses_and_equilibrium():
    assert PD.best_responses(("C", "C"), "Trust") == ("D",)
    assert PD.best_responses(("C", "D")) == {"Trust": ("D",), "Practice": ("D",)}
    assert PD.is_equilibrium(("D", "D"))
    assert not PD.is_equilibrium({"Trust": "C", "Practice": "C"})
    assert PD.regret(("C", "C")).tolist() == [2.0, 2.0]


def test_exact_profiles():
    mp = NormalFormGame.zero_sum([[1, -1], [-1, 1]])
    p = mp.profile([[F(1, 2), F(1, 2)], {"a1": F(1, 2), "a2": F(1, 2)}])
    assert p.exact[0] == (F(1, 2), F(1, 2))
    assert mp.exact_expected_payoffs(p) == (0, 0)
    assert "1/2" in repr(p)
    assert mp.is_equilibrium(p)


def test_restrict_transpose_relabel():
    g = PD.transpose_players(["Practice", "Trust"])
    assert g.players == ("Practice", "Trust")
    assert g["C", "D"].tolist() == PD["D", "C"].tolist()[::-1]
    r = PD.restrict([["D"], ["C", "D"]])
    assert r.shape == (1, 2) and r.actions[0] == ("D",)
    assert PD.relabel(players=["A", "B"]).players == ("A", "B")


@pytest.mark.parametrize(
    "payoffs, match",
    [
        ([[[1, 2], [3]], [[1, 2], [3, 4]]], "ragged"),
        ([np.zeros((2, 2)), np.zeros((2, 3))], "different shapes"),
        ([[np.nan, 1], [1, 1]], "cannot read"),
        (np.zeros((2, 2, 3)), "cannot read"),
        (np.zeros((0, 2, 2)), "at least one action"),
        ([np.array([[np.nan, 1], [1, 1]]), np.ones((2, 2))], "NaN or infinite"),
        ([np.array([[np.inf, 1], [1, 1]]), np.ones((2, 2))], "NaN or infinite"),
        ([np.array([["x", 1], [1, 1]]), np.ones((2, 2))], "not a number"),
    ],
)
def test_bad_payoffs(payoffs, match):
    with pytest.raises(InvalidGameError, match=match):
        NormalFormGame(payoffs)


def test_bad_labels_and_profiles():
    A = np.ones((2, 2))
    with pytest.raises(InvalidGameError, match="player names"):
        NormalFormGame([A, A], players=["only one"])
    with pytest.raises(InvalidGameError, match="distinct"):
        NormalFormGame([A, A], players=["x", "x"])
    with pytest.raises(InvalidGameError, match="2 actions in the payoffs but 3"):
        NormalFormGame([A, A], actions=[["a", "b", "c"], ["a", "b"]])
    with pytest.raises(InvalidGameError, match=r"sum to 0\.9"):
        PD.profile([[0.5, 0.4], "C"])
    with pytest.raises(InvalidGameError, match="sum to 1/2"):
        PD.profile([[F(1, 4), F(1, 4)], "C"])
    with pytest.raises(InvalidGameError, match="negative"):
        PD.profile([[1.5, -0.5], "C"])
    with pytest.raises(InvalidGameError, match="has 3 probabilities"):
        PD.profile([[0.5, 0.25, 0.25], "C"])
    with pytest.raises(UnknownItemError, match="unknown action 'X'"):
        PD.profile(["X", "C"])
    with pytest.raises(UnknownItemError, match="unknown player"):
        PD.best_responses(("C", "C"), "Nobody")
    with pytest.raises(InvalidGameError, match="no strategy for player"):
        PD.profile({"Trust": "C"})
    with pytest.raises(JengaError, match="give one per player"):
        PD.profile(["C"])


def test_float_arrays_build_the_same_game_as_nested_lists():
    # the numeric fast path (no Python objects) must agree with the general path
    rng = np.random.default_rng(3)
    arrays = [rng.random((3, 2, 4)) for _ in range(3)]
    fast = NormalFormGame(arrays)
    slow = NormalFormGame([a.tolist() for a in arrays])
    assert fast == slow and not fast.is_exact
    tensor = np.stack(arrays, axis=-1)
    assert NormalFormGame(tensor) == slow
    assert NormalFormGame(tensor.astype(np.float32)).payoffs.dtype == np.float64
    arrays[0][0, 0, 0] = np.nan
    with pytest.raises(InvalidGameError, match="NaN or infinite"):
        NormalFormGame(arrays)
    with pytest.raises(InvalidGameError, match="different shapes"):
        NormalFormGame([rng.random((2, 2)), rng.random((2, 3))])
    tensor.setflags(write=True)
    g = NormalFormGame(tensor)
    tensor[0, 0, 0, 0] = 99.0  # the game keeps its own copy
    assert g.payoffs[0, 0, 0, 0] != 99.0
