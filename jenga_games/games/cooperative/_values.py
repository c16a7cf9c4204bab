"""τ-value, Myerson value (communication graph) and Owen value (coalition structure).

- τ-value [Tijs1981]_: utopia payoffs ``M_i = v(N) − v(N∖{i})``, minimal rights
  ``m_i = max_{S ∋ i} (v(S) − Σ_{j ∈ S∖{i}} M_j)``; for a quasi-balanced game
  (``m <= M``, ``Σ m <= v(N) <= Σ M``) ``τ = m + α (M − m)`` with ``α`` chosen
  so that ``Σ τ_i = v(N)``.
- Myerson value [Myerson1977]_: the Shapley value of the graph-restricted game
  ``v^G(S) = Σ_{C ∈ S/G} v(C)`` (sum over the connected components of S in G).
- Owen value [Owen1977]_ for a partition ``P_1..P_m`` (player i in ``P_k``)::

      φ_i = Σ_{R ⊆ M∖{k}} Σ_{T ⊆ P_k∖{i}} r!(m−r−1)!/m! · t!(p_k−t−1)!/p_k!
            · (v(Q ∪ T ∪ {i}) − v(Q ∪ T)),    Q = ∪_{l ∈ R} P_l.
"""

from __future__ import annotations

import math
from functools import lru_cache

import networkx as nx
import numpy as np

from ..._results import Provenance
from ...errors import InvalidGameError, UnknownItemError
from ...tolerance import TOL
from ._bits import check_exact_size, members, submasks, subset_sums
from ._game import TUGame
from ._results import Allocation
from ._shapley import _shapley_kernel

__all__ = ["myerson", "owen", "tau_value"]


def _max_over_members(a: np.ndarray, n: int) -> np.ndarray:
    return np.array([a.reshape(-1, 2, 1 << i)[:, 1, :].max() for i in range(n)])


def tau_value(game: TUGame) -> Allocation:
    """τ-value (compromise value) of a quasi-balanced game [Tijs1981]_.

    Raises
    ------
    InvalidGameError
        When the game is not quasi-balanced (the τ-value is then undefined).
    """
    n, v = game.n, game.values
    full = game.full_mask
    M = v[-1] - v[full ^ (1 << np.arange(n))]
    m = M + _max_over_members(v - subset_sums(M), n)
    tol = TOL * max(1.0, float(np.abs(v).max()))
    if np.any(m > M + tol) or m.sum() > v[-1] + tol or v[-1] > M.sum() + tol:
        raise InvalidGameError(
            "the game is not quasi-balanced (needs minimal rights m <= utopia payoffs M and "
            f"Σm <= v(N) <= ΣM; here Σm = {m.sum():.6g}, v(N) = {v[-1]:.6g}, ΣM = {M.sum():.6g}), "
            "so the τ-value is undefined; use shapley() or nucleolus()"
        )
    gap = M.sum() - m.sum()
    tau = m.copy() if gap <= tol else m + (v[-1] - m.sum()) / gap * (M - m)
    return Allocation(tau, game.players, "tau_value", Provenance("tau_value", {"n": n}))


def _graph_restricted(game: TUGame, nodes, edges) -> np.ndarray:
    """``v^G(S) = Σ_{C ∈ S/G} v(C)`` for all coalitions: ``comp(S)``, the component of S's
    lowest member (grown one hop per pass), then ``v^G(S) = v(comp(S)) + v^G(S ∖ comp(S))``
    iterated once per component of the most fragmented coalition."""
    n, v = game.n, game.values
    idx = game._index()
    adj = np.zeros(n, dtype=np.int64)
    for p in nodes:
        if p not in idx:
            raise UnknownItemError(
                f"graph node {p!r} is not a player; the players are {list(game.players)}"
            )
    for a, b in edges:
        if a != b:
            adj[idx[a]] |= 1 << idx[b]
            adj[idx[b]] |= 1 << idx[a]
    nb = np.zeros(2**n, dtype=np.int64)  # neighbours of each set
    for i in range(n):
        half = 1 << i
        np.bitwise_or(nb[:half], adj[i], out=nb[half : 2 * half])
    masks = np.arange(2**n, dtype=np.int64)
    comp = masks & -masks  # component of the lowest member
    total = int(comp.sum())
    new = np.empty_like(comp)
    while True:  # comp only grows, so an unchanged sum means an unchanged array
        np.take(nb, comp, out=new)
        new |= comp
        new &= masks
        grown = int(new.sum())
        comp, new = new, comp
        if grown == total:
            break
        total = grown
    rest = masks ^ comp
    passes, r = 1, rest  # one pass per component of the most fragmented coalition
    while r.any():
        r = rest[r]
        passes += 1
    vg = np.zeros(2**n)
    for _ in range(passes):
        vg = v[comp] + vg[rest]
        vg[0] = 0.0
    return vg


