"""The docs page's code blocks run; the docstring examples run; the figures are drawn."""

import doctest
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from jenga_games.errors import InvalidGameError
from jenga_games.games import cooperative
from jenga_games.games.cooperative import TUGame, core_contains, glove_game
from jenga_games.plot.cooperative import core_polygon, core_simplex, power_vs_weight
from jenga_games.plot.style import save

DOC = Path(__file__).parents[3] / "docs" / "games" / "cooperative.md"


def test_docs_code_blocks_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 8
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize("module", [cooperative._game, cooperative._power, cooperative._shapley])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_core_polygon_vertices_are_core_points():
    g = TUGame(3, [0, 0, 0, 4, 0, 5, 6, 12])
    poly = core_polygon(g)
    assert poly.shape[0] >= 3
    for x in poly:
        assert core_contains(g, x, tol=1e-9).in_core
    # majority game: empty core
    assert core_polygon(TUGame(3, [0, 0, 0, 1, 0, 1, 1, 1])).shape == (0, 3)
    # glove game: the core is the single point (1, 0, 0)
    assert np.allclose(core_polygon(glove_game([1, 0, 0], [0, 1, 1])), [1, 0, 0])


def test_figures_are_written(tmp_path):
    g = TUGame(3, [0, 0, 0, 4, 0, 5, 6, 12], players=["North", "South", "City"])
    fig, ax = core_simplex(g, title="core")
    assert len(ax.patches) == 1  # the core polygon
    assert [p.stat().st_size > 0 for p in save(fig, tmp_path / "core.png")] == [True]
    fig, ax = power_vs_weight([40, 25, 20, 10, 5], 51)
    assert len(ax.patches) == 15
    save(fig, tmp_path / "power.png")
    with pytest.raises(InvalidGameError, match="3-player"):
        core_simplex(TUGame(2, [0, 1, 1, 3]))
    with pytest.raises(InvalidGameError, match="essential"):
        core_simplex(TUGame(3, [0, 1, 1, 2, 1, 2, 2, 3]))
