"""The collapse-curve figure draws the curve it is given (lines carry the result's numbers)."""

import numpy as np
import pytest

from jenga_games.errors import JengaError
from jenga_games.plot.style import save
from jenga_games.plot.thresholds import collapse_curve as plot_curve
from jenga_games.tower.library import classic_jenga
from jenga_games.tower.thresholds import collapse_curve, kcore_curve


def test_collapse_curve_figure(tmp_path):
    c = collapse_curve(classic_jenga(5), samples=60, seed=2)
    fig = plot_curve(c, theory=kcore_curve(2, 3.0))
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert np.allclose(lines["P(fallen)"].get_ydata(), c.p_fallen)
    # classic Jenga has no tariffs: the curve counts services standing, and says so
    assert c.measure == "services"
    assert np.allclose(lines["mean share of services standing"].get_ydata(), c.mean_surviving)
    assert "services" in ax.get_ylabel()
    assert "theory (k=2)" in lines
    assert len(ax.collections) >= 4  # the bands
    paths = save(fig, tmp_path / "curve")
    assert paths[0].stat().st_size > 10_000
    with pytest.raises(JengaError, match="CollapseCurve"):
        plot_curve(object())