def _edges(graph):
    """``(nodes, edges, number of edges)`` of a networkx graph or an edge list (read undirected)."""
    if isinstance(graph, nx.Graph):
        g = graph.to_undirected() if graph.is_directed() else graph
        return g.nodes(), g.edges(), graph.number_of_edges()
    try:
        edges = [tuple(e) for e in graph]
    except TypeError as exc:
        raise InvalidGameError(
            f"graph must be a networkx graph or a list of edges: {exc}"
        ) from None
    if any(len(e) != 2 for e in edges):  # (u, v, data) and other forms: as networkx reads them
        try:
            g = nx.Graph(edges)
        except (TypeError, nx.NetworkXError) as exc:
            raise InvalidGameError(
                f"graph must be a networkx graph or a list of edges: {exc}"
            ) from None
        return g.nodes(), g.edges(), g.number_of_edges()
    try:
        nodes = {p for e in edges for p in e}
        return nodes, edges, len({frozenset(e) for e in edges})
    except TypeError as exc:  # an unhashable node
        raise InvalidGameError(
            f"graph must be a networkx graph or a list of edges: {exc}"
        ) from None


def myerson(game: TUGame, graph) -> Allocation:
    """Myerson value: Shapley value of the graph-restricted game [Myerson1977]_.

    Parameters
    ----------
    graph : networkx.Graph or iterable of edges
        Who can work with whom (nodes are player labels; players missing from
        the graph are isolated). Directed graphs are read as undirected.
    """
    check_exact_size(game.n, "myerson")
    nodes, edges, n_edges = _edges(graph)
    vg = _graph_restricted(game, nodes, edges)
    return Allocation(
        _shapley_kernel(vg, game.n),
        game.players,
        "myerson",
        Provenance("myerson", {"edges": n_edges}),
    )


def _partition(game: TUGame, unions) -> list[int]:
    try:
        blocks = [game.mask(b) for b in unions]
    except TypeError:
        raise InvalidGameError("unions must be a list of lists of players") from None
    seen = 0
    for b, m in zip(unions, blocks):
        if m == 0:
            raise InvalidGameError("unions must not contain an empty union")
        if seen & m:
            raise InvalidGameError(
                f"union {list(b)} overlaps an earlier union; unions must be disjoint"
            )
        seen |= m
    if seen != game.full_mask:
        missing = game.coalition(game.full_mask ^ seen)
        raise InvalidGameError(f"unions must cover every player; missing {list(missing)}")
    return blocks


@lru_cache(maxsize=256)
def _submasks(mask: int) -> np.ndarray:
    out = submasks(mask)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=16)
def _shapley_matrix(k: int) -> np.ndarray:
    """``M`` with ``φ(g) = g @ M`` on ``k`` players (any ``g(∅)``): ``M[S, i]`` is
    ``|S|−1)!(k−|S|)!/k!`` when ``i ∈ S`` and ``−|S|!(k−|S|−1)!/k!`` otherwise."""
    S = np.arange(2**k)
    inside = ((S[:, None] >> np.arange(k)) & 1).astype(bool)
    size = inside.sum(axis=1)
    w = np.array([1.0 / (k * math.comb(k - 1, s)) for s in range(k)])
    w_in = np.concatenate([[0.0], w])[size]  # weight of S ∋ i: w(|S| − 1)
    w_out = np.concatenate([w, [0.0]])[size]  # weight of S ∌ i: w(|S|)
    M = np.where(inside, w_in[:, None], -w_out[:, None])
    M.setflags(write=False)
    return M


