"""Shapley–Shubik and Banzhaf indices of weighted voting games by dynamic programming.

A weighted voting game ``[q; w_1..w_n]`` with integer weights has ``v(S) = 1``
iff ``w(S) >= q``. Player ``i`` is *pivotal* (a swing) for ``S ⊆ N∖{i}``
when ``Q − w_i <= w(S) <= Q − 1`` with ``Q = ⌈q⌉``. Both indices only need
the distribution of ``w(S)`` [Matsui2000]_, [Uno2012]_, never the ``2**n``
coalitions:

- Banzhaf: ``P(w)`` = probability that a uniformly random subset of ``N`` has
  weight ``w`` (each player in with probability 1/2). Removing player i,
  ``P_{−i}(w) = 2P(w) − P_{−i}(w − w_i)``, whose solution is an alternating
  cumulative sum along each residue class mod ``w_i``; since ``Σ P = 1`` the
  rounding error stays below a few ulps of 1 (absolute).
  ``β'_i = Σ_{w=Q−w_i}^{Q−1} P_{−i}(w)`` (raw index), swings ``= 2^{n−1} β'_i``.
- Shapley–Shubik: ``D[s, w]`` = probability that a uniformly random s-subset
  has weight ``w``. Removing player i,
  ``D_{−i}[s, w] = (n D[s, w] − s D_{−i}[s−1, w−w_i]) / (n − s)``,
  used only for ``s <= (n−1)/2`` where the factor ``s/(n−s) < 1`` keeps
  the recursion stable; larger sizes come from complements,
  ``D_{−i}[s, w] = D_{−i}[n−1−s, W − w_i − w]``.
  ``φ_i = (1/n) Σ_s Σ_{w=Q−w_i}^{Q−1} D_{−i}[s, w]``.

Cost: O(n W) for Banzhaf and O(n² W) for Shapley–Shubik (``W = Σ w_i``),
with the players of equal weight sharing one removal.
"""

from __future__ import annotations

import math

import numpy as np

from ..._results import Provenance
from ...errors import InvalidGameError, TooLargeError
from ...tolerance import TOL, is_close
from ._results import PowerIndices

__all__ = ["MAX_DP_CELLS", "weighted_voting_indices", "winning_threshold"]

#: Largest DP table ((n/2 + 1) x (W + 1) floats) we allocate: 4e7 cells = 320 MB.
MAX_DP_CELLS = 40_000_000


def winning_threshold(quota: float) -> float:
    """The one reading of a quota: a coalition wins when ``w(S) >= t`` with this ``t``.

    ``w(S) >= q`` up to the toolkit tolerance (:func:`jenga_games.tolerance.geq`):
    ``t = q − TOL·max(1, |q|)``. So a quota of ``3000000.002`` is met by a
    weight of ``3000000`` (the 0.002 is below ``TOL·q = 0.003``), while
    ``3000000.5`` needs ``3000001``. :func:`weighted_voting_indices` (integer
    weights: ``Q = ⌈t⌉``) and :meth:`TUGame.weighted_voting` use this same
    threshold, so they always describe the same game.
    """
    q = float(quota)
    return q - TOL * max(1.0, abs(q))


