"""A worked local health economy: the built-in tower of ``jenga demo``.

The example is a district of about 300,000 people served by four providers:
an acute trust, a community provider, the local GP practices working as a
federation, and a mental-health trust. It has 34 services. The figures are
round numbers of the right size, not data about any real place; they are
chosen so that the tower is *valid* (it stands, every provider viable when
intact) and *interesting*: some blocks can be taken out safely, some topple
their neighbours, and the acute trust works close to its viability edge, so
that taking out two small blocks (or a slice of a big one) brings it down.

Units
-----
Activity ``a`` is in thousands of units a year (attendances, admissions,
bed-days, tests, registered patients); the tariff ``p`` and variable cost
``c`` are in £ thousands per unit; fixed costs, overheads and reserves are
in £ millions a year, so ``a·p`` is income in £ millions.

Calibration and reasoning
-------------------------
* **Size.** About £1,800 per person per year was spent on the NHS in 2012
  (£110 bn for 60 m people) [NHSBudget2012]. For 300,000 people that is
  £540 m; the tower's services earn about £310 m, the hospital, community,
  mental-health and general-practice share (prescribing, specialised and
  national services are not modelled). Activity is sized to the population:
  about 3,600 births (12 per 1,000), 600 strokes, 100,000 A&E attendances,
  300,000 registered patients at about £155 each (the global sum).
* **Variable and fixed cost.** Each service has a variable share ``v`` of
  its tariff (``c = v·p``) and a contribution share ``m``; its fixed cost is
  ``f = (1 − v − m)·a·p``, so its full margin ``a·(p − c) − f = m·a·p`` is
  what it contributes to its provider's overhead. Emergency services have
  ``v = 0.3``: the marginal-rate emergency tariff paid 30% of tariff for
  admissions above a 2008/09 baseline, on the reasoning that extra emergency
  activity costs about 30% of average cost (later 50% and 70%)
  [MarginalRateTariff]. Elective, diagnostic and community services have ``v``
  between 0.4 and 0.6; general practice, whose staff and premises barely
  change with list size, ``v = 0.25``.
* **Savings only when whole services close.** Moving a fraction of activity
  out saves only its variable cost: the provider keeps the fixed cost and
  loses ``(1 − v)·p`` per unit moved. Closing a whole service saves ``f``
  too. Imison et al. (2017) found that of 27 out-of-hospital initiatives only
  7 were shown to save money, and Monitor (2015) that well-designed schemes
  are unlikely to break even within five years; big savings come only when a
  site or service closes [Imison2017], [Monitor2015]. In this tower,
  moving 10% of acute medicine's admissions out of hospital (without closing
  a ward) is enough to topple the acute trust.
* **Providers.** Each provider's overhead ``F`` (estates, corporate costs,
  capital charges) is set so that, intact, ``Σ full margins + R − F`` equals
  a chosen headroom: £2.0 m for the acute trust (about 1% of its income,
  the size of a typical NHS trust surplus or deficit), £1.5 m for the
  community provider, £2.0 m for the GP federation and £1.5 m for the
  mental-health trust. Reserves ``R`` are £1.0 m, £0.5 m, £0.5 m and £0.5 m.
* **Dependencies** (edge ``u -> v``: ``u`` supports ``v``). Pathology,
  imaging, theatres, hospital ultrasound and the GP practices rest on the
  ground. Critical care needs pathology and imaging; A&E needs critical
  care, pathology, imaging and acute medicine, and acute medicine needs A&E
  (a mutual dependence: a cycle), pathology, imaging and somewhere to
  discharge people to (community nursing *or* intermediate care). Surgery
  needs theatres, critical care, imaging and pathology; maternity needs
  theatres and an ultrasound service (hospital *or* community diagnostics);
  the neonatal unit needs maternity and paediatrics; gastroenterology needs
  endoscopy. Community services rest on GP referrals; the minor injuries
  unit needs an X-ray or ultrasound service (hospital imaging *or*
  community diagnostics); the crisis team works from the community mental
  health team *or* A&E.
* **Critical services**: A&E, critical care, maternity and the GP practices
  (their unplanned loss means the economy has collapsed).

What the tower shows (each claim is a test in ``tests/tower/test_economy.py``):

* intact, everything stands and ``validate()`` is clean (every provider
  viable); it is *not* monotone: taking out the crisis team alone topples
  mental-health inpatients, whose stranded fixed cost fails the mental-health
  trust, while taking out both topples nothing;
* taking out hospital ultrasound, dermatology, ophthalmology, cardiology,
  community diagnostics, community nursing or intermediate care alone
  topples nothing (an alternative supporter or enough headroom remains);
* taking out endoscopy topples gastroenterology, and maternity topples the
  neonatal unit; the acute trust survives both, with little to spare;
* taking out the crisis team topples the mental health wards and with them
  the mental-health trust; taking out pathology, or critical care, brings
  the acute trust and the whole hospital down;
* cardiology alone and ophthalmology alone are safe; both together topple
  the acute trust (their contributions exceed its £2.0 m headroom);
* community nursing alone and intermediate care alone are safe; both
  together topple acute medicine and hence A&E, a critical service;
* moving 5% of acute medicine's admissions into the community, without
  closing anything, is safe; moving 10% topples the acute trust.

Units, health and sources
-------------------------
Every service states its activity unit (:data:`ECONOMY_UNITS`: tests,
bed-days, attendances, ...), so activities of different units are never
added. Nine services carry an illustrative health effect in QALYs per
thousand units (:data:`ECONOMY_HEALTH`, labelled assumptions). Every service
and provider has a ``source`` naming where its numbers come from or saying
"assumption" (:data:`ECONOMY_SOURCES`, :data:`ECONOMY_PROVIDER_SOURCES`);
``jenga demo`` lists them under "Assumptions and sources".

References
----------
Keys in ``docs/references.bib``: ``NHSBudget2012`` (about £1,800 per head),
``MarginalRateTariff`` (the 30% marginal rate for emergency admissions),
``Imison2017`` and ``Monitor2015`` (savings only when services close).
"""

