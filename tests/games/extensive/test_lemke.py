"""The condensed Lemke kernel and the sequence-form NashConv against independent oracles.

* ``_lemke`` keeps one column per non-basic variable; it must take the same pivots, so
  return the same ``z`` (or the same ray), as the full integer tableau ``[I, -M, -1 | q]``
  it replaced (kept here as the reference, with the same lexicographic ratio test).
* ``SequenceForm.best_response_value`` (the certificate of the exact LP and LCP) must give
  the NashConv of :func:`nash_conv`, which walks the tree.
* ``is_zero_sum`` (one walk down) must agree with its leaf-by-leaf definition.
"""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.games.extensive import kuhn_poker, nash_conv, one_card_poker, sequence_form_lcp
from jenga_games.games.extensive._forms import sequence_form
from jenga_games.games.extensive._lcp import _lcp_rows, _lemke

from .strategies import trees


def _reference_lemke(M, q, max_pivots=10_000):
    """The full-tableau integer Lemke (covering vector 1, lexicographic ratio test)."""
    n = len(q)
    T = []
    for i in range(n):
        row = [0] * (2 * n + 2)
        row[i] = 1
        for j in range(n):
            row[n + j] = -M[i][j]
        row[2 * n] = -1
        row[2 * n + 1] = q[i]
        T.append(row)
    d = [1] * n
    if all(v >= 0 for v in q):
        return [Fraction(0)] * n
    basis = list(range(n))

    def pivot(r, c):
        Tr, p = T[r], T[r][c]
        if p < 0:
            Tr, p = [-v for v in Tr], -p
        for i in range(n):
            if i != r and T[i][c]:
                f = T[i][c]
                new = [a * p - f * b for a, b in zip(T[i], Tr)]
                g = math.gcd(d[i] * p, *new)
                T[i], d[i] = [v // g for v in new], d[i] * p // g
        g = math.gcd(p, *Tr)
        T[r], d[r] = [v // g for v in Tr], p // g

    r = min(range(n), key=lambda i: (q[i], i))
    pivot(r, 2 * n)
    leaving, basis[r] = basis[r], 2 * n
    rhs = 2 * n + 1
    for _ in range(max_pivots):
        e = leaving + n if leaving < n else leaving - n
        cand = [i for i in range(n) if T[i][e] > 0]
        if not cand:
            return None
        col, k = rhs, -1
        while len(cand) > 1 and k < n:
            lo = min(Fraction(T[i][col], T[i][e]) for i in cand)
            cand = [i for i in cand if Fraction(T[i][col], T[i][e]) == lo]
            k += 1
            col = k
        r = cand[0]
        pivot(r, e)
        leaving, basis[r] = basis[r], e
        if leaving == 2 * n:  # z_0 left: read z off the basis (non-basic z_j are 0)
            vals = {b: Fraction(T[i][rhs], d[i]) for i, b in enumerate(basis)}
            return [vals.get(n + j, Fraction(0)) for j in range(n)]
    raise AssertionError("reference Lemke did not finish")


def _reference_on_rows(rows):
    n = len(rows)
    return _reference_lemke([[-v for v in row[:n]] for row in rows], [row[n + 1] for row in rows])


def test_condensed_lemke_takes_the_reference_path_on_poker():
    for g in (one_card_poker(), kuhn_poker()):
        rows, _ = _lcp_rows(g, sequence_form(g))
        assert _lemke(rows) == _reference_on_rows(rows)


@settings(max_examples=40, deadline=None)
@given(trees(perfect_information=False, zero_sum=False))
def test_condensed_lemke_equals_the_full_tableau_on_sequence_forms(g):
    rows, _ = _lcp_rows(g, sequence_form(g))
    z = _lemke(rows)
    assert z is not None and z == _reference_on_rows(rows)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=n, max_size=n),
            st.lists(st.integers(-3, 3), min_size=n, max_size=n),
        )
    )
)
def test_condensed_lemke_equals_the_full_tableau_on_random_lcps(data):
    # arbitrary integer LCPs, degenerate ones included: same solution or the same ray
    M, q = data
    n = len(q)
    rows = [[-M[i][j] for j in range(n)] + [-1, q[i]] for i in range(n)]
    z = _lemke(rows)
    assert z == _reference_lemke(M, q)
    if z is not None:  # and it solves the LCP
        w = [q[i] + sum(M[i][j] * z[j] for j in range(n)) for i in range(n)]
        assert all(v >= 0 for v in w) and all(v >= 0 for v in z)
        assert sum(a * b for a, b in zip(w, z)) == 0


def _exact_plan(game, sf, p, beh):
    x = [Fraction(0)] * sf.n_sequences[p]
    x[0] = Fraction(1)
    sets = sorted(game.infosets[p], key=lambda s: len(game.own_history(s.members[0], p)))
    for s in sets:
        r = s.index
        for a in range(len(s.actions)):
            x[sf.offsets[p][r] + a] = x[sf.parent[p][r]] * beh[p][r][a]
    return x


@settings(max_examples=40, deadline=None)
@given(trees(perfect_information=False, zero_sum=False), st.randoms(use_true_random=False))
def test_sequence_form_nash_conv_equals_the_tree_walk(g, rnd):
    sf = sequence_form(g)
    beh = []
    for p in range(2):
        row = []
        for s in g.infosets[p]:
            w = [Fraction(rnd.randint(0, 3)) for _ in s.actions]
            tot = sum(w)
            row.append([v / tot for v in w] if tot else [Fraction(1, len(w))] * len(w))
        beh.append(row)
    x, y = (_exact_plan(g, sf, p, beh) for p in range(2))
    u = sf.plan_payoffs(x, y)
    ours = sf.best_response_value(0, y) - u[0] + sf.best_response_value(1, x) - u[1]
    assert ours == nash_conv(g, beh)[0]


def test_lcp_certificate_on_one_card_poker_is_exact():
    g = one_card_poker()
    r = sequence_form_lcp(g)
    assert r.nash_conv == 0 and nash_conv(g, r.exact_behaviour)[0] == 0


@settings(max_examples=30, deadline=None)
@given(st.booleans().flatmap(lambda z: trees(perfect_information=False, zero_sum=z)))
def test_is_zero_sum_equals_the_leaf_by_leaf_definition(g):
    assert g.is_zero_sum() == all(sum(g.payoff(t)) == 0 for t in g.terminals())


def test_is_zero_sum_adds_the_outcomes_on_the_path():
    from jenga_games.games.extensive import ExtensiveGame

    g = ExtensiveGame(["A", "B"])
    left, right = g.add_move(g.root, 0, ["l", "r"])
    g.set_outcome(g.root, [1, 0])  # cancelled below on both branches
    g.set_outcome(left, [0, -1])
    g.set_outcome(right, [2, -3])
    assert g.is_zero_sum()
    g.set_outcome(right, [2, -2])
    assert not g.is_zero_sum()
