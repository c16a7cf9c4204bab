"""The cascade engines behind every tower query, and the one protocol they share.

A tower query (a collapse point, a safe schedule, "which provider fails
first") asks the same thing again and again: *take this service out, what
falls, which providers fail; now go back*. It should not care which engine
answers. :func:`open_engine` chooses once, from the tower:

* :class:`ScalarCascade` — the k-core cascade (``grounded=False``) in Python
  lists, with an undo log: each removal costs what it touches;
* :class:`FullCascade` — grounded towers: :class:`CascadeState` copies (the
  grounded fixpoint is not incremental), same interface.

Both follow the rounds of :class:`CascadeState` (DESIGN §1) exactly, and both
satisfy :class:`Engine`:

``remove(i) -> (fell, failed)``
    Take service ``i`` out as planned and cascade; the services that fell
    (round by round) and the providers that failed, as indices.
``checkpoint() -> mark`` / ``undo(mark)``
    Go back to a earlier state.
``alive``
    Which services stand (indexable by service index).

:class:`BatchCascade` steps ``S`` copies at once (one removal order per
copy) for sampling many orders; :class:`CompiledTower` owns the money rule
(:attr:`~CompiledTower.full_margin`, :meth:`~CompiledTower.balances`,
:meth:`~CompiledTower.leave_delta`) and :func:`unviable` is the viability test,
written once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ._compiled import CompiledTower, unviable
from ._incremental import BatchCascade, ScalarCascade, settled_state
from ._state import CascadeState

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Tower

__all__ = [
    "BatchCascade",
    "CascadeState",
    "CompiledTower",
    "Engine",
    "FullCascade",
    "ScalarCascade",
    "first_failing_provider",
    "open_engine",
    "settled_state",
    "unviable",
]


class Engine(Protocol):
    """What a tower query may ask of a cascade engine (see the module docstring)."""

    @property
    def alive(self) -> Sequence[bool]: ...

    def remove(self, i: int) -> tuple[list[int], list[int]]: ...

    def checkpoint(self) -> Any: ...

    def undo(self, mark: Any) -> None: ...


class FullCascade:
    """The :class:`Engine` interface on :class:`CascadeState` copies (grounded towers).

    Each removal copies the state (``O(n)``) and runs ``CascadeState.apply``;
    undo drops copies.
    """

    def __init__(self, base: CascadeState) -> None:
        self.stack = [base.copy()]

    @property
    def alive(self) -> np.ndarray:
        return self.stack[-1].alive

    def checkpoint(self) -> int:
        return len(self.stack)

    def undo(self, mark: int) -> None:
        del self.stack[mark:]

    def remove(self, i: int) -> tuple[list[int], list[int]]:
        prev = self.stack[-1]
        st = prev.copy()
        rounds = st.apply(np.array([i]))
        self.stack.append(st)
        fell = np.concatenate(rounds).tolist() if rounds else []
        return fell, np.flatnonzero(st.failed & ~prev.failed).tolist()


def open_engine(
    tower: Tower,
    base: CascadeState | None = None,
    *,
    incremental_grounded: bool = False,
    log: bool = True,
) -> Engine:
    """The engine for ``tower``, starting from ``base`` (default: the settled intact tower).

    Parameters
    ----------
    tower : Tower
    base : CascadeState, optional
        The state to start from (not modified).
    incremental_grounded : bool
        Use :class:`ScalarCascade` on a grounded tower too when it has no
        mutual-support cycle: on such towers the grounded and k-core readings
        leave the same services standing (rounds may group differently), which
        is all a query about safety needs.
    log : bool
        Keep the undo log (:class:`ScalarCascade`); ``False`` when a query
        never undoes.
    """
    ct = tower.compiled
    if base is None:
        base = settled_state(ct)[0]
    if ct.grounded:
        from ..thresholds._common import is_acyclic

        if not (incremental_grounded and is_acyclic(tower)):
            return FullCascade(base)
    return ScalarCascade(ct, base, log=log)


def first_failing_provider(tower: Tower, order: Iterable[Hashable]) -> tuple[int, Hashable] | None:
    """Along ``order`` (services removed one at a time), the first provider to fail.

    Returns ``(step, provider)`` — ``step`` the index in ``order`` of the removal
    after whose cascade it failed — or ``None`` if every provider survives the
    whole order (services already fallen are skipped). Providers failing in the
    same step are reported in the engine's order (the first to cross the line).

    Examples
    --------
    >>> from jenga_games.tower.library import local_health_economy
    >>> first_failing_provider(local_health_economy(), ["cardiology", "ophthalmology"])
    (1, 'acute_trust')
    """
    engine = open_engine(tower, log=False)
    pids = tuple(tower.providers)
    for step, sid in enumerate(order):
        i = tower.index_of(sid)
        if engine.alive[i]:
            failed = engine.remove(i)[1]
            if failed:
                return step, pids[failed[0]]
    return None