from __future__ import annotations

from .model import Provider, Service, Tower
from .rules import AllOf, AnyOf

__all__ = [
    "ECONOMY_HEALTH",
    "ECONOMY_PROVIDERS",
    "ECONOMY_PROVIDER_SOURCES",
    "ECONOMY_SERVICES",
    "ECONOMY_SOURCES",
    "ECONOMY_UNITS",
    "local_health_economy",
]

#: Providers: id -> (label, setting, reserves R, headroom H when intact), £ m.
ECONOMY_PROVIDERS: dict[str, tuple[str, str, float, float]] = {
    "acute_trust": ("Acute trust", "acute", 1.0, 2.0),
    "community_trust": ("Community provider", "community", 0.5, 1.5),
    "gp_federation": ("GP practices (federation)", "primary", 0.5, 2.0),
    "mental_health_trust": ("Mental health trust", "mental_health", 0.5, 1.5),
}

# id: (label, provider, activity a [k units], tariff p [£k/unit], variable share v,
#      contribution share m, supporters, rule (None = all of them), critical, layer)
_ANY_DISCHARGE = AllOf("ae", "pathology", "imaging") & AnyOf(
    "community_nursing", "intermediate_care"
)

#: The services: id -> (label, provider, a, p, v, m, supporters, rule, critical, layer).
ECONOMY_SERVICES: dict[str, tuple] = {
    # -- row 0, the ground: diagnostics, theatres and general practice ---------------------
    "pathology": ("Pathology", "acute_trust", 2500, 0.004, 0.5, 0.12, (), None, False, 0),
    "imaging": (
        "Imaging (CT, MRI, X-ray)",
        "acute_trust",
        120,
        0.08,
        0.45,
        0.12,
        (),
        None,
        False,
        0,
    ),
    "ultrasound": ("Hospital ultrasound", "acute_trust", 45, 0.06, 0.5, 0.1, (), None, False, 0),
    "theatres": ("Theatres & anaesthesia", "acute_trust", 18, 0.6, 0.4, 0.08, (), None, False, 0),
    "gp_practices": ("GP practices", "gp_federation", 300, 0.155, 0.25, 0.08, (), None, True, 0),
    # -- row 1, first floor: what rests on the ground --------------------------------------
    "critical_care": (
        "Critical care",
        "acute_trust",
        6,
        1.4,
        0.3,
        0.05,
        ("pathology", "imaging"),
        None,
        True,
        1,
    ),
    "endoscopy": ("Endoscopy", "acute_trust", 8, 0.5, 0.5, 0.1, ("pathology",), None, False, 1),
    "paediatrics": (
        "Paediatrics",
        "acute_trust",
        5,
        1.5,
        0.4,
        0.06,
        ("pathology", "imaging"),
        None,
        False,
        1,
    ),
    "community_nursing": (
        "Community nursing",
        "community_trust",
        150,
        0.06,
        0.6,
        0.1,
        ("gp_practices",),
        None,
        False,
        1,
    ),
    "intermediate_care": (
        "Intermediate care",
        "community_trust",
        4,
        1.5,
        0.55,
        0.08,
        ("gp_practices",),
        None,
        False,
        1,
    ),
    "community_diagnostics": (
        "Community diagnostics",
        "community_trust",
        60,
        0.05,
        0.5,
        0.1,
        ("gp_practices",),
        None,
        False,
        1,
    ),
    "community_mental_health": (
        "Community mental health team",
        "mental_health_trust",
        6,
        2.5,
        0.5,
        0.08,
        ("gp_practices",),
        None,
        False,
        1,
    ),
    # -- row 2, second floor: the emergency core, surgery and maternity --------------------
    "ae": (
        "A&E",
        "acute_trust",
        100,
        0.15,
        0.3,
        0.05,
        ("critical_care", "pathology", "imaging", "acute_medicine"),
        None,
        True,
        2,
    ),
    "acute_medicine": (
        "Acute medicine",
        "acute_trust",
        28,
        2.0,
        0.3,
        0.04,
        ("ae", "pathology", "imaging", "community_nursing", "intermediate_care"),
        _ANY_DISCHARGE,
        False,
        2,
    ),
    "general_surgery": (
        "General surgery",
        "acute_trust",
        9,
        2.4,
        0.4,
        0.05,
        ("theatres", "critical_care", "imaging", "pathology"),
        None,
        False,
        2,
    ),
    "maternity": (
        "Maternity",
        "acute_trust",
        3.6,
        3.5,
        0.4,
        0.04,
        ("theatres", "ultrasound", "community_diagnostics"),
        AllOf("theatres") & AnyOf("ultrasound", "community_diagnostics"),
        True,
        2,
    ),
    "gastroenterology": (
        "Gastroenterology",
        "acute_trust",
        12,
        0.2,
        0.5,
        0.12,
        ("endoscopy", "pathology"),
        None,
        False,
        2,
    ),
    "minor_injuries": (
        "Minor injuries unit",
        "community_trust",
        30,
        0.06,
        0.5,
        0.1,
        ("imaging", "community_diagnostics"),
        AnyOf(),
        False,
        2,
    ),
    # -- row 3, third floor ----------------------------------------------------------------
    "trauma_orthopaedics": (
        "Trauma & orthopaedics",
        "acute_trust",
        6,
        3.0,
        0.4,
        0.05,
        ("theatres", "imaging", "ae"),
        None,
        False,
        3,
    ),
    "stroke": (
        "Stroke unit",
        "acute_trust",
        0.6,
        8.0,
        0.3,
        0.05,
        ("imaging", "acute_medicine"),
        None,
        False,
        3,
    ),
    "neonatal": (
        "Neonatal unit",
        "acute_trust",
        3,
        1.0,
        0.6,
        0.03,
        ("maternity", "paediatrics"),
        None,
        False,
        3,
    ),
    "community_beds": (
        "Community beds (step-down)",
        "community_trust",
        20,
        0.3,
        0.5,
        0.05,
        ("acute_medicine",),
        None,
        False,
        3,
    ),
    "crisis_team": (
        "Crisis team",
        "mental_health_trust",
        3,
        1.5,
        0.5,
        0.08,
        ("community_mental_health", "ae"),
        AnyOf(),
        False,
        3,
    ),
    "liaison_psychiatry": (
        "Liaison psychiatry",
        "mental_health_trust",
        4,
        0.4,
        0.5,
        0.1,
        ("ae",),
        None,
        False,
        3,
    ),
    # -- row 4, fourth floor: outpatient specialties and the mental health wards -----------
    "cardiology": (
        "Cardiology",
        "acute_trust",
        30,
        0.25,
        0.45,
        0.2,
        ("pathology", "imaging"),
        None,
        False,
        4,
    ),
    "respiratory": (
        "Respiratory medicine",
        "acute_trust",
        15,
        0.2,
        0.45,
        0.12,
        ("pathology", "imaging"),
        None,
        False,
        4,
    ),
    "dermatology": (
        "Dermatology",
        "acute_trust",
        12,
        0.12,
        0.5,
        0.25,
        ("pathology",),
        None,
        False,
        4,
    ),
    "ophthalmology": (
        "Ophthalmology",
        "acute_trust",
        20,
        0.12,
        0.45,
        0.25,
        ("theatres",),
        None,
        False,
        4,
    ),
    "mental_health_inpatient": (
        "Mental health wards",
        "mental_health_trust",
        25,
        0.45,
        0.4,
        0.06,
        ("crisis_team",),
        None,
        False,
        4,
    ),
    # -- row 5, top row: services that nothing else needs (the first to be moved) ----------
    "diabetes_outpatients": (
        "Diabetes outpatients",
        "acute_trust",
        10,
        0.15,
        0.5,
        0.2,
        ("pathology",),
        None,
        False,
        5,
    ),
    "msk_physio": (
        "MSK physiotherapy",
        "community_trust",
        40,
        0.05,
        0.6,
        0.1,
        ("gp_practices",),
        None,
        False,
        5,
    ),
    "gp_out_of_hours": (
        "GP out of hours",
        "gp_federation",
        300,
        0.012,
        0.4,
        0.1,
        ("gp_practices",),
        None,
        False,
        5,
    ),
    "gp_diabetes_care": (
        "GP diabetes care",
        "gp_federation",
        15,
        0.1,
        0.4,
        0.15,
        ("gp_practices", "pathology"),
        None,
        False,
        5,
    ),
    "gp_minor_surgery": (
        "GP minor surgery",
        "gp_federation",
        3,
        0.1,
        0.4,
        0.15,
        ("gp_practices",),
        None,
        False,
        5,
    ),
}


