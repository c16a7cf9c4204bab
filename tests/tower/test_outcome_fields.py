"""Outcome carries what the engine knew: the round each provider failed, each provider's loss."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.testing.tower_strategies import removal_orders, towers
from jenga_games.tower.economy import local_health_economy


def _check(tower, out):
    assert set(out.failure_round) == set(out.failed_providers)
    for p, r in out.failure_round.items():
        assert r >= 1
        before = set(out.removed) | {s for rr in out.rounds[: r - 1] for s in rr}
        left = [s for s in tower.services_of(p) if s not in before]
        # its services standing when it failed fall in that very round
        if left:
            assert r <= len(out.rounds) and set(left) <= set(out.rounds[r - 1])
    lost = {p: 0.0 for p in tower.providers}
    for s in out.fell:
        svc = tower.service(s)
        if svc.provider is not None:
            lost[svc.provider] += svc.activity * svc.unit_margin  # x = 1 for whole removals
    assert out.contribution_lost == pytest.approx(lost)
    assert sum(out.contribution_lost.values()) == pytest.approx(
        out.value_lost
        - sum(
            tower.service(s).activity * tower.service(s).unit_margin
            for s in out.fell
            if tower.service(s).provider is None
        )
    )


@settings(max_examples=60)
@given(st.data())
def test_failure_rounds_and_losses(data):
    tower = data.draw(towers(max_services=7, grounded=None))
    order = data.draw(removal_orders(tower))
    _check(tower, tower.cascade(order))
    _check(tower, tower.play(order))


def test_economy_pair():
    econ = local_health_economy()
    out = econ.cascade(["cardiology", "ophthalmology"])
    assert out.failure_round == {"acute_trust": 1, "community_trust": 3}
    assert out.contribution_lost["acute_trust"] > out.contribution_lost["community_trust"] > 0
    assert econ.cascade(["crisis_team"]).failure_round == {"mental_health_trust": 2}
