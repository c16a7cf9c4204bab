"""Collapse thresholds: how much can come out, in which order, before the tower falls (DESIGN §2).

* Along orders: :func:`collapse_point`, :func:`collapse_curve`.
* Exact: :func:`max_safe_set`, :func:`min_collapse_set` (MILP, HiGHS; max-weight closure);
  :func:`weakest_blocks` (dominator trees or the incremental engine).
* Money: :func:`headroom` (numeric and symbolic), :func:`find_threshold` (bisection).
"""

from ._curve import CollapseCurve, CollapsePoint, collapse_curve, collapse_point
from ._exact import CollapseSet, SafeSet, max_safe_set, min_collapse_set
from ._headroom import Headroom, Threshold, find_threshold, headroom
from ._weakest import WeakestBlocks, weakest_blocks

__all__ = [
    "CollapseCurve",
    "CollapsePoint",
    "CollapseSet",
    "Headroom",
    "SafeSet",
    "Threshold",
    "WeakestBlocks",
    "collapse_curve",
    "collapse_point",
    "find_threshold",
    "headroom",
    "max_safe_set",
    "min_collapse_set",
    "weakest_blocks",
]
