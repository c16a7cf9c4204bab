"""Built-in towers: the children's game, random towers, and a worked health economy.

* :func:`classic_jenga` — rows of blocks; a row rests on the row beneath.
* :func:`layered_tower` — random layered dependency graphs (acyclic).
* :func:`random_tower` — Erdős–Rényi or random-regular graphs whose services
  need ``k`` standing supporters (the k-core / bootstrap-percolation setting).
* :func:`local_health_economy` — see :mod:`jenga_games.tower.economy`.
"""

from __future__ import annotations

import numpy as np

from .._rng import make_rng
from ..errors import InvalidTowerError
from .economy import local_health_economy
from .model import Service, Tower
from .rules import AllOf, AnyOf, AtLeast, Rule

__all__ = ["classic_jenga", "layered_tower", "local_health_economy", "random_tower"]


def _block_id(level: int, pos: int) -> str:
    return f"L{level}.{pos}"


def _row_rule(below: list[str]) -> Rule:
    """A row stands while its centre of mass is supported by the row beneath.

    With positions ``0..w-1`` and centre ``c = (w-1)/2``: it stands while a
    block at the centre remains, or blocks on both sides of it remain. For
    ``w = 3`` this is ``AnyOf(middle) | AllOf(left, right)``.
    """
    w = len(below)
    c = (w - 1) / 2
    left = [b for i, b in enumerate(below) if i < c]
    right = [b for i, b in enumerate(below) if i > c]
    both = (AnyOf(*left) & AnyOf(*right)) if w > 1 else None
    if len(left) == 1 and len(right) == 1 and both is not None:
        both = AllOf(left[0], right[0])
    if w % 2 == 1:
        middle = AnyOf(below[w // 2])
        return middle | both if both is not None else middle
    return both  # type: ignore[return-value]


def classic_jenga(levels: int = 18, width: int = 3) -> Tower:
    """The children's game: ``levels`` rows of ``width`` blocks.

    Rows alternate direction, so every block of a row rests on every block of
    the row beneath; a row stands while the block beneath its middle remains,
    or blocks beneath both its sides do (for even widths: blocks on both
    sides of the centre). The bottom row rests on the table. Every block is
    ``critical``: any unplanned fall means the tower has fallen. Blocks are
    named ``"L{level}.{position}"`` (level 0 at the bottom), activity 1 each.

    Examples
    --------
    >>> t = classic_jenga(levels=3)
    >>> t.cascade({"L0.1"}).fallen        # the middle goes, the sides still hold
    False
    >>> t.cascade({"L0.1", "L0.0"}).fell  # one side and the middle: the rows above fall
    ('L1.0', 'L1.1', 'L1.2', 'L2.0', 'L2.1', 'L2.2')
    """
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 1:
        raise InvalidTowerError(f"levels must be a whole number >= 1, got {levels!r}")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise InvalidTowerError(f"width must be a whole number >= 1, got {width!r}")
    services, edges = [], []
    for level in range(levels):
        below = [_block_id(level - 1, j) for j in range(width)] if level else []
        rule = _row_rule(below) if level else None
        for j in range(width):
            bid = _block_id(level, j)
            services.append(
                Service(
                    bid,
                    support=rule,
                    critical=True,
                    layer=level,
                    setting="horizontal" if level % 2 else "vertical",
                )
            )
            edges.extend((b, bid) for b in below)
    return Tower(services, edges, name=f"classic Jenga ({levels} levels x {width})")


def layered_tower(
    levels: int = 5, width: int = 6, p: float = 0.4, rule: Rule | None = None, seed=None
) -> Tower:
    """A random acyclic tower of ``levels`` rows of ``width`` services.

    Each service above the ground row is supported by each service of the
    row beneath with probability ``p`` (and by at least one, chosen at
    random). Rule: ``rule`` for every service above the ground (default all
    supporters). Service ids are ``"L{level}.{position}"``.
    """
    if not 0.0 <= p <= 1.0:
        raise InvalidTowerError(f"p must be a probability in [0, 1], got {p!r}")
    if levels < 1 or width < 1:
        raise InvalidTowerError(f"levels and width must be >= 1, got {levels!r} and {width!r}")
    rng = make_rng(seed)
    services = [Service(_block_id(0, j), layer=0) for j in range(width)]
    edges = []
    for level in range(1, levels):
        for j in range(width):
            mask = rng.random(width) < p
            if not mask.any():
                mask[rng.integers(width)] = True
            sups = [_block_id(level - 1, i) for i in np.flatnonzero(mask)]
            bid = _block_id(level, j)
            r = rule
            if isinstance(rule, AtLeast) and rule.k > len(sups):
                r = AtLeast(len(sups))
            services.append(Service(bid, support=r, layer=level))
            edges.extend((s, bid) for s in sups)
    return Tower(services, edges, name=f"layered tower ({levels}x{width}, p={p})")


def random_tower(
    n: int,
    mean_degree: float,
    rule: Rule | None = None,
    *,
    symmetric: bool = True,
    graph: str = "erdos_renyi",
    seed=None,
) -> Tower:
    """A random tower on ``n`` services (ids ``0..n-1``) for threshold studies.

    Parameters
    ----------
    n : int
        Number of services.
    mean_degree : float
        Mean number of supporters per service (``z``). For ``graph="regular"``
        it must be a whole number (every service has exactly ``z``).
    rule : Rule, optional
        Support rule of every service (default ``AtLeast(1)``). With
        ``AtLeast(k)``, services with fewer than ``k`` supporters cannot stand
        (the tower is built with ``allow_unsatisfiable=True``), the setting of
        k-core percolation.
    symmetric : bool
        ``True``: each undirected edge gives mutual support ``u <-> v`` (the
        k-core reading; cycles everywhere). ``False``: directed edges.
    graph : {"erdos_renyi", "regular"}
        Erdős–Rényi ``G(n, M)`` with ``M = round(n z / 2)`` undirected edges
        (``n z`` directed when not symmetric), or a random ``z``-regular graph
        (configuration model with self-loops and multi-edges rejected by
        re-pairing).
    seed : int or numpy Generator, optional
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise InvalidTowerError(f"n must be a whole number >= 2, got {n!r}")
    if not np.isfinite(mean_degree) or mean_degree < 0 or mean_degree > n - 1:
        raise InvalidTowerError(
            f"mean_degree must lie in [0, n-1] = [0, {n - 1}], got {mean_degree!r}"
        )
    rule = AtLeast(1) if rule is None else rule
    rng = make_rng(seed)
    if graph == "erdos_renyi":
        m = round(n * mean_degree / (2 if symmetric else 1))
        u, v = _random_pairs(n, m, rng, directed=not symmetric)
    elif graph == "regular":
        z = int(mean_degree)
        if z != mean_degree or (n * z) % 2:
            raise InvalidTowerError(
                f"a random regular graph needs a whole degree with n*degree even; got n={n}, "
                f"degree={mean_degree!r}"
            )
        if not symmetric:
            raise InvalidTowerError("graph='regular' is undirected: use symmetric=True")
        u, v = _regular_pairs(n, z, rng)
    else:
        raise InvalidTowerError(f"graph must be 'erdos_renyi' or 'regular', got {graph!r}")
    if symmetric:
        u, v = np.concatenate([u, v]), np.concatenate([v, u])
    return Tower.from_columns(
        range(n),
        u,
        v,
        support=rule,
        allow_unsatisfiable=True,
        name=f"random tower ({graph}, n={n}, z={mean_degree}, {rule!r})",
    )


def _random_pairs(
    n: int, m: int, rng: np.random.Generator, directed: bool
) -> tuple[np.ndarray, np.ndarray]:
    """``m`` distinct pairs ``u != v`` uniformly (unordered unless ``directed``)."""
    chosen = np.zeros(0, dtype=np.int64)
    while chosen.size < m:
        need = m - chosen.size
        a = rng.integers(0, n, size=int(need * 1.1) + 16)
        b = rng.integers(0, n, size=a.size)
        ok = a != b
        a, b = a[ok], b[ok]
        if not directed:
            a, b = np.minimum(a, b), np.maximum(a, b)
        keys = np.concatenate([chosen, a * n + b])
        _, first = np.unique(keys, return_index=True)
        chosen = keys[np.sort(first)][:m]
    return chosen // n, chosen % n


def _regular_pairs(n: int, z: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Configuration model; self-loops and repeated pairs repaired by degree-preserving swaps."""
    stubs = rng.permutation(np.repeat(np.arange(n), z))
    a, b = stubs[0::2].copy(), stubs[1::2].copy()
    for _ in range(10_000):
        keys = np.minimum(a, b) * n + np.maximum(a, b)
        bad = np.flatnonzero((a == b) | _dup_mask(keys))
        if bad.size == 0:
            return np.minimum(a, b), np.maximum(a, b)
        for i in bad.tolist():  # few: about z^2 / 2 on average
            j = int(rng.integers(a.size))
            b[i], b[j] = b[j], b[i]
    raise InvalidTowerError(
        f"could not draw a simple {z}-regular graph on {n} services; lower the degree"
    )


def _dup_mask(keys: np.ndarray) -> np.ndarray:
    _, inv, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return counts[inv] > 1
