"""Both LP backends (HiGHS's incremental model, and linprog per solve) give the same answers."""

import numpy as np
import pytest
from hypothesis import given, settings

from jenga_games.games.cooperative import (
    TUGame,
    _lp,
    bondareva_shapley,
    core_is_empty,
    least_core,
    nucleolus,
    prenucleolus,
)

from .oracles import nucleolus_slow
from .strategies import games


@pytest.fixture(params=[True, False], ids=["incremental", "linprog"])
def backend(request, monkeypatch):
    if request.param and _lp._Highs is None:
        pytest.skip("this scipy does not bundle HiGHS's model object")
    monkeypatch.setattr(_lp, "USE_INCREMENTAL", request.param)
    return request.param


def test_duals_and_warm_resolves(backend):
    inf = np.inf
    lp = _lp.IncrementalLP([0, 0, 1.0], [0.3, -inf, -inf], [inf, inf, inf])
    lp.add_rows(np.array([[1, 1, 0.0]]), 0, 0)
    lp.add_rows(np.array([[1, 0, 1.0], [0, 1, 1.0]]), [1, 1], inf)
    z, rd, cd = lp.solve()
    assert (
        np.allclose(z, [0.3, -0.3, 1.3])
        and np.allclose(rd, [-1, 0, 1])
        and np.allclose(cd, [1, 0, 0])
    )
    lp.set_row(2, -0.8, -0.8, coeff=(2, 0.0))
    lp.set_col(0, 0.8, inf)
    z, rd, _ = lp.solve()
    assert np.allclose(z, [0.8, -0.8, 0.2]) and rd[1] > 0
    lp.set_row(1, -inf, inf)
    with pytest.raises(_lp.LPError, match="check the game's values"):
        lp.solve()  # ε is now unbounded below
    assert lp.n_rows == 3


def _games():
    rng = np.random.default_rng(4)
    out = []
    for n in (3, 4, 5, 8, 11):
        pc = np.bitwise_count(np.arange(2**n)).astype(float)
        v = np.round(rng.uniform(0.5, 1, 2**n) * pc**2, 2)
        v[0] = 0
        out.append(TUGame(n, v))
    out.append(TUGame.weighted_voting([3, 2, 2, 1, 1], 5))
    out.append(TUGame.glove([1, 1, 0, 0, 0], [0, 0, 1, 1, 1]))
    return out


@pytest.mark.parametrize("g", _games(), ids=lambda g: f"n{g.n}")
def test_backends_agree(backend, g):
    nuc = nucleolus(g)
    assert nuc.provenance.params["solver"] == (
        "highs-incremental" if backend else "linprog-highs-ds"
    )
    if g.n <= 5:
        assert np.allclose(nuc.allocation.values, nucleolus_slow(g.values, g.n), atol=1e-6)
    _lp.USE_INCREMENTAL = not backend
    try:
        other = (
            nucleolus(g).allocation.values,
            prenucleolus(g).allocation.values,
            least_core(g).epsilon,
        )
    finally:
        _lp.USE_INCREMENTAL = backend
    assert np.allclose(nuc.allocation.values, other[0], atol=1e-7)
    assert np.allclose(prenucleolus(g).allocation.values, other[1], atol=1e-7)
    assert abs(least_core(g).epsilon - other[2]) < 1e-7


@settings(max_examples=25)
@given(games(min_n=2, max_n=4))
def test_linprog_backend_matches_oracle(g):
    saved = _lp.USE_INCREMENTAL
    _lp.USE_INCREMENTAL = False
    try:
        pre = prenucleolus(g).allocation.values
        assert np.allclose(pre, nucleolus_slow(g.values, g.n, imputation=False), atol=1e-6)
        assert bondareva_shapley(g).core_empty == core_is_empty(g)
    finally:
        _lp.USE_INCREMENTAL = saved


def test_failed_self_check_falls_back_to_linprog(monkeypatch):
    monkeypatch.setattr(_lp, "_CHECKED", [False])
    assert _lp.solver_name() == "linprog-highs-ds"
    g = TUGame.bankruptcy(200, [100, 200, 300])
    r = nucleolus(g)
    assert r.provenance.params["solver"] == "linprog-highs-ds"
    assert np.allclose(r.allocation.values, [50, 75, 75])
