"""Exact answers: the most valuable safe set and the smallest collapsing set.

Semantics (DESIGN §1). A set ``R`` of eligible services is removed *at once*
(``tower.cascade(R)``): planned removals save their fixed cost, services
that then fall unplanned strand theirs.

**Safe**: nothing falls and no provider fails. Then the standing set is
``V∖R`` itself, so ``R`` is safe iff (i) every service of ``V∖R`` has its
rule satisfied by ``V∖R`` (k-core reading; grounded towers also need an
order in which each service is held up by services placed before it) and
(ii) every provider is viable: ``Σ_{v∈P∖R} (a_v(p_v − c_v) − f_v) + R_P ≥
F_P``. With ``s_v = 1 − y_v`` ("stands") both are linear (see
:mod:`._milp_model`), and ``max_safe_set`` maximises ``Σ w_v y_v``.

*Closure shortcut.* When every rule is all-of (a conjunction of gates that
need all their supporters) and no provider constraint can bind (each
provider stays viable even with all its eligible positive-margin services
removed), (i) reads ``y_u ≤ y_v`` for every all-of dependence of ``v`` on
``u``: a safe set is a *closure* of that graph avoiding ineligible
services, and the most valuable one is a maximum-weight closure, found by
one minimum cut [Picard1976]_.

**Collapse** (``min_collapse_set``): the fewest removals after which a
critical service falls or a provider fails (``criterion="collapsed"``), or
anything falls (``"fallen"``). A cascade's falls before the first provider
failure are *justified*: each ``v`` that falls has its rule failing given
the removed services and those that fell strictly earlier. With binaries
``f_v`` (falls), ``p_uv`` (supporter ``u`` fell before ``v``: ``p_uv ≤ f_u``,
``τ_u + 1 ≤ τ_v`` when ``p_uv = 1``, continuous times ``τ``) the rule of
``v`` must fail with "gone" indicators ``y_u + p_uv``. Orders are only
needed inside strongly connected components: across them ``p_uv = f_u``
(an upstream component cannot be justified by a downstream one). A provider witness
``q_P`` needs its balance, with ``f`` fallen and ``y`` removed, below
``−10⁻⁵·max(1, F_P)`` (clear of the solver's feasibility tolerance). Collapse is ``Σ_{critical} f_v + Σ_P q_P ≥ 1``. The encoding is
exact for the k-core cascade when falls never raise a provider's balance
(every tariff covers its variable cost): every real cascade gives such a
witness, and every witness lies inside the real cascade, because the
greatest fixpoint is monotone [Dorogovtsev2006]_. ``"fallen"`` needs no
such condition.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from ..._results import Provenance, Result
from ...errors import InvalidTowerError
from ...tolerance import TOL
from ._brute import is_safe
from ._common import check_tower, eligible_indices, intact_must_stand, is_acyclic, weight_array
from ._milp_model import Model

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Tower
    from ..outcome import Outcome

__all__ = ["CollapseSet", "SafeSet", "max_safe_set", "min_collapse_set"]

#: A provider witness needs its balance below ``−_WITNESS_MARGIN·max(1, F)``: above HiGHS's
#: feasibility tolerance (1e-6), so a balance of exactly zero is never read as a failure.
#: Balances in ``(−1e-5, −TOL)·max(1, F)`` fail in the cascade but are not witnessed.
_WITNESS_MARGIN = 1e-5


@dataclass(frozen=True, eq=False)
class SafeSet(Result):
    """The most valuable set of eligible services that can be removed with nothing falling.

    Attributes
    ----------
    removed : tuple
        The services to remove (in the tower's order).
    value : float
        ``Σ w`` over ``removed`` (their count when no weights were given).
    status : str
        ``"optimal"`` (proven, and cross-checked: see below), ``"time_limit"``
        (best found; see ``bound``, ``gap``) or ``"unverified"`` (the solver
        said optimal but a cross-check disagreed; the best set confirmed safe
        by the cascade is returned).
    bound : float
        An upper bound on the best value (equal to ``value`` when optimal).
        Cross-check of an "optimal" MILP answer (HiGHS presolve has returned
        wrong optima for this model): the set is re-checked by the cascade,
        compared with simple safe candidates (all eligible services), and on
        small models the MILP is solved again without presolve;
        ``provenance.params["cross_check"]`` records what was found.
    gap : float
        ``(bound − value) / max(1, |value|)``.
    method : str
        ``"closure"`` (one minimum cut) or ``"milp"`` (HiGHS).
    outcome : Outcome
        ``tower.cascade(removed)``: the check that nothing falls.
    provenance : Provenance
    """

    removed: tuple
    value: float
    status: str
    bound: float
    gap: float
    method: str
    outcome: Outcome
    provenance: Provenance = field(default_factory=lambda: Provenance("max_safe_set"))

    @property
    def proven_optimal(self) -> bool:
        return self.status == "optimal"

    def __repr__(self) -> str:
        return (
            f"SafeSet({len(self.removed)} removed, value {self.value:g}, {self.status}, "
            f"{self.method}: {', '.join(map(repr, self.removed[:6]))}"
            f"{', ...' if len(self.removed) > 6 else ''})"
        )


@dataclass(frozen=True, eq=False)
class CollapseSet(Result):
    """The fewest eligible removals that make the tower collapse (or fall).

    Attributes
    ----------
    removed : tuple or None
        The services to remove; ``None`` when no set of eligible services
        does it (``status == "infeasible"``) or none was found in time.
    size : int or None
    criterion : str
        ``"collapsed"`` or ``"fallen"``.
    status : str
        ``"optimal"``, ``"time_limit"`` or ``"infeasible"``.
    bound : float or None
        A lower bound on the smallest size.
    gap : float or None
    outcome : Outcome or None
        ``tower.cascade(removed)``: the check that it collapses.
    provenance : Provenance
    """

    removed: tuple | None
    size: int | None
    criterion: str
    status: str
    bound: float | None
    gap: float | None
    outcome: Outcome | None
    provenance: Provenance = field(default_factory=lambda: Provenance("min_collapse_set"))

    @property
    def proven_optimal(self) -> bool:
        return self.status == "optimal"

    def __repr__(self) -> str:
        what = "none" if self.removed is None else ", ".join(map(repr, self.removed))
        return f"CollapseSet({self.criterion}: size {self.size}, {self.status}: {what})"


def _rule(ct, v: int):
    """Service ``v``'s rule as a compiled tree (threshold rules become one gate)."""
    if ct.threshold[v] >= 0:
        return ("gate", ct.in_idx[ct.in_ptr[v] : ct.in_ptr[v + 1]], int(ct.threshold[v]))
    return ct.general[v]


def _all_of_parts(rule) -> list[np.ndarray] | None:
    """The supporters a rule needs all of, if it is a conjunction of all-of gates; else None."""
    kind = rule[0]
    if kind == "gate":
        idx, k = rule[1], rule[2]
        if k <= 0:
            return []
        return [idx] if k == len(idx) else None
    if kind == "or" and len(rule[1]) != 1:
        return None
    parts: list[np.ndarray] = []
    for child in rule[1]:
        sub = _all_of_parts(child)
        if sub is None:
            return None
        parts.extend(sub)
    return parts


def _provider_slack(tower: Tower, elig: np.ndarray) -> np.ndarray:
    """Each provider's intact balance minus every eligible positive full margin it could lose."""
    ct = tower.compiled
    fm = ct.full_margin
    bal = ct.balances(np.ones(ct.n), np.ones(ct.n, bool), np.zeros(ct.n, bool))
    mask = np.zeros(ct.n, bool)
    mask[elig] = True
    lose = np.where(mask & (fm > 0) & (ct.provider >= 0), fm, 0.0)
    has = ct.provider >= 0
    return bal - np.bincount(ct.provider[has], weights=lose[has], minlength=ct.n_providers)


def _closure(tower: Tower, elig: np.ndarray, w: np.ndarray) -> list[int] | None:
    """Maximum-weight closure [Picard1976]_, or None when the shortcut does not apply."""
    ct = tower.compiled
    if ct.n_providers and np.any(ct.unviable(_provider_slack(tower, elig))):
        return None
    req = nx.DiGraph()
    req.add_nodes_from(range(ct.n))
    for v in range(ct.n):
        parts = _all_of_parts(_rule(ct, v))
        if parts is None:
            return None
        for idx in parts:
            req.add_edges_from((int(u), v) for u in idx)
    eligible = set(elig.tolist())
    forbidden = set(range(ct.n)) - eligible
    for x in list(forbidden):
        forbidden |= nx.ancestors(req, x)
    allowed = [v for v in elig.tolist() if v not in forbidden]
    if all(w[v] >= 0 for v in allowed):
        return allowed
    g = nx.DiGraph()
    g.add_nodes_from(["s", "t"])
    for v in allowed:
        if w[v] > 0:
            g.add_edge("s", v, capacity=float(w[v]))
        elif w[v] < 0:
            g.add_edge(v, "t", capacity=float(-w[v]))
        else:
            g.add_node(v)
    sub = req.subgraph(allowed)
    g.add_edges_from(sub.edges())  # no capacity: infinite
    _, (source_side, _) = nx.minimum_cut(g, "s", "t")
    return sorted(v for v in source_side if v != "s")


def _sccs(ct) -> np.ndarray:
    g = nx.DiGraph()
    g.add_nodes_from(range(ct.n))
    g.add_edges_from(zip(ct.in_idx.tolist(), ct.in_dst.tolist()))
    comp = np.zeros(ct.n, dtype=np.int64)
    for c, nodes in enumerate(nx.strongly_connected_components(g)):
        comp[list(nodes)] = c
    return comp


#: Removal sets tried by enumeration through the undo engine before the MILP (sizes 1, 2, 3
#: while the count of sets of the next size stays within this budget; each costs one
#: incremental removal and its undo, tens of microseconds on a small tower).
_ENUMERATION_BUDGET = 40_000
_ENUMERATION_MAX_SIZE = 3


def _small_collapse_set(
    tower: Tower, elig: np.ndarray, criterion: str, budget: int | None = None
) -> tuple[list[int] | None, int]:
    """The first (lexicographic) smallest set of at most three eligible services that collapses.

    Returns ``(chosen, searched)``: ``chosen`` the indices of a smallest set, or
    ``None`` when no set of size ``≤ searched`` works (the next size's count of
    sets was over ``budget``, default ``_ENUMERATION_BUDGET``, or ``searched``
    is the cap of three).

    Sets are built by removing services one after another through the undo
    engine (:func:`~jenga_games.tower.engine.open_engine`) and undoing them.
    This equals removing the set at once: every shorter prefix was tried
    before without the tower falling (criterion ``"fallen"``), or without it
    collapsing, all its tariffs covering variable costs (``"collapsed"``), and
    then what stands is order-free (the greatest fixpoint; DESIGN §1). A
    service that has fallen already is skipped: a set containing it is not
    smaller than the set that made it fall.
    """
    from itertools import accumulate
    from math import comb

    from ..engine import open_engine

    budget = _ENUMERATION_BUDGET if budget is None else budget
    engine = open_engine(tower, incremental_grounded=True)
    crit = tower.compiled.critical.tolist()
    items = elig.tolist()
    m = len(items)

    def hit(fell: list[int], failed: list[int]) -> bool:
        if criterion == "fallen":
            return bool(fell)
        return bool(failed) or any(crit[j] for j in fell)

    def search(start: int, depth: int, chosen: list[int]) -> list[int] | None:
        for pos in range(start, m - depth + 1):
            v = items[pos]
            if not engine.alive[v]:
                continue
            mark = engine.checkpoint()
            fell, failed = engine.remove(v)
            if depth == 1:
                found = [*chosen, v] if hit(fell, failed) else None
            else:
                found = search(pos + 1, depth - 1, [*chosen, v])
            engine.undo(mark)
            if found is not None:
                return found
        return None

    tried = list(accumulate(comb(m, k) for k in range(1, _ENUMERATION_MAX_SIZE + 1)))
    searched = 0
    for size in range(1, min(m, _ENUMERATION_MAX_SIZE) + 1):
        if size > 1 and tried[size - 1] > budget:
            break
        found = search(0, size, [])
        if found is not None:
            return found, size
        searched = size
    return None, searched


def max_safe_set(
    tower: Tower,
    eligible: Iterable[Hashable] | None = None,
    weights: Mapping[Hashable, float] | None = None,
    *,
    time_limit: float | None = 60.0,
    method: str = "auto",
) -> SafeSet:
    """The largest (or most valuable) set of eligible services removable with nothing falling.

    Parameters
    ----------
    tower : Tower
        Must stand intact.
    eligible : collection of service ids, optional
        What may be removed (default: every service).
    weights : mapping service id -> float, optional
        Value of removing each service (default 1: the largest set). May be
        negative (a service worth keeping).
    time_limit : float, optional
        Seconds for HiGHS; on timeout the best set found is returned with
        ``status="time_limit"``, its upper ``bound`` and ``gap``.
    method : {"auto", "milp", "closure"}
        ``"auto"`` uses the closure shortcut when it applies.

    Returns
    -------
    SafeSet

    Notes
    -----
    Maximise ``Σ_v w_v y_v`` subject to the rule constraints
    ``s_v ⇒ rule_v(s)`` and provider viability
    ``Σ_{v∈P} s_v (a_v(p_v − c_v) − f_v) ≥ F_P − R_P``, ``s_v = 1 − y_v``
    (module docstring; [Picard1976]_ for the closure case).

    Examples
    --------
    >>> from jenga_games.tower.library import classic_jenga
    >>> rows = ["L0.0", "L0.1", "L0.2", "L1.0", "L1.1", "L1.2"]   # the top row must stay
    >>> max_safe_set(classic_jenga(3), rows).removed   # both sides of each row: the middles hold
    ('L0.0', 'L0.2', 'L1.0', 'L1.2')
    """
    tower = check_tower(tower, "max_safe_set")
    _check_time_limit(time_limit, "max_safe_set")
    if method not in ("auto", "milp", "closure"):
        raise InvalidTowerError(f"method must be 'auto', 'milp' or 'closure', got {method!r}")
    elig = eligible_indices(tower, eligible, "max_safe_set")
    w = weight_array(tower, weights, "max_safe_set")
    intact_must_stand(tower, "max_safe_set")
    params = {"eligible": len(elig), "weights": weights is not None, "time_limit": time_limit}
    if method in ("auto", "closure"):
        chosen = _closure(tower, elig, w)
        if chosen is not None:
            value = float(w[chosen].sum())
            return _safe_result(
                tower,
                chosen,
                value,
                "optimal",
                value,
                "closure",
                Provenance("max_safe_set", {**params, "method": "closure"}),
            )
        if method == "closure":
            raise InvalidTowerError(
                "max_safe_set(method='closure') needs all-of rules only and providers that stay "
                "viable whatever eligible services go; use method='milp'"
            )
    return _safe_milp(tower, elig, w, time_limit, params)


def _check_time_limit(time_limit, who: str) -> None:
    """``None`` (no limit) or a positive number of seconds: a result is never "optimal" by accident."""
    if time_limit is None:
        return
    if isinstance(time_limit, bool) or not isinstance(time_limit, int | float | np.number):
        raise InvalidTowerError(
            f"{who}: time_limit must be a number of seconds or None, got {time_limit!r}"
        )
    if not time_limit > 0:  # also refuses NaN
        raise InvalidTowerError(
            f"{who}: time_limit must be > 0 seconds (None for no limit), got {time_limit!r}"
        )


def _safe_milp(tower: Tower, elig: np.ndarray, w: np.ndarray, time_limit, params) -> SafeSet:
    ct = tower.compiled
    n = ct.n
    mdl = Model()
    is_elig = np.zeros(n, bool)
    is_elig[elig] = True
    s = [
        mdl.var(lb=0.0 if is_elig[v] else 1.0, cost=float(w[v]) if is_elig[v] else 0.0)
        for v in range(n)
    ]
    grounded_cycles = ct.grounded and not is_acyclic(tower)
    comp = _sccs(ct) if grounded_cycles else None
    tau = [mdl.var(0.0, float(n), integer=False) for _ in range(n)] if grounded_cycles else None
    big = float(n + 1)
    for v in range(n):
        sups = ct.in_idx[ct.in_ptr[v] : ct.in_ptr[v + 1]].tolist()
        smap = {}
        for u in sups:
            if grounded_cycles and comp[u] == comp[v]:
                p = mdl.var()
                mdl.row({p: 1.0, s[u]: -1.0}, hi=0.0)
                mdl.row({tau[u]: 1.0, tau[v]: -1.0, p: big}, hi=big - 1.0)
                smap[u] = p
            else:
                smap[u] = s[u]
        mdl.holds(_rule(ct, v), s[v], smap)
    fm = ct.full_margin
    for j in range(ct.n_providers):
        members = ct.prov_idx[ct.prov_ptr[j] : ct.prov_ptr[j + 1]].tolist()
        # engine.unviable, as a linear row: Σ full margins ≥ F − R − TOL·max(1, F)
        need = ct.overhead[j] - ct.reserves[j] - TOL * ct.balance_scale[j]
        mdl.row({s[v]: float(fm[v]) for v in members}, lo=float(need))
    sol = mdl.solve(time_limit)
    total = float(w[elig].sum())
    params = {**params, "method": "milp"}
    # removing nothing is always safe (the tower stands intact): the fallback when time runs out
    chosen = [] if sol.x is None else [v for v in elig.tolist() if sol.x[s[v]] < 0.5]
    value = float(w[chosen].sum())
    bound = total - sol.bound if sol.bound is not None and np.isfinite(sol.bound) else total
    status = sol.status
    if status == "optimal":
        bound = value
        chosen, value, status, params["cross_check"] = _cross_check_safe(
            tower, mdl, s, elig, w, chosen, value, time_limit
        )
        if status != "optimal":
            bound = max(value, float(w[elig][w[elig] > 0].sum()))
    return _safe_result(
        tower,
        chosen,
        value,
        status,
        max(bound, value),
        "milp",
        Provenance("max_safe_set", params),
    )


#: Models with at most this many variables are solved twice (HiGHS presolve on and off).
CROSS_CHECK_VARIABLES = 2000


def _cross_check_safe(tower, mdl, s, elig, w, chosen, value, time_limit):
    """Check an "optimal" safe set before calling it so (issue #23: a HiGHS presolve bug).

    HiGHS (scipy's ``milp``) has returned a wrong "optimal" solution for this
    model with presolve on (about 1 tower in 16,600 with fractional data).
    Three checks: the set is safe by the cascade itself; no simple feasible
    candidate (every eligible service with a positive weight, or every
    eligible service) is worth more; and on small models (at most
    :data:`CROSS_CHECK_VARIABLES` variables) a second solve without presolve
    agrees. The best set that the cascade confirms safe is returned; it is
    ``"optimal"`` only when the solves agree, else ``"unverified"``.
    Returns ``(chosen, value, status, what was done)``.
    """
    done: dict = {}

    def safe(idx) -> bool:  # nothing falls and no provider fails
        return is_safe(tower, [tower.ids[i] for i in idx])

    def better(a: float, b: float) -> bool:
        return a > b + TOL * max(1.0, abs(b))

    verified = safe(chosen)
    if not verified:
        done["solution falls"] = True
        chosen, value = [], 0.0  # the intact tower stands (checked before solving)
    positive = [v for v in elig.tolist() if w[v] > 0]
    for name, cand in (("positive weights", positive), ("every eligible", elig.tolist())):
        cv = float(w[cand].sum())
        if better(cv, value) and safe(cand):
            chosen, value, verified = list(cand), cv, False
            done["better candidate"] = name
    if len(mdl.lb) <= CROSS_CHECK_VARIABLES:
        sol2 = mdl.solve(time_limit, presolve=False)
        done["without presolve"] = sol2.status
        if sol2.status == "optimal":
            chosen2 = [v for v in elig.tolist() if sol2.x[s[v]] < 0.5]
            v2 = float(w[chosen2].sum())
            if better(v2, value) or better(value, v2):
                done["solves disagree"] = [value, v2]
            # the second solve is the proof when its set is safe and nothing found beats it
            if safe(chosen2) and not better(value, v2):
                return chosen2, v2, "optimal", done
        return chosen, value, "unverified", done
    return chosen, value, "optimal" if verified else "unverified", done


def _safe_result(tower, chosen, value, status, bound, method, prov) -> SafeSet:
    removed = tuple(tower.ids[i] for i in sorted(chosen))
    out = tower.cascade(removed)
    gap = (bound - value) / max(1.0, abs(value))
    return SafeSet(removed, value, status, float(bound), float(gap), method, out, prov)


def min_collapse_set(
    tower: Tower,
    eligible: Iterable[Hashable] | None = None,
    criterion: str = "collapsed",
    *,
    time_limit: float | None = 60.0,
) -> CollapseSet:
    """The fewest eligible removals (at once) after which the tower collapses, or falls.

    Parameters
    ----------
    tower : Tower
        Must stand intact; not a grounded tower with cycles.
    eligible : collection of service ids, optional
    criterion : {"collapsed", "fallen"}
        ``"collapsed"``: a critical service falls unplanned or a provider
        fails. ``"fallen"``: anything falls unplanned.
    time_limit : float, optional
        Seconds for HiGHS; reports the best set found, a lower bound and the gap.

    Returns
    -------
    CollapseSet

    Notes
    -----
    Sets of one, two and three removals are tried first through the undo
    engine, in order of size, while there are few of them (at most
    ``_ENUMERATION_BUDGET`` sets; one incremental cascade each, undone);
    beyond that minimise ``Σ y_v`` over justified cascades (module docstring). For
    ``"collapsed"``, every service with a provider must have ``p ≥ c``
    (falls then never help a provider), which makes the encoding exact.

    Examples
    --------
    >>> from jenga_games.tower.library import classic_jenga
    >>> min_collapse_set(classic_jenga(3)).size   # the middle and one side of a row
    2
    """
    tower = check_tower(tower, "min_collapse_set")
    _check_time_limit(time_limit, "min_collapse_set")
    if criterion not in ("collapsed", "fallen"):
        raise InvalidTowerError(f"criterion must be 'collapsed' or 'fallen', got {criterion!r}")
    elig = eligible_indices(tower, eligible, "min_collapse_set")
    intact_must_stand(tower, "min_collapse_set")
    ct = tower.compiled
    if ct.grounded and not is_acyclic(tower):
        raise InvalidTowerError(
            "min_collapse_set: grounded towers with mutual-support cycles are not supported; "
            "use the k-core reading (grounded=False) or remove the cycles"
        )
    if criterion == "collapsed":
        bad = [tower.ids[i] for i in np.flatnonzero((ct.provider >= 0) & (ct.unit_margin < 0))]
        if bad:
            raise InvalidTowerError(
                f"min_collapse_set(criterion='collapsed') needs every tariff to cover its variable "
                f"cost; {bad[0]!r} has p < c (its fall would help its provider). Use "
                "criterion='fallen' or correct the tariff"
            )
    params = {"eligible": len(elig), "criterion": criterion, "time_limit": time_limit}
    small, searched = _small_collapse_set(tower, elig, criterion)
    if small is not None:  # every smaller set was tried, so this size is optimal
        removed = tuple(tower.ids[i] for i in sorted(small))
        method = "single removals" if len(small) == 1 else "enumeration"
        return CollapseSet(
            removed,
            len(small),
            criterion,
            "optimal",
            float(len(small)),
            0.0,
            tower.cascade(removed),
            Provenance("min_collapse_set", {**params, "method": method}),
        )
    n = ct.n
    mdl = Model()
    y = {v: mdl.var(cost=1.0) for v in elig.tolist()}
    f = [mdl.var() for _ in range(n)]
    comp = _sccs(ct)
    size = np.bincount(comp)
    tau = {v: mdl.var(0.0, float(n), integer=False) for v in range(n) if size[comp[v]] > 1}
    big = float(n + 1)
    for v in range(n):
        if v in y:
            mdl.row({f[v]: 1.0, y[v]: 1.0}, hi=1.0)
        gone = {}
        for u in ct.in_idx[ct.in_ptr[v] : ct.in_ptr[v + 1]].tolist():
            if (
                comp[u] != comp[v]
            ):  # across strongly connected components: no circular justification
                gone[u] = {f[u]: 1.0, **({y[u]: 1.0} if u in y else {})}
                continue
            p = mdl.var()
            mdl.row({p: 1.0, f[u]: -1.0}, hi=0.0)
            mdl.row({tau[u]: 1.0, tau[v]: -1.0, p: big}, hi=big - 1.0)
            gone[u] = {p: 1.0, **({y[u]: 1.0} if u in y else {})}
        mdl.fails(_rule(ct, v), f[v], gone)
    fm = ct.full_margin
    am = ct.flow
    witnesses = []
    for j in range(ct.n_providers):
        members = ct.prov_idx[ct.prov_ptr[j] : ct.prov_ptr[j + 1]].tolist()
        base = float(sum(fm[v] for v in members) + ct.reserves[j] - ct.overhead[j])
        ub = (
            sum(fm[v] for v in members if v not in y)
            + sum(max(fm[v], 0.0) for v in members if v in y)
            + sum(max(-am[v], 0.0) for v in members)
            + ct.reserves[j]
            - ct.overhead[j]
        )
        delta = _WITNESS_MARGIN * ct.balance_scale[j]
        bigm = max(ub, 0.0) + delta + 1.0
        q = mdl.var()
        expr = {q: bigm}
        for v in members:
            if v in y:
                expr[y[v]] = -float(fm[v])
            expr[f[v]] = expr.get(f[v], 0.0) - float(am[v])
        mdl.row(expr, hi=-delta + bigm - base)
        if criterion == "fallen":
            row = {q: 1.0, **{y[v]: 1.0 for v in members if v in y}}
            mdl.row(row, hi=float(len(members)))
        witnesses.append(q)
    targets = [f[v] for v in range(n) if criterion == "fallen" or ct.critical[v]] + witnesses
    prov = Provenance("min_collapse_set", {**params, "method": "milp"})
    if not targets:
        return CollapseSet(None, None, criterion, "infeasible", None, None, None, prov)
    mdl.row(dict.fromkeys(targets, 1.0), lo=1.0)
    sol = mdl.solve(time_limit)
    if sol.x is None:
        status = "infeasible" if sol.status == "infeasible" else "time_limit"
        return CollapseSet(None, None, criterion, status, sol.bound, None, None, prov)
    chosen = [v for v in y if sol.x[y[v]] > 0.5]
    removed = tuple(tower.ids[i] for i in sorted(chosen))
    out = tower.cascade(removed)
    size = len(chosen)
    # no set of up to `searched` removals collapses it (enumerated above)
    least = float(searched + 1)
    dual = (
        least
        if sol.bound is None or not np.isfinite(sol.bound)
        else max(least, float(np.ceil(sol.bound - 1e-6)))
    )
    bound = float(size) if sol.status == "optimal" else min(dual, float(size))
    gap = (size - bound) / max(1.0, size)
    return CollapseSet(removed, size, criterion, sol.status, bound, gap, out, prov)
