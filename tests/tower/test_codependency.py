"""The co-dependency example's money: its overhead comes from the tower's money rule."""

import pytest

from jenga_games.tower.codependency import codependency_example
from jenga_games.tower.thresholds import headroom


def test_example_headroom_is_two_million_when_intact():
    t = codependency_example()
    trust = t.providers["trust"]
    # independent oracle: the services' full margins one by one, a (p - c) - f
    margins = sum(
        s.activity * (s.tariff - s.variable_cost) - s.fixed_cost for s in t.services.values()
    )
    assert trust.overhead == pytest.approx(margins + 1.0 - 2.0, abs=1e-6)
    assert trust.overhead == 8.37  # the published example's figure (rounded to 1e-6)
    assert headroom(t, "trust").balance == pytest.approx(2.0, abs=1e-6)
    assert t.compiled.provider_balances()[0] == pytest.approx(2.0, abs=1e-6)
