"""Small statistics shared by the toolkit's packages (one rule, one place).

The Wilson score interval for a binomial proportion [Wilson1927]_: with
``p̂ = k/n`` and ``z`` the ``(1 + level)/2`` normal quantile, the interval
is the set of ``p`` that the score test ``|p̂ − p| ≤ z·sqrt(p(1 − p)/n)``
does not reject,

    (p̂ + z²/(2n) ± z·sqrt(p̂(1 − p̂)/n + z²/(4n²))) / (1 + z²/n).

Used by the collapse curves' bands (:func:`jenga_games.tower.collapse_curve`)
and by :func:`jenga_games.uncertainty.wilson_interval`.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["wilson"]


def wilson(successes: np.ndarray, n: int, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion, elementwise [Wilson1927]_.

    Parameters
    ----------
    successes : array of float
        ``k``: successes out of ``n`` (any shape).
    n : int
        Trials (``n ≥ 1``; not checked here: callers check their input).
    confidence : float
        The level, in ``(0, 1)``.

    Returns
    -------
    low, high : arrays like ``successes``
        ``(p̂ + z²/(2n) ∓ z·sqrt(p̂(1 − p̂)/n + z²/(4n²))) / (1 + z²/n)``,
        clipped to ``[0, 1]`` and widened to contain ``p̂`` (against rounding).

    Examples
    --------
    >>> low, high = wilson(np.array([0.0, 5.0]), 10, 0.95)
    >>> [round(float(x), 4) for x in low], [round(float(x), 4) for x in high]
    ([0.0, 0.2366], [0.2775, 0.7634])
    """
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(np.minimum(centre - half, p), 0, 1), np.clip(np.maximum(centre + half, p), 0, 1)
