"""Clinical co-dependencies as support rules, after the levels of NHS clinical-senate reviews.

Clinical senates grade how much one acute service depends on another being on the
same site [SECSenate2014]_. Four levels, mapped to the tower's support rules for
the *dependant* service ``v`` and each service ``u`` it depends on:

==========================  ==================================  ===========================
level                       meaning                             in the tower
==========================  ==================================  ===========================
``"same site"``             must be on the same site            edge ``u -> v`` and ``v``
                                                                needs ``u``: ``AllOf(u)``
``"should"``                should be on the same site          edge ``u -> v``; ``v``
                                                                needs *one* of its "should"
                                                                services: ``AnyOf(...)``
``"networked"``             can be provided through a network   no edge (another site can
                                                                serve ``v``)
``"none"``                  no direct relationship              no edge
==========================  ==================================  ===========================

So a service's rule is ``AllOf(same-site services) & AnyOf(should services)`` (either
part alone when the other is empty; no rule, i.e. all supporters, when it has none).
"Should" is read as "one of these is enough": the senate's wording allows a service to
stand with some of its should-be-co-located partners missing, but not with all of them.
This reading is an assumption of this toolkit, stated here and in the example's
``source`` fields.

:func:`codependency_example` builds a small acute hospital with the levels assigned
*after* the senate's categories (illustrative, not a copy of its grid).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from ..errors import InvalidTowerError
from .model import Provider, Service, Tower
from .rules import AllOf, AnyOf, Rule

__all__ = ["LEVELS", "codependency_example", "codependency_rule", "codependency_tower"]

#: The levels and whether each one holds the dependant up (and how).
LEVELS: dict[str, str] = {
    "same site": "all of",
    "should": "any of",
    "networked": "no edge",
    "none": "no edge",
}
_ALIASES = {
    "must": "same site",
    "must be on the same site": "same site",
    "same_site": "same site",
    "should be on the same site": "should",
    "should be": "should",
    "can be networked": "networked",
    "network": "networked",
    "no relationship": "none",
    "no direct relationship": "none",
}


def _level(value: Any, where: str) -> str:
    text = str(value).strip().casefold().replace("-", " ")
    text = _ALIASES.get(text, text)
    if text not in LEVELS:
        raise InvalidTowerError(
            f"{where}: unknown co-dependency level {value!r}; use one of "
            f"{', '.join(map(repr, LEVELS))}"
        )
    return text


def codependency_rule(same_site: Iterable[Hashable], should: Iterable[Hashable]) -> Rule | None:
    """The support rule for a service with these same-site and should-be-same-site partners."""
    must, want = tuple(same_site), tuple(should)
    if must and want:
        return AllOf(*must) & AnyOf(*want)
    if want:
        return AnyOf(*want)
    return AllOf(*must) if must else None


def codependency_tower(
    services: Iterable[Service],
    relations: Iterable[tuple[Hashable, Hashable, str]],
    providers: Iterable[Provider] | None = None,
    **kwargs: Any,
) -> Tower:
    """A tower whose supports and rules come from co-dependency levels.

    Parameters
    ----------
    services : iterable of Service
        Their ``support`` must be unset (the levels decide it).
    relations : iterable of (dependant, supporter, level)
        ``level`` is one of :data:`LEVELS` (or the senate's wording, e.g. "can be networked").
    providers, **kwargs
        As for :class:`Tower`.
    """
    services = list(services)
    must: dict[Hashable, list] = {s.id: [] for s in services}
    want: dict[Hashable, list] = {s.id: [] for s in services}
    edges = []
    for k, rel in enumerate(relations):
        try:
            v, u, level = rel
        except (TypeError, ValueError):
            raise InvalidTowerError(
                f"relation {k} must be (dependant, supporter, level), got {rel!r}"
            ) from None
        lvl = _level(level, f"relation {k} ({v!r} on {u!r})")
        if v not in must:
            raise InvalidTowerError(f"relation {k}: {v!r} is not one of the services")
        if lvl == "same site":
            must[v].append(u)
        elif lvl == "should":
            want[v].append(u)
        else:
            continue
        edges.append((u, v))
    built = []
    for s in services:
        if s.support is not None:
            raise InvalidTowerError(
                f"service {s.id!r} already has a support rule; the co-dependency levels set it"
            )
        rule = codependency_rule(must[s.id], want[s.id])
        built.append(Service(**{**s.__dict__, "support": rule}))
    return Tower(built, edges, providers, **kwargs)


#: (dependant, supporter, level) of the example: levels assigned after the senate's
#: categories for a district general hospital (illustrative).
EXAMPLE_RELATIONS: tuple[tuple[str, str, str], ...] = (
    ("critical_care", "imaging", "same site"),
    ("critical_care", "pathology", "same site"),
    ("ae", "critical_care", "same site"),
    ("ae", "imaging", "same site"),
    ("ae", "pathology", "same site"),
    ("ae", "acute_medicine", "same site"),
    ("ae", "general_surgery", "should"),
    ("ae", "trauma_orthopaedics", "should"),
    ("acute_medicine", "imaging", "same site"),
    ("acute_medicine", "pathology", "same site"),
    ("general_surgery", "critical_care", "same site"),
    ("general_surgery", "imaging", "same site"),
    ("trauma_orthopaedics", "critical_care", "should"),
    ("trauma_orthopaedics", "general_surgery", "should"),
    ("trauma_orthopaedics", "imaging", "same site"),
    ("maternity", "paediatrics", "should"),
    ("maternity", "critical_care", "should"),
    ("neonatal", "maternity", "same site"),
    ("neonatal", "paediatrics", "same site"),
    ("paediatrics", "pathology", "same site"),
    ("stroke", "imaging", "same site"),
    ("stroke", "acute_medicine", "should"),
    ("stroke", "ae", "networked"),
    ("vascular", "critical_care", "same site"),
    ("vascular", "ae", "networked"),
)


def codependency_example() -> Tower:
    """A district general hospital whose rules come from co-dependency levels (illustrative).

    Eleven services of one acute trust; money in £ millions a year as in
    :func:`~jenga_games.tower.local_health_economy`, every number an assumption.
    A&E must have critical care, imaging, pathology and acute medicine on site and
    should have general surgery or trauma; maternity should have paediatrics or
    critical care; stroke care is networked with A&E (another site's A&E can feed it).

    Examples
    --------
    >>> t = codependency_example()
    >>> t.service("ae").support
    AllOf('critical_care', 'imaging', 'pathology', 'acute_medicine') & AnyOf('general_surgery', 'trauma_orthopaedics')
    >>> t.cascade(["general_surgery"]).fell  # trauma still stands: A&E keeps one of its two
    ()
    >>> out = t.cascade(["general_surgery", "trauma_orthopaedics"])  # both: A&E falls first
    >>> out.rounds[0], out.failed_providers
    (('ae',), ('trust',))
    """
    src = (
        "levels after the South East Coast Clinical Senate's categories (SECSenate2014), "
        "assigned for illustration; money figures assumption"
    )
    rows = {
        # id: (label, activity, tariff, variable cost, fixed cost, critical, layer, unit)
        "pathology": ("Pathology", 2000, 0.004, 0.002, 3.0, False, 0, "tests"),
        "imaging": ("Imaging", 100, 0.08, 0.036, 3.4, False, 0, "examinations"),
        "critical_care": ("Critical care", 5, 1.4, 0.42, 4.5, True, 1, "bed-days"),
        "paediatrics": ("Paediatrics", 4, 1.5, 0.6, 3.2, False, 1, "admissions"),
        "acute_medicine": ("Acute medicine", 25, 2.0, 0.6, 32.0, False, 1, "admissions"),
        "general_surgery": ("General surgery", 8, 2.4, 0.96, 10.5, False, 2, "admissions"),
        "trauma_orthopaedics": ("Trauma & orthopaedics", 5, 3.0, 1.2, 8.2, False, 2, "admissions"),
        "ae": ("A&E", 90, 0.15, 0.045, 8.8, True, 3, "attendances"),
        "maternity": ("Maternity", 3, 3.5, 1.4, 5.9, True, 2, "births"),
        "neonatal": ("Neonatal unit", 2.5, 1.0, 0.6, 0.9, False, 3, "cot-days"),
        "stroke": ("Stroke unit", 0.5, 8.0, 2.4, 2.6, False, 2, "admissions"),
        "vascular": ("Vascular surgery", 1.0, 4.0, 1.6, 2.0, False, 2, "admissions"),
    }
    services = [
        Service(
            sid,
            provider="trust",
            activity=a,
            tariff=p,
            variable_cost=c,
            fixed_cost=f,
            critical=crit,
            setting="acute",
            layer=layer,
            label=label,
            unit=unit,
            source=src,
        )
        for sid, (label, a, p, c, f, crit, layer, unit) in rows.items()
    ]
    reserves, headroom = 1.0, 2.0  # £ m a year (assumption)
    trust = Provider(
        "trust",
        overhead=0.0,  # set below, from the tower's money rule
        reserves=reserves,
        label="Acute trust",
        source="reserves £1.0 m and headroom £2.0 m when intact (assumption)",
    )
    tower = codependency_tower(
        services, EXAMPLE_RELATIONS, [trust], name="acute hospital from co-dependency levels"
    )
    # overhead F chosen so that the intact balance Σ full margins + R − F is the headroom
    (balance,) = tower.compiled.provider_balances()  # Σ full margins + R (F = 0 so far)
    return tower.replace(providers={"trust": {"overhead": round(balance - headroom, 6)}})