# -- units, health effects and sources (issue #17) --------------------------------------
_SIZE = (
    "activity sized to a district of 300,000 people (assumption; spend per head from NHSBudget2012)"
)
_PRICE = "tariff a round figure of the right size (assumption)"
_SHARES = (
    "variable share v and contribution share m (assumption; savings only when whole "
    "services close: Imison2017, Monitor2015)"
)
_EMERGENCY = "variable share v = 0.3 from the marginal-rate emergency tariff (MarginalRateTariff)"

#: What one unit of each service's activity counts (activity is in thousands of these).
ECONOMY_UNITS: dict[str, str] = {
    "pathology": "tests",
    "imaging": "examinations",
    "ultrasound": "scans",
    "theatres": "operations",
    "gp_practices": "registered patients",
    "critical_care": "bed-days",
    "endoscopy": "procedures",
    "paediatrics": "admissions",
    "community_nursing": "contacts",
    "intermediate_care": "bed-days",
    "community_diagnostics": "tests",
    "community_mental_health": "patients on the caseload",
    "ae": "attendances",
    "acute_medicine": "admissions",
    "general_surgery": "admissions",
    "maternity": "births",
    "gastroenterology": "outpatient attendances",
    "minor_injuries": "attendances",
    "trauma_orthopaedics": "admissions",
    "stroke": "admissions",
    "neonatal": "cot-days",
    "community_beds": "bed-days",
    "crisis_team": "episodes",
    "liaison_psychiatry": "assessments",
    "cardiology": "outpatient attendances",
    "respiratory": "outpatient attendances",
    "dermatology": "outpatient attendances",
    "ophthalmology": "outpatient attendances",
    "mental_health_inpatient": "bed-days",
    "diabetes_outpatients": "outpatient attendances",
    "msk_physio": "contacts",
    "gp_out_of_hours": "registered patients",
    "gp_diabetes_care": "patients",
    "gp_minor_surgery": "procedures",
}

