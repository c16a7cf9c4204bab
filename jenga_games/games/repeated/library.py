"""A library of strategies as automata, for any stage game with a 'cooperate' and a 'defect' action.

Every constructor takes ``cooperate`` and ``defect`` (action labels or
indices; default ``0`` and ``1``, i.e. ``"C"`` and ``"D"`` of
:func:`prisoners_dilemma`) and ``n_players`` (default 2). The same
``cooperate`` names every player's cooperative action, so in games whose
players have different action labels use indices (the defaults). With more than two
players "the others cooperated" means *every* other player played
``cooperate``. Names and behaviour follow Axelrod (1984) :cite:`axelrod1984`
and Nowak and Sigmund (1992, 1993) :cite:`nowak1992,nowak1993`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ...errors import InvalidGameError
from .automaton import WILDCARD, Automaton, Not

__all__ = [
    "always_cooperate",
    "always_defect",
    "classic_strategies",
    "cycle",
    "generous_tit_for_tat",
    "grim_trigger",
    "k_period_punishment",
    "random_play",
    "scripted",
    "suspicious_tit_for_tat",
    "tit_for_tat",
    "tit_for_two_tats",
    "trust_eroding",
    "win_stay_lose_shift",
]


def _n(n_players: int) -> int:
    if isinstance(n_players, bool) or not isinstance(n_players, int) or n_players < 2:
        raise InvalidGameError(f"n_players must be an integer >= 2; got {n_players!r}")
    return n_players


def _probability(value: float | Fraction, name: str) -> float | Fraction:
    """``value`` kept exact unless it is a float; raises unless it lies in ``[0, 1]``."""
    p = Fraction(value) if not isinstance(value, float) else value
    if not 0 <= float(p) <= 1:
        raise InvalidGameError(f"{name} must lie in [0, 1]; got {value!r}")
    return p


def _others_cooperated(c, n, target_yes, target_no, own=WILDCARD) -> dict:
    """Keys (own, others...) -> target_yes when every other played c, else target_no."""
    table = {(own,) + (c,) * (n - 1): target_yes}
    for j in range(1, n):
        key = [own] + [WILDCARD] * (n - 1)
        key[j] = Not(c)
        table[tuple(key)] = target_no
    return table


def _all_cooperated(c, n, target_yes, target_no) -> dict:
    """Keys -> target_yes when everyone (including self) played c, else target_no."""
    table = {(c,) * n: target_yes}
    for j in range(n):
        key = [WILDCARD] * n
        key[j] = Not(c)
        table[tuple(key)] = target_no
    return table


def _constant(name: str, action: Any, n: int, description: str) -> Automaton:
    return Automaton(name, ("s",), "s", {"s": action}, {"s": {(WILDCARD,) * n: "s"}}, description)


def always_cooperate(cooperate: Any = 0, n_players: int = 2) -> Automaton:
    """Always play ``cooperate`` (Axelrod's *Cooperator*)."""
    return _constant("always cooperate", cooperate, _n(n_players), "cooperates whatever happens")


def always_defect(defect: Any = 1, n_players: int = 2) -> Automaton:
    """Always play ``defect`` (Axelrod's *Defector*)."""
    return _constant("always defect", defect, _n(n_players), "defects whatever happens")


def random_play(
    p_cooperate: float | Fraction = Fraction(1, 2),
    cooperate: Any = 0,
    defect: Any = 1,
    n_players: int = 2,
) -> Automaton:
    """Cooperate with probability ``p_cooperate`` every round, independently (Axelrod's *Random*)."""
    n = _n(n_players)
    p = _probability(p_cooperate, "p_cooperate")
    return Automaton(
        f"random({float(p):g})",
        ("s",),
        "s",
        {"s": {cooperate: p, defect: 1 - p}},
        {"s": {(WILDCARD,) * n: "s"}},
        "cooperates with a fixed probability",
    )


def tit_for_tat(cooperate: Any = 0, defect: Any = 1, n_players: int = 2) -> Automaton:
    """Cooperate first, then cooperate iff every other player cooperated last round."""
    n = _n(n_players)
    row = _others_cooperated(cooperate, n, "c", "d")
    return Automaton(
        "tit-for-tat",
        ("c", "d"),
        "c",
        {"c": cooperate, "d": defect},
        {"c": row, "d": row},
        "copies the other's last move",
    )


def suspicious_tit_for_tat(cooperate: Any = 0, defect: Any = 1, n_players: int = 2) -> Automaton:
    """Tit-for-tat that defects in the first round."""
    n = _n(n_players)
    row = _others_cooperated(cooperate, n, "c", "d")
    return Automaton(
        "suspicious tit-for-tat",
        ("c", "d"),
        "d",
        {"c": cooperate, "d": defect},
        {"c": row, "d": row},
        "tit-for-tat starting with a defection",
    )


def generous_tit_for_tat(
    generosity: float | Fraction = Fraction(1, 3),
    cooperate: Any = 0,
    defect: Any = 1,
    n_players: int = 2,
) -> Automaton:
    """Tit-for-tat that forgives a defection with probability ``generosity``.

    Nowak and Sigmund's (1992) :cite:`nowak1992` choice is
    ``g = min(1 - (T - R)/(R - S), (R - P)/(T - P))``, which is ``1/3`` for the
    prisoner's dilemma with ``T, R, P, S = 5, 3, 1, 0`` (the default).
    """
    n = _n(n_players)
    g = _probability(generosity, "generosity")
    row = _others_cooperated(cooperate, n, "c", "d")
    return Automaton(
        f"generous tit-for-tat({float(g):.3g})",
        ("c", "d"),
        "c",
        {"c": cooperate, "d": {cooperate: g, defect: 1 - g}},
        {"c": row, "d": row},
        "tit-for-tat that forgives with a fixed probability",
    )


def grim_trigger(cooperate: Any = 0, defect: Any = 1, n_players: int = 2) -> Automaton:
    """Cooperate until anyone (oneself included) fails to cooperate, then defect for ever.

    This is the textbook automaton (Mailath and Samuelson 2006, §2.4.1
    :cite:`mailath2006`), whose transitions depend on the whole profile; it
    differs from Axelrod's *Grudger* (which reacts to the opponent only) only
    after its own defection, e.g. under implementation noise.
    """
    n = _n(n_players)
    return Automaton(
        "grim trigger",
        ("cooperate", "punish"),
        "cooperate",
        {"cooperate": cooperate, "punish": defect},
        {
            "cooperate": _all_cooperated(cooperate, n, "cooperate", "punish"),
            "punish": {(WILDCARD,) * n: "punish"},
        },
        "cooperates until the first defection, then defects for ever",
    )


def win_stay_lose_shift(cooperate: Any = 0, defect: Any = 1, n_players: int = 2) -> Automaton:
    """Pavlov :cite:`nowak1993`: keep the last action if the others cooperated, switch if not."""
    n = _n(n_players)
    return Automaton(
        "win-stay-lose-shift",
        ("c", "d"),
        "c",
        {"c": cooperate, "d": defect},
        {
            "c": _others_cooperated(cooperate, n, "c", "d"),
            "d": _others_cooperated(cooperate, n, "d", "c"),
        },
        "repeats its action after the others cooperated, switches after a defection",
    )


def tit_for_two_tats(cooperate: Any = 0, defect: Any = 1, n_players: int = 2) -> Automaton:
    """Defect only after two consecutive rounds in which the others did not all cooperate."""
    n = _n(n_players)
    return Automaton(
        "tit-for-two-tats",
        ("calm", "wary", "retaliate"),
        "calm",
        {"calm": cooperate, "wary": cooperate, "retaliate": defect},
        {
            "calm": _others_cooperated(cooperate, n, "calm", "wary"),
            "wary": _others_cooperated(cooperate, n, "calm", "retaliate"),
            "retaliate": _others_cooperated(cooperate, n, "calm", "retaliate"),
        },
        "retaliates only after two defections in a row",
    )


def k_period_punishment(
    k: int = 2, cooperate: Any = 0, defect: Any = 1, n_players: int = 2, restart: bool = False
) -> Automaton:
    """Cooperate; after anyone fails to cooperate, defect for ``k`` rounds, then cooperate again.

    With ``restart=True`` a deviation from mutual defection during the
    punishment starts it again. Subgame perfect in the prisoner's dilemma when
    ``δ + ... + δ^k >= (T - R)/(R - P)`` (Mailath and Samuelson 2006, §2.4 :cite:`mailath2006`).
    """
    n = _n(n_players)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidGameError(f"the punishment length k must be an integer >= 1; got {k!r}")
    states = ("cooperate", *tuple(f"punish {j}" for j in range(1, k + 1)))
    out = {"cooperate": cooperate} | {f"punish {j}": defect for j in range(1, k + 1)}
    trans = {"cooperate": _all_cooperated(cooperate, n, "cooperate", "punish 1")}
    for j in range(1, k + 1):
        after = "cooperate" if j == k else f"punish {j + 1}"
        if restart:
            table = {(defect,) * n: after}
            for pos in range(n):
                key = [WILDCARD] * n
                key[pos] = Not(defect)
                table[tuple(key)] = "punish 1"
            trans[f"punish {j}"] = table
        else:
            trans[f"punish {j}"] = {(WILDCARD,) * n: after}
    return Automaton(
        f"{k}-period punishment",
        states,
        "cooperate",
        out,
        trans,
        f"punishes any defection with {k} rounds of defection, then forgives",
    )


def trust_eroding(
    levels: int = 4,
    initial: int | None = None,
    threshold: int = 2,
    drop: int = 2,
    recovery: int = 3,
    scar: int = 1,
    mixed: bool = False,
    cooperate: Any = 0,
    defect: Any = 1,
    n_players: int = 2,
) -> Automaton:
    """Trust that falls with each betrayal and recovers slowly, never fully after repeated betrayals.

    State ``(trust, streak, ceiling)``: ``trust`` in ``0..levels``; ``streak``
    counts consecutive rounds in which the others cooperated; ``ceiling`` is
    the most trust can recover to.

    - Plays ``cooperate`` when ``trust >= threshold`` (``mixed=True``: with
      probability ``trust / levels``).
    - A **betrayal** (it cooperated, some other player did not): ``trust``
      falls by ``drop``, ``ceiling`` by ``scar`` (an expectation raised and
      dashed leaves a lasting mark), the streak restarts.
    - If it defected and another did too: the streak restarts.
    - Each ``recovery`` consecutive rounds of the others' cooperation raise
      ``trust`` by one level, up to ``ceiling``.

    Parameters
    ----------
    levels : int
        Full trust (default 4).
    initial : int, optional
        Starting trust (default ``levels``).
    threshold : int
        Trust needed to cooperate (pure version; default 2).
    drop : int
        Trust lost per betrayal (default 2).
    recovery : int
        Cooperative rounds needed to regain one level (default 3: slow recovery).
    scar : int
        Ceiling lost per betrayal (default 1; 0 gives full recovery).
    mixed : bool
        Cooperate with probability ``trust / levels`` instead of by threshold.

    Notes
    -----
    With the defaults, trust survives one betrayal (4 -> 2, still cooperating),
    a second soon after drops it to 0; after ``levels / scar = 4`` betrayals
    the ceiling is 0 and the strategy never cooperates again: disengagement,
    the vicious cycle of Miller et al. (2015) :cite:`miller2015` and the
    essays' "an expectation raised and dashed is worse than no expectation".
    """
    n = _n(n_players)
    for name, v, lo in (
        ("levels", levels, 1),
        ("threshold", threshold, 0),
        ("drop", drop, 0),
        ("recovery", recovery, 1),
        ("scar", scar, 0),
    ):
        if isinstance(v, bool) or not isinstance(v, int) or v < lo:
            raise InvalidGameError(f"trust_eroding: {name} must be an integer >= {lo}; got {v!r}")
    initial = levels if initial is None else initial
    if isinstance(initial, bool) or not isinstance(initial, int) or not 0 <= initial <= levels:
        raise InvalidGameError(
            f"trust_eroding: initial must be an integer in 0..{levels}; got {initial!r}"
        )
    states = [(t, s, c) for c in range(levels + 1) for t in range(c + 1) for s in range(recovery)]
    start = (initial, 0, levels)

    def act(t):
        if mixed:
            p = Fraction(t, levels)
            return {cooperate: p, defect: 1 - p}
        return cooperate if t >= threshold else defect

    out = {st: act(st[0]) for st in states}
    trans = {}
    for st in states:
        t, s, c = st
        up = (min(t + 1, c), 0, c) if s + 1 >= recovery else (t, s + 1, c)
        cm = max(c - scar, 0)
        betrayed = (max(min(t - drop, cm), 0), 0, cm)
        still = (t, 0, c)
        table = {}
        table.update(_others_cooperated(cooperate, n, up, betrayed, own=cooperate))
        table.update(_others_cooperated(cooperate, n, up, still, own=Not(cooperate)))
        trans[st] = table
    return Automaton(
        f"trust-eroding(L={levels},drop={drop},rec={recovery},scar={scar}{',mixed' if mixed else ''})",
        states,
        start,
        out,
        trans,
        "trust falls with each betrayal, recovers one level per few cooperative rounds, up to a falling ceiling",
    )


def scripted(
    prefix: Sequence[Any], then: Any, n_players: int = 2, name: str | None = None
) -> Automaton:
    """Play the actions in ``prefix``, then ``then`` for ever (ignores what others do)."""
    n = _n(n_players)
    prefix = list(prefix)
    states = tuple(range(len(prefix) + 1))
    out = {i: a for i, a in enumerate(prefix)} | {len(prefix): then}
    trans = {i: {(WILDCARD,) * n: min(i + 1, len(prefix))} for i in states}
    return Automaton(
        name or f"scripted({len(prefix)} moves)",
        states,
        0,
        out,
        trans,
        "plays a fixed sequence, then one action for ever",
    )


def cycle(pattern: Sequence[Any], n_players: int = 2, name: str | None = None) -> Automaton:
    """Repeat ``pattern`` for ever (``cycle(["C", "D"])`` is Axelrod's *Alternator*)."""
    n = _n(n_players)
    pattern = list(pattern)
    if not pattern:
        raise InvalidGameError("cycle needs a non-empty pattern of actions")
    L = len(pattern)
    return Automaton(
        name or f"cycle({','.join(map(str, pattern))})",
        tuple(range(L)),
        0,
        dict(enumerate(pattern)),
        {i: {(WILDCARD,) * n: (i + 1) % L} for i in range(L)},
        "repeats a fixed pattern",
    )


def classic_strategies(cooperate: Any = 0, defect: Any = 1, n_players: int = 2) -> list[Automaton]:
    """The library's eleven strategies with default parameters (two of them mixed)."""
    kw = {"cooperate": cooperate, "defect": defect, "n_players": n_players}
    return [
        always_cooperate(cooperate, n_players),
        always_defect(defect, n_players),
        tit_for_tat(**kw),
        grim_trigger(**kw),
        win_stay_lose_shift(**kw),
        tit_for_two_tats(**kw),
        k_period_punishment(2, **kw),
        suspicious_tit_for_tat(**kw),
        trust_eroding(**kw),
        generous_tit_for_tat(Fraction(1, 3), **kw),
        trust_eroding(mixed=True, **kw),
    ]
