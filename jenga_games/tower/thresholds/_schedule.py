"""Safe schedules: moving services from the old tower to a new one with nothing falling.

Setting. ``moves`` are services of the old tower to move out, one at a
time; optionally they join ``new_tower`` (the same ids), whose other
services (*natives*) are there from the start. After ``t`` moves ``M_t``:

* the old tower has ``M_t`` removed (planned: their fixed costs go too);
* the new tower has its natives and ``M_t``; the rest of ``moves`` are not
  there yet (as if removed).

A step is *safe* when nothing falls in either tower and every operating
provider (one with a service present) is viable; a provider with no
service present is not operating (not yet opened, or closed as planned).

Why it is a search over sets. The state after ``t`` moves depends only on
the *set* ``M_t``, not on the order it was built in, so a schedule is a path
∅ = M_0 ⊂ M_1 ⊂ … ⊂ M_m = moves through safe sets, one service per step.
Support rules are monotone, which gives the structure the search uses:

* old tower: if ``V∖M_t`` is stable (every rule holds), adding ``v`` back
  keeps it stable iff ``v``'s own rule holds on ``V∖M_t``; so a chain is
  safe iff the final set is and each ``v`` leaves while its own old rule
  still holds on what remains. A service whose old rule already fails on
  what remains can never leave safely: the state is a dead end.
* new tower: each arrival must find its new rule satisfied by what is
  already there (natives and earlier moves); others only gain supporters.

Algorithm.

1. Depth-first search over sets ``M`` (a bit mask), trying at each state
   the moves that keep both towers safe, in order of least harm (fewest
   standing old dependants weakened, then most new dependants enabled),
   remembering every set already shown to be a dead end (so each set is
   expanded at most once). With all-of rules the constraints are
   precedences (leave before your old supporters, arrive after your new
   ones) and the first path found needs no backtracking.
2. If no path exists with money counted, the same search with support
   rules only finds an order; it then chooses, among safe moves, the one
   that raises the funding committed so far least, counting from the
   *floor* — each provider's deficit once every move is made, which no
   order avoids while it still operates. Funding for provider ``P``
   is the largest deficit ``max(0, −balance)`` over the steps at which it
   operates; it is the reserve that makes every step safe (a test replays
   the schedule with it). When full margins are ``≥ 0`` (only planned
   removals happen on a safe path, so this needs no more of monotonicity;
   see :mod:`jenga_games.tower.validate`) an old provider's deficit grows
   as services leave and a new provider's shrinks as they arrive, so the search leaves high-margin
   services last and brings them in first.

The worst case is exponential (sets of moves), bounded by
``max_expansions``; exhaustive enumeration of orders is only the test
oracle.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..._results import Provenance, Result
from ...errors import InvalidTowerError, TooLargeError, UnknownItemError
from ..engine import CascadeState, open_engine, unviable
from ..rules import evaluate_compiled
from ._common import check_tower

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Tower

__all__ = ["SafeSchedule", "safe_schedule"]


@dataclass(frozen=True, eq=False)
class SafeSchedule(Result):
    """An order of moves with nothing falling, and the transitional funding it needs.

    Attributes
    ----------
    order : tuple or None
        The moves in order; ``None`` when the support rules allow no order.
    feasible : bool
        An order exists that needs no funding.
    funding : dict
        ``("old" | "new", provider) -> amount``: temporary reserves that make
        every step safe (empty when ``feasible``).
    needed_at : dict
        ``("old" | "new", provider) -> steps`` (0 = before the first move) at
        which that provider is in deficit without the funding.
    total_funding : float
    reason : str
        Why no order exists (empty otherwise).
    expansions : int
        Sets of moves the search expanded.
    provenance : Provenance
    """

    order: tuple | None
    feasible: bool
    funding: dict
    needed_at: dict
    total_funding: float
    reason: str
    expansions: int
    provenance: Provenance = field(default_factory=lambda: Provenance("safe_schedule"))

    def to_frame(self) -> pd.DataFrame:
        """One row per step: the service moved and the funding in use at that step."""
        import pandas as pd

        order = self.order or ()
        rows = []
        for t, s in enumerate(order, start=1):
            need = sum(self.funding[key] for key, steps in self.needed_at.items() if t in steps)
            rows.append({"step": t, "service": s, "funding_in_use": need})
        return pd.DataFrame(rows, columns=["step", "service", "funding_in_use"])

    def __repr__(self) -> str:
        if self.order is None:
            return f"SafeSchedule(impossible: {self.reason})"
        return (
            f"SafeSchedule({len(self.order)} moves, "
            f"{'no funding' if self.feasible else f'funding {self.total_funding:g}'}: "
            f"{', '.join(map(repr, self.order[:6]))}{', ...' if len(self.order) > 6 else ''})"
        )


def _rules_only(tower: Tower) -> Tower:
    from ..model import Tower as T

    return T(
        [dataclasses.replace(s, provider=None) for s in tower],
        tower.supports,
        grounded=tower.grounded,
        allow_unsatisfiable=tower.allow_unsatisfiable,
    )


class _Side:
    """Money of one tower's providers as the set of moved services changes."""

    def __init__(self, tower: Tower, moves: list, sign: int) -> None:
        ct = tower.compiled
        self.ct = ct
        self.pids = tuple(tower.providers)
        fm = ct.full_margin
        self.fm = fm
        self.scale = ct.balance_scale
        present = np.ones(ct.n, bool)
        self.move_idx = [tower.index[s] for s in moves]
        if sign > 0:  # new tower: moves are absent at the start
            present[self.move_idx] = False
        self.present = present
        has = ct.provider >= 0
        self.count = np.bincount(ct.provider[has & present], minlength=ct.n_providers)
        self.balance = (
            np.bincount(
                ct.provider[has & present], weights=fm[has & present], minlength=ct.n_providers
            )
            + ct.reserves
            - ct.overhead
        )
        self.sign = sign

    def move(self, j: int, undo: bool = False) -> None:
        """Service ``j`` of this tower leaves (old) or arrives (new); ``undo`` reverses."""
        p = self.ct.provider[j]
        d = 1 if (self.sign > 0) != undo else -1
        self.present[j] = d > 0
        if p >= 0:
            self.count[p] += d
            self.balance[p] += d * self.fm[j]

    def deficits(self) -> np.ndarray:
        """``max(0, −balance)`` of operating providers (below tolerance counts as zero)."""
        bad = (self.count > 0) & unviable(self.balance, self.scale)
        return np.where(bad, -self.balance, 0.0)


