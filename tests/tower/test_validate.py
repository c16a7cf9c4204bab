"""validate(): the monotonicity verdict is true (proof by conditions, exhaustive search, or witness)."""

import itertools

from hypothesis import given, settings

from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import Provider, Service, Tower
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
