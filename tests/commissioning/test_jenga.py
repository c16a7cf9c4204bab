"""Jenga commissioning: a hand-solved tower, cross-checks with the sequential and safe-set solvers."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.commissioning import (
    InvalidParameterError,
    JengaParams,
    commissioning_game,
    jenga_commissioning,
)
from jenga_games.commissioning.jenga import merged_game
from jenga_games.tower import AnyOf, Service, Tower


def _roof_tower() -> Tower:
    """Ground G holds X and Y; the roof Z (critical) stands while X or Y stands.

    Each of X, Y has a = 1, p = 2: with r = 0.5 moving it gains its commissioner 1.
    """
    return Tower(
        [
            Service("G"),
            Service("X", activity=1, tariff=2),
            Service("Y", activity=1, tariff=2),
            Service("Z", support=AnyOf(), critical=True),
        ],
        [("G", "X"), ("G", "Y"), ("X", "Z"), ("Y", "Z")],
    )


ELIG = {"A": ("X",), "B": ("Y",)}
GRID = dict(collapse_grid=[0.0, 0.5, 1.0], discount_grid=[0.5, 1.0], funding_grid=[0.0, 1.0])


def test_roof_tower_by_hand():
    """C = 0.4, K = 0.4, A moves first. Whoever moves second topples the roof: 1 − C − K = 0.2 > 0
    (passing gives 0), so competitive play moves both and the tower falls; A moving first gets
    1 − K = 0.6, B gets 0.2 (A prefers moving to passing, which would let B take Y and then A
    topple for 0.2). Myopic: the same. Cooperative: one block (1) beats both (2 − C − 2K = 0.8).
    γ-game: v(A) = 0.6, v(B) = 0.2, v(AB) = 1, so Shapley = nucleolus = (0.7, 0.3).
    B stops toppling when 1 − C − K <= 0: the collapse threshold is C = 0.6. The roof has no
    provider, so transitional funding cannot help (no switch on the funding grid).
    """
    r = jenga_commissioning(
        _roof_tower(),
        JengaParams(eligible=ELIG, collapse_cost=0.4, shared_collapse_cost=0.4),
        tol=1e-6,
        **GRID,
    )
    assert list(r.table["fell"]) == [True, True, False]
    assert r.table.loc["competitive", "value_created"] == pytest.approx(0.8)
    assert r.table.loc["cooperative", "value_created"] == pytest.approx(1.0)
    assert r.shares["competitive"].tolist() == pytest.approx([0.6, 0.2])
    assert r.coalition_game.values.tolist() == pytest.approx([0, 0.6, 0.2, 1.0])
    assert r.shares["shapley"].tolist() == pytest.approx([0.7, 0.3])
    assert r.shares["nucleolus"].tolist() == pytest.approx([0.7, 0.3])
    assert r.shares["safe_alone"].tolist() == pytest.approx([1.0, 1.0])  # safe alone, not together
    assert r.collapse_threshold == pytest.approx(0.6, abs=1e-5)
    assert r.switches["collapse_cost"][0][1] == "stops falling"
    assert r.funding_threshold is None
    assert r.prices.price_of_anarchy == pytest.approx(1.0 / 0.8)


@settings(max_examples=20)
@given(C=st.floats(0, 3), K=st.floats(0, 1.5), delta=st.floats(0.3, 1.0))
def test_grand_coalition_value_is_the_cooperative_optimum(C, K, delta):
    """v(N) from the merged one-player game equals JengaGame.cooperative(), which is at least the
    competitive total (price of anarchy >= 1), on the roof tower."""
    prm = JengaParams(eligible=ELIG, collapse_cost=C, shared_collapse_cost=K, discount=delta)
    t = _roof_tower()
    game = commissioning_game(t, prm)
    coop = game.cooperative().total
    assert merged_game(t, prm, ["A", "B"]).solve().total == pytest.approx(coop)
    assert coop >= game.solve().total - 1e-9


def test_worked_economy_story():
    """On the worked economy with defaults (C = 2.5, K = 1): competitive play topples the tower and
    the acute trust, cooperative play moves as much (7 blocks) with nothing falling, the acute trust
    bears most of the loss, and Shapley shares of v(N) beat each commissioner's competitive payoff."""
    r = jenga_commissioning(collapse_grid=[0, 5], discount_grid=[0.5, 1.0], funding_grid=[0, 5])
    assert list(r.table["fell"]) == [False, True, False]
    assert r.table.loc["cooperative", "value_lost"] == 0
    lost = r.loss_by_provider.loc["competitive"]
    assert lost.idxmax() == "acute_trust"
    assert (r.shares["shapley"] >= r.shares["competitive"] - 1e-9).all()
    assert r.shares["shapley"].sum() == pytest.approx(r.table.loc["cooperative", "value_created"])
    assert r.prices.price_of_anarchy > 1
    assert 2.5 < r.collapse_threshold < 5
    assert r.funding_threshold is not None and 0 < r.funding_threshold <= 5


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"eligible": {}}, "eligible is empty"),
        ({"eligible": {"A": []}}, "non-empty"),
        ({"eligible": {"A": "X"}}, "non-empty collection"),
        ({"collapse_cost": -1}, "collapse_cost must be >= 0"),
        ({"discount": 0}, r"probability in \(0, 1\]"),
        ({"reprovision_share": -1}, "reprovision_share must be >= 0"),  # r > 1 is allowed
        ({"fall_criterion": "wobbly"}, "fall_criterion"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        JengaParams(**kwargs)


def test_unknown_block():
    with pytest.raises(InvalidParameterError, match="not a service of the tower"):
        commissioning_game(_roof_tower(), JengaParams(eligible={"A": ["W"]}))


def test_figure(check_figure):
    from jenga_games.plot.commissioning import plot_jenga

    r = jenga_commissioning(
        _roof_tower(),
        JengaParams(eligible=ELIG, collapse_cost=0.4, shared_collapse_cost=0.4),
        **GRID,
    )
    check_figure(plot_jenga(r), "jenga")


@settings(max_examples=15)
@given(K=st.floats(0.0, 0.9))
def test_roof_collapse_threshold_is_one_minus_k(K):
    """On the roof tower the second mover topples iff its gain 1 exceeds C + K: the competitive
    game stops toppling at C = 1 − K (found by bisection to 1e-4)."""
    r = jenga_commissioning(
        _roof_tower(),
        JengaParams(eligible=ELIG, collapse_cost=0.0, shared_collapse_cost=K),
        collapse_grid=[0.0, 1.5],
        discount_grid=[1.0],
        funding_grid=[0.0],
        tol=1e-4,
    )
    assert r.switches["collapse_cost"] == ((pytest.approx(1 - K, abs=2e-4), "stops falling"),)


@pytest.mark.slow
def test_worked_economy_documented_thresholds():
    """The numbers quoted in docs/commissioning/jenga.md, on the default grids."""
    r = jenga_commissioning()
    assert r.collapse_threshold == pytest.approx(2.75, abs=0.01)
    assert r.funding_threshold == pytest.approx(0.1, abs=0.02)
    assert r.switches["discount"][-1][1] == "starts falling"
    assert r.switches["discount"][-1][0] == pytest.approx(0.68, abs=0.01)
    assert r.loss_by_provider.loc["competitive", "acute_trust"] == pytest.approx(116.64, abs=0.01)


def test_collapse_costs_scale_to_the_tower_and_the_report_says_so(tmp_path, capsys):
    from jenga_games.cli import main
    from jenga_games.commissioning.jenga import collapse_costs_for
    from jenga_games.tower import Provider, Service, Tower
    from jenga_games.tower.economy import local_health_economy

    worked = local_health_economy()
    c = collapse_costs_for(worked)
    assert (c.collapse_cost, c.shared_collapse_cost) == pytest.approx((2.5, 1.0))
    assert c.basis == "scaled"
    t = Tower(
        [
            Service("a", provider="h", activity=10, tariff=2, variable_cost=0.5),
            Service("b", provider="h", activity=5, tariff=4, variable_cost=1),
        ],
        providers=[Provider("h", overhead=1, reserves=5)],
    )
    s = collapse_costs_for(t)  # spend 40: 40/314.29 of the worked economy's
    assert s.spend == pytest.approx(40.0)
    assert s.collapse_cost == pytest.approx(2.5 * 40 / 314.29)
    assert s.shared_collapse_cost == pytest.approx(40 / 314.29)
    g = collapse_costs_for(t, 3.0, 0.5)
    assert (g.collapse_cost, g.shared_collapse_cost, g.basis) == (3.0, 0.5, "given")
    assert collapse_costs_for(t, 3.0).basis == "partly scaled"
    path = tmp_path / "t.json"
    t.to_json(path)
    assert main(["analyse", str(path), "--player", "X=a", "--player", "Y=b"]) == 0
    out = capsys.readouterr().out
    assert "collapse costs: C = 0.318" in out and "scaled to this tower's annual spend" in out
