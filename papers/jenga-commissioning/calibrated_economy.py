"""The paper's calibrated economy: every number sourced or an assumption with a declared range.

The paper does not run on the toolkit's worked example
(:func:`jenga_games.tower.economy.local_health_economy`), whose acute trust has a headroom of
£2 m, about 1% of its income, chosen so that two small moves topple it. It runs on the
economy committed in ``economy/`` (the spreadsheet format of :mod:`jenga_games.tower.files`,
one CSV per sheet, every service and provider with a ``source``), built by this module from

* the same 34 services, activities, tariffs, units and health effects as the worked example
  (activity sized to a district of 300,000 people at about £1,800 a head, ``NHSBudget2012``;
  tariffs and health effects assumptions of the right size);
* support rules from **clinical co-dependency levels** (:mod:`jenga_games.tower.codependency`):
  for the acute services the levels follow the South East Coast Clinical Senate's categories
  (``SECSenate2014``: "same site" for A&E on critical care, imaging, pathology and acute
  medicine, and so on), for community and primary services they are assumptions;
* each service's **variable share** ``v`` of tariff (``c = v·p``): 0.3 for emergency
  services, the marginal-rate emergency tariff (``MarginalRateTariff``; later 0.5 and 0.7,
  which give its range), the worked example's 0.25–0.6 for the others (assumption, ×0.8–1.2);
* each service's **contribution share** ``m``, fixed cost ``f = (1 − v − m)·a·p`` so that the
  full margin ``a(p − c) − f`` is ``m·a·p`` (assumption, ×0.75–1.25 of the worked example's);
* each provider's **headroom** ``H`` as a share of its income: the loss of contribution it can
  absorb before it fails, ``F = Σ m·a·p + R − H``. NHS providers ran a deficit of £2.45 bn on
  £75.97 bn of income in 2015-16 (3.2%), with £2.4 bn of central support, and two thirds of
  trusts in deficit, without closing (``NAO2016``): a loss of 1% of income is not failure.
  The headroom is therefore an assumption, U(1%, 4%) of income, centred on 2.5%.

:data:`ASSUMPTIONS` declares every uncertain number (base, low, high, unit, source); it is
written next to the economy as ``economy-assumptions.csv`` and the paper's PSA draws from
those ranges (uniform). :func:`multipliers` turns one draw into the multipliers of
:class:`jenga_games.uncertainty.EconomyPerturbation`, so that the PSA perturbs the committed
file itself.

Run ``python papers/jenga-commissioning/calibrated_economy.py`` to rewrite ``economy/`` and
``economy-assumptions.csv`` (``tests/papers/test_calibrated_economy.py`` checks that the
committed files equal what this module builds).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from jenga_games._io import atomic_write_text
from jenga_games.tower import Provider, Service, Tower
from jenga_games.tower.codependency import codependency_tower
from jenga_games.tower.economy import (
    ECONOMY_HEALTH,
    ECONOMY_PROVIDERS,
    ECONOMY_SERVICES,
    ECONOMY_UNITS,
)
from jenga_games.tower.files import read_tower, write_tower
from jenga_games.tower.rules import AllOf, And, AnyOf

HERE = Path(__file__).resolve().parent
ECONOMY_DIR = HERE / "economy"
ASSUMPTIONS_CSV = HERE / "economy-assumptions.csv"
NAME = "calibrated local health economy (jenga-commissioning paper)"

#: Services paid like emergency care (their variable share is the marginal rate).
EMERGENCY = ("ae", "acute_medicine", "critical_care")
#: Acute services whose co-dependency levels follow the clinical senate's categories.
SENATE_GRADED = (
    "critical_care",
    "ae",
    "acute_medicine",
    "general_surgery",
    "maternity",
    "neonatal",
    "paediatrics",
    "trauma_orthopaedics",
    "stroke",
)

#: Every uncertain number of the paper: name -> (base, low, high, unit, source).
ASSUMPTIONS: dict[str, tuple[float, float, float, str, str]] = {
    "collapse_cost": (
        2.5,
        1.5,
        4.0,
        "£ m",
        "assumption: cost borne by a commissioner who topples the economy",
    ),
    "discount": (1.0, 0.8, 1.0, "per turn", "assumption: commissioners' patience"),
    "reprovision_share": (
        0.5,
        0.4,
        0.9,
        "share of tariff",
        "assumption: cost of re-providing a moved service; schemes rarely break even "
        "(Imison2017, Monitor2015), hence the range up to 0.9",
    ),
    "headroom_acute": (
        0.025,
        0.01,
        0.04,
        "share of income",
        "assumption: loss the acute trust absorbs before it fails; providers ran a 3.2% "
        "deficit in 2015-16 without closing (NAO2016)",
    ),
    "headroom_other": (
        0.025,
        0.01,
        0.04,
        "share of income",
        "assumption: the same for the community, GP and mental-health providers (NAO2016)",
    ),
    "variable_emergency": (
        0.3,
        0.3,
        0.7,
        "share of tariff",
        "marginal-rate emergency tariff 30%, later 50% and 70% (MarginalRateTariff)",
    ),
    "variable_other": (
        1.0,
        0.8,
        1.2,
        "× the worked example's 0.25-0.6",
        "assumption: variable share of elective, diagnostic, community and GP services",
    ),
    "contribution": (
        1.0,
        0.75,
        1.25,
        "× the worked example's 0.05-0.12",
        "assumption: each service's contribution share m of its income",
    ),
}


def base_values() -> dict[str, float]:
    """The base value of every assumption."""
    return {k: v[0] for k, v in ASSUMPTIONS.items()}


def _levels() -> list[tuple[str, str, str]]:
    """(dependant, supporter, level) for every dependency of the worked example.

    A rule ``AllOf`` of supporters is "same site", an ``AnyOf`` is "should" (one of them is
    enough), ``AllOf(...) & AnyOf(...)`` is both: the reading of
    :mod:`jenga_games.tower.codependency`.
    """
    out = []
    for sid, (_l, _p, _a, _t, _v, _m, sups, rule, _c, _y) in ECONOMY_SERVICES.items():
        if rule is None:
            must, should = list(sups), []
        elif isinstance(rule, AnyOf):
            must, should = [], list(rule.of) or list(sups)
        elif isinstance(rule, And):
            a, b = rule.rules
            must, should = list(a.of), list(b.of)
        elif isinstance(rule, AllOf):
            must, should = list(rule.of) or list(sups), []
        else:  # pragma: no cover - the worked example has no other rule
            raise TypeError(f"{sid}: rule {rule!r} has no co-dependency reading")
        out += [(sid, u, "same site") for u in must] + [(sid, u, "should") for u in should]
    return out


def _shares(sid: str, values: dict[str, float]) -> tuple[float, float]:
    """(variable share v, contribution share m) of one service at these values."""
    v0, m0 = ECONOMY_SERVICES[sid][4], ECONOMY_SERVICES[sid][5]
    v = values["variable_emergency"] if sid in EMERGENCY else v0 * values["variable_other"]
    return v, m0 * values["contribution"]


def _service_source(sid: str) -> str:
    parts = [
        "activity sized to 300,000 people at about £1,800 a head (NHSBudget2012); tariff assumption"
    ]
    if sid in EMERGENCY:
        parts.append("variable share 0.3, range 0.3-0.7 (MarginalRateTariff)")
    else:
        parts.append("variable share assumption, range ×0.8-1.2")
    parts.append("contribution share assumption, range ×0.75-1.25")
    if sid in SENATE_GRADED:
        parts.append("support from co-dependency levels after SECSenate2014 (illustrative)")
    else:
        parts.append("support from co-dependency levels (assumption)")
    if sid in ECONOMY_HEALTH:
        parts.append("QALYs per thousand units assumption")
    return "; ".join(parts)


def calibrated_economy(values: dict[str, float] | None = None) -> Tower:
    """The calibrated economy at ``values`` of :data:`ASSUMPTIONS` (default: the base values).

    Examples
    --------
    >>> t = calibrated_economy()
    >>> len(t), t.validate().ok
    (34, True)
    >>> round(t.cascade().balances["acute_trust"], 4)  # headroom: 2.5% of £202.24 m
    5.056
    """
    vals = {**base_values(), **(values or {})}
    services, margin, income = [], dict.fromkeys(ECONOMY_PROVIDERS, 0.0), {}
    for sid, (label, prov, a, p, _v, _m, _s, _r, critical, layer) in ECONOMY_SERVICES.items():
        v, m = _shares(sid, vals)
        services.append(
            Service(
                sid,
                provider=prov,
                activity=a,
                tariff=p,
                variable_cost=round(v * p, 6),
                fixed_cost=round((1.0 - v - m) * a * p, 6),
                critical=critical,
                setting=ECONOMY_PROVIDERS[prov][1],
                layer=layer,
                label=label,
                unit=ECONOMY_UNITS[sid],
                health=ECONOMY_HEALTH.get(sid),
                source=_service_source(sid),
            )
        )
        margin[prov] += round(m * a * p, 6)
        income[prov] = income.get(prov, 0.0) + a * p
    providers = []
    for pid, (label, _setting, reserves, _h) in ECONOMY_PROVIDERS.items():
        share = vals["headroom_acute" if pid == "acute_trust" else "headroom_other"]
        head = share * income[pid]
        providers.append(
            Provider(
                pid,
                overhead=round(margin[pid] + reserves - head, 6),
                reserves=reserves,
                label=label,
                source=(
                    f"headroom {share:g} of income, range 0.01-0.04 (assumption after NAO2016); "
                    f"reserves £{reserves:g} m (assumption); overhead = contributions + "
                    "reserves - headroom"
                ),
            )
        )
    return codependency_tower(services, _levels(), providers, name=NAME)


def multipliers(base: Tower, values: dict[str, float]) -> dict[str, float]:
    """Multipliers that turn ``base`` (the committed economy) into the economy at ``values``.

    For :meth:`jenga_games.uncertainty.EconomyPerturbation.tower`: ``variable_cost[s]``,
    ``fixed_cost[s]`` and ``overhead[p]``. Keys of ``values`` that are not assumptions of the
    economy (``collapse_cost``, ...) are ignored.
    """
    target = calibrated_economy(values)
    out = {}
    for s in base:
        t = target.service(s.id)
        for field in ("variable_cost", "fixed_cost"):
            b, x = getattr(s, field), getattr(t, field)
            out[f"{field}[{s.id}]"] = x / b if b else 1.0
    for pid, p in base.providers.items():
        out[f"overhead[{pid}]"] = target.providers[pid].overhead / p.overhead
    return out


def assumptions_text() -> str:
    """``economy-assumptions.csv``: one row per assumption."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "base", "low", "high", "unit", "source"])
    for name, (base, low, high, unit, source) in ASSUMPTIONS.items():
        w.writerow([name, repr(base), repr(low), repr(high), unit, source])
    return buf.getvalue()


def read_assumptions(path: Path = ASSUMPTIONS_CSV) -> dict[str, tuple[float, float, float]]:
    """The committed ranges: name -> (base, low, high)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {
            r["name"]: (float(r["base"]), float(r["low"]), float(r["high"]))
            for r in csv.DictReader(fh)
        }


def committed_economy() -> Tower:
    """The economy the paper runs on, read from the committed ``economy/`` folder."""
    return read_tower(ECONOMY_DIR)


def write(folder: Path = ECONOMY_DIR, assumptions: Path = ASSUMPTIONS_CSV) -> None:
    """Rewrite the committed economy and its assumptions."""
    write_tower(calibrated_economy(), folder)
    atomic_write_text(assumptions, assumptions_text())


if __name__ == "__main__":  # pragma: no cover
    write()
