"""Parameters with distributions, rank correlations, and seeded samplers.

A :class:`ParameterSpace` maps parameter names to marginal distributions and
optionally a target Spearman rank-correlation matrix. A draw is made in two
steps:

1. a point ``u`` of the unit hypercube ``[0, 1)^k`` from a sampler: plain Monte
   Carlo, Latin hypercube or scrambled Sobol' (``scipy.stats.qmc``), seeded
   through :func:`jenga_games._rng.make_rng`;
2. each coordinate through its marginal's quantile function,
   ``x_j = F_j^{-1}(u_j)`` (scipy's ``ppf``; an empirical sample's inverted CDF;
   a fixed value ignores ``u``).

Correlations are induced by the Iman–Conover method :cite:`Iman1982`: the
columns of the independent sample are re-ordered so that their van der Waerden
scores ``Φ^{-1}(r/(n+1))`` have the target correlation ``C``. With ``S`` the
score matrix (each column randomly permuted), ``E = corr(S) = QQ^T`` and
``C = PP^T`` (Cholesky), the target scores are ``T = S (Q^{-1})^T P^T`` and
each column of the sample takes the ranks of the matching column of ``T``.
Marginals (and the Latin-hypercube stratification) are kept exactly, and the
rank correlation is ``C`` up to sampling error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from .._rng import make_rng
from ..errors import UncertaintySpecError

__all__ = [
    "SAMPLERS",
    "Empirical",
    "Fixed",
    "ParameterSpace",
    "UncertaintySpecError",
    "distribution",
]

#: The samplers of :meth:`ParameterSpace.sample`.
SAMPLERS = ("mc", "lhs", "sobol")
_EPS = 1e-12  # u is kept in [eps, 1 - eps] so unbounded quantile functions stay finite


@dataclasses.dataclass(frozen=True)
class Fixed:
    """A parameter held at ``value`` in every draw."""

    value: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), self.value, dtype=float)

    def median(self) -> float:
        return self.value

    def __repr__(self) -> str:
        return f"Fixed({self.value!r})"


@dataclasses.dataclass(frozen=True, eq=False)
class Empirical:
    """A parameter drawn from a sample (e.g. bootstrap replicates or posterior draws).

    The quantile function is the inverted empirical CDF, so every draw is one of
    the given values.
    """

    values: np.ndarray

    def __post_init__(self) -> None:
        v = np.sort(np.asarray(self.values, dtype=float).ravel())
        object.__setattr__(self, "values", v)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.quantile(self.values, np.asarray(u, dtype=float), method="inverted_cdf")

    def median(self) -> float:
        return float(self.ppf(np.array(0.5)))

    def __repr__(self) -> str:
        return f"Empirical({self.values.size} values)"


def distribution(spec: Any, name: str = "parameter") -> Any:
    """A marginal distribution from a scipy frozen distribution, a number, a sample or a dict.

    Parameters
    ----------
    spec : scipy frozen distribution, number, sequence of numbers, or mapping
        A number is :class:`Fixed`; a sequence is :class:`Empirical`; a mapping
        ``{"dist": "lognorm", "s": 0.1, ...}`` is ``scipy.stats.lognorm(s=0.1, ...)``
        (the form used in spec files; ``{"fixed": 2.5}`` and ``{"empirical": [...]}``
        also work).
    name : str
        The parameter's name, for error messages.

    Raises
    ------
    UncertaintySpecError
        An unknown distribution, or parameters that scipy rejects (e.g. a negative scale).
    """
    if isinstance(spec, Fixed | Empirical):
        return spec
    if isinstance(spec, bool):
        raise UncertaintySpecError(
            f"parameter {name!r}: {spec!r} is not a distribution; give a number, a sample, "
            "a scipy.stats distribution or a mapping like {'dist': 'norm', 'loc': 0, 'scale': 1}"
        )
    if isinstance(spec, numbers.Real):
        if not math.isfinite(float(spec)):
            raise UncertaintySpecError(f"parameter {name!r}: fixed value {spec!r} is not finite")
        return Fixed(float(spec))
    if isinstance(spec, Mapping):
        spec = dict(spec)
        if "fixed" in spec:
            return distribution(float(spec["fixed"]), name)
        if "empirical" in spec:
            return distribution(list(spec["empirical"]), name)
        dname = spec.pop("dist", None)
        family = getattr(stats, str(dname), None) if dname is not None else None
        if not isinstance(family, stats.rv_continuous | stats.rv_discrete):
            close = difflib.get_close_matches(
                str(dname),
                [k for k in dir(stats) if isinstance(getattr(stats, k), stats.rv_continuous)],
            )
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UncertaintySpecError(
                f"parameter {name!r}: unknown distribution {dname!r}{hint}; give 'dist' as the "
                "name of a scipy.stats distribution, e.g. {'dist': 'lognorm', 's': 0.1}, "
                "or {'fixed': value} or {'empirical': [values]}"
            )
        try:
            spec = family(**spec)
        except TypeError as err:
            raise UncertaintySpecError(
                f"parameter {name!r}: scipy.stats.{dname} does not take {sorted(spec)} ({err}); "
                f"see the parameters of scipy.stats.{dname}"
            ) from None
    if hasattr(spec, "ppf") and hasattr(spec, "dist"):  # a scipy frozen distribution
        q = spec.ppf(np.array([0.25, 0.5, 0.75]))
        ok = bool(np.all(np.isfinite(q)))
        # scipy's own argument check (private API: where it is missing or refuses the call,
        # the NaN quantiles above are the check)
        with contextlib.suppress(AttributeError, TypeError):
            shapes, _, scale = spec.dist._parse_args(*spec.args, **spec.kwds)
            ok = ok and bool(np.all(scale > 0)) and bool(np.all(spec.dist._argcheck(*shapes)))
        if not ok:
            raise UncertaintySpecError(
                f"parameter {name!r}: {_describe(spec)} has invalid parameters (scipy returns NaN "
                "quantiles); a scale must be > 0 and shape parameters inside their ranges "
                f"(see scipy.stats.{spec.dist.name})"
            )
        return spec
    if isinstance(spec, Iterable) and not isinstance(spec, str | bytes):
        values = np.asarray(list(spec), dtype=float)
        if values.size == 0 or not np.all(np.isfinite(values)):
            raise UncertaintySpecError(
                f"parameter {name!r}: an empirical sample needs at least one value, all finite"
            )
        return Empirical(values)
    raise UncertaintySpecError(
        f"parameter {name!r}: {spec!r} is not a distribution; give a number (fixed), a sample "
        "(empirical), a scipy.stats frozen distribution or a mapping {'dist': name, ...}"
    )


def _describe(dist: Any) -> str:
    if isinstance(dist, Fixed | Empirical):
        return repr(dist)
    parts = [repr(a) for a in dist.args] + [f"{k}={v!r}" for k, v in dist.kwds.items()]
    return f"{dist.dist.name}({', '.join(parts)})"


def _median(dist: Any) -> float:
    return float(dist.median()) if not hasattr(dist, "dist") else float(dist.ppf(0.5))


class ParameterSpace:
    """Named parameters with marginal distributions and an optional rank correlation.

    Parameters
    ----------
    parameters : mapping name -> distribution
        Each value as accepted by :func:`distribution` (scipy frozen distribution,
        number, sample, or mapping).
    correlation : mapping (name, name) -> float, or square array, optional
        Target Spearman rank correlations. A mapping names pairs (the rest are 0);
        an array is ordered like ``parameters`` (fixed parameters included, with
        zero off-diagonals). Must be symmetric, with unit diagonal, entries in
        ``[-1, 1]`` and positive semi-definite.

    Examples
    --------
    >>> from scipy import stats
    >>> space = ParameterSpace({"a": stats.uniform(0, 1), "b": 2.0})
    >>> space.sample(4, seed=1, sampler="lhs")["b"].tolist()
    [2.0, 2.0, 2.0, 2.0]
    """

    def __init__(
        self,
        parameters: Mapping[str, Any],
        correlation: Mapping[tuple[str, str], float] | Sequence[Sequence[float]] | None = None,
    ) -> None:
        if not isinstance(parameters, Mapping) or not parameters:
            raise UncertaintySpecError(
                "a parameter space needs at least one parameter: give a mapping name -> "
                "distribution, e.g. {'collapse_cost': scipy.stats.uniform(2, 1)}"
            )
        self.names: tuple[str, ...] = tuple(str(k) for k in parameters)
        self.distributions: dict[str, Any] = {
            str(k): distribution(v, str(k)) for k, v in parameters.items()
        }
        self.correlation: np.ndarray | None = self._correlation(correlation)

    # -- validation ------------------------------------------------------------
    def _correlation(self, corr: Any) -> np.ndarray | None:
        if corr is None:
            return None
        k = len(self.names)
        if isinstance(corr, Mapping):
            c = np.eye(k)
            for pair, rho in corr.items():
                if isinstance(pair, str):
                    pair = tuple(p.strip() for p in pair.split(","))
                if len(pair) != 2:
                    raise UncertaintySpecError(
                        f"correlation key {pair!r}: name a pair of parameters, e.g. ('a', 'b')"
                    )
                i, j = (self._position(p, "correlation") for p in pair)
                if i == j:
                    raise UncertaintySpecError(
                        f"correlation of {pair[0]!r} with itself is 1 by definition; remove it"
                    )
                c[i, j] = c[j, i] = float(rho)
        else:
            c = np.asarray(corr, dtype=float)
            if c.shape != (k, k):
                raise UncertaintySpecError(
                    f"the correlation matrix must be {k} x {k} (one row per parameter, in the "
                    f"order {list(self.names)}), got shape {c.shape}"
                )
        if not np.all(np.isfinite(c)) or np.any(np.abs(c) > 1):
            raise UncertaintySpecError("correlations must be finite numbers in [-1, 1]")
        if not np.allclose(c, c.T) or not np.allclose(np.diag(c), 1.0):
            raise UncertaintySpecError(
                "the correlation matrix must be symmetric with 1 on the diagonal"
            )
        low = float(np.linalg.eigvalsh(c).min())
        if low < -1e-10:
            raise UncertaintySpecError(
                f"the correlation matrix is not positive semi-definite (smallest eigenvalue "
                f"{low:.3g}): these correlations cannot hold together; weaken the off-diagonal "
                "entries (e.g. shrink towards the identity, C' = (1 - w) C + w I) until every "
                "eigenvalue is >= 0"
            )
        fixed = [n for n in self.names if isinstance(self.distributions[n], Fixed)]
        for n in fixed:
            i = self.names.index(n)
            if np.any(np.delete(c[i], i) != 0):
                raise UncertaintySpecError(
                    f"parameter {n!r} is fixed, so it cannot be correlated; remove its correlations"
                )
        return None if np.array_equal(c, np.eye(k)) else c

    def _position(self, name: str, where: str) -> int:
        if name in self.names:
            return self.names.index(name)
        close = difflib.get_close_matches(name, self.names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UncertaintySpecError(
            f"{where} names unknown parameter {name!r}{hint}; parameters are {list(self.names)}"
        )

    # -- sampling --------------------------------------------------------------
    @property
    def uncertain(self) -> tuple[str, ...]:
        """Names of the parameters that are not fixed."""
        return tuple(n for n in self.names if not isinstance(self.distributions[n], Fixed))

    def base(self) -> dict[str, float]:
        """Each parameter at its median (the base case of deterministic analyses)."""
        return {n: _median(self.distributions[n]) for n in self.names}

    def quantile(self, name: str, q: float) -> float:
        """The ``q`` quantile of parameter ``name``."""
        d = self.distributions[self.names[self._position(name, "quantile")]]
        return float(np.asarray(d.ppf(np.array(q))))

    def from_unit(self, u: np.ndarray) -> pd.DataFrame:
        """Map points of the unit hypercube (columns: :attr:`uncertain`) to parameter values."""
        u = np.clip(np.asarray(u, dtype=float), _EPS, 1 - _EPS)
        cols = {}
        unc = self.uncertain
        for n in self.names:
            d = self.distributions[n]
            if isinstance(d, Fixed):
                cols[n] = np.full(u.shape[0], d.value)
            else:
                cols[n] = np.asarray(d.ppf(u[:, unc.index(n)]), dtype=float)
        return pd.DataFrame(cols, columns=list(self.names))

    def sample(self, n: int, seed: int | None = 0, sampler: str = "lhs") -> pd.DataFrame:
        """``n`` draws as a frame (one column per parameter, in declaration order).

        Parameters
        ----------
        n : int
            Number of draws (>= 1). Sobol' points are balanced when ``n`` is a power of 2.
        seed : int or None
            Same seed, same draws.
        sampler : {"mc", "lhs", "sobol"}
            Plain Monte Carlo, Latin hypercube :cite:`McKay1979` or scrambled Sobol'
            :cite:`Sobol1967`, from ``scipy.stats.qmc``.
        """
        n = check_n(n)
        if sampler not in SAMPLERS:
            raise UncertaintySpecError(
                f"sampler={sampler!r}: use one of {', '.join(map(repr, SAMPLERS))}"
            )
        rng = make_rng(seed)
        k = len(self.uncertain)
        if k == 0:
            u = np.empty((n, 0))
        elif sampler == "mc":
            u = rng.random((n, k))
        elif sampler == "lhs":
            u = qmc.LatinHypercube(d=k, rng=rng).random(n)
        else:
            import warnings

            with warnings.catch_warnings():  # balance warning for n not a power of 2: documented
                warnings.simplefilter("ignore", UserWarning)
                u = qmc.Sobol(d=k, scramble=True, rng=rng).random(n)
        if self.correlation is not None and n > 1:
            keep = [self.names.index(m) for m in self.uncertain]
            u = _iman_conover(u, self.correlation[np.ix_(keep, keep)], rng)
        return self.from_unit(u)

    def describe(self) -> dict[str, str]:
        """Each parameter's distribution as text (for reports and manifests)."""
        return {n: _describe(self.distributions[n]) for n in self.names}

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v}" for k, v in self.describe().items())
        return f"ParameterSpace({body}{', correlated' if self.correlation is not None else ''})"


