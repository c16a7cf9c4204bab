"""Drawing towers: layers, markings, panels, errors (figures rendered to PNG for real)."""

import matplotlib.patches as mpatches
import networkx as nx
import pytest
from hypothesis import given, settings

from jenga_games.errors import TooLargeError
from jenga_games.plot.style import save
from jenga_games.plot.tower import (
    draw_cascade,
    draw_dependencies,
    draw_tower,
    provider_colours,
    tower_layers,
)
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import Service, Tower
from jenga_games.tower.economy import local_health_economy
from jenga_games.tower.library import classic_jenga, random_tower


@pytest.fixture(scope="module")
def economy():
    return local_health_economy()


def _blocks(ax):
    return [p for p in ax.patches if isinstance(p, mpatches.FancyBboxPatch)]


@settings(max_examples=40)
@given(towers(max_services=8))
def test_computed_layers_put_supporters_below_dependants(tower):
    """Without layer attributes: supporters are strictly lower, except inside a cycle (same row)."""
    layers = tower_layers(tower)
    comp = {s: i for i, c in enumerate(nx.strongly_connected_components(tower.graph)) for s in c}
    for u, v in tower.supports:
        if comp[u] == comp[v]:
            assert layers[u] == layers[v]
        else:
            assert layers[u] < layers[v]
    assert min(layers.values()) == 0


def test_layer_attribute_wins(economy):
    assert tower_layers(economy) == {s.id: s.layer for s in economy}


def test_draw_tower_one_block_per_service_and_markings(economy, tmp_path):
    out = economy.cascade(["community_nursing", "intermediate_care"])
    ax = draw_tower(economy, out)
    blocks = _blocks(ax)
    assert len(blocks) == len(economy)
    hatched = [p for p in blocks if p.get_hatch()]
    assert len(hatched) == len(out.removed) == 2
    faded = [p for p in blocks if p.get_alpha() is not None and p.get_alpha() < 1]
    assert len(faded) == len(out.fell)
    texts = {t.get_text().replace("\n", " ") for t in ax.texts}
    assert "A&E" in texts and "Community nursing" in texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Acute trust (failed)" in legend and "fell (unplanned)" in legend
    assert "collapsed" in ax.get_title()
    png = save(ax.figure, tmp_path / "tower.png")[0]
    assert png.stat().st_size > 10_000


def test_provider_colours_are_distinct_and_avoid_the_fall_colour(economy):
    colours = provider_colours(economy)
    assert len(set(colours.values())) == len(economy.providers)
    assert "#D55E00" not in colours.values()


def test_draw_dependencies_marks_alternatives(economy, tmp_path):
    ax = draw_dependencies(economy, economy.cascade(["endoscopy"]))
    arrows = [p for p in ax.patches if isinstance(p, mpatches.FancyArrowPatch)]
    assert len(arrows) == len(economy.supports)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "needs some supporters" in legend
    dashed = [a for a in arrows if a.get_linestyle() not in ("-", "solid")]
    # dashed arrows go into services whose rule tolerates losing a supporter
    n_alternative = sum(
        len(economy.supporters(s))
        for s in ("acute_medicine", "maternity", "minor_injuries", "crisis_team")
    )
    assert len(dashed) == n_alternative
    save(ax.figure, tmp_path / "deps.png")


def test_draw_cascade_one_panel_per_round(economy, tmp_path):
    out = economy.cascade(["community_nursing", "intermediate_care"])
    fig = draw_cascade(economy, out)
    drawn = [ax for ax in fig.axes if _blocks(ax)]
    assert len(drawn) == 1 + len(out.rounds)
    assert drawn[1].get_title().startswith("round 1")
    assert "Acute trust fails" in " ".join(ax.get_title() for ax in drawn)
    save(fig, tmp_path / "cascade.png")


def test_draw_cascade_caps_the_panels():
    t = classic_jenga(12)
    chain = Tower([Service(i) for i in range(12)], [(i, i + 1) for i in range(11)])
    out = chain.cascade([0])
    assert len(out.rounds) == 11
    fig = draw_cascade(chain, out, max_panels=5)
    assert len([ax for ax in fig.axes if _blocks(ax)]) == 5
    assert draw_tower(t).get_title().endswith("intact")


def test_too_large_and_bad_input():
    big = random_tower(1000, 2.0, seed=0)
    with pytest.raises(TooLargeError, match="too large to draw"):
        draw_tower(big)
    with pytest.raises(ValueError, match="Outcome"):
        draw_cascade(classic_jenga(3), None)


def test_wide_rows_are_split_and_cycles_drawn(tmp_path):
    from jenga_games.plot.tower import MAX_ROW, _rows
    from jenga_games.tower import AtLeast

    t = random_tower(60, 4.0, AtLeast(3), seed=2)  # one big cycle: one condensation layer
    rows = _rows(t)
    assert max(len(r) for r in rows) <= MAX_ROW and sum(len(r) for r in rows) == len(t)
    ax = draw_tower(t, t.cascade(list(range(8))))
    assert len(_blocks(ax)) == len(t)
    save(ax.figure, tmp_path / "random.png")
