"""The hidden-information figures show what the models compute."""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import numpy as np

from jenga_games.commissioning.reputation import ReputationParams, reputation
from jenga_games.commissioning.signalling import SignallingParams, separating_condition
from jenga_games.plot.hidden_information import (
    _signalling_kind,
    plot_reputation,
    plot_signalling_regions,
)


def test_signalling_regions_follow_the_enumeration_and_the_formula():
    prm = SignallingParams()
    fig = plot_signalling_regions(prm, n=4)
    kinds = np.asarray(fig.axes[0].collections[0].get_array()).reshape(4, 4)
    costs = np.array([0.25, 0.75, 1.25, 1.75])  # cell centres of [0, 2 V]
    priors = np.array([0.125, 0.375, 0.625, 0.875])
    for a, p in enumerate(priors):
        for b, c in enumerate(costs):
            q = dataclasses.replace(prm, warn_cost_robust=float(c), prior_fragile=float(p))
            assert (kinds[a, b] == 0) == separating_condition(q)
            if kinds[a, b] != 0:  # pooling: the commissioner moves iff (1 - p) G >= p L
                moves = (1 - p) * prm.gain_move >= p * prm.collapse_loss
                assert kinds[a, b] == (1 if moves else 2) == _signalling_kind(q)
    plt.close(fig)


def test_reputation_figure_counts_the_uncontested_contracts():
    prm = ReputationParams(n_contracts=8, prior_tough=0.1, entrant_gain=0.5)
    eps = [0.01, 0.1, 0.4]
    fig = plot_reputation(prm, priors=eps, gains=(0.5,))
    steps = fig.axes[1].lines[0].get_ydata()
    want = [reputation(dataclasses.replace(prm, prior_tough=e)).uncontested for e in eps]
    assert list(steps[: len(eps)]) == want
    assert fig.axes[0].get_ylabel() == "probability"
    plt.close(fig)