#: Illustrative health effects: QALYs per thousand units of activity, for the services
#: whose loss costs patients most directly. Each is an assumption of the right order, not
#: an estimate from data; a user's own economy should replace them.
ECONOMY_HEALTH: dict[str, float] = {
    "critical_care": 20.0,
    "ae": 2.0,
    "acute_medicine": 10.0,
    "general_surgery": 8.0,
    "maternity": 30.0,
    "stroke": 150.0,
    "neonatal": 5.0,
    "trauma_orthopaedics": 20.0,
    "crisis_team": 10.0,
}
_HEALTH_SOURCE = "health per unit illustrative (assumption)"

#: Where each service's numbers come from (one text per service; keys in references.bib).
ECONOMY_SOURCES: dict[str, str] = {
    sid: "; ".join(
        [
            _SIZE,
            _PRICE,
            _EMERGENCY if sid in ("ae", "acute_medicine", "critical_care") else _SHARES,
            *([_HEALTH_SOURCE] if sid in ECONOMY_HEALTH else []),
        ]
    )
    for sid in ECONOMY_SERVICES
}

#: Where each provider's numbers come from.
ECONOMY_PROVIDER_SOURCES: dict[str, str] = {
    pid: (
        "reserves and headroom when intact chosen (assumption; the acute trust's £2.0 m is "
        "about 1% of its income, the size of a typical NHS trust surplus or deficit); "
        "overhead F = sum of full margins + R - headroom"
    )
    for pid in ECONOMY_PROVIDERS
}


