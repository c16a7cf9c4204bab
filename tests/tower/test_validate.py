"""validate(): the monotonicity verdict is true (proof by conditions, exhaustive search, or witness)."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import AnyOf, AtLeast, Provider, Service, Tower
from jenga_games.tower.library import random_tower
from jenga_games.tower.validate import find_monotonicity_counterexample


def _brute_monotone(tower) -> bool:
    """Every R and R ∪ {s}: what is gone (and which providers failed) only grows."""
    ids = tower.ids
    res = {}
    for k in range(len(ids) + 1):
        for r in itertools.combinations(ids, k):
            o = tower.cascade(r)
            res[frozenset(r)] = (o.gone, set(o.failed_providers))
    for r, (gone, failed) in res.items():
        for s in ids:
            if s not in r:
                g2, f2 = res[r | {s}]
                if not (gone <= g2 and failed <= f2):
                    return False
    return True


@settings(max_examples=30)
@given(towers(max_services=5, monotone=True, grounded=None))
def test_sufficient_conditions_are_sufficient(tower):
    report = tower.validate()
    assert report.monotone and report.monotone_basis == "sufficient conditions"
    assert find_monotonicity_counterexample(tower, exhaustive=5) is None


@settings(max_examples=30)
@given(towers(max_services=5, grounded=None))
def test_verdict_against_brute_force(tower):
    report = tower.validate()
    if report.monotone_basis in ("sufficient conditions", "exhaustive search"):
        assert report.monotone and _brute_monotone(tower)
    else:
        assert report.monotone_basis == "counterexample" and not report.monotone
        assert not _brute_monotone(tower)
        small, big = report.counterexample
        a, b = tower.cascade(small), tower.cascade(big)
        assert set(small) < set(big)
        assert not (a.gone <= b.gone and set(a.failed_providers) <= set(b.failed_providers))


def test_stranded_fixed_cost_breaks_monotonicity():
    """The smallest case: d needs s; d's stranded fixed cost fails P unless d is removed too."""
    t = Tower(
        [
            Service("s", provider="Q", activity=1, tariff=1),
            Service("d", provider="P", activity=1, tariff=3, fixed_cost=2),
        ],
        [("s", "d")],
        [Provider("P"), Provider("Q")],
    )
    report = t.validate()
    assert not report.monotone and report.stranded_at_risk == ("d",)
    assert report.counterexample == (("s",), ("s", "d"))
    assert t.cascade(["s"]).failed_providers == ("P",) and not t.cascade(["s", "d"]).fallen
    assert "monotone: no (counterexample)" in str(report)


# -- the findings without networkx: the oracle is the networkx / per-service version ----------
def _oracle_findings(tower):
    """What validate() reported when it built a networkx graph and asked each service in turn."""
    import networkx as nx

    svc = list(tower.services.values())
    return {
        "tariff_below_cost": tuple(s.id for s in svc if s.tariff < s.variable_cost),
        "negative_full_margin": tuple(s.id for s in svc if s.full_margin < 0),
        "stranded_at_risk": tuple(
            s.id
            for s in svc
            if s.provider is not None
            and s.fixed_cost > 0
            and not s.rule.evaluate(frozenset(), tower.supporters(s.id))
        ),
        "unsatisfiable": tuple(
            s.id for s in svc if not s.rule.max_satisfiable(len(tower.supporters(s.id)))
        ),
        "cycles": tuple(
            tuple(sorted(c, key=str))
            for c in nx.strongly_connected_components(tower.graph)
            if len(c) > 1
        ),
    }


def _check_findings(tower):
    report = tower.validate()
    for key, expected in _oracle_findings(tower).items():
        assert getattr(report, key) == expected, key


@settings(max_examples=60, deadline=None)
@given(towers(max_services=9, grounded=None))
def test_findings_equal_the_networkx_version(tower):
    _check_findings(tower)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 40), st.floats(0.2, 3.0), st.integers(0, 2**32 - 1), st.booleans())
def test_cycles_in_networkx_order_on_random_digraphs(n, degree, seed, rules):
    """Many small cycles, trees hanging off them and services that reach none: the same groups,
    in the same order, as networkx's strongly_connected_components."""
    rng = np.random.default_rng(seed)
    m = int(degree * n)
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = src != dst
    names = [f"s{i}" if rng.random() < 0.5 else i for i in rng.permutation(3 * n)[:n].tolist()]
    kinds = [None, AnyOf(), AtLeast(2)] if rules else [None]
    services = [
        Service(
            sid,
            provider=["A", "B", None][i % 3],
            tariff=float(rng.integers(0, 3)),
            variable_cost=float(rng.integers(0, 3)),
            fixed_cost=float(rng.integers(0, 2)),
            support=kinds[i % len(kinds)],
        )
        for i, sid in enumerate(names)
    ]
    _check_findings(Tower.from_arrays(services, src[keep], dst[keep], allow_unsatisfiable=True))


def test_big_tower_validates_without_a_graph():
    t = random_tower(2000, 6, AtLeast(2), seed=5)
    report = t.validate()
    assert "graph" not in t.__dict__  # no networkx graph was built
    assert report.cycles == _oracle_findings(t)["cycles"] and len(report.cycles) == 1
