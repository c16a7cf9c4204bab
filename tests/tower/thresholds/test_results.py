"""Every result is frozen, JSON-ready through to_dict(), and records its provenance."""

import dataclasses
import json

import pytest

from jenga_games.tower.library import local_health_economy
from jenga_games.tower.thresholds import (
    collapse_curve,
    collapse_point,
    find_threshold,
    headroom,
    kcore_curve,
    max_safe_set,
    min_collapse_set,
    safe_schedule,
    weakest_blocks,
)


def test_results_are_frozen_and_serialisable():
    econ = local_health_economy()
    results = [
        collapse_point(econ, ["dermatology"]),
        collapse_curve(econ, samples=5, seed=0),
        max_safe_set(econ),
        min_collapse_set(econ),
        weakest_blocks(econ),
        headroom(econ, "acute_trust", symbolic=True),
        find_threshold(lambda x: x > 1, 0, 2),
        kcore_curve(3, 5.0),
        safe_schedule(econ, ["cardiology", "ophthalmology"]),
    ]
    for r in results:
        data = json.loads(json.dumps(r.to_dict()))
        assert data["provenance"]["method"]
        field = dataclasses.fields(r)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(r, field, None)
