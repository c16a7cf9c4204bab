"""Collapse points and curves: the incremental engines against from-scratch cascades."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidTowerError, JengaError, TooLargeError, UnknownItemError
from jenga_games.testing.tower_strategies import removal_orders, towers
from jenga_games.tower import AtLeast
from jenga_games.tower.library import classic_jenga, local_health_economy, random_tower
from jenga_games.tower.thresholds import collapse_curve, collapse_point
from jenga_games.tower.thresholds._orders import make_orders, run_orders


def _play_curve(tower, order):
    """From scratch: Tower.play of every prefix."""
    rows = [tower.play(order[:k]) for k in range(len(order) + 1)]
    return (
        np.array([o.fallen for o in rows]),
        np.array([o.collapsed for o in rows]),
        np.array([o.surviving_spend for o in rows]),
    )


def _provided(out, measure):
    """What a curve of ``measure`` counts as still provided after ``out`` (no fractions)."""
    return out.surviving_spend if measure == "spend" else float(len(out.standing))


@settings(max_examples=60)
@given(st.data())
def test_engines_equal_play_of_every_prefix(data):
    """Batch, scalar and full engines give, step by step, what Tower.play of each prefix gives."""
    tower = data.draw(towers(max_services=7, grounded=None))
    orders = [data.draw(st.permutations(list(tower.ids))) for _ in range(3)]
    idx = np.array([[tower.index[s] for s in o] for o in orders])
    engines = ["full"] if tower.grounded else ["batch", "scalar", "full"]
    for engine in engines:
        fallen, collapsed, surviving = run_orders(tower, idx, engine)
        for s, order in enumerate(orders):
            f, c, a = _play_curve(tower, order)
            assert np.array_equal(fallen[s], f), engine
            assert np.array_equal(collapsed[s], c), engine
            assert np.allclose(surviving[s], a), engine


@settings(max_examples=50)
@given(st.data())
def test_curve_equals_repeated_full_cascades_on_monotone_towers(data):
    """Incremental curves equal tower.cascade(what was removed so far) at every step."""
    tower = data.draw(towers(max_services=7, monotone=True))
    seed = data.draw(st.integers(0, 2**16))
    curve = collapse_curve(tower, samples=4, seed=seed)
    fallen, collapsed, surviving = run_orders(tower, curve.orders, "batch")
    for s in range(4):
        order = curve.order_ids(s)
        removed = []
        played = tower.play(order)
        for k in range(len(order) + 1):
            if k:
                step = played.steps[k - 1]
                if not step.skipped:
                    removed.append(step.service)
            out = tower.cascade(removed)
            assert fallen[s, k] == out.fallen
            assert collapsed[s, k] == out.collapsed
            assert surviving[s, k] == pytest.approx(out.surviving_spend)
        assert curve.fallen_at[s] == (-1 if not fallen[s].any() else int(np.argmax(fallen[s])))


def test_random_tower_batch_equals_scalar_equals_cascades():
    """A 300-service k-core tower: 20 orders, batch vs scalar engine vs cascades at sampled steps."""
    tower = random_tower(300, 5, AtLeast(3), seed=3)
    orders = make_orders(tower, np.arange(300), 20, "random", np.random.default_rng(1))
    b = run_orders(tower, orders, "batch")
    s = run_orders(tower, orders, "scalar")
    for x, y in zip(b, s):
        assert np.array_equal(x, y)
    for k in (0, 40, 90, 150, 300):
        out = tower.cascade(tower.ids[i] for i in orders[5, :k])
        assert b[2][5, k] == pytest.approx(out.surviving_spend)


@given(st.data())
def test_collapse_point_matches_play(data):
    tower = data.draw(towers(max_services=7, grounded=None))
    order = data.draw(removal_orders(tower))
    cp = collapse_point(tower, order)
    played = tower.play(order)
    intact = tower.cascade()
    exp_f = (
        0
        if intact.fallen
        else (None if played.first_fallen_step is None else played.first_fallen_step + 1)
    )
    exp_c = (
        0
        if intact.collapsed
        else (None if played.first_collapsed_step is None else played.first_collapsed_step + 1)
    )
    assert cp.fallen_at == exp_f
    assert cp.collapsed_at == exp_c
    if exp_f not in (None, 0):
        assert set(cp.fell_first) == set(played.steps[exp_f - 1].fell)
    assert cp.surviving[-1] == pytest.approx(_provided(played, cp.measure))


@given(st.data())
def test_collapse_point_is_consistent_along_prefixes(data):
    """The collapse point of a prefix is the order's, when it lies within the prefix (none before)."""
    tower = data.draw(towers(max_services=7, monotone=True))
    order = data.draw(removal_orders(tower))
    full = collapse_point(tower, order)
    for j in range(len(order) + 1):
        part = collapse_point(tower, order[:j])
        for a, b in ((part.fallen_at, full.fallen_at), (part.collapsed_at, full.collapsed_at)):
            assert a == (b if b is not None and b <= j else None)
        assert np.allclose(part.surviving, full.surviving[: j + 1])


