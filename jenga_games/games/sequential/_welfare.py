"""Welfare that counts everyone: the commissioners' value, the providers' loss, and their sum.

A play of the Jenga game pays the commissioners ``Σ_t δ^t r_t`` (:mod:`._payoff`).
The providers bear the contribution ``a_i (p_i − c_i)`` of every service ``i``
that falls unplanned (``Outcome.value_lost``, DESIGN §1), in the turn it falls.
A service moved out as planned is not lost: the mover's gain ``g`` is already
net of re-providing it elsewhere. So for a play with ``L_t`` the contribution
lost at turn ``t`` (£ m a year),

.. math::

   W_{\\text{commissioners}} = \\sum_q \\sum_t δ^t r_{q,t}, \\qquad
   W_{\\text{system}} = W_{\\text{commissioners}} - \\sum_t δ^t L_t .

``welfare="commissioners"`` is the toolkit's historical measure (the
commissioners' joint payoff, in which the collapse costs ``C`` and ``K`` stand
for the harm); ``welfare="system"`` adds the providers as a party whose loss
counts in full [MasColell1995]_. The system measure can be zero or negative,
so prices of anarchy on it are reported as differences (see :mod:`._prices`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np

from ...errors import InvalidGameError

__all__ = [
    "WELFARES",
    "block_contributions",
    "check_welfare",
    "losses_by_provider",
    "mask_values",
    "outcome_losses",
    "play_welfare",
]

WELFARES = ("commissioners", "system")


def check_welfare(welfare: str) -> str:
    if welfare not in WELFARES:
        raise InvalidGameError(
            f"welfare must be 'commissioners' (their joint payoff) or 'system' (commissioners "
            f"and providers), got {welfare!r}"
        )
    return welfare


def block_contributions(tower) -> np.ndarray:
    """Each service's contribution ``a (p − c)`` to its provider at full activity (£ m a year).

    The compiled tower's money rule (``CompiledTower.flow``), not a second formula.
    """
    return tower.compiled.flow


def mask_values(masks: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``Σ_{i ∈ mask} values_i`` for each ``uint64`` mask of a batch."""
    masks = np.asarray(masks, dtype=np.uint64)
    out = np.zeros(masks.shape)
    for i, v in enumerate(values.tolist()):
        if v:
            out += v * ((masks >> np.uint64(i)) & np.uint64(1)).astype(bool)
    return out


def _providers_of(tower, fell: Iterable[Hashable]) -> list:
    """The provider (or ``None``) of each service in ``fell``, from the compiled tower."""
    pids = tuple(tower.providers)
    prov = tower.compiled.provider
    return [pids[j] if j >= 0 else None for j in prov[[tower.index[s] for s in fell]].tolist()]


def losses_by_provider(tower, fell: Iterable[Hashable]) -> dict:
    """Contribution lost by each provider (£ m a year) when the services ``fell`` fall unplanned.

    Every provider with a service in ``fell`` is a key; services without a
    provider are counted under ``None``. The money is the compiled tower's
    ``flow`` ``a (p − c)`` (:func:`block_contributions`), the rule
    ``Outcome.contribution_lost`` uses at full activity.
    """
    fell = list(fell)
    flow = block_contributions(tower)
    loss: dict = {}
    for s, p in zip(fell, _providers_of(tower, fell), strict=True):
        loss[p] = loss.get(p, 0.0) + float(flow[tower.index[s]])
    return loss


def outcome_losses(tower, outcome) -> dict:
    """:func:`losses_by_provider` read from an ``Outcome``: its ``contribution_lost`` per provider.

    Keys as in :func:`losses_by_provider`; ``None`` (services without a
    provider) gets the rest of ``Outcome.value_lost``.
    """
    keys = dict.fromkeys(_providers_of(tower, outcome.fell))
    loss = {p: float(outcome.contribution_lost.get(p, 0.0)) for p in keys if p is not None}
    if None in keys:
        loss[None] = float(outcome.value_lost) - float(sum(outcome.contribution_lost.values()))
    return loss


def discounted_loss(game, path) -> float:
    """``Σ_t δ^t L_t`` along a play's moves (each service counted the first turn it falls)."""
    contrib = dict(zip(game.tower.ids, block_contributions(game.tower).tolist()))
    seen: set = set()
    total = 0.0
    for mv in path:
        new = [b for b in mv.fell if b not in seen]
        if new:
            seen.update(new)
            total += game.discount**mv.turn * sum(contrib[b] for b in new)
    return total


def play_welfare(game, path, outcome) -> dict:
    """The welfare fields of a :class:`~._results.JengaPlay` (``contribution_lost``, ``provider_loss``)."""
    return {
        "provider_loss": outcome_losses(game.tower, outcome),
        "contribution_lost": discounted_loss(game, path),
    }
