"""NTU bargaining solutions: analytic cases and the axioms as properties (issue #15 item 3)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError
from jenga_games.games.bargaining import (
    BargainingProblem,
    egalitarian,
    funded_tower,
    funding_recipients,
    kalai_smorodinsky,
    nash,
    price_activity_bargain,
    transitional_funding,
)

GOLDEN_SQ = ((math.sqrt(5) - 1) / 2) ** 2


def sqrt_problem():
    return BargainingProblem(frontier=(math.sqrt, lambda x: 1 - x))


def test_analytic_sqrt_x_against_one_minus_x():
    p = sqrt_problem()
    assert nash(p).x == pytest.approx(1 / 3, abs=1e-10)
    assert kalai_smorodinsky(p).x == pytest.approx(GOLDEN_SQ, abs=1e-10)
    assert egalitarian(p).x == pytest.approx(GOLDEN_SQ, abs=1e-10)  # ideal point (1, 1)
    assert kalai_smorodinsky(p).ideal == pytest.approx((1.0, 1.0))
    # asymmetric Nash: α log √x + (1 − α) log(1 − x) is maximal at x = α / (2 − α)
    for a in (0.1, 0.3, 0.7, 0.9):
        assert nash(p, weights=[a, 1 - a]).x == pytest.approx(a / (2 - a), abs=1e-9)


def test_points_and_frontier_agree_on_a_sampled_frontier():
    xs = np.linspace(0, 1, 2001)
    pts = np.column_stack([np.sqrt(xs), 1 - xs])
    p = BargainingProblem(pts)
    assert nash(p).utilities[0] == pytest.approx(math.sqrt(1 / 3), abs=1e-4)
    assert kalai_smorodinsky(p).utilities[0] == pytest.approx(math.sqrt(GOLDEN_SQ), abs=1e-4)


point_sets = st.integers(2, 3).flatmap(
    lambda n: st.lists(
        st.lists(st.floats(0, 10, allow_nan=False), min_size=n, max_size=n),
        min_size=2,
        max_size=6,
    )
)


def _pareto_slack(problem, u):
    t, _ = problem._lp_max_t(np.ones(problem.n), np.asarray(u))
    return t


@settings(max_examples=25, deadline=None)
@given(point_sets, st.data())
def test_affine_invariance_and_pareto(points, data):
    P = np.array(points) + np.eye(len(points[0]))[0]  # someone can gain
    P = np.vstack([P, np.full(P.shape[1], 1.0)])
    prob = BargainingProblem(P)
    n = prob.n
    scale = np.array(data.draw(st.lists(st.floats(0.5, 4), min_size=n, max_size=n)))
    shift = np.array(data.draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n)))
    moved = BargainingProblem(P * scale + shift, disagreement=shift)
    for solve in (nash, kalai_smorodinsky):
        try:
            a = np.array(solve(prob).utilities)
        except InvalidGameError:
            continue  # nobody can gain strictly over d for everyone: the Nash product is 0
        b = np.array(solve(moved).utilities)
        assert b == pytest.approx(a * scale + shift, abs=1e-5 * (1 + np.abs(b).max()))
        assert _pareto_slack(prob, a) <= 1e-6
    assert _pareto_slack(prob, egalitarian(prob).utilities) <= 1e-6


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0, 10)), min_size=1, max_size=5))
def test_symmetric_problems_get_symmetric_solutions(points):
    pts = [(a, b) for a, b in points] + [(b, a) for a, b in points] + [(1.0, 1.0)]
    prob = BargainingProblem(pts)
    for solve in (nash, kalai_smorodinsky, egalitarian):
        u = solve(prob).utilities
        assert u[0] == pytest.approx(u[1], abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0, 10)), min_size=2, max_size=6))
def test_asymmetric_nash_is_monotone_in_bargaining_power(points):
    prob = BargainingProblem([*points, (1.0, 1.0)])
    u1 = [nash(prob, weights=[w, 1 - w]).utilities[0] for w in (0.1, 0.3, 0.5, 0.7, 0.9)]
    assert all(b >= a - 1e-7 for a, b in itertools.pairwise(u1))


def test_bad_problems_are_named():
    with pytest.raises(InvalidGameError, match="either"):
        BargainingProblem()
    with pytest.raises(InvalidGameError, match="increasing"):
        BargainingProblem(frontier=(lambda x: 1 - x, math.sqrt))
    with pytest.raises(InvalidGameError, match="at least as good"):
        BargainingProblem([[0, 0], [1, 0]], disagreement=[2, 2])
    with pytest.raises(InvalidGameError, match="weights"):
        nash(sqrt_problem(), weights=[1, -1])


def test_price_and_activity_bargain():
    both = price_activity_bargain(power=0.3)
    assert both.activity == pytest.approx(both.efficient_activity)
    assert both.hospital == pytest.approx(0.3 * both.efficient_surplus)
    hosp = [price_activity_bargain(power=a, over="price").hospital for a in (0.2, 0.5, 0.8)]
    assert hosp == sorted(hosp)
    for a in (0.2, 0.8):
        price = price_activity_bargain(power=a, over="price")
        assert price.surplus <= price.efficient_surplus + 1e-9
    lopsided = price_activity_bargain(power=0.8, over="price")
    assert lopsided.activity > lopsided.efficient_activity  # a high price buys too much activity


def test_transitional_funding_on_the_worked_economy():
    from jenga_games.commissioning import commissioning_game

    f = transitional_funding(commissioning_game())
    t = f.table
    assert f.feasible and f.surplus > 100
    assert t["transfer"].sum() == pytest.approx(0.0, abs=1e-9)
    assert (t["final"] >= t["competitive"] - 1e-9).all()  # individually rational for all
    assert set(f.paid_by) == {"acute_trust"}  # it gains most from the tower standing
    received = f.received_by  # who receives how much: every positive transfer, summing to the rest
    assert all(v > 0 for v in received.values())
    assert sum(received.values()) == pytest.approx(sum(f.paid_by.values()))


def test_funding_recipients_and_the_tower_funding_buys():
    from jenga_games.commissioning import commissioning_game

    game = commissioning_game()
    out = game.solve().outcome
    assert out.failed_providers and funding_recipients(game.tower, out) == out.failed_providers
    calm = game.tower.cascade(["endoscopy"])  # gastroenterology falls, no provider fails
    assert calm.fell and not calm.failed_providers
    want = {game.tower.services[s].provider for s in calm.fell}
    assert set(funding_recipients(game.tower, calm)) == want and want
    assert funding_recipients(game.tower, game.tower.cascade([])) == ()
    rich = funded_tower(game.tower, ["acute_trust"], 2.0)
    assert (
        rich.providers["acute_trust"].reserves == game.tower.providers["acute_trust"].reserves + 2
    )
    assert rich.providers["community_trust"] == game.tower.providers["community_trust"]
    assert funded_tower(game.tower, ["acute_trust"], 0.0) is game.tower
    with pytest.raises(InvalidGameError, match="finite"):
        funded_tower(game.tower, ["acute_trust"], math.nan)
