"""Figures draw what they are given; results serialise to plain data."""

from __future__ import annotations

import json

import numpy as np

from jenga_games.games.repeated import (
    Profile,
    classic_strategies,
    discounted_payoffs,
    engagement_after_betrayals,
    equilibrium_payoffs,
    folk_region,
    one_shot_deviations,
    prisoners_dilemma,
    replicator_dynamics,
    simulate,
    tit_for_tat,
    tournament,
)
from jenga_games.plot.repeated import (
    plot_engagement,
    plot_folk_region,
    plot_shares,
    plot_tournament,
)
from jenga_games.plot.style import save

PD = prisoners_dilemma(5, 3, 1, 0)


def test_figures(tmp_path):
    region = folk_region(PD)
    eq = equilibrium_payoffs(PD, 0.9, hull_normals=True)
    fig = plot_folk_region(region, eq, points={"x": (3, 3)})
    ax = fig.axes[0]
    line = next(ln for ln in ax.lines if ln.get_label().startswith("equilibria"))
    assert np.allclose(np.asarray(line.get_xydata())[:-1], eq.vertices)
    t = tournament(PD, classic_strategies()[:4], turns=20, repetitions=2, seed=0)
    e = engagement_after_betrayals(k_max=2)
    shares = replicator_dynamics(t.payoff_matrix, [0.25] * 4, t_max=5)
    for f, name in (
        (fig, "folk"),
        (plot_tournament(t), "t"),
        (plot_engagement(e), "e"),
        (plot_shares(shares), "s"),
    ):
        (path,) = save(f, tmp_path / name)
        assert path.stat().st_size > 5000
    assert len(plot_engagement(e).axes[0].lines) >= 3


def test_results_to_plain_json():
    prof = Profile(PD, [tit_for_tat(), tit_for_tat()])
    objs = [
        discounted_payoffs(prof, 0.9),
        discounted_payoffs(prof),
        one_shot_deviations(prof, 0.9),
        simulate(prof, turns=5),
        folk_region(PD),
        equilibrium_payoffs(PD, 0.8),
        tournament(PD, classic_strategies()[:3], turns=5, repetitions=1),
        engagement_after_betrayals(k_max=1),
    ]
    for r in objs:
        json.dumps(r.to_dict())
