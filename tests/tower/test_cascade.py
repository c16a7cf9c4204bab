"""The cascade engine against the plain reference, and its defining properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.testing.tower_strategies import removal_orders, towers
from jenga_games.tower import AllOf, AnyOf, AtLeast, Provider, Service, Tower
from jenga_games.tower._reference import reference_cascade
from jenga_games.tower.library import classic_jenga, layered_tower, random_tower


def _fractions(draw, tower):
    return {s: draw(st.sampled_from([0.0, 0.5, 1.0])) for s in tower.ids}


@settings(max_examples=400)
@given(st.data())
def test_engine_matches_reference(data):
    """The fast engine and the literal reference agree (removed, fell, failed providers)."""
    tower = data.draw(towers(max_services=7, grounded=None))
    x = _fractions(data.draw, tower)
    out = tower.cascade(x)
    removed, fell, failed = reference_cascade(tower, x)
    assert out.removed == removed
    assert set(out.fell) == fell
    assert set(out.failed_providers) == failed


@given(st.data())
def test_cascade_is_a_fixpoint(data):
    """Running the cascade again on what is left changes nothing."""
    tower = data.draw(towers(max_services=7, grounded=None))
    out = tower.cascade(data.draw(removal_orders(tower)))
    again = tower.cascade(out.gone)
    assert again.standing == out.standing


@given(st.data())
def test_play_and_cascade_agree_without_providers(data):
    """Without providers, play(order) and cascade(set(order)) take away the same services."""
    tower = data.draw(towers(max_services=8, providers=False, grounded=None))
    order = data.draw(removal_orders(tower))
    played, at_once = tower.play(order), tower.cascade(order)
    assert played.gone == at_once.gone
    skipped = {s.service for s in played.steps if s.skipped}
    assert set(played.fell) == set(at_once.fell) | skipped


@given(st.data())
def test_play_takes_at_least_cascade_on_monotone_towers(data):
    """With providers, falling before one's turn strands fixed cost: play ⊇ cascade, equal if no skips."""
    tower = data.draw(towers(max_services=7, monotone=True))
    order = data.draw(removal_orders(tower))
    played, at_once = tower.play(order), tower.cascade(order)
    assert played.gone >= at_once.gone
    if not any(s.skipped for s in played.steps):
        assert played.gone == at_once.gone


@given(st.data())
def test_removing_more_never_makes_less_fall_on_monotone_towers(data):
    tower = data.draw(towers(max_services=7, monotone=True, grounded=None))
    small = data.draw(removal_orders(tower))
    extra = data.draw(removal_orders(tower))
    big = set(small) | set(extra)
    assert tower.cascade(small).gone <= tower.cascade(big).gone


@given(towers(max_services=7, monotone=True))
def test_intact_valid_tower_with_viable_providers_stands(tower):
    report = tower.validate()
    if not report.unviable_providers and not report.unsatisfiable:
        assert not tower.cascade().fallen


@given(st.data())
def test_atleast_one_is_anyof_and_atleast_all_is_allof(data):
    base = data.draw(towers(max_services=6, providers=False, compound_rules=False))
    order = data.draw(removal_orders(base))

    def with_rule(make):
        services = [
            Service(s.id, support=make(len(base.supporters(s.id))), critical=s.critical)
            for s in base
        ]
        return Tower(services, base.supports)

    t_any, t_one = with_rule(lambda n: AnyOf()), with_rule(lambda n: AtLeast(min(1, n)))
    t_all, t_n = with_rule(lambda n: AllOf()), with_rule(lambda n: AtLeast(n))
    assert t_any.cascade(order).gone == t_one.cascade(order).gone
    assert t_all.cascade(order).gone == t_n.cascade(order).gone


def test_grounded_loop_falls_ungrounded_loop_stands():
    services = [Service("a"), Service("b")]
    loop = [("a", "b"), ("b", "a")]
    assert not Tower(services, loop).cascade().fallen
    assert set(Tower(services, loop, grounded=True).cascade().fell) == {"a", "b"}


def test_grounded_and_kcore_agree_on_acyclic_towers():
    for seed in range(5):
        t = layered_tower(levels=5, width=5, p=0.5, rule=AnyOf(), seed=seed)
        g = t.replace(grounded=True)
        rng = np.random.default_rng(seed)
        removed = list(rng.choice(list(t.ids), 6, replace=False))
        assert t.cascade(removed).gone == g.cascade(removed).gone


def test_money_moves_marginal_cost_only():
    """Moving half the activity out loses half the margin, but the fixed cost stays (DESIGN §1).

    Provider H: overhead 50, one service a=100, p=2, c=1, f=40 → intact margin 100-40 = 60 ≥ 50.
    At x = 0.5 the margin is 50 - 40 = 10 < 50: H fails although only half moved.
    Closing the service instead (x = 0) saves f: margin 0, also < 50, fails too.
    """
    t = Tower(
        [Service("ward", provider="H", activity=100, tariff=2, variable_cost=1, fixed_cost=40)],
        providers=[Provider("H", overhead=50)],
    )
    assert not t.cascade().collapsed
    half = t.cascade({"ward": 0.5})
    assert half.collapsed and half.failed_providers == ("H",)
    assert half.activity_moved == pytest.approx(50)
    assert half.activity_lost == pytest.approx(50)  # the other half fell with its provider


def test_provider_failure_topples_other_providers_dependants():
    t = Tower(
        [
            Service("lab", provider="A", activity=10, tariff=1, fixed_cost=5),
            Service("ae", provider="A", activity=10, tariff=1),
            Service("gp", provider="B", activity=1, tariff=1),
        ],
        [("lab", "gp")],
        [Provider("A", overhead=14), Provider("B")],
    )
    out = t.cascade({"ae"})
    assert out.failed_providers == ("A",)
    assert out.fell == ("lab", "gp")
    assert out.rounds == (("lab",), ("gp",))


def test_classic_jenga_row_rule():
    t = classic_jenga(levels=4)
    assert not t.cascade({"L1.0", "L1.2"}).fallen  # middle alone holds
    assert not t.cascade({"L1.1"}).fallen  # both sides hold
    out = t.cascade({"L1.1", "L1.2"})
    assert out.collapsed and set(out.fell) == {f"L{lv}.{j}" for lv in (2, 3) for j in range(3)}


@pytest.mark.parametrize("width", [1, 2, 4, 5])
def test_classic_jenga_other_widths_stand_intact(width):
    t = classic_jenga(levels=3, width=width)
    assert not t.cascade().fallen
    assert t.cascade([f"L0.{j}" for j in range(width)]).fell  # removing a whole row topples


def test_random_tower_kcore_matches_networkx_k_core():
    """With symmetric AtLeast(k) support and nothing removed, what stands is the k-core."""
    import networkx as nx

    t = random_tower(400, 4.0, AtLeast(3), seed=3)
    core = nx.k_core(nx.Graph(list(t.supports)), 3)
    assert t.cascade().standing == set(core.nodes)


def test_play_stops_and_reports_first_fall():
    t = classic_jenga(levels=3)
    out = t.play(["L0.0", "L0.1", "L1.1", "L0.2"], stop="fallen")
    assert out.first_fallen_step == 1 and len(out.steps) == 2
    assert out.steps[1].fell == ("L1.0", "L1.1", "L1.2", "L2.0", "L2.1", "L2.2")
