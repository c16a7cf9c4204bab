"""The jenga-commissioning paper's calibrated economy: committed files, sources and ranges."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.tower.economy import ECONOMY_SERVICES, local_health_economy
from jenga_games.uncertainty import EconomyPerturbation

PAPER = Path(__file__).resolve().parents[1] / "papers" / "jenga-commissioning"


def _load():
    spec = importlib.util.spec_from_file_location(
        "_paper_calibrated_economy", PAPER / "calibrated_economy.py"
    )
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


ce = _load()


def test_committed_files_are_what_the_module_builds(tmp_path):
    assert ce.committed_economy().to_json() == ce.calibrated_economy().to_json()
    ce.write(tmp_path / "economy", tmp_path / "assumptions.csv")
    for f in sorted((PAPER / "economy").glob("*.csv")):
        assert (tmp_path / "economy" / f.name).read_bytes() == f.read_bytes(), f.name
    assert (tmp_path / "assumptions.csv").read_bytes() == ce.ASSUMPTIONS_CSV.read_bytes()


def test_every_number_has_a_source_or_is_an_assumption_with_a_range():
    t = ce.committed_economy()
    keys = set(re.findall(r"@\w+\{(\w+),", (PAPER.parents[1] / "docs/references.bib").read_text()))
    for item in [*t, *t.providers.values()]:
        assert item.source, item.id
        cited = set(re.findall(r"\b([A-Z][A-Za-z]+\d{4})\b", item.source))
        assert cited <= keys, (item.id, cited - keys)
        assert "assumption" in item.source and "range" in item.source, item.id
    for name, (base, low, high) in ce.read_assumptions().items():
        assert low <= base <= high and low < high, name


def test_support_rules_are_the_worked_examples_read_as_codependency_levels():
    """Same graph and, with money out of the way, the same cascades (an oracle)."""
    t, w = ce.calibrated_economy(), local_health_economy()
    assert sorted(t.supports) == sorted(w.supports)
    rich = {"reserves": 1e6}
    t = t.replace(providers={p: rich for p in t.providers})
    w = w.replace(providers={p: rich for p in w.providers})
    ids = list(ECONOMY_SERVICES)
    for i, a in enumerate(ids):
        for b in ids[i:]:
            assert set(t.cascade({a, b}).fell) == set(w.cascade({a, b}).fell), (a, b)


def test_headroom_is_the_declared_share_of_income():
    t = ce.calibrated_economy({"headroom_acute": 0.01, "headroom_other": 0.04})
    income = {}
    for s in t:
        income[s.provider] = income.get(s.provider, 0.0) + s.activity * s.tariff
    bal = t.cascade().balances
    assert bal["acute_trust"] == pytest.approx(0.01 * income["acute_trust"], abs=1e-5)
    assert bal["gp_federation"] == pytest.approx(0.04 * income["gp_federation"], abs=1e-5)


_UNIT = st.floats(0, 1, allow_nan=False)


@settings(max_examples=15, deadline=None)
@given(st.lists(_UNIT, min_size=len(ce.ASSUMPTIONS), max_size=len(ce.ASSUMPTIONS)))
def test_multipliers_of_the_committed_file_equal_a_rebuild(u):
    """Perturbing the committed economy (what the PSA does) equals building it at the draw,
    and the intact economy stands everywhere in the declared ranges."""
    ranges = ce.read_assumptions()
    values = {k: lo + x * (hi - lo) for (k, (_b, lo, hi)), x in zip(ranges.items(), u)}
    base = ce.committed_economy()
    perturbed = EconomyPerturbation(base).tower(ce.multipliers(base, values))
    rebuilt = ce.calibrated_economy(values)
    for s in rebuilt:
        p = perturbed.service(s.id)
        assert p.variable_cost == pytest.approx(s.variable_cost, abs=1e-9)
        assert p.fixed_cost == pytest.approx(s.fixed_cost, abs=1e-9)
    for pid, prov in rebuilt.providers.items():
        assert perturbed.providers[pid].overhead == pytest.approx(prov.overhead, abs=1e-9)
        assert prov.overhead >= 0
    assert not perturbed.cascade().fallen and rebuilt.validate().ok
