"""Shared helpers for the commissioning tests."""

import matplotlib.pyplot as plt
import pytest


@pytest.fixture
def check_figure(tmp_path):
    """Save a figure with the house ``save`` and check a non-empty PNG was written."""
    from jenga_games.plot.style import save

    def check(fig, name="fig"):
        assert fig.axes, "the figure has no axes"
        assert any(ax.has_data() for ax in fig.axes), "no axes has anything drawn"
        (path,) = save(fig, tmp_path / name)
        assert path.exists() and path.stat().st_size > 5_000
        plt.close("all")
        return path

    return check
