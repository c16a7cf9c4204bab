"""Trust: the trust-eroding strategy and engagement after dashed expectations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.games.repeated import (
    Profile,
    always_defect,
    cooperation_path,
    engagement_after_betrayals,
    grim_trigger,
    is_subgame_perfect,
    prisoners_dilemma,
    scripted,
    simulate,
    tit_for_tat,
    trust_eroding,
)

PD = prisoners_dilemma(5, 3, 1, 0)


def test_trust_falls_with_betrayal_and_recovers_slowly():
    # one dash at round 2, then cooperation: trust 4 -> 2 (still cooperating), back to 3 after 3 rounds
    m = simulate(Profile(PD, [trust_eroding(), scripted(["C", "D"], "C")]), turns=10)
    assert "".join(a for a, _ in m.actions()) == "CCCCCCCCCC"
    # two quick dashes: trust 4 -> 2 -> 0; the ceiling is now 2, reached after 6 cooperative rounds
    m = simulate(Profile(PD, [trust_eroding(), scripted(["D", "D"], "C")]), turns=12)
    assert "".join(a for a, _ in m.actions()) == "CC" + "D" * 6 + "CCCC"
    # against a defector it disengages for good
    m = simulate(Profile(PD, [trust_eroding(), always_defect()]), turns=30)
    assert m.cooperation("C")[0] == pytest.approx(2 / 30)


@settings(max_examples=20)
@given(st.integers(1, 5), st.integers(0, 2), st.integers(1, 3), st.integers(0, 2), st.booleans())
def test_engagement_never_rises_with_more_dashes(levels, drop, recovery, scar, mixed):
    strat = trust_eroding(
        levels=levels,
        threshold=min(2, levels),
        drop=drop,
        recovery=recovery,
        scar=scar,
        mixed=mixed,
    )
    e = engagement_after_betrayals(k_max=4, build_up=4, horizon=20, strategy=strat)
    eng = e.table["engagement"].to_numpy()
    assert np.all(np.diff(eng) <= 1e-12)
    assert 0.0 <= eng.min() and eng.max() <= 1.0


def test_scar_makes_dashed_expectations_lasting_but_tft_forgives():
    e = engagement_after_betrayals(k_max=5, strategy=trust_eroding(mixed=True))
    assert e.table["final"].iloc[0] == 1.0 and e.table["final"].iloc[-1] < 0.5
    healed = engagement_after_betrayals(k_max=5, horizon=60, strategy=trust_eroding(scar=0))
    assert np.all(healed.table["final"] == 1.0)
    tft = engagement_after_betrayals(k_max=5, strategy=tit_for_tat())
    assert np.all(tft.table["final"] == 1.0) and np.all(tft.table["rounds_to_reengage"] <= 1)
    grim = engagement_after_betrayals(k_max=2, strategy=grim_trigger())
    assert grim.table["engagement"].tolist() == [1.0, 0.0, 0.0]


def test_cooperation_path_matches_monte_carlo_for_mixed_trust():
    prof = Profile(PD, [trust_eroding(mixed=True), scripted(["C", "D", "C", "D", "D"], "C")])
    exact = cooperation_path(prof, 25)
    m = simulate(prof, turns=25, repetitions=6000, seed=11)
    freq = (m.moves[..., 0] == 0).mean(axis=0)
    se = np.sqrt(exact[:, 0] * (1 - exact[:, 0]) / 6000) + 1e-12
    assert np.all(np.abs(freq - exact[:, 0]) <= 5 * se + 1e-9)


def test_trust_is_not_an_equilibrium_against_itself_in_the_pd():
    # forgiving trust invites exploitation: a one-shot defection pays at δ = 0.9
    assert not is_subgame_perfect(Profile(PD, [trust_eroding()] * 2), 0.9)
