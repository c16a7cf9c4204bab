"""Random towers analytically: k-core percolation by generating functions.

Setting: ``random_tower(n, z, AtLeast(k), symmetric=True)`` — every service
needs at least ``k`` standing neighbours on an Erdős–Rényi graph (Poisson
degrees, mean ``z``) or a random ``d``-regular graph. A uniformly random
fraction ``f`` of services is removed (kept: ``p = 1 − f``); what stands
afterwards is the k-core of what is left (DESIGN §1, k-core reading).

For ``k ≥ 2``, on the locally tree-like graph let ``u`` be the probability
that the end of a random edge is kept and roots an infinite ``(k−1)``-ary
subtree [Dorogovtsev2006]_. With ``q_j`` the excess-degree distribution,

    u = p · Σ_j q_j · P(Bin(j, u) ≥ k − 1) = p · Φ(u),
    M(p) = p · Σ_j P(deg = j) · P(Bin(j, u) ≥ k),

taking the largest root ``u`` (the k-core is the *greatest* fixpoint).
Poisson degrees thin to Poisson: ``Φ(u) = P(Poisson(z u) ≥ k − 1)``,
``M = p·P(Poisson(z u) ≥ k)``; ``d``-regular: ``Φ(u) = P(Bin(d − 1, u) ≥ k − 1)``,
``M = p·P(Bin(d, u) ≥ k)``.

The critical point is where the non-trivial root appears:
``p_c = min_{u∈(0,1]} u / Φ(u)``. For ``k ≥ 3`` the minimiser ``u_c > 0``,
so ``M`` jumps from 0 to ``M(p_c) > 0`` — a discontinuous (hybrid)
transition; for ``k = 2`` the jump is zero (ordinary percolation of the
giant 2-core). For ``k = 1`` a service stands while one neighbour stays,
which is local: ``M = p (1 − G_0(1 − p))`` (finite clusters count too).

Checks against published values: the 3-core of ``G(n, z/n)`` appears at
``z ≈ 3.35`` [Pittel1996]_; on the 4-regular Bethe lattice the 3-core needs
a kept fraction ``p > 8/9`` [Chalupa1979]_.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy import optimize, stats

from ..._results import Provenance, Result
from ...errors import InvalidTowerError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["KCoreCurve", "kcore_curve", "kcore_equations"]


@dataclass(frozen=True, eq=False)
class KCoreCurve(Result):
    """Expected surviving fraction of a random threshold tower vs the fraction removed.

    Attributes
    ----------
    fraction_removed, surviving : numpy.ndarray
        ``f`` and ``M(1 − f)``, the expected fraction of services standing.
    u : numpy.ndarray
        The fixed-point value at each ``f``.
    critical_fraction : float or None
        ``f_c = 1 − p_c``: beyond it nothing (no giant k-core) stands;
        ``None`` if not even the intact tower has one.
    jump : float
        ``M(p_c)``: the size of the discontinuity (0 when continuous).
    k, mean_degree, graph : the ensemble
    provenance : Provenance
    """

    fraction_removed: np.ndarray
    surviving: np.ndarray
    u: np.ndarray
    critical_fraction: float | None
    jump: float
    k: int
    mean_degree: float
    graph: str
    provenance: Provenance = field(default_factory=lambda: Provenance("kcore_curve"))

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            {"fraction_removed": self.fraction_removed, "surviving": self.surviving, "u": self.u}
        )

    def __repr__(self) -> str:
        fc = "none" if self.critical_fraction is None else f"{self.critical_fraction:.4f}"
        return (
            f"KCoreCurve(k={self.k}, {self.graph}, z={self.mean_degree:g}: critical fraction "
            f"removed {fc}, jump {self.jump:.4f})"
        )


class _Ensemble:
    def __init__(self, k: int, z: float, graph: str) -> None:
        self.k, self.z, self.graph = k, z, graph

    def phi(self, u):
        if self.graph == "erdos_renyi":
            return stats.poisson.sf(self.k - 2, self.z * u)
        return stats.binom.sf(self.k - 2, int(self.z) - 1, u)

    def core(self, u):
        if self.graph == "erdos_renyi":
            return stats.poisson.sf(self.k - 1, self.z * u)
        return stats.binom.sf(self.k - 1, int(self.z), u)

    def largest_roots(self, p: np.ndarray, p_c: float, u_c: float) -> np.ndarray:
        """The largest ``u`` with ``u = p Φ(u)`` for each ``p`` (vectorised bisection).

        For ``p ≥ p_c`` it lies in ``[u_c, 1]``, where ``g(u) = u − pΦ(u)`` goes
        from ``≤ 0`` to ``≥ 0``; below ``p_c`` only ``u = 0`` solves.
        """
        u = np.zeros_like(p)
        ok = p >= p_c
        lo = np.full(int(ok.sum()), u_c)
        hi = np.ones_like(lo)
        pk = p[ok]
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            neg = mid - pk * self.phi(mid) < 0
            lo = np.where(neg, mid, lo)
            hi = np.where(neg, hi, mid)
        u[ok] = np.where(1.0 - pk * self.phi(1.0) <= 0, 1.0, 0.5 * (lo + hi))
        return u

    def critical(self) -> tuple[float, float]:
        """``(p_c, u_c)``: the smallest ``p`` with a non-trivial root, and that root."""
        grid = np.linspace(1e-6, 1.0, 20001)
        with np.errstate(divide="ignore"):
            ratio = grid / self.phi(grid)
        i = int(np.argmin(ratio))
        lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
        res = optimize.minimize_scalar(
            lambda u: u / self.phi(u), bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
        )
        return float(res.fun), float(res.x)


def kcore_curve(
    k: int, mean_degree: float, graph: str = "erdos_renyi", fraction_removed=None
) -> KCoreCurve:
    """Expected surviving fraction of an ``AtLeast(k)`` random tower as services are removed.

    Parameters
    ----------
    k : int
        Each service needs at least ``k`` standing neighbours (``k ≥ 1``).
    mean_degree : float
        ``z`` (Erdős–Rényi) or the degree ``d`` (random regular, a whole number).
    graph : {"erdos_renyi", "regular"}
    fraction_removed : array-like, optional
        Where to evaluate (default 401 points on [0, 1]).

    Returns
    -------
    KCoreCurve

    Notes
    -----
    Fixed point ``u = p Φ(u)`` and core size ``M(p)`` of [Dorogovtsev2006]_
    (module docstring); the jump at ``p_c = min u/Φ(u)`` for ``k ≥ 3``.

    Examples
    --------
    >>> c = kcore_curve(3, 5.0)
    >>> round(c.critical_fraction, 3), round(c.jump, 3)
    (0.33, 0.179)
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise InvalidTowerError(f"k must be a whole number >= 1, got {k!r}")
    if graph not in ("erdos_renyi", "regular"):
        raise InvalidTowerError(f"graph must be 'erdos_renyi' or 'regular', got {graph!r}")
    z = float(mean_degree)
    if not np.isfinite(z) or z <= 0:
        raise InvalidTowerError(f"mean_degree must be a positive number, got {mean_degree!r}")
    if graph == "regular" and z != int(z):
        raise InvalidTowerError(f"a random regular graph needs a whole degree, got {mean_degree!r}")
    f = (
        np.linspace(0.0, 1.0, 401)
        if fraction_removed is None
        else np.asarray(fraction_removed, float)
    )
    if f.ndim != 1 or np.any((f < 0) | (f > 1)):
        raise InvalidTowerError("fraction_removed must be a 1-d array of fractions in [0, 1]")
    p = 1.0 - f
    ens = _Ensemble(int(k), z, graph)
    prov = Provenance("kcore_percolation", {"k": int(k), "mean_degree": z, "graph": graph})
    if k == 1:
        g0 = np.exp(-z * p) if graph == "erdos_renyi" else (1 - p) ** int(z)
        surv = p * (1 - g0)
        return KCoreCurve(f, surv, p.copy(), None, 0.0, 1, z, graph, prov)
    p_c, u_c = ens.critical()
    u = ens.largest_roots(p, p_c, u_c)
    surv = p * ens.core(u)
    if p_c > 1.0 + 1e-12:
        return KCoreCurve(f, np.zeros_like(f), u, None, 0.0, int(k), z, graph, prov)
    jump = float(p_c * ens.core(u_c)) if u_c > 1e-4 else 0.0
    return KCoreCurve(f, surv, u, float(1.0 - p_c), jump, int(k), z, graph, prov)


