"""Result objects of the cooperative-game solvers (frozen dataclasses)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..._results import Provenance, Result

__all__ = [
    "Allocation",
    "BalancedCertificate",
    "CoalitionStructure",
    "CoreCheck",
    "LeastCore",
    "Nucleolus",
    "PowerIndices",
    "SampledAllocation",
]


def _fmt(values: np.ndarray, players: tuple) -> str:
    return "{" + ", ".join(f"{p!r}: {v:.6g}" for p, v in zip(players, values)) + "}"


@dataclasses.dataclass(frozen=True, repr=False)
class Allocation(Result):
    """A payoff vector: ``values[i]`` goes to ``players[i]``.

    Behaves like a numpy array (``np.asarray(a)``, ``a[i]``, ``len(a)``).
    """

    values: np.ndarray
    players: tuple
    concept: str
    provenance: Provenance

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)

    def __getitem__(self, i):
        return self.values[i]

    def __len__(self) -> int:
        return len(self.values)

    def as_dict(self) -> dict[Any, float]:
        """``{player: payoff}``."""
        return {p: float(v) for p, v in zip(self.players, self.values)}

    def __repr__(self) -> str:
        return f"Allocation({self.concept}: {_fmt(self.values, self.players)})"


@dataclasses.dataclass(frozen=True, repr=False)
class SampledAllocation(Allocation):
    """A sampled estimate with its standard errors and confidence interval.

    ``ci_low``/``ci_high`` are the normal-approximation interval
    ``values ± z * stderr`` at level ``confidence``.
    """

    stderr: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    ci_low: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    ci_high: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    confidence: float = 0.95
    samples: int = 0

    def __repr__(self) -> str:
        inner = ", ".join(
            f"{p!r}: {v:.4g}±{1.96 * s:.2g}"
            for p, v, s in zip(self.players, self.values, self.stderr)
        )
        return f"SampledAllocation({self.concept}, {self.samples} samples: {{{inner}}})"


@dataclasses.dataclass(frozen=True, repr=False)
class CoreCheck(Result):
    """Whether an allocation is in the core, and which coalitions object.

    Attributes
    ----------
    in_core : bool
        Efficient and no coalition can improve on it (both up to ``tol``).
    efficiency_gap : float
        ``x(N) - v(N)``.
    violations : tuple of (tuple, float)
        Objecting coalitions (as tuples of players) with their shortfall
        ``v(S) - x(S) > 0`` beyond tolerance, worst first (at most ``limit``).
    n_violations : int
        How many coalitions object in all.
    tol : float
        The tolerance used (see :mod:`jenga_games.tolerance`).
    """

    in_core: bool
    efficiency_gap: float
    violations: tuple
    n_violations: int
    tol: float

    def __bool__(self) -> bool:
        return self.in_core

    def __repr__(self) -> str:
        worst = self.violations[0] if self.violations else None
        return (
            f"CoreCheck(in_core={self.in_core}, efficiency_gap={self.efficiency_gap:.3g}, "
            f"n_violations={self.n_violations}, worst={worst})"
        )


@dataclasses.dataclass(frozen=True, repr=False)
class LeastCore(Result):
    """The least core: the smallest ``epsilon`` with ``x(S) >= v(S) - epsilon`` for all proper ``S``.

    ``epsilon <= 0`` exactly when the core is non-empty. ``allocation`` is one
    point of the least core.
    """

    epsilon: float
    allocation: Allocation
    provenance: Provenance

    def __repr__(self) -> str:
        return f"LeastCore(epsilon={self.epsilon:.6g}, allocation={self.allocation!r})"


@dataclasses.dataclass(frozen=True, repr=False)
class Nucleolus(Result):
    """The (pre-)nucleolus and the excess levels fixed by the LP sequence.

    ``levels[k]`` is the k-th largest distinct maximal excess ``v(S) - x(S)``
    fixed at stage k; ``lp_solves`` counts the LPs solved (including rounds
    of constraint generation).
    """

    allocation: Allocation
    levels: tuple
    lp_solves: int
    provenance: Provenance

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.allocation.values, dtype=dtype)

    def __repr__(self) -> str:
        lv = ", ".join(f"{e:.4g}" for e in self.levels)
        return f"Nucleolus({self.allocation!r}, levels=[{lv}], lp_solves={self.lp_solves})"


@dataclasses.dataclass(frozen=True, repr=False)
class PowerIndices(Result):
    """Shapley–Shubik and Banzhaf power indices of a weighted voting game.

    ``swings[i]`` is the number of coalitions of the others in which player i
    is decisive (as a float: it can exceed 2^63); ``banzhaf`` is the
    normalised index ``swings / sum(swings)``, ``banzhaf_raw`` is
    ``swings / 2^(n-1)``.
    """

    shapley_shubik: np.ndarray
    banzhaf: np.ndarray
    banzhaf_raw: np.ndarray
    swings: np.ndarray
    players: tuple
    provenance: Provenance

    def __repr__(self) -> str:
        k = min(len(self.players), 6)
        ss = ", ".join(f"{v:.4g}" for v in self.shapley_shubik[:k])
        bz = ", ".join(f"{v:.4g}" for v in self.banzhaf[:k])
        more = ", ..." if len(self.players) > k else ""
        return f"PowerIndices(n={len(self.players)}, shapley_shubik=[{ss}{more}], banzhaf=[{bz}{more}])"


@dataclasses.dataclass(frozen=True, repr=False)
class CoalitionStructure(Result):
    """A partition of the players into coalitions and its total value ``sum v(block)``."""

    blocks: tuple
    value: float
    grand_value: float
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"CoalitionStructure(value={self.value:.6g} (grand coalition {self.grand_value:.6g}), "
            f"blocks={list(self.blocks)})"
        )


@dataclasses.dataclass(frozen=True, repr=False)
class BalancedCertificate(Result):
    """Bondareva–Shapley: the LP ``min Σx`` s.t. ``x(S) >= v(S)`` and its dual weights.

    ``weights`` maps coalitions (tuples of players) to ``λ_S > 0`` with
    ``Σ_S λ_S 1_S = 1_N``; ``Σ λ_S v(S) = min_total``. The core is empty iff
    ``min_total > v(N)`` (beyond tolerance), and then the weights certify it.
    """

    core_empty: bool
    min_total: float
    weights: dict
    allocation: Allocation
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"BalancedCertificate(core_empty={self.core_empty}, min_total={self.min_total:.6g}, "
            f"{len(self.weights)} weighted coalitions)"
        )