def check_n(n: Any) -> int:
    """``n`` as a positive int, or a :class:`UncertaintySpecError` saying so."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise UncertaintySpecError(
            f"n={n!r}: the number of draws must be a positive int, e.g. n=1000"
        )
    return int(n)


def _psd_cholesky(c: np.ndarray) -> np.ndarray:
    """A lower factor ``L`` with ``L L^T = c`` for a positive semi-definite ``c``."""
    try:
        return np.linalg.cholesky(c)
    except np.linalg.LinAlgError:  # singular but PSD: factor through the eigen-decomposition
        w, v = np.linalg.eigh(c)
        return v * np.sqrt(np.clip(w, 0.0, None))


def _iman_conover(u: np.ndarray, target: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Re-order the columns of ``u`` to have rank correlation ``target`` (Iman & Conover 1982)."""
    n, k = u.shape
    base = stats.norm.ppf(np.arange(1, n + 1) / (n + 1))
    scores = np.column_stack([rng.permutation(base) for _ in range(k)])
    e = np.corrcoef(scores, rowvar=False) if k > 1 else np.ones((1, 1))
    q = _psd_cholesky(np.atleast_2d(e))
    # normal scores with Pearson r have Spearman rho = (6/pi) asin(r/2) :cite:`Kruskal1958`: invert it
    pearson = 2.0 * np.sin(np.pi * target / 6.0)
    w, v = np.linalg.eigh(pearson)
    p = _psd_cholesky((v * np.clip(w, 0.0, None)) @ v.T)
    t = scores @ np.linalg.pinv(q).T @ p.T
    out = np.empty_like(u)
    for j in range(k):
        ranks = np.argsort(np.argsort(t[:, j], kind="stable"), kind="stable")
        out[:, j] = np.sort(u[:, j])[ranks]
    return out
