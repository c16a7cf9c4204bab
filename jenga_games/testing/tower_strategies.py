"""Hypothesis strategies for towers, for the toolkit's and users' own property tests.

>>> from hypothesis import given
>>> from jenga_games.testing.tower_strategies import towers
>>> @given(towers(max_services=6))
... def test_intact_cascade_is_a_fixpoint(tower):
...     out = tower.cascade()
...     assert tower.cascade(out.gone).fell == ()
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from ..tower.model import Provider, Service, Tower
from ..tower.rules import AllOf, AnyOf, AtLeast, Rule

__all__ = ["removal_orders", "support_rules", "towers"]


@st.composite
def support_rules(draw, supporters: tuple, compound: bool = True) -> Rule | None:
    """A support rule over ``supporters`` (``None`` = the default, all of them)."""
    n = len(supporters)
    kinds = ["default", "all", "any"]
    if n:
        kinds += ["atleast", "named_any", "named_all"]
        if compound and n >= 2:
            kinds += ["and", "or"]
    kind = draw(st.sampled_from(kinds))
    if kind == "default":
        return None
    if kind == "all":
        return AllOf()
    if kind == "any":
        return AnyOf()
    if kind == "atleast":
        return AtLeast(draw(st.integers(0, n)))
    subset = draw(st.lists(st.sampled_from(supporters), min_size=1, max_size=n, unique=True))
    if kind == "named_any":
        return AnyOf(*subset)
    if kind == "named_all":
        return AllOf(*subset)
    other = draw(st.lists(st.sampled_from(supporters), min_size=1, max_size=n, unique=True))
    a, b = AnyOf(*subset), AllOf(*other)
    return (a & b) if kind == "and" else (a | b)


@st.composite
def towers(
    draw,
    min_services: int = 1,
    max_services: int = 8,
    *,
    providers: bool = True,
    monotone: bool | None = None,
    cycles: bool = True,
    compound_rules: bool = True,
    grounded: bool | None = False,
    critical: bool = True,
) -> Tower:
    """Random small towers.

    Parameters
    ----------
    min_services, max_services : int
    providers : bool
        Give services providers with tariffs, costs, overheads and reserves.
    monotone : bool or None
        ``True``: every tariff covers variable cost, every full margin is
        >= 0, and services whose rule can fail have no fixed cost (the
        sufficient conditions of :mod:`jenga_games.tower.validate`: removing
        more never makes less fall); ``False`` or ``None``: no such constraint
        (draws include non-monotone towers).
    cycles : bool
        Allow edges in both directions (mutual support); otherwise acyclic.
    compound_rules : bool
        Allow ``&`` / ``|`` rules over named supporters.
    grounded : bool or None
        The tower's reading of cycles; ``None`` draws it.
    critical : bool
        Mark some services critical.
    """
    n = draw(st.integers(min_services, max_services))
    ids = [f"s{i}" for i in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j and (cycles or i < j)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=min(len(pairs), 2 * n)))
        if pairs
        else []
    )
    edges = [(ids[i], ids[j]) for i, j in chosen]
    sup: dict[str, list[str]] = {s: [] for s in ids}
    for u, v in edges:
        sup[v].append(u)
    n_prov = draw(st.integers(1, 3)) if providers else 0
    pids = [f"P{j}" for j in range(n_prov)]
    money = st.floats(0, 10, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2))
    services = []
    for s in ids:
        rule = draw(support_rules(tuple(sup[s]), compound=compound_rules))
        kw = {}
        if providers:
            a = draw(money)
            c = draw(money)
            p = draw(money)
            f = draw(money)
            if monotone:  # the sufficient conditions of jenga_games.tower.validate
                p = max(p, c)
                f = min(f, math.floor(a * (p - c) * 100) / 100)  # rounded down: a·(p − c) − f ≥ 0
                f = max(f, 0.0)
                if not (rule or AllOf()).evaluate(frozenset(), tuple(sup[s])):
                    f = 0.0  # it can fall: a stranded fixed cost would break monotonicity
            kw = dict(
                provider=draw(st.sampled_from(pids)),
                activity=a,
                tariff=p,
                variable_cost=c,
                fixed_cost=f,
            )
        services.append(Service(s, support=rule, critical=critical and draw(st.booleans()), **kw))
    provs = None
    if providers:
        provs = [Provider(p, overhead=draw(money), reserves=draw(money)) for p in pids]
    g = draw(st.booleans()) if grounded is None else grounded
    return Tower(services, edges, provs, grounded=g)


@st.composite
def removal_orders(draw, tower: Tower, min_size: int = 0, max_size: int | None = None) -> list:
    """A removal order: distinct services of ``tower`` in random order."""
    ids = list(tower.ids)
    return draw(
        st.lists(
            st.sampled_from(ids),
            unique=True,
            min_size=min_size,
            max_size=len(ids) if max_size is None else max_size,
        )
    )
