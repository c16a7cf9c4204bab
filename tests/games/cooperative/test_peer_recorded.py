"""Compare with coopgame-py's answers, recorded once by benchmarks/record_coopgame_cooperative.py."""

import json
from pathlib import Path

import numpy as np
import pytest

from jenga_games.games.cooperative import (
    TUGame,
    airport_game,
    banzhaf,
    core_is_empty,
    is_convex,
    is_superadditive,
    least_core,
    myerson,
    nucleolus,
    owen,
    prenucleolus,
    shapley,
    tau_value,
    weighted_voting_indices,
)

DATA = Path(__file__).parents[3] / "benchmarks" / "data" / "coopgame_cooperative.json"
RECORD = json.loads(DATA.read_text())
CASES = RECORD["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_agrees_with_coopgame(case):
    g = TUGame(case["n"], case["values"])
    atol = 1e-7 * max(1.0, float(np.abs(g.values).max()))
    assert np.allclose(shapley(g).values, case["shapley"], atol=atol)
    assert np.allclose(banzhaf(g).values, case["banzhaf"], atol=atol)
    assert np.allclose(prenucleolus(g).allocation.values, case["prenucleolus"], atol=atol)
    if case["nucleolus"] is not None:
        assert np.allclose(nucleolus(g).allocation.values, case["nucleolus"], atol=atol)
    assert abs(least_core(g).epsilon - case["least_core_epsilon"]) <= atol
    if case["tau_value"] is not None:
        assert np.allclose(tau_value(g).values, case["tau_value"], atol=atol)
    assert np.allclose(myerson(g, case["myerson_edges"]).values, case["myerson"], atol=atol)
    assert np.allclose(owen(g, case["owen_unions"]).values, case["owen"], atol=atol)
    assert is_convex(g) == case["is_convex"]
    assert is_superadditive(g) == case["is_superadditive"]
    assert (not core_is_empty(g)) == case["has_nonempty_core"]


@pytest.mark.parametrize("case", RECORD["voting"], ids=lambda c: str(c["quota"]))
def test_voting_agrees_with_coopgame(case):
    r = weighted_voting_indices(case["weights"], case["quota"])
    assert np.allclose(r.shapley_shubik, case["shapley"], atol=1e-12)
    assert np.allclose(r.banzhaf_raw, case["banzhaf"], atol=1e-12)
    assert np.array_equal(np.rint(r.swings), case["swings"])


@pytest.mark.parametrize("case", RECORD["airport"], ids=lambda c: str(c["costs"]))
def test_airport_agrees_with_coopgame(case):
    c = airport_game(case["costs"])
    assert np.allclose(shapley(c).values, case["shapley"])
    cost_shares = np.array(case["costs"], float) - nucleolus(c.savings()).allocation.values
    assert np.allclose(cost_shares, case["nucleolus"], atol=1e-9)
