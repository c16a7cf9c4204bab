"""No public aggregate sums activities of different units (issue #17, item 3).

The oracle is a change of unit. Counting one unit's activity in different
units (pathology in tests instead of thousands of tests: ``a`` times ``k``,
tariff, variable cost and health effect per unit divided by ``k``) changes
nothing real: money, health, probabilities, counts and every other unit stay
put, and only that unit's own activity figures scale by exactly ``k``. A
number that sums activity across units does neither, so every public number
of every result (fields, properties, ``to_dict``, ``to_frame``, reports) must
either be unchanged or be the rescaled unit's own (its key names the unit or
one of its services); a number that would mix units must be refused with an
``InvalidTowerError`` naming the units. ``k = 1024`` is a power of two, so
``a·k · p/k`` is exactly ``a·p``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidTowerError
from jenga_games.tower import Tower, local_health_economy
from jenga_games.tower.thresholds import (
    collapse_curve,
    collapse_point,
    headroom,
    weakest_blocks,
)

K = 1024.0
UNIT = "tests"  # pathology's unit in the worked economy


def rescale(tower: Tower, unit: str, k: float) -> Tower:
    """The same economy with ``unit`` counted ``k`` times finer."""

    def scaled(s):
        if (s.unit or "units") != unit:
            return s
        return dataclasses.replace(
            s,
            activity=s.activity * k,
            tariff=s.tariff / k,
            variable_cost=s.variable_cost / k,
            health=None if s.health is None else s.health / k,
        )

    return Tower(
        [scaled(s) for s in tower],
        tower.supports,
        tower.providers.values(),
        grounded=tower.grounded,
        allow_unsatisfiable=tower.allow_unsatisfiable,
        name=tower.name,
    )


def _leaves(obj, path=(), depth=0):
    """Every number reachable from ``obj``: ``(path, value)``; properties that raise give
    ``(path, exception)``."""
    if depth > 6 or obj is None or isinstance(obj, str | bytes | bool | np.bool_):
        return
    if isinstance(obj, int | float | np.integer | np.floating):
        yield path, float(obj)
        return
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fiu":
            for i, v in enumerate(obj.ravel().tolist()):
                yield (*path, i), float(v)
        return
    if isinstance(obj, pd.DataFrame):  # rows keyed by their service, where they have one
        key = next((c for c in ("service", "block") if c in obj.columns), None)
        rows = obj[key].astype(str).tolist() if key else list(range(len(obj)))
        for col in obj.columns:
            for r, v in zip(rows, obj[col].tolist()):
                yield from _leaves(v, (*path, str(col), r), depth + 1)
        return
    if isinstance(obj, Mapping):
        for key, v in obj.items():
            yield from _leaves(v, (*path, str(key)), depth + 1)
        return
    if isinstance(obj, list | tuple | frozenset | set):
        for i, v in enumerate(sorted(obj, key=repr) if isinstance(obj, set | frozenset) else obj):
            yield from _leaves(v, (*path, i), depth + 1)
        return
    if dataclasses.is_dataclass(obj):
        yield from _public(obj, path, depth)


def _public(obj, path=(), depth=0):
    """Public attributes (fields and properties), and ``to_dict()`` / ``to_frame()``."""
    for name in dir(obj):
        if name.startswith("_") or name == "provenance":
            continue
        try:
            value = getattr(obj, name)
        except InvalidTowerError as err:
            yield (*path, name), err
            continue
        if callable(value):
            if name in ("to_dict", "to_frame"):
                yield from _leaves(value(), (*path, name), depth + 1)
            continue
        yield from _leaves(value, (*path, name), depth + 1)


def _check(base: dict, scaled: dict, own: set[str], units: set[str]) -> list[str]:
    """Paths whose numbers are neither invariant nor the rescaled unit's own, times ``K``."""
    assert base.keys() == scaled.keys()
    bad = []
    for path, a in base.items():
        b = scaled[path]
        if isinstance(a, Exception) or isinstance(b, Exception):
            named = {u for u in units if repr(u) in str(a if isinstance(a, Exception) else b)}
            if not (isinstance(a, Exception) and isinstance(b, Exception) and len(named) >= 2):
                bad.append(f"{path}: refused without naming the units ({a!r} / {b!r})")
            continue
        if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b)):
            continue
        if own & {str(p) for p in path} and math.isclose(b, K * a, rel_tol=1e-9):
            continue
        bad.append(f"{path}: {a!r} -> {b!r}")
    return bad


def _compare(make, tower):
    """Run ``make(tower)`` on the economy and on its rescaled twin; list the offending paths."""
    twin = rescale(tower, UNIT, K)
    own = {UNIT} | {str(s.id) for s in tower if (s.unit or "units") == UNIT}
    units = {s.unit or "units" for s in tower}
    base = dict(_leaves(make(tower)))
    scaled = dict(_leaves(make(twin)))
    assert base, "nothing was compared"
    return _check(base, scaled, own, units)


@pytest.fixture(scope="module")
def economy():
    econ = local_health_economy()
    assert len({s.unit for s in econ}) > 2 and UNIT in {s.unit for s in econ}
    return econ