def _validate(weights, quota):
    try:
        w = np.asarray(weights, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidGameError(f"weights must be numbers, not {weights!r}") from None
    if w.size == 0 or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InvalidGameError("weights must be a non-empty sequence of finite numbers >= 0")
    wi = np.rint(w)
    fractional = ~is_close(wi, w)
    if np.any(fractional):
        i = int(np.flatnonzero(fractional)[0])
        raise InvalidGameError(
            f"weights must be integers for the dynamic programme; weights[{i}] = {w[i]}. "
            "Multiply all weights and the quota by a common factor (e.g. 100) and round"
        )
    w = wi.astype(np.int64)
    total = int(w.sum())
    try:
        q = float(quota)
    except (TypeError, ValueError):
        raise InvalidGameError(f"quota must be a number, not {quota!r}") from None
    Q = math.ceil(winning_threshold(q)) if np.isfinite(q) else 0
    if not np.isfinite(q) or Q < 1 or Q > total:
        raise InvalidGameError(
            f"quota must be in (0, sum of weights = {total}], not {quota!r}: otherwise no coalition "
            "or every coalition wins and the indices are undefined"
        )
    return w, total, Q


def _banzhaf_raw(w: np.ndarray, total: int, Q: int) -> np.ndarray:
    P = np.zeros(total + 1)
    P[0] = 1.0
    for wj in w:
        if wj:
            new = 0.5 * P
            new[wj:] += 0.5 * P[:-wj]
            P = new
    raw = np.zeros(w.size)
    for wi in np.unique(w):
        if wi == 0:
            continue
        K = -(-(total + 1) // wi)
        padded = np.zeros(K * wi)
        padded[: total + 1] = P
        blocks = padded.reshape(K, wi)
        sign = np.where(np.arange(K) % 2 == 0, 1.0, -1.0)[:, None]
        Pm = (2.0 * sign * np.cumsum(sign * blocks, axis=0)).reshape(-1)[: total + 1]
        raw[w == wi] = Pm[max(Q - wi, 0) : Q].sum()
    return raw


def _shapley_shubik(w: np.ndarray, total: int, Q: int) -> np.ndarray:
    n = w.size
    h = (n - 1) // 2  # rows 0..h of the removal are needed
    rows = h + 1
    # swing windows read columns <= Q-1 directly and <= W-Q through complements
    C = max(Q - 1, total - Q) + 1
    D = np.zeros((rows, C))
    D[0, 0] = 1.0
    tmp = np.empty((rows, C))
    for k, wj in enumerate(w):  # k players added so far; row 0 stays the point mass at 0
        kk = k + 1
        top = min(rows - 1, kk)
        if top == 0:
            continue
        s = np.arange(1, top + 1, dtype=float)[:, None]
        t = tmp[:top]
        if wj >= C:  # the new player's weight alone passes every column kept
            t[:] = 0.0
        else:
            t[:, :wj] = 0.0
            np.multiply(D[:top, : C - wj], s / kk, out=t[:, wj:])
        D[1 : top + 1] *= (kk - s) / kk
        D[1 : top + 1] += t
    phi = np.zeros(n)
    rem_all = total - w
    for wi in np.unique(w):
        lo, hi = max(Q - wi, 0), Q - 1  # window of w(S) for a swing
        if wi == 0 or hi < lo:
            continue
        rem = total - wi  # weight of N \ {i}
        c_lo, c_hi = max(rem - hi, 0), min(rem - lo, C - 1)
        Dm = np.empty((rows, C))
        Dm[0] = D[0]
        acc = Dm[0, lo : hi + 1].sum()
        for s in range(1, rows):
            r = Dm[s]
            np.multiply(D[s], n / (n - s), out=r)
            if wi < C:
                r[wi:] -= (s / (n - s)) * Dm[s - 1, : C - wi]
            acc += r[lo : hi + 1].sum()
        # sizes s > h: complements of size n-1-s <= h (sizes h+1..n-1 map to n-2-h..0)
        for s in range(h + 1, n):
            if c_hi >= c_lo:
                acc += Dm[n - 1 - s, c_lo : c_hi + 1].sum()
        phi[rem_all == rem] = acc / n
    return phi


def weighted_voting_indices(weights, quota: float, players=None) -> PowerIndices:
    """Shapley–Shubik and Banzhaf indices of ``[quota; weights]`` for n in the hundreds.

    Pseudo-polynomial dynamic programmes over the total weight ``W``
    (module docstring; [Matsui2000]_, [Uno2012]_), stable in floating point;
    the indices are accurate to about 1e-12 in absolute terms.

    Parameters
    ----------
    weights : sequence of int
        Non-negative integer weights (scale and round real weights).
    quota : float
        A coalition wins when its weight is ``>= quota`` up to the toolkit
        tolerance (:func:`winning_threshold`, the same reading as
        :meth:`TUGame.weighted_voting`).
    players : sequence, optional
        Labels (default ``0..n-1``).

    Returns
    -------
    PowerIndices
        ``shapley_shubik`` (sums to 1, [Shapley1954]_), ``banzhaf``
        (normalised, sums to 1, [Banzhaf1965]_), ``banzhaf_raw`` and ``swings``.

    Examples
    --------
    >>> r = weighted_voting_indices([4, 3, 2, 1], 6)
    >>> [round(float(x), 4) for x in r.shapley_shubik]
    [0.4167, 0.25, 0.25, 0.0833]
    """
    w, total, Q = _validate(weights, quota)
    n = w.size
    pl = tuple(range(n)) if players is None else tuple(players)
    if len(pl) != n:
        raise InvalidGameError(
            f"{len(pl)} player labels for {n} weights; give one label per weight"
        )
    cells = ((n - 1) // 2 + 1) * (total + 1)
    if cells > MAX_DP_CELLS:
        raise TooLargeError(
            f"the dynamic programme needs a {(n - 1) // 2 + 1} x {total + 1} table ({cells:,} cells, "
            f"limit {MAX_DP_CELLS:,}); divide the weights and quota by a common factor and round, "
            "or estimate with shapley_sampled(FunctionGame(...), samples=...)"
        )
    raw = _banzhaf_raw(w, total, Q)
    ss = _shapley_shubik(w, total, Q)
    swings = raw * 2.0 ** (n - 1)
    bz = raw / raw.sum() if raw.sum() > 0 else raw
    return PowerIndices(
        ss,
        bz,
        raw,
        swings,
        pl,
        Provenance("weighted_voting_dp", {"quota": float(quota), "total_weight": total}),
    )
