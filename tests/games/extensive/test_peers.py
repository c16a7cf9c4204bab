"""Agreement with pygambit's recorded answers (benchmarks/record_pygambit_extensive.py)."""

from __future__ import annotations

import hashlib
import json
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from jenga_games.games.extensive import (
    agent_logit_path,
    agent_logit_qre,
    nash_conv,
    sequence_form_lcp,
    sequence_form_lp,
    write_efg,
)

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "benchmarks" / "data" / "pygambit_extensive.json"


@pytest.mark.skipif(not DATA.exists(), reason="pygambit answers not recorded yet")
def test_agrees_with_pygambit():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from record_pygambit_extensive import instances
    finally:
        sys.path.pop(0)
    games = dict(instances())
    data = json.loads(DATA.read_text())
    assert data["instances"]
    for rec in data["instances"]:
        game = games[rec["name"]]
        assert hashlib.sha256(write_efg(game).encode()).hexdigest() == rec["efg_sha256"]
        if "lp_payoffs" in rec:  # zero-sum: the value is unique
            ours = sequence_form_lp(game).exact_payoffs
            assert [str(v) for v in ours] == rec["lp_payoffs"], rec["name"]
        if "lcp_payoffs" in rec:
            # Lemke may find another equilibrium than Gambit's; ours must be one (NashConv 0),
            # and in zero-sum games both pay the value
            ours = sequence_form_lcp(game)
            assert nash_conv(game, ours.exact_behaviour)[0] == 0
            if game.is_zero_sum():
                theirs = [Fraction(v) for v in rec["lcp_payoffs"][0]]
                assert list(ours.exact_payoffs) == theirs, rec["name"]


@pytest.mark.skipif(not DATA.exists(), reason="pygambit answers not recorded yet")
def test_agent_logit_qre_agrees_with_pygambit():
    # pygambit's qre.logit_solve_lambda (agent form, values conditional on reaching the
    # information set) at λ = 0.5, 2, 5; stated tolerance 1e-8 on every action probability
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from record_pygambit_extensive import instances
    finally:
        sys.path.pop(0)
    games = dict(instances())
    data = json.loads(DATA.read_text())
    checked = 0
    for rec in data["instances"]:
        game = games[rec["name"]]
        path = agent_logit_path(game, max_lambda=max(p["lam"] for p in rec["logit_lambda"]))
        points = rec["logit_lambda"]
        for point, beh in zip(points, agent_logit_qre(game, [p["lam"] for p in points])):
            ours = np.concatenate([v for row in beh for v in row])
            np.testing.assert_allclose(ours, point["behaviour"], atol=1e-8, err_msg=rec["name"])
            checked += 1
        assert path.lambdas[-1] == pytest.approx(5.0)
    assert checked == 12