@given(st.data())
def test_play_state_is_monotone_in_the_prefix_on_monotone_towers(data):
    """On monotone towers what is gone after k steps grows with k, and never shrinks the cascade's."""
    tower = data.draw(towers(max_services=7, monotone=True))
    order = data.draw(removal_orders(tower))
    prev = frozenset()
    for k in range(len(order) + 1):
        gone = tower.play(order[:k]).gone
        assert gone >= prev
        assert gone >= tower.cascade(order[:k]).gone
        prev = gone


def test_curve_reproducible_and_seed_sensitive():
    tower = classic_jenga(8)
    a = collapse_curve(tower, samples=50, seed=7)
    b = collapse_curve(tower, samples=50, seed=7)
    c = collapse_curve(tower, samples=50, seed=8)
    assert np.array_equal(a.orders, b.orders) and np.array_equal(a.p_fallen, b.p_fallen)
    assert not np.array_equal(a.orders, c.orders)
    assert a.to_dict()["samples"] == 50
    frame = a.to_frame()
    assert list(frame["k"]) == list(range(len(tower) + 1))
    assert (frame["p_fallen_low"] <= frame["p_fallen"]).all()
    assert (frame["p_fallen"] <= frame["p_fallen_high"]).all()


def test_curve_properties_classic_jenga():
    """Classic Jenga: nothing falls at step 1; everything is gone at the end; P is cumulative."""
    tower = classic_jenga(6)
    c = collapse_curve(tower, samples=200, seed=0)
    assert c.p_fallen[1] == 0.0
    assert c.p_fallen[-1] == 1.0 and c.mean_surviving[-1] == 0.0
    assert np.all(np.diff(c.p_fallen) >= 0)
    assert c.critical_fraction_fallen is not None and 0 < c.critical_fraction_fallen < 1
    i = np.searchsorted(c.fraction, c.critical_fraction_fallen)
    assert c.p_fallen[i - 1] < 0.5 <= c.p_fallen[i]


def test_deterministic_orders():
    tower = local_health_economy()
    size = collapse_curve(tower, samples=3, order="size", seed=0)
    assert size.measure == "spend"  # the worked economy counts many units: money ranks them
    spend = [tower.service(s).activity * tower.service(s).tariff for s in size.order_ids(0)]
    assert spend == sorted(spend, reverse=True)
    deg = collapse_curve(tower, samples=2, order="degree", seed=0)
    degs = [len(tower.dependants(s)) for s in deg.order_ids(1)]
    assert degs == sorted(degs, reverse=True)
    gain = collapse_curve(tower, samples=2, order="gain", seed=0, gains={"pathology": 1e9})
    assert gain.order_ids(0)[0] == "pathology"
    custom = collapse_curve(
        tower, samples=2, order=lambda t, rng: ["dermatology", "pathology"], seed=0
    )
    assert custom.order_ids(0) == ("dermatology", "pathology")
    assert custom.fallen_at[0] == 2


def test_grounded_towers_use_the_full_engine():
    from jenga_games.tower import AnyOf, Service, Tower

    t = Tower(
        [Service("g"), Service("a", support=AnyOf()), Service("b", support=AnyOf())],
        [("g", "a"), ("a", "b"), ("b", "a")],
        grounded=True,
    )
    c = collapse_curve(t, samples=5, seed=1)
    cp = collapse_point(t, ["g"])
    assert cp.fallen_at == 1 and set(cp.fell_first) == {"a", "b"}
    assert c.p_fallen[-1] == 1.0 or c.p_fallen[-1] >= 0


def test_errors():
    tower = classic_jenga(3)
    with pytest.raises(UnknownItemError, match="unknown service"):
        collapse_point(tower, ["nope"])
    with pytest.raises(InvalidTowerError, match="more than once"):
        collapse_point(tower, ["L0.0", "L0.0"])
    with pytest.raises(InvalidTowerError, match="string"):
        collapse_point(tower, "L0.0")
    with pytest.raises(InvalidTowerError, match="samples"):
        collapse_curve(tower, samples=0)
    with pytest.raises(InvalidTowerError, match="order must be one of"):
        collapse_curve(tower, order="biggest")
    with pytest.raises(InvalidTowerError, match="not eligible"):
        collapse_curve(tower, eligible=["L0.0"], order=lambda t, r: ["L0.1"])
    with pytest.raises(JengaError, match="Tower"):
        collapse_curve("tower")
    with pytest.raises(TooLargeError, match="fewer samples"):
        collapse_curve(tower, samples=10**8)


def test_cascade_state_copy_is_independent():
    from jenga_games.tower.engine import CascadeState

    tower = local_health_economy()
    st = CascadeState(tower.compiled)
    st.settle()
    twin = st.copy()
    rounds = twin.apply(np.array([tower.index["pathology"]]))
    assert rounds and st.alive.all() and not st.failed.any()
    assert not np.shares_memory(st.count, twin.count)
    again = st.copy()
    assert [r.tolist() for r in again.apply(np.array([tower.index["pathology"]]))] == [
        r.tolist() for r in rounds
    ]
