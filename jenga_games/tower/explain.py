"""Why each block fell: :func:`fall_reasons`, the cascade of DESIGN §1 explained.

A cascade's rounds are synchronous (:mod:`jenga_games.tower.engine`): round
``r`` holds every service that was standing after round ``r − 1`` and

* whose **support rule** fails on what stood then (``kind="rule"``), or
* whose **provider** became unviable then, ``B = Σ margins + R − F`` below the
  viability line of :func:`jenga_games.tower.engine.unviable` (``kind="provider"``), or
* (grounded towers only) that no chain of standing supporters reaches from
  the ground any more, although its own rule still holds (``kind="ungrounded"``).

A service whose rule fails in the same round as its provider is given the
rule as its reason (the rule is read first, as the engine does); every
fallen service gets exactly one reason.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._results import Provenance, Result
from .outcome import Outcome, cascade_outcome
from .rule_text import rule_to_text

if TYPE_CHECKING:  # pragma: no cover
    from .model import Tower

__all__ = ["FallReason", "FallReasons", "fall_reasons"]

#: The kinds of reason, in the order the engine reads them.
KINDS = ("rule", "provider", "ungrounded")


@dataclass(frozen=True)
class FallReason(Result):
    """Why one service fell unplanned.

    Attributes
    ----------
    service : the service that fell
    kind : ``"rule"``, ``"provider"`` or ``"ungrounded"`` (module docstring)
    round : int
        The 1-based round of ``Outcome.rounds`` in which it fell.
    gone : tuple
        For ``"rule"``: its supporters that were no longer standing at the
        start of that round (removed or fallen); empty otherwise.
    rule : str
        Its support rule as text (:func:`~jenga_games.tower.rule_to_text`).
    provider : the provider that failed (for ``"provider"``; ``None`` otherwise)
    balance : float or None
        For ``"provider"``: the provider's balance ``Σ margins + R − F`` at the
        start of the round, in the tower's money unit a year (below the
        viability line, so it failed); ``None`` otherwise.
    """

    service: Hashable
    kind: str
    round: int
    gone: tuple = ()
    rule: str = ""
    provider: Hashable | None = None
    balance: float | None = None

    @property
    def text(self) -> str:
        """The reason as a sentence (what the app and ``jenga tower cascade`` show)."""
        if self.kind == "rule":
            names = ", ".join(map(str, self.gone))
            verb = "is" if len(self.gone) == 1 else "are"
            rule = f"{self.rule} its supporters" if self.rule in ("all", "any") else self.rule
            return f"its support rule ({rule}) fails: {names} {verb} gone"
        if self.kind == "provider":
            return (
                f"its provider {self.provider} failed: its balance Σ margins + R − F "
                f"({self.balance:g} a year, in the tower's money unit) went below zero, so all "
                "its services close"
            )
        return "nothing holds it up any more (no chain of standing supporters reaches the ground)"


@dataclass(frozen=True)
class FallReasons(Result):
    """The cascade of ``Tower.cascade(state)`` with one :class:`FallReason` per fallen service.

    Attributes
    ----------
    outcome : Outcome
        The cascade itself (the same object ``Tower.cascade(state)`` returns).
    reasons : tuple of FallReason
        One per service in ``outcome.fell``, in the same order.
    provenance : Provenance
    """

    outcome: Outcome
    reasons: tuple[FallReason, ...]
    provenance: Provenance

    def of(self, service: Hashable) -> FallReason:
        """The reason ``service`` fell (``KeyError`` naming it when it did not fall)."""
        for r in self.reasons:
            if r.service == service:
                return r
        raise KeyError(f"{service!r} did not fall unplanned in this cascade")

    def by_round(self) -> tuple[tuple[FallReason, ...], ...]:
        """The reasons grouped as ``outcome.rounds``."""
        out, k = [], 0
        for rnd in self.outcome.rounds:
            out.append(self.reasons[k : k + len(rnd)])
            k += len(rnd)
        return tuple(out)


def fall_reasons(
    tower: Tower, state: Mapping[Hashable, float] | Iterable[Hashable] | None = None
) -> FallReasons:
    """Run ``tower.cascade(state)`` and say why each service fell.

    With ``S_{r−1}`` the services standing after round ``r − 1`` (the intact
    tower less what was removed, for ``r = 1``), a service ``s`` falling in
    round ``r`` is explained by the first that holds of

    * ``rule``: ``rule_s(S_{r−1} ∩ supporters(s))`` is false;
    * ``provider``: its provider ``j`` failed in round ``r``
      (``Outcome.failure_round[j] == r``), i.e. ``B_j(S_{r−1}) < −tol·max(1, F_j)``
      (DESIGN §1, :func:`~jenga_games.tower.engine.unviable`);
    * ``ungrounded``: the tower is grounded and ``s`` is outside the least
      fixpoint of the rules on ``S_{r−1}`` [Buldyrev2010]_.

    Parameters
    ----------
    tower : Tower
    state : mapping or collection, optional
        As for :meth:`Tower.cascade`: service -> fraction of activity left in
        place, or the services removed. Default: intact.

    Returns
    -------
    FallReasons
        The outcome and one :class:`FallReason` per fallen service.

    Examples
    --------
    >>> from jenga_games.tower import local_health_economy, fall_reasons
    >>> why = fall_reasons(local_health_economy(), {"theatres"})
    >>> first = why.reasons[0]
    >>> first.service, first.kind, first.round, first.gone
    ('general_surgery', 'rule', 1, ('theatres',))
    >>> imaging = why.of("imaging")
    >>> imaging.kind, imaging.provider, imaging.round
    ('provider', 'acute_trust', 2)
    """
    x = tower.state_array(state)
    out = cascade_outcome(tower, x)
    ct = tower.compiled
    removed = x <= 0.0
    alive = ~removed
    pids = tuple(tower.providers)
    pindex = {p: j for j, p in enumerate(pids)}
    reasons: list[FallReason] = []
    ids = tower.ids
    for r, group in enumerate(out.rounds, 1):
        standing = frozenset(ids[i] for i in np.flatnonzero(alive))
        failing_now = {p for p, k in out.failure_round.items() if k == r}
        balance = ct.balances(x, alive, removed) if failing_now else None
        for s in group:
            v = tower.services[s]
            sups = tower.supporters(s)
            text = rule_to_text(v.rule)
            if not v.rule.evaluate(standing & set(sups), sups):
                gone = tuple(u for u in sups if u not in standing)
                reasons.append(FallReason(service=s, kind="rule", round=r, gone=gone, rule=text))
            elif v.provider is not None and v.provider in failing_now:
                reasons.append(
                    FallReason(
                        service=s,
                        kind="provider",
                        round=r,
                        rule=text,
                        provider=v.provider,
                        balance=float(balance[pindex[v.provider]]),
                    )
                )
            else:
                reasons.append(FallReason(service=s, kind="ungrounded", round=r, rule=text))
        for s in group:
            alive[tower.index_of(s)] = False
    return FallReasons(
        outcome=out,
        reasons=tuple(reasons),
        provenance=Provenance(method="fall_reasons", params={"grounded": tower.grounded}),
    )