def safe_schedule(
    tower: Tower,
    moves: Iterable[Hashable],
    new_tower: Tower | None = None,
    *,
    max_expansions: int = 200_000,
) -> SafeSchedule:
    """An order of moves with nothing falling at any step, in either tower.

    Parameters
    ----------
    tower : Tower
        The old tower; must stand intact.
    moves : collection of service ids
        The services to move out.
    new_tower : Tower, optional
        The tower they join (with the same ids), e.g. community services
        that need their own supporters and a viable provider; its other
        services are there from the start and must stand without the moves.
    max_expansions : int
        Bound on the search (:class:`~jenga_games.errors.TooLargeError` beyond).

    Returns
    -------
    SafeSchedule
        The order; if none needs no money, the smallest transitional
        funding the search found (per provider) and the steps that need it.

    Notes
    -----
    The algorithm, and why the search is over sets of moves, is in the
    module docstring of :mod:`jenga_games.tower.thresholds._schedule`.

    Examples
    --------
    Community nursing and intermediate care can each go alone, not both
    (acute medicine needs one of them to discharge to):

    >>> from jenga_games.tower.library import local_health_economy
    >>> safe_schedule(local_health_economy(), ["community_nursing", "intermediate_care"]).order is None
    True
    >>> safe_schedule(local_health_economy(), ["dermatology", "ophthalmology"]).feasible
    True
    """
    tower = check_tower(tower, "safe_schedule")
    if isinstance(moves, str | bytes):
        raise InvalidTowerError(
            f"moves must be a collection of service ids, got the string {moves!r}; "
            f"wrap it in a list: [{moves!r}]"
        )
    moves = list(dict.fromkeys(tower.ids[tower.index_of(s)] for s in moves))
    if not moves:
        raise InvalidTowerError("safe_schedule: moves is empty; name the services to move out")
    if new_tower is not None:
        new_tower = check_tower(new_tower, "safe_schedule(new_tower=...)")
        missing = [s for s in moves if s not in new_tower.services]
        if missing:
            raise UnknownItemError(
                f"move {missing[0]!r} is not in new_tower; add it there as the service will run "
                "after the move (same id)"
            )
    _check_start(tower, new_tower, moves)
    search = _Search(tower, new_tower, moves, max_expansions)
    order = search.run(money=True)
    params = {
        "moves": len(moves),
        "new_tower": new_tower is not None,
        "max_expansions": max_expansions,
    }
    if order is not None:
        return SafeSchedule(
            tuple(moves[i] for i in order),
            True,
            {},
            {},
            0.0,
            "",
            search.expansions,
            Provenance("safe_schedule", params),
        )
    order = search.run(money=False)
    if order is None:
        return SafeSchedule(
            None,
            False,
            {},
            {},
            0.0,
            search.reason(),
            search.expansions,
            Provenance("safe_schedule", params),
        )
    funding, needed = search.funding(order)
    return SafeSchedule(
        tuple(moves[i] for i in order),
        False,
        funding,
        needed,
        float(sum(funding.values())),
        "",
        search.expansions,
        Provenance("safe_schedule", params),
    )


