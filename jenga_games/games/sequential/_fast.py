"""Backward induction by one pass over a bitmap of removal sets (the fast path of :mod:`._backward`).

When it applies
---------------
Must move, ``fall_criterion="fallen"``, the k-core reading, no providers,
objective ``"spe"`` or ``"total"`` (:func:`fast_kind`). Then a state that is
not terminal is a removal set ``S`` after which *nothing* fell, so what stands
is the complement of ``S``, and, because support rules are monotone
(thresholds of ``popcount``, and/or of them), removing one more block ``b``
from a standing ``S`` can only break the rules of ``b``'s dependants: the
child ``S ∪ {b}`` stands iff every standing dependant of ``b`` still has its
support. That check replaces the cascade of the child (it is the first round
of :meth:`BitTower.cascade_masks`, restricted to the rules that changed).

The pass (one algorithm, two ways to run it)
--------------------------------------------
1. *Forward*: a bitmap over the ``2^n`` sets marks the reachable standing
   sets. Children are numerically larger than their parents (``S | 2^b > S``),
   so one scan of the bitmap in increasing order visits every parent before
   its children and marks them; the sets come out sorted. Compiled on
   several threads, the sets are marked size by size instead (the reachable
   sets of size ``k + 1`` are the standing children of those of size ``k``),
   the bitmap's words split into blocks run in parallel, each mark an atomic
   ``or``: more work (every word is looked at once per size), the same
   bitmap.
2. *Rank*: the index of a set is ``prefix[w] + popcount(word_w & below)``
   (the number of marked sets before it), so a child is found in ``O(1)``.
3. *Backward*: children before parents, with the rule of :mod:`._backward`
   (the payoff of :mod:`._payoff` in the same order of floating-point
   operations, the same tie-breaks with ``tolerance.geq``), so the answers
   are identical to the layered solver's. Interpreted: the sets in
   decreasing order. Compiled: layer by layer from the largest sets (a
   counting sort by size), the states of a layer split into chunks run in
   parallel (``numba.prange``; a child is one block larger, so the states of
   a layer never read each other's values). Every state's numbers are
   computed by the same operations whatever the threads or chunks.

The kernels are plain Python; small games run them interpreted over Python
ints (no compile, a fraction of a millisecond) until the compiled kernels
are loaded, large games run the same source compiled by numba (a core
dependency, imported only here), cached on disk after the first compile.
The rule program is read from ``tower.compiled`` once per tower. The
induction is Zermelo's [Zermelo1913]_ on the states of :mod:`._backward`
[Kuhn1953]_. Memory: the bitmap with its prefix counts, ``2^n / 4`` bytes
(32 MB at 27 blocks, 256 MB at 30), plus ``12 + 8 T m + 2 T`` bytes a
reachable set (the sorted masks, the layer order, values ``(N, T, m)`` and
actions ``(N, T)``: 48 bytes with 2 players, 1.1 GB in all for the
17,089,843 sets of classic Jenga's 30 blocks).
"""

from __future__ import annotations

import logging
import time
import weakref

import numpy as np

from ...errors import TooLargeError
from ...tolerance import TOL

__all__ = ["compiled_available", "fall_rounds", "fast_kind", "solve_fast"]

logger = logging.getLogger(__name__)

#: Largest tower run interpreted (no numba): its sets are few enough.
MAX_INTERPRETED = 10
#: Largest tower for the bitmap (2^30 bits: 128 MB, and its prefix counts 64 MB).
MAX_BITMAP = 30
#: Smallest tower worth importing numba and loading the compiled kernels for (about 1 s of CPU
#: once per process, more on the first compile): below it the layered numpy solver takes less.
#: Once the kernels are loaded they serve every tower above ``MAX_INTERPRETED``.
MIN_COMPILED = 20

_TIES = {"first": 0, "last": 1, "benevolent": 2, "malevolent": 3}
_GATE, _AND, _OR = 0, 1, 2


def fast_kind(game, objective: str) -> str | None:
    """``"interpreted"``, ``"compiled"`` or ``None`` (use the layered solver).

    Small towers run interpreted until the compiled kernels are loaded (by a
    tower of ``MIN_COMPILED`` blocks or more), compiled after that.
    """
    if objective not in ("spe", "total") or not game.must_move or game.fall_criterion != "fallen":
        return None
    ct = game.tower.compiled  # read directly: the fast path never needs game.bits
    if ct.grounded or ct.n_providers or game.n_blocks > MAX_BITMAP:
        return None
    if game.n_blocks <= MAX_INTERPRETED:  # the compiled kernels, once loaded, take ~1/5 the time
        return "compiled" if _COMPILED is not None else "interpreted"
    if _COMPILED is not None or (game.n_blocks >= MIN_COMPILED and compiled_available()):
        return "compiled"
    return None


