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

import itertools
import math
from fractions import Fraction

import numpy as np

from ...errors import InvalidGameError
from ._forms import sequence_form
from ._tree import ExtensiveGame

__all__ = ["sequence_form_lcp"]


def _lemke(M: list[list], q: list, max_pivots: int = 100_000):
    """Solve LCP(q, M) by Lemke's algorithm; returns ``z`` or ``None`` on ray termination.

    Integer pivoting, no fractions: ``M`` and ``q`` are scaled by their common
    denominator (which leaves ``z`` unchanged) and the tableau ``[I, -M, -1 | q]``
    is kept as integer rows ``T[i]`` with a positive row denominator ``d[i]``
    (values ``T[i] / d[i]``). A pivot on ``T[r][c] = p`` touches only the rows
    with ``T[i][c] ≠ 0``: ``T[i] ← T[i] p - T[i][c] T[r]``, ``d[i] ← d[i] p``, each
    row then divided by the gcd of its entries and denominator, which keeps the
    integers as short as the fractions they stand for. The ratio test compares
    ``T[i][rhs] / T[i][c]`` (the row denominators cancel) by cross-multiplication,
    lexicographically on ties, so degenerate games cannot cycle.
    """
    n = len(q)
    den = 1
    for v in itertools.chain(q, *M):  # ints (most entries) have denominator 1
        if v and type(v) is not int and v.denominator != 1:
            den = den * v.denominator // math.gcd(den, v.denominator)
    width = 2 * n + 2
    T = []
    for i in range(n):
        row = [0] * width
        row[i] = 1
        for j in range(n):
            v = M[i][j]
            if v:
                row[n + j] = -v.numerator * (den // v.denominator)
        row[2 * n] = -1
        row[2 * n + 1] = q[i].numerator * (den // q[i].denominator)
        T.append(row)
    d = [1] * n
    if all(v >= 0 for v in q):
        return [Fraction(0)] * n
    basis = list(range(n))
    gcd = math.gcd

    def pivot(r: int, c: int) -> None:
        Tr = T[r]
        p = Tr[c]
        if p < 0:
            Tr = [-v for v in Tr]
            p = -p
        nz = [k for k, v in enumerate(Tr) if v]
        for i in range(n):
            if i == r:
                continue
            Ti = T[i]
            f = Ti[c]
            if not f:
                continue
            new = [v * p for v in Ti]
            for k in nz:
                new[k] -= f * Tr[k]
            g = gcd(*new)
            di = d[i] * p
            g = gcd(g, di)
            if g > 1:
                new = [v // g for v in new]
                di //= g
            T[i] = new
            d[i] = di
        g = gcd(*Tr)
        g = gcd(g, p)  # row r: values Tr / p (the pivot becomes 1)
        if g > 1:
            Tr = [v // g for v in Tr]
        T[r] = Tr
        d[r] = p // g

    r = min(range(n), key=lambda i: (q[i], i))  # most negative q_i (d = 1)
    pivot(r, 2 * n)
    leaving = basis[r]
    basis[r] = 2 * n
    rhs = 2 * n + 1
    for _ in range(max_pivots):
        entering = leaving + n if leaving < n else leaving - n  # the complement
        cand = [i for i in range(n) if T[i][entering] > 0]
        if not cand:
            return None  # secondary ray
        # lexicographic minimum ratio on (rhs, B^-1 columns) / column entry, the next
        # component only among rows still tied; a/b < c/d <=> a d < c b (b, d > 0)
        col, k = rhs, -1
        while len(cand) > 1 and k < n:
            best = cand[0]
            for i in cand[1:]:
                if T[i][col] * T[best][entering] < T[best][col] * T[i][entering]:
                    best = i
            cand = [
                i for i in cand if T[i][col] * T[best][entering] == T[best][col] * T[i][entering]
            ]
            k += 1
            col = k
        r = cand[0]
        pivot(r, entering)
        leaving = basis[r]
        basis[r] = entering
        if leaving == 2 * n:
            z = [Fraction(0)] * n
            for i, b in enumerate(basis):
                if n <= b < 2 * n:
                    z[b - n] = Fraction(T[i][rhs], d[i])
            return z
    raise RuntimeError("Lemke's algorithm did not finish; please report")  # pragma: no cover


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
    n1, n2 = sf.n_sequences
    E, F = sf.constraints
    k1, k2 = len(E), len(F)
    leaves = [game.payoff(t) for t in game.terminals()]
    shift = [max(u[p] for u in leaves) + 1 for p in range(2)]
    A = [[Fraction(0)] * n2 for _ in range(n1)]
    B = [[Fraction(0)] * n2 for _ in range(n1)]
    for (i, j), w in sf.chance_weight.items():
        A[i][j] = sf.payoffs[0][(i, j)] - shift[0] * w
        B[i][j] = sf.payoffs[1][(i, j)] - shift[1] * w
    # z = (x, y, p+, p-, q+, q-)
    sizes = [n1, n2, k1, k1, k2, k2]
    off = [sum(sizes[:t]) for t in range(6)]
    N = sum(sizes)
    M: list[list] = [[0] * N for _ in range(N)]  # Fractions for payoffs, ints otherwise
    qv = [0] * N
    for a in range(n1):  # w_x = -A y + E^T p+ - E^T p-
        for b in range(n2):
            M[off[0] + a][off[1] + b] = -A[a][b]
        for r in range(k1):
            M[off[0] + a][off[2] + r] = E[r][a]
            M[off[0] + a][off[3] + r] = -E[r][a]
    for b in range(n2):  # w_y = -B^T x + F^T q+ - F^T q-
        for a in range(n1):
            M[off[1] + b][off[0] + a] = -B[a][b]
        for r in range(k2):
            M[off[1] + b][off[4] + r] = F[r][b]
            M[off[1] + b][off[5] + r] = -F[r][b]
    for r in range(k1):  # e - E x >= 0 and E x - e >= 0
        for a in range(n1):
            M[off[2] + r][off[0] + a] = -E[r][a]
            M[off[3] + r][off[0] + a] = E[r][a]
        qv[off[2] + r] = int(r == 0)
        qv[off[3] + r] = -int(r == 0)
    for r in range(k2):
        for b in range(n2):
            M[off[4] + r][off[1] + b] = -F[r][b]
            M[off[5] + r][off[1] + b] = F[r][b]
        qv[off[4] + r] = int(r == 0)
        qv[off[5] + r] = -int(r == 0)
    z = _lemke(M, qv)
    if z is None:
        raise RuntimeError("sequence_form_lcp: Lemke's algorithm ended on a ray; please report")
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
