"""Scale and shift invariance of the normal-form solvers (issue #23).

Equilibria do not change when a player's payoffs are multiplied by a positive
number or shifted by a constant; the float solvers decide on unit payoffs
(see ``_kernels``), so payoffs in pounds (1e9), in millionths, or shifted by
1e12 give the same equilibria as the small-integer game, and the solvers'
proposals and the certificate use one tolerance.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError
from jenga_games.games.normal_form import NormalFormGame, pure_equilibrium_mask

from .strategies import bimatrix_games, nplayer_games

FLOAT_METHODS = (
    ("vertex_enumeration", {}),
    ("support_enumeration", {}),
    ("pure", {}),
    ("lemke_howson", {"label": None}),
)


def _as_set(eqs, digits=7):
    return sorted(tuple(np.round(np.concatenate(e.strategies), digits)) for e in eqs)


def _scaled(game, factor, shift=0.0):
    return NormalFormGame(game.payoffs * factor + shift)


@settings(max_examples=25)
@given(
    bimatrix_games(max_actions=4, integer=True, high=4),
    st.integers(-12, 12),
)
def test_bimatrix_solvers_invariant_to_scale(game, k):
    big = _scaled(game, 10.0**k)
    for method, opts in FLOAT_METHODS:
        a, b = game.equilibria(method, **opts), big.equilibria(method, **opts)
        assert _as_set(a) == _as_set(b), (method, k)
        assert a.degenerate == b.degenerate
        assert a.complete == b.complete
    assert game.is_degenerate() == big.is_degenerate()


@settings(max_examples=25)
@given(
    bimatrix_games(max_actions=4, integer=True, high=4),
    st.sampled_from([-1e12, -1e9, 1e9, 1e12]),
)
def test_bimatrix_solvers_invariant_to_shift(game, shift):
    moved = _scaled(game, 1.0, shift)  # integers + 1e12 are exact in binary
    for method, opts in FLOAT_METHODS:
        assert _as_set(game.equilibria(method, **opts)) == _as_set(moved.equilibria(method, **opts))
    assert game.eliminate_dominated().remaining == moved.eliminate_dominated().remaining


@given(nplayer_games(max_players=4, max_actions=3), st.integers(-12, 12), st.booleans())
def test_pure_equilibria_invariant_to_scale_and_shift(game, k, shift):
    other = _scaled(game, 10.0**k) if not shift else _scaled(game, 1.0, 1e12)
    assert np.array_equal(pure_equilibrium_mask(game), pure_equilibrium_mask(other))


PD = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)


@pytest.mark.parametrize("factor", [1e-12, 1e-7, 1.0, 1e9, 1e12])
def test_prisoners_dilemma_in_pounds_has_one_equilibrium(factor):
    g = NormalFormGame(PD * factor)
    for method, opts in FLOAT_METHODS:
        eqs = g.equilibria(method, **opts)
        assert len(eqs) == 1 and eqs[0].support == (("a2",), ("a2",)), (method, factor)
        assert eqs[0].regret == 0.0
    assert len(NormalFormGame(PD + 1e9).equilibria("pure")) == 1


def test_diagonal_coordination_game_in_millionths_keeps_every_equilibrium():
    # a k x k diagonal coordination game has 2^k - 1 equilibria (one per support)
    g = NormalFormGame.bimatrix(np.eye(5) * 1e-7, np.eye(5) * 1e-7)
    for method in ("vertex_enumeration", "support_enumeration"):
        eqs = g.equilibria(method)
        assert len(eqs) == 31, method


@pytest.mark.parametrize("gap", [0.9e-9, 1e-9, 1.2e-9, 1.5e-9, 1.9e-9, 2e-9, 2.5e-9])
@pytest.mark.parametrize("scale", [1.0, 1e9])
def test_gaps_near_the_tolerance_agree_between_solver_and_certificate(gap, scale):
    # the row player's second action is worse by `gap` of its range against the first column
    A = np.array([[1.0, 0.0], [1.0 - gap, 0.5]]) * scale
    B = np.array([[1.0, 0.0], [0.0, 1.0]]) * scale
    g = NormalFormGame.bimatrix(A, B)
    for method, opts in FLOAT_METHODS:  # no "please report", no error: one tolerance throughout
        eqs = g.equilibria(method, **opts)
        assert len(eqs) >= 1
        for e in eqs:
            assert g.is_equilibrium(e.profile)
            assert e.regret <= 1e-9 * scale


@pytest.mark.parametrize(("gap", "tied"), [(2.0**-30, True), (2.0**-29, False)])
@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e12])
def test_pure_solver_and_certificate_read_a_gap_at_the_tolerance_alike(gap, tied, scale):
    # the column player is indifferent; (a2, a1) is an equilibrium exactly when the gap is a tie
    A = np.array([[1.0, 0.0], [1.0 - gap, 0.0]]) * scale  # exact in binary
    g = NormalFormGame.bimatrix(A, np.zeros((2, 2)))
    assert bool(pure_equilibrium_mask(g)[1, 0]) is tied
    found = {e.support for e in g.equilibria("pure")}
    assert ((("a2",), ("a1",)) in found) is tied
    assert g.is_equilibrium(["a2", "a1"]) is tied


def test_lemke_howson_refuses_a_negative_pivot_cap():
    g = NormalFormGame(PD)
    for bad in (-1, 0, 2.5, True):
        with pytest.raises(InvalidGameError, match="max_pivots"):
            g.equilibria("lemke_howson", max_pivots=bad)


def test_support_threshold_is_the_same_for_equilibrium_and_profile():
    g = NormalFormGame(PD)
    x = np.array([1 - 5e-10, 5e-10])
    prof = g.profile([x, [0.0, 1.0]])
    eq = g.equilibria("pure")[0]
    from jenga_games.games.normal_form._kernels import SUPPORT_TOL
    from jenga_games.tolerance import TOL

    assert SUPPORT_TOL == TOL
    assert prof.support[0] == ("a1",)
    assert eq.profile.support == eq.support


def test_a_profile_the_certificate_rejects_is_refused_with_the_fix():
    from jenga_games._results import Provenance
    from jenga_games.games.normal_form._equilibrium import certify, certify_or_none

    g = NormalFormGame(PD * 1e9)
    not_eq = (np.array([1.0, 0.0]), np.array([1.0, 0.0]))  # (C, C): each gains 2e9 by defecting
    prov = Provenance("test", {})
    assert certify_or_none(g, not_eq, "test", prov) is None
    with pytest.raises(InvalidGameError, match="exact=True"):
        certify(g, not_eq, "test", prov)