def test_the_check_catches_a_cross_unit_sum(economy):
    """The oracle itself: a sum of activity across units is caught; its per-unit split is not."""

    def summed(t):
        return {"activity": sum(s.activity for s in t)}

    assert _compare(summed, economy)

    def split(t):
        out: dict = {}
        for s in t:
            out.setdefault(s.unit, {})[s.id] = s.activity
        return out

    assert not _compare(split, economy)


@pytest.mark.parametrize(
    "query",
    [
        # cardiology and ophthalmology together topple the acute trust: pathology falls too
        lambda t: t.cascade({"cardiology", "ophthalmology"}),
        # pathology half moved out, cardiology closed: fractions in the moved and surviving totals
        lambda t: t.cascade({"pathology": 0.5, "cardiology": 0.0}),
        lambda t: t.play(["dermatology", "ophthalmology", "cardiology", "pathology"]),
        lambda t: collapse_curve(t, samples=8, seed=3),
        lambda t: collapse_curve(t, samples=4, order="size", seed=3, measure="services"),
        lambda t: collapse_curve(t, samples=4, seed=5, measure="health"),
        lambda t: collapse_point(t, ["ophthalmology", "pathology", "cardiology"]),
        lambda t: weakest_blocks(t),
        lambda t: headroom(t, "acute_trust"),
        lambda t: headroom(t, "community_trust", removed={"cardiology"}),
    ],
    ids=[
        "cascade",
        "cascade-fractions",
        "play",
        "curve",
        "curve-size-services",
        "curve-health",
        "point",
        "weakest",
        "headroom",
        "headroom-removed",
    ],
)
def test_no_public_aggregate_sums_units(economy, query):
    assert _compare(query, economy) == []


def test_single_numbers_refuse_mixed_units_and_name_them(economy):
    out = economy.cascade({"cardiology", "ophthalmology"})
    for name in ("activity_lost", "activity_moved", "surviving_activity", "total_activity"):
        with pytest.raises(InvalidTowerError, match=rf"{name}.*'tests'.*by_unit"):
            getattr(out, name)
    with pytest.raises(InvalidTowerError, match=r"measure='activity'.*'bed-days'"):
        collapse_curve(economy, samples=2, measure="activity")
    with pytest.raises(InvalidTowerError, match="measure must be one of"):
        collapse_point(economy, ["pathology"], measure="tests")
    h = headroom(economy, "acute_trust")
    assert h.proportional_units is None and h.min_units_to_fail is None
    assert len(h.units) > 1 and h.proportional_spend > 0


@settings(max_examples=25, deadline=None)
@given(
    removed=st.sets(st.sampled_from(sorted(local_health_economy().ids)), max_size=4),
    unit=st.sampled_from(["tests", "bed-days", "scans", "attendances"]),
)
def test_outcome_totals_are_invariant_to_a_change_of_unit(economy, removed, unit):
    """Any removal, any unit rescaled: money and health unchanged; the unit's own figures ×K."""
    twin = rescale(economy, unit, K)
    a, b = economy.cascade(removed), twin.cascade(removed)
    assert (a.fell, a.spend_lost, a.surviving_spend, a.value_lost) == (
        b.fell,
        b.spend_lost,
        b.surviving_spend,
        b.value_lost,
    )
    assert a.health_lost == pytest.approx(b.health_lost)
    for name in ("activity_lost_by_unit", "surviving_activity_by_unit", "total_activity_by_unit"):
        da, db = getattr(a, name), getattr(b, name)
        assert da.keys() == db.keys()
        for u in da:
            assert db[u] == pytest.approx(da[u] * (K if u == unit else 1.0))
    # and the per-unit figures are what the services hold, unit by unit (a direct count)
    for u, lost in a.activity_lost_by_unit.items():
        assert lost == pytest.approx(
            sum(economy.service(s).activity for s in a.fell if economy.service(s).unit == u)
        )


def test_single_unit_towers_keep_their_single_numbers():
    from jenga_games.tower.library import classic_jenga

    t = classic_jenga(4)
    out = t.cascade({"L0.0", "L0.1", "L0.2"})
    assert out.total_activity == len(t) and out.activity_lost == len(out.fell)
    assert out.surviving_activity == len(out.standing)
    c = collapse_curve(t, samples=5, seed=0, measure="activity")
    s = collapse_curve(t, samples=5, seed=0, measure="services")
    assert c.unit == "units" and np.allclose(c.mean_surviving, s.mean_surviving)  # a = 1 each
    assert json.dumps(out.to_dict(), default=str)  # the refusing properties stay out of to_dict


def test_tu_game_from_a_tower_counts_money_not_mixed_activity(economy):
    """TUGame.from_tower's default gain is money on a tower with tariffs (a coalition's value
    is then unchanged by a change of unit), and refuses mixed-unit activity without tariffs."""
    from jenga_games.games.cooperative import TUGame

    control = {"north": ["pathology", "cardiology"], "south": ["ophthalmology", "dermatology"]}
    a = TUGame.from_tower(economy, control)
    b = TUGame.from_tower(rescale(economy, UNIT, K), control)
    assert np.allclose(a.values, b.values) and a.values[-1] > 0
    free = economy.replace(services={s: {"tariff": 0.0, "variable_cost": 0.0} for s in economy.ids})
    with pytest.raises(InvalidTowerError, match=r"default gain.*'tests'"):
        TUGame.from_tower(free, control)