def _setting(provider: str) -> str:
    return ECONOMY_PROVIDERS[provider][1]


def local_health_economy() -> Tower:
    """The built-in worked example: 34 services of four providers (see the module docstring).

    Each service has activity ``a``, tariff ``p``, variable cost ``c = v·p``
    and fixed cost ``f = (1 − v − m)·a·p`` (full margin ``m·a·p``); each
    provider's overhead is ``F = Σ m·a·p + R − H`` for its reserves ``R`` and
    chosen headroom ``H``. Services carry a ``setting`` (``"acute"``,
    ``"community"``, ``"primary"``, ``"mental_health"``), a drawing ``layer``
    and a ``label``.

    Returns
    -------
    Tower
        Monotone, viable when intact, with one mutual dependence (A&E and
        acute medicine).

    Examples
    --------
    >>> t = local_health_economy()
    >>> len(t), t.validate().ok
    (34, True)
    >>> t.cascade({"endoscopy"}).fell
    ('gastroenterology',)
    """
    services, edges = [], []
    margins: dict[str, float] = dict.fromkeys(ECONOMY_PROVIDERS, 0.0)
    for sid, (label, prov, a, p, v, m, sups, rule, critical, layer) in ECONOMY_SERVICES.items():
        c = round(v * p, 6)
        f = round((1.0 - v - m) * a * p, 6)
        s = Service(
            sid,
            provider=prov,
            activity=a,
            tariff=p,
            variable_cost=c,
            fixed_cost=f,
            support=rule,
            critical=critical,
            setting=_setting(prov),
            layer=layer,
            label=label,
            unit=ECONOMY_UNITS[sid],
            health=ECONOMY_HEALTH.get(sid),
            source=ECONOMY_SOURCES[sid],
        )
        margins[prov] += s.full_margin
        services.append(s)
        edges.extend((u, sid) for u in sups)
    providers = [
        Provider(
            pid,
            overhead=round(margins[pid] + reserves - headroom, 6),
            reserves=reserves,
            label=label,
            source=ECONOMY_PROVIDER_SOURCES[pid],
        )
        for pid, (label, _setting_, reserves, headroom) in ECONOMY_PROVIDERS.items()
    ]
    return Tower(services, edges, providers, name="local health economy (worked example)")
