"""Gain-making: the co-design TU game, its shares and its core."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.commissioning import GainsParams, InvalidParameterError, gain_sharing, gains_game
from jenga_games.games.cooperative import core_contains, is_convex


def test_default_by_hand():
    """Demand 4,500 at a margin p − c = 0.09 (£k) is worth 405; the GP federation's fixed cost 250
    is cheaper than the community trust's 300, so v(N) = 405 − 250 = 155. Without a provider, or
    without demand, nothing is made; commissioner 1 alone with the federation: 0.09 × 2000 − 250 < 0.
    """
    r = gain_sharing()
    assert r.value == pytest.approx(155)
    g = r.game
    assert g.value(["commissioner1", "commissioner2", "commissioner3"]) == 0
    assert g.value(["provider1", "provider2"]) == 0
    assert g.value(["commissioner1", "provider2"]) == 0
    assert g.value(["commissioner1", "commissioner2", "provider2"]) == pytest.approx(
        0.09 * 3500 - 250
    )
    assert r.proportional[:3] == pytest.approx([155 * 2 / 4.5, 155 * 1.5 / 4.5, 155 / 4.5])


def test_capacity_makes_the_core_empty():
    """Three commissioners of one unit, two providers whose services each fit two units, p − c = 1,
    K = 1/2. Any pair of commissioners with a provider makes 2 − 1/2 = 3/2; the grand coalition
    makes max(3/2, 3 − 1) = 2. Summing the six constraints x_i + x_j + x_P >= 3/2 over the three
    pairs and two providers gives 4 x(C) + 3 x(P) >= 9 with x(C) + x(P) = 2, i.e. x(C) >= 3: empty.
    The least core must tax every coalition by ε > 0.
    """
    r = gain_sharing(
        GainsParams(demand=(1, 1, 1), fixed_cost=(0.5, 0.5), capacity=(2, 2), tariff=1, unit_cost=0)
    )
    assert r.value == pytest.approx(2)
    assert r.core_empty
    assert r.least_core_epsilon > 1e-6
    assert not any(r.in_core.values())


@settings(max_examples=30)
@given(
    demand=st.lists(st.floats(0, 3000), min_size=1, max_size=4),
    fixed=st.lists(st.floats(0, 500), min_size=1, max_size=2),
)
def test_without_capacity_one_provider_game_is_convex(demand, fixed):
    """With one provider and no capacity limit v(S) = max(0, (p − c) D(S) − K) for S containing the
    provider: a convex function of an additive one, so the game is convex and the Shapley value is
    in the (non-empty) core; every share vector is efficient."""
    prm = GainsParams(demand=tuple(demand), fixed_cost=(fixed[0],))
    r = gain_sharing(prm)
    assert is_convex(r.game)
    assert not r.core_empty and r.in_core["shapley"] and r.in_core["nucleolus"]
    for x in (r.shapley, r.nucleolus, r.proportional):
        assert x.sum() == pytest.approx(r.value, abs=1e-6)


@settings(max_examples=30)
@given(
    demand=st.lists(st.floats(1, 3000), min_size=2, max_size=3),
    fixed=st.lists(st.floats(0, 500), min_size=1, max_size=3),
    cap=st.floats(100, 5000),
)
def test_nucleolus_in_core_whenever_core_non_empty(demand, fixed, cap):
    prm = GainsParams(demand=tuple(demand), fixed_cost=tuple(fixed), capacity=(cap,) * len(fixed))
    r = gain_sharing(prm)
    if not r.core_empty:
        assert core_contains(r.game, r.nucleolus).in_core
    else:
        assert r.least_core_epsilon > 0


def test_labels_and_game_order():
    g = gains_game(GainsParams(commissioners=("A", "B", "C"), providers=("T", "F")))
    assert g.players == ("A", "B", "C", "T", "F")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"demand": (100, -1)}, r"demand\[1\] must be >= 0"),
        ({"demand": ()}, "empty"),
        ({"fixed_cost": ()}, "empty"),
        ({"capacity": (1, 2, 3)}, "one capacity per provider"),
        ({"tariff": -0.1}, "tariff must be >= 0"),
        ({"commissioners": ("A",)}, "one label"),
        ({"commissioners": ("A", "B", "x"), "providers": ("x", "y")}, "distinct"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        GainsParams(**kwargs)


def test_figure(check_figure):
    from jenga_games.plot.commissioning import plot_gains

    check_figure(plot_gains(), "gains")
