"""The one numerical tolerance of the toolkit.

Floating-point comparisons that decide a yes/no answer (is a provider viable,
is a profile an equilibrium, is an allocation in the core) use ``TOL``:
``x >= y`` is read as ``x >= y - TOL * max(1, |y|)``. Exact modes
(:class:`fractions.Fraction`, :class:`sympy.Rational`) compare exactly.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TOL", "geq", "is_close", "leq"]

TOL: float = 1e-9
"""Absolute (and, above 1, relative) tolerance for floating-point decisions."""


def _scale(y):
    return np.maximum(1.0, np.abs(y))


def geq(x, y, tol: float = TOL):
    """``x >= y`` up to ``tol`` (absolute below 1, relative above)."""
    return x >= y - tol * _scale(y)


def leq(x, y, tol: float = TOL):
    """``x <= y`` up to ``tol`` (absolute below 1, relative above)."""
    return x <= y + tol * _scale(y)


def is_close(x, y, tol: float = TOL):
    """``|x - y| <= tol`` (absolute below 1, relative above)."""
    return np.abs(np.asarray(x) - np.asarray(y)) <= tol * _scale(y)
