"""Trust and engagement processes: closed forms against brute force and simulation."""

import itertools
import math

import numpy as np
import pytest

from jenga_games.commissioning import InvalidParameterError
from jenga_games.dynamics import (
    EngagementParams,
    TrustProcess,
    critical_delay,
    engagement_path,
    mean_trust,
    promises_to_rebuild,
    trust_path,
)


def test_mean_trust_equals_exact_expectation_over_every_record():
    prc = TrustProcess(gain=0.3, loss=0.6, initial=0.8)
    q, n = 0.7, 10
    exact = np.zeros(n + 1)
    for record in itertools.product([True, False], repeat=n):
        prob = math.prod(q if k else 1 - q for k in record)
        exact += prob * trust_path(prc, q, promises=record).paths[0]
    assert mean_trust(prc, q, n) == pytest.approx(exact, abs=1e-12)


def test_fixed_point_of_the_linear_recursion():
    prc = TrustProcess(gain=0.2, loss=0.5)
    q = 0.5
    m = prc.initial
    for _ in range(2000):
        m = m + q * prc.gain * (1 - m) - (1 - q) * prc.loss * m
    assert prc.fixed_point(q) == pytest.approx(m, abs=1e-12)
    assert prc.fixed_point(q) == pytest.approx(0.1 / 0.35)


def test_simulated_mean_within_its_confidence_interval():
    r = trust_path(TrustProcess(), 0.6, years=15, n_paths=4000, seed=3)
    se = r.paths.std(axis=0, ddof=1) / math.sqrt(r.paths.shape[0])
    assert np.all(np.abs(r.mean - r.expected) <= 4 * se + 1e-12)
    again = trust_path(TrustProcess(), 0.6, years=15, n_paths=4000, seed=3)
    assert np.array_equal(r.paths, again.paths)
    assert not np.array_equal(r.paths, trust_path(TrustProcess(), 0.6, 15, 4000, seed=4).paths)


@pytest.mark.parametrize("dashes", [1, 2, 4])
def test_promises_to_rebuild_by_counting(dashes):
    prc = TrustProcess(gain=0.2, loss=0.5)
    need = promises_to_rebuild(prc, dashes, goal=0.9)
    record = [False] * dashes
    trust = trust_path(prc, promises=record).paths[0, -1]
    count = 0
    while trust < 0.9:
        trust = float(prc.step(trust, True))
        count += 1
    assert math.ceil(need - 1e-12) == count
    # dashed trust is hard to rebuild: more promises than dashes
    assert need > dashes


def test_engagement_survives_only_below_the_critical_delay():
    p = EngagementParams()
    d_star = critical_delay(p)
    assert p.discount**d_star * p.benefit == pytest.approx(p.cost)
    r = engagement_path([0.0, d_star - 0.3, d_star + 0.3, 3.0], years=200, params=p)
    final = r.path.iloc[-1].to_numpy()
    assert final[0] > 0.99 and final[1] > 0.99
    assert final[2] < 0.01 and final[3] < 0.01


def test_engagement_limits_and_errors():
    assert critical_delay(EngagementParams(benefit=1.0, cost=2.0)) == 0.0
    assert critical_delay(EngagementParams(discount=1.0)) == math.inf
    with pytest.raises(InvalidParameterError, match="delays"):
        engagement_path([-1.0])
    with pytest.raises(InvalidParameterError, match="gain"):
        TrustProcess(gain=2.0)
