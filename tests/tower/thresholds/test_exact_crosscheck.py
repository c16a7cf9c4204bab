"""max_safe_set never says "optimal" for a set that is not (issue #23: HiGHS presolve bug).

The default test injects a wrong "optimal" answer from the first solve and
checks the cross-check catches it; the slow test is the differential test
against brute force over random towers with fractional data (max_safe_set,
min_collapse_set, headroom).
"""

import random

import pytest

from jenga_games.errors import InvalidTowerError
from jenga_games.tower import AllOf, AnyOf, AtLeast, Provider, Service, Tower
from jenga_games.tower.thresholds import _milp_model, headroom, max_safe_set, min_collapse_set
from jenga_games.tower.thresholds._brute import (
    brute_max_safe_set,
    brute_min_collapse_set,
    is_safe,
)


def _chain_tower():
    """Seven services, one provider, nothing depends on anything: removing all is safe."""
    svc = [
        Service(f"s{i}", provider="P", activity=1.5, tariff=2.25, variable_cost=1.0, fixed_cost=0.5)
        for i in range(7)
    ]
    return Tower(svc, [], [Provider("P", overhead=0.3, reserves=0.4)], grounded=True)


def test_a_wrong_optimum_from_the_first_solve_is_caught(monkeypatch):
    tower = _chain_tower()
    weights = {f"s{i}": 1.0 + i / 3 for i in range(7)}
    truth, _ = brute_max_safe_set(tower, None, weights)
    real = _milp_model.Model.solve
    calls = []

    def lying_solve(self, time_limit, presolve=True):
        sol = real(self, time_limit, presolve)
        calls.append(presolve)
        if presolve:  # pretend HiGHS kept 4 services and called that optimal
            x = sol.x.copy()
            x[:4] = 1.0
            return _milp_model.Solution(x, "optimal", sol.objective, sol.bound, 0.0, "lie")
        return sol

    monkeypatch.setattr(_milp_model.Model, "solve", lying_solve)
    res = max_safe_set(tower, weights=weights, method="milp")
    assert calls == [True, False]
    assert res.value == pytest.approx(truth) and res.status == "optimal"
    check = res.provenance.params["cross_check"]
    assert (
        check["better candidate"] == "positive weights" and check["without presolve"] == "optimal"
    )

    def lying_both(self, time_limit, presolve=True):
        sol = real(self, time_limit, presolve)
        x = sol.x.copy()
        x[:4] = 1.0
        return _milp_model.Solution(x, "optimal", sol.objective, sol.bound, 0.0, "lie")

    monkeypatch.setattr(_milp_model.Model, "solve", lying_both)
    res = max_safe_set(tower, weights=weights, method="milp")
    # both solves wrong: the better candidate (remove everything) is returned, not called optimal
    assert res.value == pytest.approx(truth) and res.status == "unverified"
    assert res.bound >= res.value and is_safe(tower, res.removed)


def test_the_cross_check_is_recorded():
    res = max_safe_set(_chain_tower(), method="milp")
    assert res.status == "optimal" and len(res.removed) == 7
    assert res.provenance.params["cross_check"]["without presolve"] == "optimal"


def _random_tower(rng: random.Random) -> Tower:
    n = rng.randint(2, 7)
    ids = [f"s{i}" for i in range(n)]
    edges = [(ids[u], ids[v]) for u in range(n) for v in range(n) if u != v and rng.random() < 0.3]
    if not rng.random() < 0.5:  # acyclic half the time
        edges = [(u, v) for u, v in edges if ids.index(u) < ids.index(v)]
    sups = {v: [u for u, w in edges if w == v] for v in ids}
    pids = [f"P{j}" for j in range(rng.randint(1, 2))]

    def money():
        return round(rng.uniform(0, 5), rng.choice([1, 3, 6]))

    svc = []
    for s in ids:
        k = len(sups[s])
        rule = rng.choice([None, AnyOf(), AllOf(), AtLeast(rng.randint(0, k))]) if k else None
        svc.append(
            Service(
                s,
                support=rule,
                provider=rng.choice(pids),
                activity=money(),
                tariff=money(),
                variable_cost=money(),
                fixed_cost=money(),
                critical=rng.random() < 0.2,
            )
        )
    # reserves up to 15: most providers are viable intact, some are close to their edge
    provs = [Provider(p, overhead=money(), reserves=3 * money()) for p in pids]
    return Tower(svc, edges, provs, grounded=rng.random() < 0.5)


@pytest.mark.slow
def test_exact_solvers_and_headroom_against_brute_force_on_fractional_towers():
    """10,000 random towers with fractional data, four solvers each: tens of thousands of cases (issue #23)."""
    rng = random.Random(2026)
    checked = 0
    for _ in range(10_000):
        t = _random_tower(rng)
        intact = t.cascade()
        if intact.fallen or intact.collapsed:
            continue
        checked += 1
        w = {s: round(rng.uniform(-1, 4), 2) for s in t.ids}
        best, _ = brute_max_safe_set(t, None, w)
        res = max_safe_set(t, weights=w)
        assert is_safe(t, res.removed)
        if res.status == "optimal":
            assert res.value == pytest.approx(best, abs=1e-7), t
        assert res.value <= best + 1e-7
        for criterion in ("fallen", "collapsed"):
            try:
                mc = min_collapse_set(t, criterion=criterion)
            except InvalidTowerError:  # refused: p < c, or grounded mutual-support cycles
                continue
            want = brute_min_collapse_set(t, criterion=criterion)
            if mc.status == "optimal":
                assert mc.size == want, (t, criterion)
            elif mc.status == "infeasible":
                assert want is None, (t, criterion)
        pid = rng.choice(list(t.providers))
        h = headroom(t, pid)
        for s in h.services:
            assert h.can_close[s] == (pid not in t.cascade([s]).failed_providers)
            m, a = t.service(s).unit_margin, t.service(s).activity
            frac = h.per_service_fraction[s]
            if a > 0 and m > 0 and frac < 1 and (1 - frac) * a * m > 1e-6:
                assert pid in t.cascade({s: (1 - frac) / 2}).failed_providers
            if a > 0 and frac > 1e-6:
                assert pid not in t.cascade({s: 1 - frac * (1 - 1e-6)}).failed_providers
    assert checked > 2_500