def _union_weights(k: int) -> np.ndarray:
    """``s!(k−s−1)!/k!`` for ``s = 0..k−1``: the Shapley weight of a coalition of ``s`` of ``k``."""
    return np.array([1.0 / (k * math.comb(k - 1, s)) for s in range(k)])


def _union_gather(blocks: tuple[int, ...], k: int):
    """For union ``k``: the coalitions ``R ∪ T`` (rows: unions ``R`` of the others, columns:
    subsets ``T`` of union ``k``) and each row's weight ``|R|!(m−|R|−1)!/m!``."""
    q_masks = np.zeros(1, dtype=np.int64)
    q_size = np.zeros(1, dtype=np.int64)  # number of unions in R
    for j, b in enumerate(blocks):
        if j != k:
            q_masks = np.concatenate([q_masks, q_masks | b])
            q_size = np.concatenate([q_size, q_size + 1])
    return q_masks[:, None] | _submasks(blocks[k])[None, :], _union_weights(len(blocks))[q_size]


#: Largest one-matrix Owen operator cached (entries of ``W``: n × Σ_k 2^(m−1) 2^|P_k|).
_OWEN_MATRIX_ENTRIES = 1 << 18


@lru_cache(maxsize=32)
def _owen_operator(n: int, blocks: tuple[int, ...]):
    """``(idx, W)`` with ``owen = W @ v[idx]`` for every game on ``n`` players, or None when
    ``W`` would exceed :data:`_OWEN_MATRIX_ENTRIES` or a union has more than 12 members.

    ``W[i, (R, T)] = w_R · M_k[T, i]`` for ``i`` in union ``k`` (``M_k``: the Shapley matrix
    of the union's members): the formula of :func:`owen`, the weights folded into one
    matrix once per partition, so a call is one gather and one product.
    """
    sizes = [int(b).bit_count() for b in blocks]
    cols = sum(2 ** (len(blocks) - 1) << p for p in sizes)
    if max(sizes) > 12 or n * cols > _OWEN_MATRIX_ENTRIES:
        return None
    idx, parts = [], []
    for k, bk in enumerate(blocks):
        rt, w_r = _union_gather(blocks, k)
        block = np.zeros((n, rt.size))
        # rows of the members of union k: w_R M_k[T, i], laid out as rt (R-major)
        block[list(members(bk))] = np.einsum("r,ti->irt", w_r, _shapley_matrix(sizes[k])).reshape(
            sizes[k], -1
        )
        idx.append(rt.ravel())
        parts.append(block)
    idx_all, W = np.concatenate(idx), np.hstack(parts)
    idx_all.flags.writeable = W.flags.writeable = False
    return idx_all, W


def owen(game: TUGame, unions) -> Allocation:
    """Owen value for a coalition structure (a priori unions) [Owen1977]_.

    Parameters
    ----------
    unions : list of iterables of players
        A partition of the players (e.g. practices grouped into commissioning groups).
    """
    check_exact_size(game.n, "owen")
    blocks = tuple(_partition(game, unions))
    n, v, m = game.n, game.values, len(blocks)
    op = _owen_operator(n, blocks)
    if op is not None:
        phi = op[1] @ v[op[0]]
    else:
        phi = owen_by_unions(v, n, blocks)
    return Allocation(phi, game.players, "owen", Provenance("owen", {"unions": m}))


def owen_by_unions(v: np.ndarray, n: int, blocks: tuple[int, ...]) -> np.ndarray:
    """The Owen value union by union (any sizes; the path of :func:`owen` beyond the cached
    one-matrix operator, and its oracle in the tests)."""
    phi = np.zeros(n)
    for k, bk in enumerate(blocks):
        # φ_i = Σ_T w_T Σ_R w_R [v(R ∪ T ∪ i) − v(R ∪ T)] is the Shapley value, on the
        # members of union k, of the game g(T) = Σ_R w_R v(R ∪ T) (one gather, one product)
        rt, w_r = _union_gather(blocks, k)
        g = w_r @ v[rt]
        pk = int(bk).bit_count()
        phi[list(members(bk))] = g @ _shapley_matrix(pk) if pk <= 12 else _shapley_kernel(g, pk)
    return phi
