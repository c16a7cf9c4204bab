"""What a cascade leaves: the :class:`Outcome` of ``Tower.cascade`` and ``Tower.play``.

Accounting (DESIGN §1), with ``x`` the fraction of activity left in place and
``p`` the tariff (money, in the tower's money unit):

* ``spend_lost`` = Σ over services that fell unplanned of ``x·a·p`` (their income at tariff);
* ``value_lost`` = Σ over those services of ``x·a·(p − c)`` (contribution lost);
* ``stranded_fixed_cost`` = Σ over those services of ``f``;
* ``spend_moved`` = Σ over all services of ``(1 − x)·a·p`` (planned moves);
* ``surviving_spend`` = Σ over standing services of ``x·a·p``, out of ``total_spend`` = Σ ``a·p``;
* ``health_lost[m]`` = Σ over the fallen services of ``x·a·h`` per health measure ``m``;
* ``health_moved[m]`` = Σ over all services of ``(1 − x)·a·h``: the health of the activity
  moved out as planned, which patients keep where it is re-provided elsewhere.

Activity is counted per unit, never across units (pathology tests and
bed-days do not add): ``activity_lost_by_unit``, ``activity_moved_by_unit``,
``surviving_activity_by_unit`` and ``total_activity_by_unit`` map each unit to
its own ``Σ x·a``. The single numbers ``activity_lost``, ``activity_moved``,
``surviving_activity`` and ``total_activity`` exist only when the tower counts
one unit; on a tower of several units they raise ``InvalidTowerError`` naming
the units (:mod:`jenga_games.tower.health`).

``fallen`` is true when anything fell unplanned; ``collapsed`` when a critical
service fell unplanned or a provider failed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._results import Result
from .engine import CascadeState
from .health import accounts, losses, per_measure, per_unit, sole_unit

if TYPE_CHECKING:  # pragma: no cover
    from .model import Tower

__all__ = ["Outcome", "Step"]


@dataclass(frozen=True)
class Step(Result):
    """One removal of ``Tower.play``.

    Attributes
    ----------
    service : the service removed (or skipped, when it had already fallen)
    skipped : bool
    fell : services that fell unplanned at this step, in cascade order
    failed_providers : providers that failed at this step
    fallen, collapsed : the tower's state after this step
    """

    service: Hashable
    skipped: bool
    fell: tuple[Hashable, ...]
    failed_providers: tuple[Hashable, ...]
    fallen: bool
    collapsed: bool


@dataclass(frozen=True)
class Outcome(Result):
    """The result of a cascade (``Tower.cascade``) or a removal order (``Tower.play``).

    Attributes
    ----------
    removed : frozenset
        Services removed as planned (fraction 0).
    fell : tuple
        Services that fell unplanned, in the order they fell (round by round).
    rounds : tuple of tuples
        The cascade's rounds: the services that fell together (for drawing).
    failed_providers : tuple
        Providers that became unviable, in order.
    standing : frozenset
        Services still standing.
    value_lost, stranded_fixed_cost : float
        Money, in the tower's money unit: see the module docstring.
    spend_moved, surviving_spend, total_spend : float
        Money at tariff: moved out as planned, still provided, and the intact total.
    fallen : bool
        Anything fell unplanned.
    collapsed : bool
        A critical service fell unplanned or a provider failed.
    critical_lost : tuple
        Critical services that fell unplanned.
    balances : mapping
        Each provider's ``Σ margins + R − F`` afterwards (DESIGN §1; < 0 means it failed).
    failure_round : mapping
        For each failed provider, the 1-based round ``r`` in which it failed: it
        was unviable given what stood after round ``r − 1``, and its services
        still standing fall in ``rounds[r − 1]`` (round 1 when the removal
        itself failed it). Counted over all of ``rounds`` (for ``play``,
        across steps).
    contribution_lost : mapping
        For each provider, ``Σ x·a·(p − c)`` over its services that fell
        unplanned (its share of ``value_lost``).
    steps : tuple of Step
        For ``play``: one record per removal (empty for ``cascade``).
    spend_lost : float
        ``Σ x·a·p`` over the services that fell: their income at tariff (money).
    health_lost : mapping
        Health measure (``"QALY"``, ...) -> ``Σ x·a·h`` over the fallen services that carry one.
    activity_lost_by_unit : mapping
        Activity unit -> activity lost in it (``"units"`` where no unit is stated);
        only the units that lost anything.
    activity_moved_by_unit, surviving_activity_by_unit, total_activity_by_unit : mapping
        Activity unit -> activity moved out / still provided / in the intact tower,
        every unit of the tower listed.
    health_moved : mapping
        Health measure -> ``Σ (1 − x)·a·h``: the health of the activity moved out as
        planned (kept by patients where it is re-provided elsewhere; never money).
    """

    removed: frozenset
    fell: tuple
    rounds: tuple
    failed_providers: tuple
    standing: frozenset
    value_lost: float
    stranded_fixed_cost: float
    fallen: bool
    collapsed: bool
    critical_lost: tuple
    balances: Mapping[Hashable, float] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    spend_lost: float = 0.0
    health_lost: Mapping[str, float] = field(default_factory=dict)
    activity_lost_by_unit: Mapping[str, float] = field(default_factory=dict)
    failure_round: Mapping[Hashable, int] = field(default_factory=dict)
    contribution_lost: Mapping[Hashable, float] = field(default_factory=dict)
    spend_moved: float = 0.0
    surviving_spend: float = 0.0
    total_spend: float = 0.0
    activity_moved_by_unit: Mapping[str, float] = field(default_factory=dict)
    surviving_activity_by_unit: Mapping[str, float] = field(default_factory=dict)
    total_activity_by_unit: Mapping[str, float] = field(default_factory=dict)
    health_moved: Mapping[str, float] = field(default_factory=dict)

    def _one_unit(self, by_unit: Mapping[str, float], what: str) -> float:
        unit = sole_unit(tuple(self.total_activity_by_unit), what)
        return 0.0 if unit is None else float(by_unit.get(unit, 0.0))

    @property
    def activity_lost(self) -> float:
        """``Σ x·a`` over the services that fell, when the tower counts one unit.

        Raises ``InvalidTowerError`` naming the units on a tower of several
        (use ``activity_lost_by_unit``, or ``spend_lost``).
        """
        return self._one_unit(self.activity_lost_by_unit, "activity_lost")

    @property
    def activity_moved(self) -> float:
        """``Σ (1 − x)·a`` moved out as planned, when the tower counts one unit."""
        return self._one_unit(self.activity_moved_by_unit, "activity_moved")

    @property
    def surviving_activity(self) -> float:
        """``Σ x·a`` over the standing services, when the tower counts one unit."""
        return self._one_unit(self.surviving_activity_by_unit, "surviving_activity")

    @property
    def total_activity(self) -> float:
        """``Σ a`` of the intact tower, when the tower counts one unit."""
        return self._one_unit(self.total_activity_by_unit, "total_activity")

    @property
    def gone(self) -> frozenset:
        """Everything no longer standing (removed or fell)."""
        return self.removed | frozenset(self.fell)

    @property
    def first_fallen_step(self) -> int | None:
        """For ``play``: the index in the order of the first removal at which something fell."""
        return next((i for i, s in enumerate(self.steps) if s.fallen), None)

    @property
    def first_collapsed_step(self) -> int | None:
        """For ``play``: the index in the order of the first removal at which the tower collapsed."""
        return next((i for i, s in enumerate(self.steps) if s.collapsed), None)

    @property
    def status(self) -> str:
        """``"collapsed"``, ``"fallen"`` (something fell, no collapse) or ``"standing"``."""
        return "collapsed" if self.collapsed else ("fallen" if self.fallen else "standing")

    def __repr__(self) -> str:
        status = self.status
        fell = ", ".join(map(repr, self.fell[:6])) + (", ..." if len(self.fell) > 6 else "")
        return (
            f"Outcome({status}: {len(self.removed)} removed, {len(self.fell)} fell [{fell}], "
            f"{len(self.failed_providers)} providers failed, spend lost {self.spend_lost:g}, "
            f"contribution lost {self.value_lost:g})"
        )


def _summarise(
    tower: Tower,
    st: CascadeState,
    x0: np.ndarray,
    rounds: list[np.ndarray],
    steps: tuple[Step, ...] = (),
) -> Outcome:
    ct = st.ct
    ids = tower._ids_array  # index arrays -> ids without a Python step per service
    fell_idx = np.concatenate(rounds) if rounds else np.zeros(0, np.int64)
    pids = tuple(tower.providers)
    a = ct.activity
    fell_frac = x0[fell_idx]
    lost = fell_frac * a[fell_idx] * ct.unit_margin[fell_idx]
    has = ct.provider[fell_idx] >= 0
    by_provider = np.bincount(
        ct.provider[fell_idx][has], weights=lost[has], minlength=ct.n_providers
    )
    rounds_of = getattr(st, "failure_round", {})
    spend, health, by_unit = losses(tower, fell_idx, fell_frac, a)
    p = accounts(tower).tariff
    moved = (1.0 - np.where(st.removed, 0.0, x0)) * a
    left = np.where(st.alive, st.x, 0.0) * a
    return Outcome(
        removed=frozenset(ids[st.removed].tolist()),
        fell=tuple(ids[fell_idx].tolist()),
        rounds=tuple(tuple(ids[r].tolist()) for r in rounds),
        failed_providers=tuple(pids[j] for j in _failure_order(st)),
        standing=frozenset(ids[st.alive].tolist()),
        value_lost=float(np.sum(lost)),
        stranded_fixed_cost=float(np.sum(ct.fixed_cost[fell_idx])),
        fallen=bool(fell_idx.size),
        collapsed=bool(st.failed.any() or ct.critical[fell_idx].any()),
        critical_lost=tuple(ids[fell_idx[ct.critical[fell_idx]]].tolist()),
        balances=dict(zip(pids, ct.balances(st.x, st.alive, st.removed).tolist())),
        steps=steps,
        spend_lost=spend,
        health_lost=health,
        activity_lost_by_unit=by_unit,
        failure_round={pids[j]: r for j, r in rounds_of.items()},
        contribution_lost=dict(zip(pids, by_provider.tolist())),
        spend_moved=float(np.sum(moved * p)),
        surviving_spend=float(np.sum(left * p)),
        total_spend=float(np.sum(a * p)),
        activity_moved_by_unit=per_unit(tower, moved),
        surviving_activity_by_unit=per_unit(tower, left),
        total_activity_by_unit=per_unit(tower, a),
        health_moved=per_measure(tower, moved),
    )


def _failure_order(st: CascadeState) -> list[int]:
    order = getattr(st, "failure_order", None)
    return order if order is not None else list(np.flatnonzero(st.failed))


class _TrackingState(CascadeState):
    """A CascadeState that remembers the order and the round in which providers fail."""

    def __init__(self, ct, x=None) -> None:
        super().__init__(ct, x)
        self.failure_order: list[int] = []
        self.failure_round: dict[int, int] = {}
        self._rounds_done = 0

    def _newly_failed_providers(self) -> np.ndarray:
        newp = super()._newly_failed_providers()
        for j in newp.tolist():
            self.failure_order.append(j)
            self.failure_round[j] = self._rounds_done + 1
        return newp

    def _leave(self, nodes: np.ndarray, planned: bool) -> np.ndarray:
        if not planned:
            self._rounds_done += 1  # every round of unplanned falls leaves in one call
        return super()._leave(nodes, planned)


def cascade_outcome(tower: Tower, x: np.ndarray) -> Outcome:
    """Apply fractions ``x`` at once and cascade (``Tower.cascade``)."""
    st = _TrackingState(tower.compiled, x)
    rounds = st.settle()
    return _summarise(tower, st, x, rounds)


def play_outcome(tower: Tower, order: np.ndarray, stop: str) -> Outcome:
    """Remove ``order`` one at a time, cascading after each (``Tower.play``)."""
    st = _TrackingState(tower.compiled)
    rounds = st.settle()  # what cannot stand even intact falls before the first move
    x0 = np.ones(len(tower))
    steps: list[Step] = []
    pids = tuple(tower.providers)
    ids = tower.ids
    critical = st.ct.critical
    critical_fell = any(critical[r].any() for r in rounds)
    for i in order:
        n_failed = len(st.failure_order)
        skipped = not st.alive[i]
        new_rounds = [] if skipped else st.apply(np.array([i]))
        rounds.extend(new_rounds)
        fell = tuple(ids[j] for r in new_rounds for j in r.tolist())
        fell_any = bool(rounds)
        critical_fell = critical_fell or any(critical[r].any() for r in new_rounds)
        collapsed = bool(st.failed.any() or critical_fell)
        steps.append(
            Step(
                ids[i],
                skipped,
                fell,
                tuple(pids[j] for j in st.failure_order[n_failed:]),
                fell_any,
                collapsed,
            )
        )
        if (stop == "fallen" and fell_any) or (stop == "collapsed" and collapsed):
            break
    return _summarise(tower, st, x0, rounds, tuple(steps))
