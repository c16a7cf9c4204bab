"""A small builder of mixed-integer programs for ``scipy.optimize.milp`` (HiGHS).

Support rules are trees of threshold gates ``|standing ∩ N| ≥ k`` under
And / Or (:mod:`jenga_games.tower.rules`). Two encodings are used, both with
a switch variable ``z`` (``z = 1`` switches the constraint on):

* *holds*: ``z ⇒ rule holds``. A gate: ``Σ_{u∈N} s_u ≥ k·z`` (all-of gates as
  ``z ≤ s_u`` for each ``u``, the tighter form); And: every child holds
  under ``z``; Or: new binaries ``g_c`` with ``Σ g_c ≥ z``, child ``c``
  holds under ``g_c``.
* *fails*: ``z ⇒ rule fails`` given "gone" indicators ``d_u`` (1 = the
  supporter no longer stands). A gate fails when at least ``|N| − k + 1``
  named supporters are gone: ``Σ d_u ≥ (|N| − k + 1)·z``; And: some child
  fails (binaries ``h_c``, ``Σ h_c ≥ z``); Or: every child fails under ``z``.

Both are exact for monotone rules (see [Wolsey1998]_, ch. 1, for the
logical-constraint encodings).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = ["Model", "Solution"]

Expr = dict  # column -> coefficient


@dataclass
class Solution:
    x: np.ndarray | None
    status: str  # "optimal", "time_limit", "infeasible"
    objective: float | None
    bound: float | None
    gap: float | None
    message: str


@dataclass
class Model:
    lb: list = field(default_factory=list)
    ub: list = field(default_factory=list)
    integer: list = field(default_factory=list)
    cost: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (expr, lo, hi)

    def var(self, lb: float = 0.0, ub: float = 1.0, integer: bool = True, cost: float = 0.0) -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        self.cost.append(cost)
        return len(self.lb) - 1

    def row(self, expr: Expr, lo: float = -np.inf, hi: float = np.inf) -> None:
        self.rows.append((expr, lo, hi))

    # -- rules ------------------------------------------------------------------
    def holds(self, rule, z: int, s: dict) -> None:
        """``z ⇒ rule holds`` with ``s[u]`` the column "u stands" (or a constant 1)."""
        kind = rule[0]
        if kind == "gate":
            idx, k = rule[1].tolist(), rule[2]
            if k <= 0:
                return
            if k > len(idx):
                self.row({z: 1.0}, hi=0.0)
                return
            if k == len(idx):
                for u in idx:
                    if s.get(u) is not None:
                        self.row({z: 1.0, s[u]: -1.0}, hi=0.0)
                return
            expr: Expr = {z: -float(k)}
            const = 0.0
            for u in idx:
                if s.get(u) is None:
                    const += 1.0
                else:
                    expr[s[u]] = expr.get(s[u], 0.0) + 1.0
            self.row(expr, lo=-const)
        elif kind == "and":
            for child in rule[1]:
                self.holds(child, z, s)
        else:
            gs = [self.var() for _ in rule[1]]
            self.row({**{g: 1.0 for g in gs}, z: -1.0}, lo=0.0)
            for child, g in zip(rule[1], gs):
                self.holds(child, g, s)

    def fails(self, rule, z: int, gone: dict) -> None:
        """``z ⇒ rule fails``; ``gone[u]`` is an expr (dict) that is 1 when ``u`` no longer stands."""
        kind = rule[0]
        if kind == "gate":
            idx, k = rule[1].tolist(), rule[2]
            if k <= 0:
                self.row({z: 1.0}, hi=0.0)
                return
            need = len(idx) - k + 1
            if need <= 0:
                return
            expr: Expr = {z: -float(need)}
            for u in idx:
                for col, coef in gone[u].items():
                    expr[col] = expr.get(col, 0.0) + coef
            self.row(expr, lo=0.0)
        elif kind == "or":
            for child in rule[1]:
                self.fails(child, z, gone)
        else:
            hs = [self.var() for _ in rule[1]]
            self.row({**{h: 1.0 for h in hs}, z: -1.0}, lo=0.0)
            for child, h in zip(rule[1], hs):
                self.fails(child, h, gone)

    # -- solve ------------------------------------------------------------------
    def solve(self, time_limit: float | None, presolve: bool = True) -> Solution:
        nvar = len(self.lb)
        data, ri, ci, lo, hi = [], [], [], [], []
        for r, (expr, a, b) in enumerate(self.rows):
            for c, v in expr.items():
                ri.append(r)
                ci.append(c)
                data.append(v)
            lo.append(a)
            hi.append(b)
        cons = []
        if self.rows:
            A = sparse.csr_array((data, (ri, ci)), shape=(len(self.rows), nvar))
            cons = [LinearConstraint(A, np.array(lo), np.array(hi))]
        options = {"disp": False, "presolve": bool(presolve)}
        if time_limit is not None:
            options["time_limit"] = float(time_limit)
        res = milp(
            np.array(self.cost, dtype=float),
            constraints=cons,
            integrality=np.array(self.integer),
            bounds=Bounds(np.array(self.lb), np.array(self.ub)),
            options=options,
        )
        if res.status == 0:
            status = "optimal"
        elif res.x is not None:
            status = "time_limit"
        elif res.status == 2:
            status = "infeasible"
        else:
            status = "time_limit"
        bound = getattr(res, "mip_dual_bound", None)
        gap = getattr(res, "mip_gap", None)
        return Solution(
            None if res.x is None else np.asarray(res.x),
            status,
            None if res.x is None else float(res.fun),
            None if bound is None else float(bound),
            None if gap is None else float(gap),
            str(res.message),
        )