def _check_start(tower: Tower, new_tower: Tower | None, moves: list) -> None:
    st = CascadeState(tower.compiled)
    st.settle()
    if st.fallen.any() or st.failed.any():
        raise InvalidTowerError(
            "safe_schedule: the old tower does not stand intact; fix it first "
            "(see tower.validate())"
        )
    if new_tower is not None:
        x = np.ones(len(new_tower))
        x[[new_tower.index[s] for s in moves]] = 0.0
        st = CascadeState(new_tower.compiled, x)
        st.settle()
        side = _Side(new_tower, moves, +1)
        if st.fallen.any() or side.deficits().any():
            raise InvalidTowerError(
                "safe_schedule: the new tower's own services do not stand before any move arrives; "
                "fix the new tower (or count the funding it needs from the start with a provider's "
                "reserves)"
            )


class _Search:
    def __init__(
        self, tower: Tower, new_tower: Tower | None, moves: list, max_expansions: int
    ) -> None:
        self.tower, self.new, self.moves = tower, new_tower, moves
        self.m = len(moves)
        self.max_expansions = max_expansions
        self.expansions = 0
        self.old_idx = [tower.index[s] for s in moves]
        self.new_idx = [new_tower.index[s] for s in moves] if new_tower is not None else None
        self.deepest: tuple[int, int] = (0, 0)

    # -- helpers -------------------------------------------------------------------
    def _setup(self, money: bool) -> None:
        old = self.tower if money else _rules_only(self.tower)
        base = CascadeState(old.compiled)
        base.settle()
        self.sc = open_engine(old, base, incremental_grounded=True)
        self.old_side = _Side(self.tower, self.moves, -1)
        if self.new is not None:
            self.new_side = _Side(self.new, self.moves, +1)
            nct = self.new.compiled
            self.new_rules = [
                (
                    int(nct.threshold[j]),
                    nct.in_idx[nct.in_ptr[j] : nct.in_ptr[j + 1]],
                    nct.general.get(j),
                )
                for j in self.new_idx
            ]
        self.money = money
        self.failed: set[int] = set()
        # harm: old dependants among the moves' neighbours; help: new dependants among moves
        ct = self.tower.compiled
        self.old_deps = [ct.out_idx[ct.out_ptr[i] : ct.out_ptr[i + 1]] for i in self.old_idx]
        pos = {j: k for k, j in enumerate(self.new_idx or [])}
        if self.new is not None:
            nct = self.new.compiled
            self.enables = [
                sum(
                    1 for d in nct.out_idx[nct.out_ptr[j] : nct.out_ptr[j + 1]].tolist() if d in pos
                )
                for j in self.new_idx
            ]
        else:
            self.enables = [0] * self.m

    def _arrival_ok(self, k: int) -> bool:
        if self.new is None:
            return True
        thr, sups, general = self.new_rules[k]
        present = self.new_side.present
        if thr >= 0:
            return int(np.count_nonzero(present[sups])) >= thr
        return evaluate_compiled(general, present)

    def _try(self, k: int) -> tuple | None:
        """Make move ``k`` if both towers stay safe (money only when searching with money)."""
        mark = self.sc.checkpoint()
        fell, _ = self.sc.remove(self.old_idx[k])
        if fell or not self._arrival_ok(k):
            self.sc.undo(mark)
            return None
        self.old_side.move(self.old_idx[k])
        if self.new is not None:
            self.new_side.move(self.new_idx[k])
        if self.money:
            bad = self.old_side.deficits().any() or (
                self.new is not None and self.new_side.deficits().any()
            )
            if bad:
                self._undo(k, mark)
                return None
        return mark

    def _undo(self, k: int, mark) -> None:
        self.sc.undo(mark)
        self.old_side.move(self.old_idx[k], undo=True)
        if self.new is not None:
            self.new_side.move(self.new_idx[k], undo=True)

    def _deficits(self) -> np.ndarray:
        d = self.old_side.deficits()
        if self.new is not None:
            d = np.concatenate([d, self.new_side.deficits()])
        return d

    def _floors(self) -> np.ndarray:
        """Deficits after every move: funding no order can avoid (when the provider still operates)."""
        old = _Side(self.tower, self.moves, -1)
        for j in self.old_idx:
            old.move(j)
        d = old.deficits()
        if self.new is not None:
            new = _Side(self.new, self.moves, +1)
            for j in self.new_idx:
                new.move(j)
            d = np.concatenate([d, new.deficits()])
        return d

    def _candidates(self, done: int) -> list[int]:
        alive = self.sc.alive
        todo = [k for k in range(self.m) if not done >> k & 1]
        harm = {k: sum(1 for d in self.old_deps[k].tolist() if alive[d]) for k in todo}
        return sorted(todo, key=lambda k: (harm[k], -self.enables[k], k))

    # -- search --------------------------------------------------------------------
    def run(self, money: bool) -> list[int] | None:
        self._setup(money)
        self.peaks = (
            self._floors()
        )  # per provider: the funding committed so far (at least the floor)
        path: list[int] = []
        full = (1 << self.m) - 1
        found = self._dfs(0, path, full)
        return list(path) if found else None

    def _dfs(self, done: int, path: list[int], full: int) -> bool:
        if done == full:
            return True
        if done in self.failed:
            return False
        self.expansions += 1
        if self.expansions > self.max_expansions:
            raise TooLargeError(
                f"safe_schedule: the search expanded more than {self.max_expansions} sets of moves; "
                "raise max_expansions or move fewer services at once"
            )
        if len(path) > self.deepest[0]:
            self.deepest = (len(path), done)
        options = []
        for k in self._candidates(done):
            mark = self._try(k)
            if mark is None:
                continue
            extra = (
                0.0 if self.money else float(np.maximum(self._deficits() - self.peaks, 0.0).sum())
            )
            options.append((extra, k))
            self._undo(k, mark)
        options.sort(key=lambda o: o[0])  # stable: ties keep the least-harm order
        for _, k in options:
            mark = self._try(k)
            path.append(k)
            peaks = self.peaks
            if not self.money:
                self.peaks = np.maximum(peaks, self._deficits())
            if self._dfs(done | 1 << k, path, full):
                return True
            self.peaks = peaks
            path.pop()
            self._undo(k, mark)
        self.failed.add(done)
        return False

    def reason(self) -> str:
        depth, done = self.deepest
        left = [self.moves[k] for k in range(self.m) if not done >> k & 1]
        return (
            f"no order keeps the support rules: after {depth} safe moves, none of "
            f"{', '.join(map(repr, left[:5]))}{', ...' if len(left) > 5 else ''} can follow "
            "(each topples something in the old tower or lacks supporters in the new one)"
        )

    def funding(self, order: list[int]) -> tuple[dict, dict]:
        old = _Side(self.tower, self.moves, -1)
        sides = [("old", old, self.old_idx, tuple(self.tower.providers))]
        if self.new is not None:
            sides.append(
                ("new", _Side(self.new, self.moves, +1), self.new_idx, tuple(self.new.providers))
            )
        funding: dict = {}
        needed: dict = {}
        for t in range(len(order) + 1):
            if t:
                for _, side, idx, _ in sides:
                    side.move(idx[order[t - 1]])
            for name, side, _, pids in sides:
                for j in np.flatnonzero(side.deficits()):
                    key = (name, pids[j])
                    funding[key] = max(funding.get(key, 0.0), float(-side.balance[j]))
                    needed.setdefault(key, []).append(t)
        return funding, {k: tuple(v) for k, v in needed.items()}