def compiled_available() -> bool:
    """numba can be imported (checked once)."""
    global _HAVE_NUMBA
    if _HAVE_NUMBA is None:
        try:
            import numba  # noqa: F401
        except ImportError:  # pragma: no cover - numba is in the test extra
            _HAVE_NUMBA = False
        else:
            _HAVE_NUMBA = True
    return _HAVE_NUMBA


_HAVE_NUMBA: bool | None = None
_COMPILED: tuple | None = None
_INTERPRETED: tuple | None = None

# The kernels build their integer constants with U64 and I64: numpy's
# scalar types when numba compiles them, Python ints when they run interpreted (much faster
# there, and the same bits: every mask is below 2^63).
U64 = np.uint64
I64 = np.int64
#: ``numba.prange`` once the compiled kernels are built (the parallel loop of :func:`_induce_layers`).
prange = range
#: States per parallel task of :func:`_induce_layers`.
CHUNK = 2048
#: Bitmap words per parallel task of :func:`_mark_by_size`.
BLOCK = 4096


# -- the program: rules and dependants as flat arrays ---------------------------------------
#: The tower's part of the program, per live tower: ``id(tower) -> (weak reference, program)``
#: (towers are immutable and unhashable; a new game on a tower already seen pays nothing
#: for it; the entry goes when the tower does).
_TOWER_PROGRAMS: dict = {}


def _tower_program(tower) -> dict:
    """The support rules in postfix form and each block's dependants, as Python lists.

    Read straight from ``tower.compiled`` (the count gates ``popcount(alive & M) >= k``
    of :class:`~._bitmask.BitTower`, same masks and thresholds, without building it):
    one pass over the tower's CSR lists. Cached per tower.
    """
    hit = _TOWER_PROGRAMS.get(id(tower))
    if hit is not None and hit[0]() is tower:
        return hit[1]
    ct = tower.compiled
    n = ct.n
    thr = ct.threshold.tolist()
    ptr = ct.in_ptr.tolist()
    idx = ct.in_idx.tolist()
    general = ct.general
    kinds: list = []
    masks: list = []
    ks: list = []
    lo = [0] * n
    hi = [0] * n
    deps: list = [set() for _ in range(n)]

    def gate(mask: int, k: int, i: int) -> None:
        kinds.append(_GATE)
        masks.append(mask)
        ks.append(k)
        rest = mask & ~(1 << i)
        while rest:
            low = rest & -rest
            deps[low.bit_length() - 1].add(i)
            rest ^= low

    def emit(rule, i) -> None:
        if rule[0] == "gate":
            mask = 0
            for j in rule[1].tolist():
                mask |= 1 << j
            gate(mask, int(rule[2]), i)
            return
        for sub in rule[1]:
            emit(sub, i)
        kinds.append(_AND if rule[0] == "and" else _OR)
        masks.append(0)
        ks.append(len(rule[1]))

    for i in range(n):
        lo[i] = len(kinds)
        k = thr[i]
        if k > 0:  # a count gate (k = 0 always holds under the k-core reading)
            mask = 0
            for j in idx[ptr[i] : ptr[i + 1]]:
                mask |= 1 << j
            gate(mask, k, i)
        elif k < 0:
            emit(general[i], i)
        hi[i] = len(kinds)
    dep_ptr = [0] * (n + 1)
    dep_idx: list = []
    for b in range(n):
        dep_idx.extend(sorted(deps[b]))
        dep_ptr[b + 1] = len(dep_idx)
    prog = {
        "full": (1 << n) - 1,
        "dep_ptr": dep_ptr,
        "dep_idx": dep_idx,
        "rule_lo": lo,
        "rule_hi": hi,
        "op_kind": kinds,
        "op_mask": masks,
        "op_k": ks,
        "stack": [False] * max(1, len(kinds)),
    }
    key = id(tower)
    _TOWER_PROGRAMS[key] = (weakref.ref(tower), prog)  # published whole (threads may solve)
    weakref.finalize(tower, _TOWER_PROGRAMS.pop, key, None)
    return prog


