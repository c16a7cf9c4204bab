"""Collapse thresholds: how much can come out, in which order, before the tower falls (DESIGN §2).

* Along orders: :func:`collapse_point`, :func:`collapse_curve`.
"""

from ._curve import CollapseCurve, CollapsePoint, collapse_curve, collapse_point

__all__ = ["CollapseCurve", "CollapsePoint", "collapse_curve", "collapse_point"]