def kcore_equations(k: int, graph: str = "erdos_renyi", degree: int | None = None) -> dict:
    """The fixed-point equations of k-core percolation as ``sympy`` expressions.

    Parameters
    ----------
    k : int
        ``k ≥ 2``.
    graph : {"erdos_renyi", "regular"}
    degree : int, optional
        The degree ``d`` of a random regular graph (required for ``"regular"``).

    Returns
    -------
    dict
        ``"phi"`` (``Φ(u)``), ``"core"`` (``M/p`` as a function of ``u``),
        ``"fixed_point"`` (``u = p Φ(u)``), ``"p_of_u"`` (``u / Φ(u)``) and
        ``"critical"`` (``d/du (u/Φ(u)) = 0``, whose root is ``u_c``), in the
        symbols ``u``, ``p`` and ``z`` (Erdős–Rényi mean degree).

    Examples
    --------
    >>> eq = kcore_equations(3)
    >>> eq["phi"]
    -(u*z + 1)*exp(-u*z) + 1
    """
    import sympy as sp

    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
        raise InvalidTowerError(f"kcore_equations needs a whole number k >= 2, got {k!r}")
    u, p, z = sp.symbols("u p z", positive=True)
    if graph == "erdos_renyi":
        lam = z * u

        def tail(m):  # P(Poisson(lam) >= m)
            return 1 - sp.exp(-lam) * sp.Add(*[lam**j / sp.factorial(j) for j in range(m)])

        phi, core = tail(k - 1), tail(k)
    elif graph == "regular":
        if degree is None or degree < k:
            raise InvalidTowerError(f"graph='regular' needs degree >= k, got degree={degree!r}")

        def btail(n, m):  # P(Bin(n, u) >= m)
            return sp.Add(*[sp.binomial(n, j) * u**j * (1 - u) ** (n - j) for j in range(m, n + 1)])

        phi, core = sp.expand(btail(degree - 1, k - 1)), sp.expand(btail(degree, k))
    else:
        raise InvalidTowerError(f"graph must be 'erdos_renyi' or 'regular', got {graph!r}")
    ratio = u / phi
    return {
        "phi": phi,
        "core": core,
        "fixed_point": sp.Eq(u, p * phi),
        "p_of_u": ratio,
        "critical": sp.Eq(sp.diff(ratio, u), 0),
        "symbols": (u, p, z),
    }