_NUMPY_TYPES = {
    "full": np.uint64,
    "elig_any": np.uint64,
    "elig": np.uint64,
    "dep_ptr": np.int64,
    "dep_idx": np.int64,
    "rule_lo": np.int64,
    "rule_hi": np.int64,
    "op_kind": np.int64,
    "op_mask": np.uint64,
    "op_k": np.int64,
    "stack": np.bool_,
}


def _program(game, compiled: bool = False) -> dict:
    """The tower's program (:func:`_tower_program`) with the game's eligibility masks.

    Python lists (the interpreted kernels) or, with ``compiled``, numpy arrays of the
    kernels' dtypes. Cached on the game.
    """
    key = "_fast_program_np" if compiled else "_fast_program"
    cache = game.__dict__.get(key)
    if cache is not None:
        return cache
    if compiled:
        py = _program(game)
        cache = {
            k: (np.array(v, dtype=_NUMPY_TYPES[k]) if isinstance(v, list) else _NUMPY_TYPES[k](v))
            for k, v in py.items()
        }
    else:
        E = game.eligible_matrix
        n = E.shape[1]
        bits = E.astype(np.uint64) << np.arange(n, dtype=np.uint64)
        elig = np.bitwise_or.reduce(bits, axis=1)
        cache = dict(_tower_program(game.tower))
        cache["elig"] = elig.tolist()
        cache["elig_any"] = int(np.bitwise_or.reduce(elig))
    game.__dict__[key] = cache  # published whole (solves may run in threads)
    return cache


_PROGRAM_ARGS = (
    "full",
    "elig_any",
    "dep_ptr",
    "dep_idx",
    "rule_lo",
    "rule_hi",
    "op_kind",
    "op_mask",
    "op_k",
    "stack",
)


# -- kernels (plain Python over numpy scalars; numba compiles the same source) -----------------
def _popcount(x):
    """Set bits of a ``uint64`` (SWAR, which LLVM turns into one ``popcnt``; interpreted: int.bit_count)."""
    x = x - ((x >> U64(1)) & U64(0x5555555555555555))
    x = (x & U64(0x3333333333333333)) + ((x >> U64(2)) & U64(0x3333333333333333))
    x = (x + (x >> U64(4))) & U64(0x0F0F0F0F0F0F0F0F)
    return I64((x * U64(0x0101010101010101)) >> U64(56))


def _holds(i, alive, rule_lo, rule_hi, op_kind, op_mask, op_k, stack):
    """Service ``i``'s support rule holds when the services of ``alive`` stand (postfix program)."""
    sp = 0
    for o in range(rule_lo[i], rule_hi[i]):
        kind = op_kind[o]
        if kind == 0:
            stack[sp] = _popcount(alive & op_mask[o]) >= op_k[o]
            sp += 1
        else:
            c = op_k[o]
            v = kind == 1
            for s in range(sp - c, sp):
                if kind == 1:
                    v = v and stack[s]
                else:
                    v = v or stack[s]
            sp -= c
            stack[sp] = v
            sp += 1
    return sp == 0 or stack[0]


