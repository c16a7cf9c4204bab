"""Collapse thresholds: how much can come out, in which order, before the tower falls (DESIGN §2).

* Along orders: :func:`collapse_point`, :func:`collapse_curve`.
* Exact: :func:`max_safe_set`, :func:`min_collapse_set` (MILP, HiGHS; max-weight closure);
  :func:`weakest_blocks` (dominator trees or the incremental engine).
* Random towers: :func:`kcore_curve` (k-core percolation by generating functions),
  :func:`kcore_equations` (the same equations in ``sympy``).
* Moving services out: :func:`safe_schedule` (order with nothing falling; transitional funding).
* Money: :func:`headroom` (numeric and symbolic), :func:`movable_units` (one service),
  :func:`find_threshold` (bisection).
"""

from ._analytic import KCoreCurve, kcore_curve, kcore_equations
from ._curve import CollapseCurve, CollapsePoint, collapse_curve, collapse_point
from ._exact import CollapseSet, SafeSet, max_safe_set, min_collapse_set
from ._headroom import Headroom, Threshold, find_threshold, headroom, movable_units
from ._schedule import SafeSchedule, safe_schedule
from ._weakest import WeakestBlocks, weakest_blocks

__all__ = [
    "CollapseCurve",
    "CollapsePoint",
    "CollapseSet",
    "Headroom",
    "KCoreCurve",
    "SafeSchedule",
    "SafeSet",
    "Threshold",
    "WeakestBlocks",
    "collapse_curve",
    "collapse_point",
    "find_threshold",
    "headroom",
    "kcore_curve",
    "kcore_equations",
    "max_safe_set",
    "min_collapse_set",
    "movable_units",
    "safe_schedule",
    "weakest_blocks",
]
