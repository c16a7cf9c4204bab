"""One Nash equilibrium of a two-player extensive game by the sequence-form LCP.

Koller, Megiddo & von Stengel [Koller1996]_: with sequence-form payoff
matrices ``A``, ``B`` (made negative by subtracting a constant from every
leaf payoff, which changes no equilibrium) and constraints ``E x = e``,
``F y = f``, a Nash equilibrium is a solution of

.. math::
   E^\\top p - A y \\ge 0 \\perp x \\ge 0,\\quad
   F^\\top q - B^\\top x \\ge 0 \\perp y \\ge 0,\\quad
   E x = e,\\; F y = f,

with ``p``, ``q`` free. Writing ``p = p^+ - p^-`` (and the equalities as two
inequalities) gives a standard LCP ``w = q + M z ≥ 0``, ``z ≥ 0``, ``w^T z = 0``
with a copositive ``M``, which Lemke's algorithm [Lemke1964]_ solves by
complementary pivoting from an artificial variable ``z_0`` with covering
vector ``d = 1``. Arithmetic is exact (integer pivoting) and ties in the
ratio test are broken lexicographically, so degenerate games cannot cycle.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ...errors import InvalidGameError
from ._forms import sequence_form
from ._tree import ExtensiveGame

__all__ = ["sequence_form_lcp"]


_BIG = 1 << 40
"""Row denominators above this are reduced by the gcd of the row (below it a Python int
is one or two machine words, and the division would cost more than it saves)."""


def _lemke(rows: list[list[int]], max_pivots: int = 100_000):
    """Solve ``w = q + M z ≥ 0, z ≥ 0, wᵀz = 0`` by Lemke's algorithm; ``z`` or ``None`` (ray).

    ``rows[i]`` is the integer row ``[-M[i, 0], …, -M[i, n-1], -1, q[i]]``
    (``M`` and ``q`` scaled by a common denominator, which leaves ``z``
    unchanged; the last-but-one column is the artificial ``z_0`` with covering
    vector ``d = 1``). The tableau is kept condensed (a dictionary): one column
    per *non-basic* variable and the right-hand side, as integer rows ``T[i]``
    over a positive row denominator ``d[i]`` (values ``T[i] / d[i]``). A pivot on
    ``T[r][c] = p`` (entering variable ``e``, leaving ``l``, which takes over
    column ``c``) touches only the rows with ``f = T[i][c] ≠ 0``:

    .. math::
       T_i \\leftarrow p\\,T_i - f\\,T_r,\\quad T_i[c] \\leftarrow -f\\,d_r,\\quad
       d_i \\leftarrow p\\,d_i;\\qquad T_r[c] \\leftarrow d_r,\\quad d_r \\leftarrow p

    (the column of ``l`` was the unit vector ``e_r``); a row whose denominator
    passes ``_BIG`` is divided by the gcd of its entries and denominator. The
    ratio test compares
    ``T[i][rhs] / T[i][c]`` (the row denominators cancel) by cross-multiplication,
    ties broken lexicographically on the columns of ``B⁻¹`` (those of ``w``; a
    basic ``w_k`` has the implicit unit column), so degenerate games cannot
    cycle [Lemke1964]_. Same pivots as the full tableau ``[I, -M, -1 | q]``,
    with half the columns.
    """
    n = len(rows)
    T = [list(r) for r in rows]
    rhs = n + 1
    if all(r[rhs] >= 0 for r in T):
        return [Fraction(0)] * n
    d = [1] * n
    basis = list(range(n))  # basis[i]: variable of row i (w_k = k, z_j = n + j, z_0 = 2n)
    pos = [-1] * n + list(range(n + 1))  # pos[v]: column of a non-basic variable, else -1
    gcd = math.gcd

    def pivot(r: int, c: int) -> None:
        Tr = T[r]
        p = Tr[c]
        lr = d[r]
        if p < 0:
            Tr = [-v for v in Tr]
            p, lr = -p, -lr
        nz = [(k, v) for k, v in enumerate(Tr) if v and k != c]
        for i in range(n):
            if i == r:
                continue
            Ti = T[i]
            f = Ti[c]
            if not f:
                continue
            new = Ti.copy() if p == 1 else [v * p for v in Ti]
            for k, v in nz:
                new[k] -= f * v
            new[c] = -f * lr
            di = d[i] * p
            if di > _BIG:  # keep the integers short: divide out the row's common factor
                g = gcd(di, *new)
                if g > 1:
                    new = [v // g for v in new]
                    di //= g
            T[i] = new
            d[i] = di
        Tr[c] = lr
        if p > _BIG:
            g = gcd(p, *Tr)
            if g > 1:
                Tr = [v // g for v in Tr]
                p //= g
        T[r] = Tr
        d[r] = p

    def enter(r: int, v: int) -> int:
        """Pivot variable ``v`` into row ``r``; the variable that leaves."""
        c = pos[v]
        pivot(r, c)
        out = basis[r]
        basis[r] = v
        pos[out], pos[v] = c, -1
        return out

    r = min(range(n), key=lambda i: (T[i][rhs], i))  # most negative q_i (d = 1)
    leaving = enter(r, 2 * n)
    for _ in range(max_pivots):
        entering = leaving + n if leaving < n else leaving - n  # the complement
        c = pos[entering]
        cand = [i for i in range(n) if T[i][c] > 0]
        if not cand:
            return None  # secondary ray
        # lexicographic minimum ratio on (rhs, B^-1 columns) / column entry, the next
        # component only among rows still tied; a/b < c/d <=> a d < c b (b, d > 0)
        k = -1
        while len(cand) > 1 and k < n:
            col = rhs if k < 0 else pos[k]
            if col >= 0:
                best = cand[0]
                for i in cand[1:]:
                    if T[i][col] * T[best][c] < T[best][col] * T[i][c]:
                        best = i
                cand = [i for i in cand if T[i][col] * T[best][c] == T[best][col] * T[i][c]]
            else:  # w_k basic in row b: column d_b e_b, ratio d_b / T[b][c] there, 0 elsewhere
                b = basis.index(k)
                if b in cand and len(cand) > 1:
                    cand.remove(b)  # its ratio is positive, every other is 0
            k += 1
        leaving = enter(cand[0], entering)
        if leaving == 2 * n:
            z = [Fraction(0)] * n
            for i, b in enumerate(basis):
                if n <= b < 2 * n:
                    z[b - n] = Fraction(T[i][rhs], d[i])
            return z
    raise RuntimeError("Lemke's algorithm did not finish; please report")  # pragma: no cover


def _lcp_rows(game: ExtensiveGame, sf) -> tuple[list[list[int]], list[int]]:
    """The integer rows ``[-M | -1 | q]`` of the sequence-form LCP (see :func:`_lemke`)
    and the offsets of the blocks of ``z = (x, y, p⁺, p⁻, q⁺, q⁻)``.

    ``A = A_1 - s_1 C``, ``B = A_2 - s_2 C`` with ``C`` the chance weights and
    ``s_k`` one more than player ``k``'s largest leaf payoff (so both are
    negative where a leaf is reachable), all scaled by the common denominator.
    """
    n1, n2 = sf.n_sequences
    E, F = sf.constraints
    k1, k2 = len(E), len(F)
    shift = [v + 1 for v in sf.max_payoff]
    AB = {
        key: (sf.payoffs[0][key] - shift[0] * w, sf.payoffs[1][key] - shift[1] * w)
        for key, w in sf.chance_weight.items()
    }
    den = 1
    for pair in AB.values():
        for v in pair:
            if type(v) is not int and v.denominator != 1:
                den = den * v.denominator // math.gcd(den, v.denominator)
    sizes = [n1, n2, k1, k1, k2, k2]
    off = [sum(sizes[:t]) for t in range(6)]
    N = sum(sizes)
    rows = [[0] * (N + 2) for _ in range(N)]
    for row in rows:
        row[N] = -1  # the artificial z_0 (covering vector 1, unscaled)
    for (a, b), (va, vb) in AB.items():  # w_x = -A y + ..., w_y = -B^T x + ...
        if va:
            rows[off[0] + a][off[1] + b] = va.numerator * (den // va.denominator)
        if vb:
            rows[off[1] + b][off[0] + a] = vb.numerator * (den // vb.denominator)
    for blk_w, blk_v, blk_pp, blk_pm, C, n_seq in (
        (off[0], off[0], off[2], off[3], E, n1),
        (off[1], off[1], off[4], off[5], F, n2),
    ):
        for r, crow in enumerate(C):
            q = den * int(r == 0)
            rows[blk_pp + r][N + 1] = q  # e - E x >= 0
            rows[blk_pm + r][N + 1] = -q  # E x - e >= 0
            for a in range(n_seq):
                v = crow[a] * den
                if v:
                    rows[blk_w + a][blk_pp + r] = -v  # + E^T p+
                    rows[blk_w + a][blk_pm + r] = v  # - E^T p-
                    rows[blk_pp + r][blk_v + a] = v
                    rows[blk_pm + r][blk_v + a] = -v
    return rows, off


def sequence_form_lcp(game: ExtensiveGame):
    """One Nash equilibrium of a two-player game with perfect recall [Koller1996]_.

    Exact (rational pivoting). The behaviour strategies come from the
    realization plans, and the result is certified by an exact NashConv of 0.

    Returns
    -------
    BehaviourEquilibrium

    Examples
    --------
    >>> from jenga_games.games.extensive import one_card_poker
    >>> [str(v) for v in sequence_form_lcp(one_card_poker()).exact_payoffs]
    ['1/3', '-1/3']
    """
    from ._solvers import _certify

    if game.n_players != 2:
        raise InvalidGameError(
            f"sequence_form_lcp solves two-player games; this game has {game.n_players} players"
        )
    sf = sequence_form(game)
    rows, off = _lcp_rows(game, sf)
    z = _lemke(rows)
    if z is None:
        raise RuntimeError("sequence_form_lcp: Lemke's algorithm ended on a ray; please report")
    n1, n2 = sf.n_sequences
    plans = [z[off[0] : off[0] + n1], z[off[1] : off[1] + n2]]
    ex = []
    for p in range(2):
        row = []
        for r, s in enumerate(game.infosets[p]):
            o, k = sf.offsets[p][r], len(s.actions)
            par = plans[p][sf.parent[p][r]]
            row.append([plans[p][o + a] / par for a in range(k)] if par else [Fraction(1, k)] * k)
        ex.append(row)
    beh = [[np.array([float(v) for v in vec]) for vec in row] for row in ex]
    return _certify(
        game,
        beh,
        "sequence_form_lcp",
        {"covering_vector": "ones"},
        exact_beh=ex,
        plans=(sf, plans[0], plans[1]),
    )
