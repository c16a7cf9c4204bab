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

:func:`open_batch` chooses, once too, how to step ``S`` copies together (one
removal order per copy, for sampling many orders): :class:`BatchCascade`
(vectorised, k-core) or :class:`SerialBatch` (``S`` engines of
:func:`open_engine`), with one interface (``step``, ``fallen``, ``collapsed``,
``surviving``); :class:`CompiledTower` owns the money rule
(:attr:`~CompiledTower.full_margin`, :meth:`~CompiledTower.balances`,
:meth:`~CompiledTower.leave_delta`) and :func:`unviable` is the viability test,
written once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ...errors import InvalidTowerError
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
    "SerialBatch",
    "first_failing_provider",
    "open_batch",
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
    undo drops copies. With ``log=False`` only the current state is kept
    (a query that never undoes), and the state is changed in place.
    """

    def __init__(self, base: CascadeState, log: bool = True) -> None:
        self.stack = [base.copy()]
        self._log = log

    @property
    def alive(self) -> np.ndarray:
        return self.stack[-1].alive

    def checkpoint(self) -> int:
        return len(self.stack)

    def undo(self, mark: int) -> None:
        del self.stack[mark:]

    def remove(self, i: int) -> tuple[list[int], list[int]]:
        st = self.stack[-1]
        before = st.failed.copy()
        if self._log:
            st = st.copy()
            self.stack.append(st)
        rounds = st.apply(np.array([i]))
        fell = np.concatenate(rounds).tolist() if rounds else []
        return fell, np.flatnonzero(st.failed & ~before).tolist()


def open_engine(
    tower: Tower,
    base: CascadeState | None = None,
    *,
    incremental_grounded: bool = False,
    log: bool = True,
    kind: str = "auto",
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
        Keep the undo log; ``False`` when a query never undoes.
    kind : {"auto", "scalar", "full"}
        ``"auto"`` chooses as above; ``"full"`` forces :class:`FullCascade`
        (any tower; a cross-check of the incremental engine); ``"scalar"``
        forces :class:`ScalarCascade` (k-core towers only).
    """
    ct = tower.compiled
    if kind not in ("auto", "scalar", "full"):
        raise InvalidTowerError(f"engine kind must be 'auto', 'scalar' or 'full', got {kind!r}")
    if kind == "scalar" and ct.grounded:
        raise InvalidTowerError(
            "grounded towers need the full engine (the grounded fixpoint is not incremental); "
            "use kind='full' or 'auto'"
        )
    if base is None:
        base = settled_state(ct)[0]
    if kind == "full":
        return FullCascade(base, log=log)
    if ct.grounded:
        from ..thresholds._common import is_acyclic

        if not (incremental_grounded and is_acyclic(tower)):
            return FullCascade(base, log=log)
    return ScalarCascade(ct, base, log=log)


class SerialBatch:
    """``S`` single engines (:func:`open_engine`) stepped together: :class:`BatchCascade`'s interface.

    For grounded towers, and for a few orders (where one vectorised step
    costs more than ``S`` scalar ones). After each :meth:`step`,
    ``fallen``, ``collapsed`` and ``surviving`` (``Σ_standing x·w``) per copy,
    as :class:`BatchCascade` keeps them; :meth:`run` plays whole orders
    (one copy after another, which keeps each engine's state hot).
    """

    def __init__(
        self,
        tower: Tower,
        samples: int,
        base: CascadeState,
        weight: np.ndarray | None = None,
        kind: str = "auto",
    ) -> None:
        ct = tower.compiled
        w = np.ones(ct.n) if weight is None else np.asarray(weight, dtype=float)
        self.S = S = int(samples)
        self._w = w.tolist()
        self._crit = ct.critical.tolist()
        self._engines = [open_engine(tower, base, log=False, kind=kind) for _ in range(S)]
        self.fallen = np.full(S, bool(base.fallen.any()))
        self.collapsed = np.full(S, bool(base.failed.any() or ct.critical[base.fallen].any()))
        self.surviving = np.full(S, float(np.sum(w * base.x * base.alive)))

    def _advance(self, s: int, i: int, fl: bool, co: bool, sv: float) -> tuple[bool, bool, float]:
        """Copy ``s`` removes ``i`` (if it stands): its new fallen, collapsed, surviving."""
        eng = self._engines[s]
        if i < 0 or not eng.alive[i]:
            return fl, co, sv
        w = self._w
        sv -= w[i]
        fell, failed = eng.remove(i)
        if fell or failed:
            fl = fl or bool(fell)
            co = co or bool(failed) or any(self._crit[j] for j in fell)
            sv -= sum(w[j] for j in fell)
        return fl, co, sv

    def step(self, nodes: np.ndarray) -> None:
        """Remove ``nodes[s]`` (planned) in copy ``s`` and cascade; ``-1`` or a service gone: skip."""
        for s, i in enumerate(np.asarray(nodes).tolist()):
            state = (bool(self.fallen[s]), bool(self.collapsed[s]), float(self.surviving[s]))
            self.fallen[s], self.collapsed[s], self.surviving[s] = self._advance(s, i, *state)

    def run(self, orders: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Play row ``s`` of ``orders`` in copy ``s``: :meth:`BatchCascade.run`, one copy at a time."""
        S, L = orders.shape
        fallen = np.zeros((S, L + 1), dtype=bool)
        collapsed = np.zeros((S, L + 1), dtype=bool)
        surviving = np.zeros((S, L + 1))
        for s in range(S):
            state = (bool(self.fallen[s]), bool(self.collapsed[s]), float(self.surviving[s]))
            fallen[s, 0], collapsed[s, 0], surviving[s, 0] = state
            for k, i in enumerate(orders[s].tolist(), start=1):
                state = self._advance(s, i, *state)
                fallen[s, k], collapsed[s, k], surviving[s, k] = state
            self.fallen[s], self.collapsed[s], self.surviving[s] = state
        return fallen, collapsed, surviving


def open_batch(
    tower: Tower,
    samples: int,
    base: CascadeState | None = None,
    weight: np.ndarray | None = None,
    kind: str = "auto",
) -> BatchCascade | SerialBatch:
    """``samples`` copies of ``tower`` to step together, one removal order each.

    ``kind``: ``"batch"`` (:class:`BatchCascade`, vectorised; k-core towers),
    ``"scalar"`` or ``"full"`` (:class:`SerialBatch` of that engine), or
    ``"auto"``: grounded towers the full engine, a few copies (``≤ 2``) the
    scalar one, more the batch.
    """
    ct = tower.compiled
    if kind not in ("auto", "batch", "scalar", "full"):
        raise InvalidTowerError(f"engine must be 'auto', 'batch', 'scalar' or 'full', got {kind!r}")
    if ct.grounded and kind in ("batch", "scalar"):
        raise InvalidTowerError("grounded towers need engine='full' (or 'auto')")
    if base is None:
        base = settled_state(ct)[0]
    if kind == "auto":
        kind = "full" if ct.grounded else ("scalar" if samples <= 2 else "batch")
    if kind == "batch":
        if weight is None:
            return BatchCascade(ct, samples, base)
        return BatchCascade(ct, samples, base, weight)
    return SerialBatch(tower, samples, base, weight, kind)


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