def _mark_reachable(
    full, elig_any, dep_ptr, dep_idx, rule_lo, rule_hi, op_kind, op_mask, op_k, stack, wp, cap
):
    """Mark every standing set reachable from the empty set; return their number (``-1``: over ``cap``).

    ``wp`` interleaves the bitmap words (even places) and their prefix counts (odd).
    """
    one = U64(1)
    zero = U64(0)
    six = U64(6)
    low6 = U64(63)
    wp[0] = wp[0] | one
    count = 0
    for wi in range(len(wp) // 2):
        done = zero
        while True:
            w = wp[2 * wi] & ~done
            if w == zero:
                break
            lowbit = w & (~w + one)
            done = done | lowbit
            count += 1
            if count > cap:
                return -1
            x = (U64(wi) << six) | U64(_popcount(lowbit - one))
            alive0 = ~x & full
            mov = alive0 & elig_any
            while mov != zero:
                lb = mov & (~mov + one)
                mov = mov ^ lb
                child = x | lb
                cw = 2 * I64(child >> six)
                cb = child & low6
                if (wp[cw] >> cb) & one:
                    continue
                b = _popcount(lb - one)
                alive = alive0 & ~lb
                stands = True
                for d in range(dep_ptr[b], dep_ptr[b + 1]):
                    i = dep_idx[d]
                    if (alive >> U64(i)) & one and not _holds(
                        i, alive, rule_lo, rule_hi, op_kind, op_mask, op_k, stack
                    ):
                        stands = False
                        break
                if stands:
                    wp[cw] = wp[cw] | (one << cb)
    return count


def _atomic_or(words, i, bits):
    """``words[i] |= bits`` (compiled: one atomic instruction, so parallel marks are never lost)."""
    words[i] = words[i] | bits


def _mark_size(
    full,
    elig_any,
    dep_ptr,
    dep_idx,
    rule_lo,
    rule_hi,
    op_kind,
    op_mask,
    op_k,
    stack,
    wp,
    k,
    w0,
    w1,
):
    """Mark the standing children of the marked sets of size ``k`` in words ``w0..w1-1``.

    Returns how many sets of size ``k`` those words hold. A word ``w`` holds sets of sizes
    ``popcount(w)`` to ``popcount(w) + 6``; the others are skipped unread.
    """
    one = U64(1)
    zero = U64(0)
    six = U64(6)
    low6 = U64(63)
    count = 0
    for wi in range(w0, w1):
        high = _popcount(U64(wi))
        if high > k or high + 6 < k:
            continue
        w = wp[2 * wi]
        while w != zero:
            lowbit = w & (~w + one)
            w = w ^ lowbit
            low = _popcount(lowbit - one)
            if high + _popcount(U64(low)) != k:
                continue
            count += 1
            x = (U64(wi) << six) | U64(low)
            alive0 = ~x & full
            mov = alive0 & elig_any
            while mov != zero:
                lb = mov & (~mov + one)
                mov = mov ^ lb
                child = x | lb
                cw = 2 * I64(child >> six)
                cb = child & low6
                if (wp[cw] >> cb) & one:
                    continue
                b = _popcount(lb - one)
                alive = alive0 & ~lb
                stands = True
                for d in range(dep_ptr[b], dep_ptr[b + 1]):
                    i = dep_idx[d]
                    if (alive >> U64(i)) & one and not _holds(
                        i, alive, rule_lo, rule_hi, op_kind, op_mask, op_k, stack
                    ):
                        stands = False
                        break
                if stands:
                    _atomic_or(wp, cw, one << cb)
    return count


def _mark_by_size(
    full,
    elig_any,
    dep_ptr,
    dep_idx,
    rule_lo,
    rule_hi,
    op_kind,
    op_mask,
    op_k,
    stack,
    wp,
    cap,
    block,
):
    """:func:`_mark_reachable` size by size, the bitmap's words split into parallel blocks.

    The sets of size ``k + 1`` that are reachable are the standing children of those of size
    ``k``, so the sizes run in turn and the words of one size in parallel (``prange``); the
    marks are the same sets whatever the threads. Returns their number, ``-1`` over ``cap``.
    """
    nwords = len(wp) // 2
    n = _popcount(full)
    wp[0] = wp[0] | U64(1)
    ntasks = (nwords + block - 1) // block
    counts = np.zeros(ntasks, dtype=np.int64)
    total = 0
    for k in range(n + 1):
        for t in prange(ntasks):
            w0 = t * block
            counts[t] = _mark_size(
                full,
                elig_any,
                dep_ptr,
                dep_idx,
                rule_lo,
                rule_hi,
                op_kind,
                op_mask,
                op_k,
                stack.copy(),
                wp,
                k,
                w0,
                min(nwords, w0 + block),
            )
        for t in range(ntasks):
            total += counts[t]
        if total > cap:
            return -1
    return total


def _collect(wp, out):
    """The marked sets in increasing order (``out``); each word's prefix count (sets before it)."""
    one = U64(1)
    zero = U64(0)
    count = 0
    for wi in range(len(wp) // 2):
        wp[2 * wi + 1] = U64(count)
        w = wp[2 * wi]
        while w != zero:
            lowbit = w & (~w + one)
            w = w ^ lowbit
            out[count] = (U64(wi) << U64(6)) | U64(_popcount(lowbit - one))
            count += 1
    return count


def _induce(
    masks,
    wp,
    order,
    lo,
    hi,
    full,
    elig_any,
    elig,
    tp,
    G,
    C,
    K,
    delta,
    dpow,
    objective,
    tie,
    tol,
    V,
    A,
    Qs,
    objs,
    codes,
    has,
    cidx,
):
    """Backward induction at the sets ``order[lo:hi]``, last first (module docstring; :mod:`._backward`).

    Their children's values must be known: ``order`` runs through the sets so that
    children come after parents (increasing masks, or layer by layer).
    """
    one = U64(1)
    zero = U64(0)
    six = U64(6)
    low6 = U64(63)
    T = len(tp)
    m = len(K)  # players (G may be a dict when interpreted)
    for q in range(hi - 1, lo - 1, -1):
        ii = order[q]
        x = masks[ii]
        standing = ~x & full
        mov = standing & elig_any
        while mov != zero:  # each child's index (-1: the tower falls), once for every turn position
            lb = mov & (~mov + one)
            mov = mov ^ lb
            child = x | lb
            cw = 2 * I64(child >> six)
            cb = child & low6
            wd = wp[cw]
            if (wd >> cb) & one:
                cidx[_popcount(lb - one)] = I64(wp[cw + 1]) + _popcount(wd & ((one << cb) - one))
            else:
                cidx[_popcount(lb - one)] = -1
        for j in range(T):
            p = tp[j]
            jn = (j + 1) % T
            mov = standing & elig[p]
            na = 0
            while mov != zero:
                lb = mov & (~mov + one)
                mov = mov ^ lb
                b = _popcount(lb - one)
                ci = cidx[b]
                if ci >= 0:
                    for r in range(m):
                        Qs[na, r] = delta * V[ci, jn, r]
                    Qs[na, p] = Qs[na, p] + G[p, b]
                else:  # the tower falls: gain, then the toppler's cost, then the shared cost
                    for r in range(m):
                        Qs[na, r] = 0.0
                    Qs[na, p] = Qs[na, p] + G[p, b]
                    Qs[na, p] = Qs[na, p] - C[p]
                    for r in range(m):
                        Qs[na, r] = Qs[na, r] - K[r]
                codes[na] = b
                if objective == 0:
                    objs[na] = Qs[na, p]
                else:
                    s = Qs[na, 0]
                    for r in range(1, m):
                        s = s + Qs[na, r]
                    objs[na] = s
                na += 1
            if na == 0:
                has[j] = False
                continue
            has[j] = True
            best = objs[0]
            for a in range(1, na):
                if objs[a] > best:
                    best = objs[a]
            thr = best - tol * max(1.0, abs(best))
            c = -1
            if tie == 1:
                for a in range(na - 1, -1, -1):
                    if objs[a] >= thr:
                        c = a
                        break
            elif tie >= 2:
                best2 = -np.inf
                for a in range(na):
                    if objs[a] >= thr:
                        s = Qs[a, 0]
                        for r in range(1, m):
                            s = s + Qs[a, r]
                        s = s - Qs[a, p]
                        if tie == 3:
                            s = -s
                        objs[a] = s
                        if s > best2:
                            best2 = s
                    else:
                        objs[a] = -np.inf
                thr2 = best2 - tol * max(1.0, abs(best2))
                for a in range(na):
                    if objs[a] >= thr2:
                        c = a
                        break
            else:
                for a in range(na):
                    if objs[a] >= thr:
                        c = a
                        break
            for r in range(m):
                V[ii, j, r] = Qs[c, r]
            A[ii, j] = codes[c]
        for j in range(
            T
        ):  # forced passes: V(S, j) = δ^s V(S, j+s) for the next player who can move
            if has[j]:
                continue
            A[ii, j] = -2  # TERMINAL of ._policy (numba reads no module constants here)
            for r in range(m):
                V[ii, j, r] = 0.0
            for step in range(1, T):
                jj = (j + step) % T
                if has[jj]:
                    for r in range(m):
                        V[ii, j, r] = dpow[step] * V[ii, jj, r]
                    A[ii, j] = -1  # PASS
                    break
    return hi - lo


def _layers(masks, order, starts):
    """Counting sort of the sets by size: ``order[starts[k]:starts[k + 1]]`` are the sets of size ``k``."""
    for i in range(len(masks)):
        starts[_popcount(masks[i]) + 1] += 1
    for k in range(1, len(starts)):
        starts[k] += starts[k - 1]
    fill = starts.copy()
    for i in range(len(masks)):
        k = _popcount(masks[i])
        order[fill[k]] = i
        fill[k] += 1
    return len(starts) - 1


def _induce_layers(
    masks,
    wp,
    order,
    starts,
    full,
    elig_any,
    elig,
    tp,
    G,
    C,
    K,
    delta,
    dpow,
    objective,
    tie,
    tol,
    V,
    A,
    chunk,
):
    """:func:`_induce` layer by layer from the largest sets, the states of a layer in parallel.

    A set's children are one larger, so the states of a layer are independent: each
    chunk of a layer runs :func:`_induce` with its own scratch arrays (``prange``;
    compiled only). The answers do not depend on the chunks or the threads.
    """
    n = len(starts) - 2
    m = len(K)
    T = len(tp)
    for k in range(n, -1, -1):
        lo = starts[k]
        hi = starts[k + 1]
        nchunks = (hi - lo + chunk - 1) // chunk
        for c in prange(nchunks):
            a = lo + c * chunk
            b = min(hi, a + chunk)
            _induce(
                masks,
                wp,
                order,
                a,
                b,
                full,
                elig_any,
                elig,
                tp,
                G,
                C,
                K,
                delta,
                dpow,
                objective,
                tie,
                tol,
                V,
                A,
                np.empty((n, m)),
                np.empty(n),
                np.empty(n, dtype=np.int64),
                np.empty(T, dtype=np.bool_),
                np.empty(n, dtype=np.int64),
            )
    return len(masks)


def _interpreted():
    """The kernels over Python ints: copies with U64 = I64 = int and popcount = int.bit_count."""
    global _INTERPRETED
    if _INTERPRETED is None:
        import types

        env = dict(globals(), U64=int, I64=int, _popcount=int.bit_count)
        funcs = {}
        for f in (_holds, _mark_reachable, _collect, _induce):
            funcs[f.__name__] = types.FunctionType(f.__code__, env, f.__name__)
        env["_holds"] = funcs["_holds"]
        _INTERPRETED = tuple(funcs[k] for k in ("_mark_reachable", "_collect", "_induce", "_holds"))
    return _INTERPRETED


def fall_rounds(game, removed: int) -> list[list[int]]:
    """What falls after the removal set ``removed``, round by round (indices in tower order).

    The synchronous rounds of DESIGN §1 under the fast path's conditions (k-core
    reading, no providers), on the same rule program as the kernels.
    """
    prog = _program(game)
    holds = _interpreted()[3]
    args = [prog[k] for k in ("rule_lo", "rule_hi", "op_kind", "op_mask", "op_k")]
    args.append(list(prog["stack"]))
    alive = ~removed & prog["full"]
    rounds = []
    while True:
        falling = [i for i in range(game.n_blocks) if alive >> i & 1 and not holds(i, alive, *args)]
        if not falling:
            return rounds
        rounds.append(falling)
        for i in falling:
            alive &= ~(1 << i)


def _kernels(kind: str):
    """``(mark, collect, induce)``; compiled: ``(mark, collect, layers, induce_layers,
    mark_by_size, get_num_threads)``."""
    if kind == "interpreted":
        return _interpreted()[:3]
    global _COMPILED
    if _COMPILED is None:
        import numba
        from numba.extending import register_jitable

        globals()["prange"] = numba.prange  # resolved when _induce_layers compiles
        register_jitable(_popcount)
        register_jitable(_holds)
        register_jitable(_induce)
        globals()["_atomic_or"] = _atomic_or_compiled()  # resolved when _mark_size compiles
        register_jitable(_mark_size)
        jit = numba.njit(cache=True, nogil=True)
        par = numba.njit(cache=True, nogil=True, parallel=True)
        _COMPILED = (
            jit(_mark_reachable),
            jit(_collect),
            jit(_layers),
            par(_induce_layers),
            par(_mark_by_size),
            numba.get_num_threads,
        )
    return _COMPILED


def _atomic_or_compiled():
    """:func:`_atomic_or` as one ``atomicrmw or`` (an intrinsic: numba has no atomics on CPU arrays)."""
    from numba import types
    from numba.core import cgutils
    from numba.extending import intrinsic

    @intrinsic
    def atomic_or(typingctx, words, i, bits):
        if not (isinstance(words, types.Array) and words.dtype == types.uint64):
            return None

        def codegen(context, builder, signature, args):
            arr_t = signature.args[0]
            ary = context.make_array(arr_t)(context, builder, args[0])
            ptr = cgutils.get_item_pointer(
                context, builder, arr_t, ary, [args[1]], wraparound=False
            )
            builder.atomic_rmw("or", ptr, args[2], "monotonic")
            return context.get_dummy_value()

        return types.none(words, types.intp, types.uint64), codegen

    return atomic_or


def solve_fast(game, objective: str, tie_break: str, max_states: int, kind: str):
    """Run the pass; returns a flat :class:`~._policy.Policy`."""
    from ._policy import Policy

    t0, w0 = time.process_time(), time.perf_counter()
    py = kind == "interpreted"
    prog = _program(game, compiled=not py)
    kernels = _kernels(kind)
    mark, collect = kernels[:2]
    n, T, m = game.n_blocks, game.n_turns, game.n_players
    nwords = max(1, (1 << n) >> 6)
    args = [prog[k] for k in _PROGRAM_ARGS]
    args[-1] = args[-1].copy()  # each call its own scratch stack (calls may run in threads)
    if py:  # Python ints and lists: the interpreted kernels index them fastest
        wp = [0] * (2 * nwords)
    else:
        wp = np.zeros(2 * nwords, dtype=np.uint64)
    if not py and kernels[5]() > 1:  # several threads: the sets size by size, in parallel
        count = kernels[4](*args, wp, max_states, BLOCK)
    else:  # one scan in increasing order (less work; the same sets)
        count = mark(*args, wp, max_states)
    if count < 0:
        raise TooLargeError(
            f"the exact solver would visit more than max_states={max_states:,} removal sets "
            f"({n} blocks, {T} turn positions). Raise max_states if memory allows "
            f"(about {12 + 8 * T * m + 2 * T} bytes a state), or use game.myopic() for the myopic play or "
            "game.sample(n_games, seed=...) for Monte Carlo plays"
        )
    masks = [0] * count if py else np.empty(count, dtype=np.uint64)
    collect(wp, masks)
    t1, w1 = time.process_time(), time.perf_counter()
    if py:  # dicts keyed by index tuples: the interpreted kernel's V[i, j, r] costs less there
        induce, order = kernels[2], (range(count), 0, count)
        G = game.gain_matrix.tolist()
        V, A = {}, {}
        tables = (
            {(p, b): G[p][b] for p in range(m) for b in range(n)},
            game.collapse_costs.tolist(),
            game.shared_costs.tolist(),
        )
        scratch = ({}, [0.0] * n, [0] * n, [False] * T, [0] * n)
        dpow = [game.discount**s for s in range(T)]
        turn_players = game.turn_players.tolist()
    else:  # layer by layer from the largest sets, the states of a layer in parallel
        induce = kernels[3]
        starts = np.zeros(n + 2, dtype=np.int64)
        order = (np.empty(count, dtype=np.int64 if count >= 1 << 31 else np.int32), starts)
        kernels[2](masks, *order)
        V = np.empty((count, T, m))
        A = np.empty((count, T), dtype=np.int16)
        tables = (game.gain_matrix, game.collapse_costs, game.shared_costs)
        scratch = (CHUNK,)
        dpow = np.array([game.discount**s for s in range(T)])
        turn_players = game.turn_players
    induce(
        masks,
        wp,
        *order,
        prog["full"],
        prog["elig_any"],
        prog["elig"],
        turn_players,
        *tables,
        float(game.discount),
        dpow,
        0 if objective == "spe" else 1,
        _TIES[tie_break],
        TOL,
        V,
        A,
        *scratch,
    )
    if py:
        V = np.array(
            [V[i, j, r] for i in range(count) for j in range(T) for r in range(m)], dtype=float
        ).reshape(count, T, m)
        A = np.array([A[i, j] for i in range(count) for j in range(T)], dtype=np.int16).reshape(
            count, T
        )
    t2, w2 = time.process_time(), time.perf_counter()
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "jenga %s (%s): %d states, enumeration %.3fs CPU %.3fs wall, "
            "induction %.3fs CPU %.3fs wall",
            objective,
            kind,
            count,
            t1 - t0,
            w1 - w0,
            t2 - t1,
            w2 - w1,
        )
    return Policy(
        game=game,
        masks=(np.array(masks, dtype=np.uint64) if py else masks,),
        standing=(),
        actions=(A,),
        values=(V,),
        objective=objective,
        tie_break=tie_break,
        flat=True,
    )
