"""Sampled Shapley values with confidence intervals, for games too large to enumerate.

Two estimators of ``φ_i = E_π[v(P_i^π ∪ {i}) − v(P_i^π)]`` (``P_i^π``: the
players before ``i`` in a uniformly random order π):

- ``"permutation"`` [Castro2009]_: ``samples`` random orders; each order gives
  one marginal contribution to every player (n evaluations per order).
  ``stderr_i = sd_i / sqrt(samples)``.
- ``"stratified"`` [Maleki2013]_: the position of ``i`` in π is uniform, so
  ``φ_i = (1/n) Σ_{s=0}^{n−1} E[v(S ∪ {i}) − v(S) | S ⊆ N∖{i}, |S| = s]``; each
  stratum gets ``m = max(2, samples // n)`` uniform coalitions of its size and
  ``stderr_i² = (1/n²) Σ_s var_{i,s} / m``.

Both use ``samples`` marginal contributions per player. The interval is the
normal approximation ``φ̂ ± z stderr`` with ``z = Φ^{-1}((1+confidence)/2)``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..._results import Provenance
from ..._rng import make_rng
from ...errors import InvalidGameError
from ._game import FunctionGame, TUGame
from ._results import SampledAllocation

__all__ = ["shapley_sampled"]

_CHUNK = 1 << 20  # coalition evaluations per batch


@lru_cache(maxsize=64)
def _z(confidence: float) -> float:
    """``Φ^{-1}((1 + confidence) / 2)`` (cached: scipy.stats costs more per call than the sampling)."""
    from scipy.stats import norm

    return float(norm.ppf(0.5 + confidence / 2))


def _evaluator(game):
    if isinstance(game, TUGame):
        v = game.values
        pw = np.int64(1) << np.arange(game.n, dtype=np.int64)

        def evaluate(masks: np.ndarray) -> np.ndarray:
            return v[masks.astype(np.int64) @ pw]

        return evaluate
    return game.evaluate


def _accumulate_tu(v: np.ndarray, perms: np.ndarray, total: np.ndarray, total_sq: np.ndarray):
    """Add the marginal contributions of the orders ``perms`` (rows) in a stored game.

    Position-major layout: row ``k`` of ``cs`` holds, for every order, the bitmask of its
    first ``k + 1`` players (a running sum of their bits, one vector add per position:
    ``np.cumsum`` along the short axis costs 5× more). The sums by player run in the order
    of the rows, one term per order, exactly as before (``np.bincount`` over the row-major
    ``(order, position)`` array), so the seeded results are bit-for-bit those of the
    earlier one-line version (tests: ``test_sampled_accumulation_is_bitwise_the_reference``).
    """
    b, n = perms.shape
    cs = np.left_shift(1, perms.T, order="C")  # (position, order): the bit of who comes there
    for k in range(1, n):
        np.add(cs[k - 1], cs[k], out=cs[k])
    vals = v[cs]
    marg = np.empty((b, n))  # (order, position), filled through its transpose
    mT = marg.T
    mT[0] = vals[0]
    np.subtract(vals[1:], vals[:-1], out=mT[1:])
    who, w = perms.ravel(), marg.ravel()
    total = total + np.bincount(who, weights=w, minlength=n)
    np.multiply(w, w, out=w)
    total_sq = total_sq + np.bincount(who, weights=w, minlength=n)
    return total, total_sq


def _permutation(game, samples, rng):
    n = game.n
    evaluate = _evaluator(game)
    total = np.zeros(n)
    total_sq = np.zeros(n)
    per = max(1, _CHUNK // (n * n) if n > 64 else _CHUNK // max(n, 1) // 8)
    done = 0
    while done < samples:
        b = min(per, samples - done)
        perms = np.empty((b, n), dtype=np.int64)
        perms[:] = np.arange(n)
        rng.permuted(perms, axis=1, out=perms)  # the draw of np.tile(...) permuted: same numbers
        done += b
        if isinstance(game, TUGame):
            total, total_sq = _accumulate_tu(game.values, perms, total, total_sq)
            continue
        # masks[r, k] marks the first k+1 players of order r
        pos = np.empty_like(perms)
        np.put_along_axis(pos, perms, np.arange(n)[None, :], axis=1)
        masks = pos[:, None, :] <= np.arange(n)[None, :, None]  # (b, k, player)
        vals = evaluate(masks.reshape(b * n, n)).reshape(b, n)
        marg = np.diff(vals, axis=1, prepend=0.0)  # by position
        who = perms.ravel()  # the player at each position: sum by player without scattering
        total += np.bincount(who, weights=marg.ravel(), minlength=n)
        total_sq += np.bincount(who, weights=(marg * marg).ravel(), minlength=n)
    mean = total / samples
    var = np.maximum(total_sq / samples - mean**2, 0.0) * samples / max(samples - 1, 1)
    return mean, np.sqrt(var / samples)


def _stratified(game, samples, rng):
    n = game.n
    evaluate = _evaluator(game)
    m = max(2, samples // n)
    est = np.zeros(n)
    var = np.zeros(n)
    for i in range(n):
        others = np.delete(np.arange(n), i)
        # all strata at once: for stratum s, the first s of a random order of the others
        keys = rng.random((n, m, n - 1))
        order = np.argsort(keys, axis=2)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(n - 1)[None, None, :], axis=2)
        inside = rank < np.arange(n)[:, None, None]  # (s, m, n-1)
        masks = np.zeros((n, m, n), dtype=bool)
        masks[:, :, others] = inside
        with_i = masks.copy()
        with_i[:, :, i] = True
        both = np.concatenate([with_i.reshape(-1, n), masks.reshape(-1, n)])
        vals = evaluate(both)
        marg = (vals[: n * m] - vals[n * m :]).reshape(n, m)
        est[i] = marg.mean(axis=1).mean()
        var[i] = (marg.var(axis=1, ddof=1) / m).sum() / n**2
    return est, np.sqrt(var)


def shapley_sampled(
    game: TUGame | FunctionGame,
    samples: int = 1000,
    method: str = "permutation",
    seed=None,
    confidence: float = 0.95,
) -> SampledAllocation:
    """Monte Carlo Shapley value with standard errors and a confidence interval.

    Parameters
    ----------
    game : TUGame or FunctionGame
        A :class:`FunctionGame` needs no ``2**n`` array, so n can be in the
        hundreds (cost: ``samples * n`` evaluations of its value function).
    samples : int
        Marginal contributions per player (>= 2).
    method : {"permutation", "stratified"}
        See the module docstring ([Castro2009]_, [Maleki2013]_).
    seed : int, numpy Generator or None
        Same seed, same numbers.
    confidence : float
        Level of the normal-approximation interval, in (0, 1).

    Returns
    -------
    SampledAllocation
        ``values``, ``stderr``, ``ci_low``, ``ci_high``.
    """
    if not isinstance(game, TUGame | FunctionGame):
        raise InvalidGameError(
            f"shapley_sampled needs a TUGame or FunctionGame, not {type(game).__name__}"
        )
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 2:
        raise InvalidGameError(f"samples must be an int >= 2, not {samples!r}")
    if not 0.0 < confidence < 1.0:
        raise InvalidGameError(f"confidence must be in (0, 1), not {confidence!r}")
    rng = make_rng(seed)
    if method == "permutation":
        est, se = _permutation(game, int(samples), rng)
    elif method == "stratified":
        if game.n < 2:
            est, se = _permutation(game, int(samples), rng)
        else:
            est, se = _stratified(game, int(samples), rng)
    else:
        raise InvalidGameError(f"unknown method {method!r}; use 'permutation' or 'stratified'")
    z = _z(float(confidence))
    prov = Provenance(
        "shapley_" + method,
        {"samples": int(samples), "confidence": confidence},
        seed=seed if isinstance(seed, int) else None,
    )
    return SampledAllocation(
        est,
        game.players,
        "shapley_sampled",
        prov,
        stderr=se,
        ci_low=est - z * se,
        ci_high=est + z * se,
        confidence=confidence,
        samples=int(samples),
    )
