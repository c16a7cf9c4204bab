"""Hypothesis properties that certify the equilibrium solvers."""

import itertools

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from jenga_games.games.normal_form import NormalFormGame

from .strategies import bimatrix_games, nplayer_games


def _brute_regret(game, strategies):
    """Regret by explicit loops over pure profiles (independent of the library's tensordot)."""
    n = game.n_players
    regrets = []
    for i in range(n):
        vals = np.zeros(game.shape[i])
        for idx in itertools.product(*(range(a) for a in game.shape)):
            w = np.prod([strategies[j][k] for j, k in enumerate(idx) if j != i])
            vals[idx[i]] += w * game.payoffs[(*idx, i)]
        regrets.append(vals.max() - vals @ strategies[i])
    return max(regrets)


def _as_set(eqs, digits=7):
    return sorted(tuple(np.round(np.concatenate(e.strategies), digits)) for e in eqs)


@given(bimatrix_games(max_actions=4))
def test_every_equilibrium_is_a_best_response(game):
    for method, opts in (
        ("support_enumeration", {}),
        ("vertex_enumeration", {}),
        ("lemke_howson", {"label": None}),
    ):
        for e in game.equilibria(method, **opts):
            assert _brute_regret(game, e.strategies) <= 1e-9
            assert all(abs(s.sum() - 1) < 1e-12 and (s >= 0).all() for s in e.strategies)


@given(bimatrix_games(max_actions=4, integer=True, high=2))
def test_exact_equilibria_of_tied_games_have_zero_regret(game):
    res = game.equilibria("vertex_enumeration", exact=True)
    assert len(res) >= 1  # Nash (1951): every finite game has one
    for e in res:
        assert game.exact_expected_payoffs(e.exact_strategies) == e.exact_payoffs
        for i in range(2):
            vals = [
                game.exact_expected_payoffs(
                    [e.exact_strategies[0], [int(k == a) for k in range(game.shape[1])]]
                    if i == 1
                    else [[int(k == a) for k in range(game.shape[0])], e.exact_strategies[1]]
                )[i]
                for a in range(game.shape[i])
            ]
            assert max(vals) == e.exact_payoffs[i]
    # floating point finds the same extreme equilibria
    assert _as_set(game.equilibria("vertex_enumeration")) == _as_set(res)


@given(bimatrix_games(max_actions=5))
def test_nondegenerate_odd_count_and_methods_agree(game):
    ve = game.equilibria("vertex_enumeration")
    assume(not ve.degenerate)
    assert len(ve) % 2 == 1  # Shapley (1974); von Stengel (2002)
    se = game.equilibria("support_enumeration")
    assert se.complete and _as_set(se) == _as_set(ve)
    # every Lemke–Howson end point is one of them
    for e in game.equilibria("lemke_howson", label=None):
        assert tuple(np.round(np.concatenate(e.strategies), 7)) in set(_as_set(ve))


@given(bimatrix_games(max_actions=4), st.integers(0, 2**32 - 1))
def test_invariance_to_relabelling_and_affine_maps(game, seed):
    rng = np.random.default_rng(seed)
    m, n = game.shape
    pr, pc = rng.permutation(m), rng.permutation(n)
    a, b = rng.uniform(0.1, 10, 2)
    c, d = rng.uniform(-5, 5, 2)
    A, B = game.payoffs[..., 0], game.payoffs[..., 1]
    g2 = NormalFormGame.bimatrix(a * A[np.ix_(pr, pc)] + c, b * B[np.ix_(pr, pc)] + d)
    base = game.equilibria("vertex_enumeration")
    moved = g2.equilibria("vertex_enumeration")
    back = sorted(
        tuple(
            np.round(
                np.concatenate([e.strategies[0][np.argsort(pr)], e.strategies[1][np.argsort(pc)]]),
                7,
            )
        )
        for e in moved
    )
    assert back == _as_set(base)
    # swapping the players swaps the strategies
    swapped = game.transpose_players([1, 0]).equilibria("vertex_enumeration")
    assert sorted(
        tuple(np.round(np.concatenate(e.strategies[::-1]), 7)) for e in swapped
    ) == _as_set(base)


@given(nplayer_games())
def test_pure_equilibria_equal_brute_force(game):
    brute = []
    for idx in itertools.product(*(range(a) for a in game.shape)):
        ok = True
        for i in range(game.n_players):
            for alt in range(game.shape[i]):
                dev = list(idx)
                dev[i] = alt
                if game.payoffs[(*dev, i)] > game.payoffs[(*idx, i)]:
                    ok = False
        if ok:
            brute.append(idx)
    found = [tuple(int(np.argmax(s)) for s in e.strategies) for e in game.pure_equilibria()]
    assert found == brute
    exact = [
        tuple(int(np.argmax(s)) for s in e.strategies) for e in game.pure_equilibria(exact=True)
    ]
    assert exact == brute


@given(bimatrix_games(max_actions=4, integer=True, high=1), st.integers(0, 2**32 - 1))
def test_mixes_within_maximal_nash_subsets_are_equilibria(game, seed):
    res = game.equilibria("vertex_enumeration", exact=True)
    rng = np.random.default_rng(seed)
    for subset in res.nash_subsets:
        rows = {tuple(res[t].exact_strategies[0]) for t in subset}
        cols = {tuple(res[t].exact_strategies[1]) for t in subset}
        # every pairing of the subset's row and column strategies is one of its extreme equilibria
        members = {tuple(map(tuple, res[t].exact_strategies)) for t in subset}
        assert {(r, c) for r in rows for c in cols} == members
        wr, wc = rng.dirichlet(np.ones(len(rows))), rng.dirichlet(np.ones(len(cols)))
        x = sum(w * np.array(r, dtype=float) for w, r in zip(wr, sorted(rows)))
        y = sum(w * np.array(c, dtype=float) for w, c in zip(wc, sorted(cols)))
        assert game.is_equilibrium([x / x.sum(), y / y.sum()], tol=1e-9)
