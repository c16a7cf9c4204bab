"""Support rules: monotone Boolean functions of which supporters still stand.

A service ``v`` with supporters ``S(v)`` (the tails of edges ``u -> v``) stands
while its rule is satisfied by the set of supporters still standing. Rules are

* ``AllOf(*names)`` — every named supporter stands (no names: all of ``S(v)``);
* ``AnyOf(*names)`` — at least one stands (no names: any of ``S(v)``);
* ``AtLeast(k, *names)`` — at least ``k`` stand (no names: ``k`` of ``S(v)``);
* ``r1 & r2`` and ``r1 | r2`` — conjunction and disjunction.

Every rule is a tree whose leaves are *threshold gates* ``|standing ∩ N| >= k``
(``AllOf(N)`` is the gate with ``k = |N|``, ``AnyOf(N)`` the gate with
``k = 1``), so rules are monotone by construction: more standing supporters
never make a rule fail. A service with no supporters at all stands on the
ground: unnamed ``AllOf`` and ``AnyOf`` are then satisfied (``AtLeast(k)`` with
``k > 0`` is not; see :class:`~jenga_games.tower.Tower`'s
``allow_unsatisfiable``).

Examples
--------
A classic Jenga row of three rests on the block under its middle, or on both
blocks under its sides:

>>> rule = AnyOf("middle") | AllOf("left", "right")
>>> rule.evaluate({"left", "right"}, ("left", "middle", "right"))
True
>>> rule.evaluate({"left"}, ("left", "middle", "right"))
False
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InvalidTowerError, SchemaError

__all__ = ["AllOf", "And", "AnyOf", "AtLeast", "Or", "Rule", "rule_from_json"]


class Rule(ABC):
    """Base class of support rules (immutable, hashable, composable with ``&``, ``|``)."""

    def __and__(self, other: Rule) -> Rule:
        _check_rule(other, "&")
        return And(*_flatten(And, self), *_flatten(And, other))

    def __or__(self, other: Rule) -> Rule:
        _check_rule(other, "|")
        return Or(*_flatten(Or, self), *_flatten(Or, other))

    # -- interface implemented by subclasses ---------------------------------
    @abstractmethod
    def names(self) -> frozenset[Hashable]:
        """The supporters this rule names explicitly (empty: it refers to all)."""

    @abstractmethod
    def evaluate(self, standing: Collection[Hashable], supporters: Sequence[Hashable]) -> bool:
        """Whether the rule holds when ``standing`` (a subset of ``supporters``) stand.

        A plain, slow evaluation used by the brute-force oracle and for display.
        """

    @abstractmethod
    def to_json(self) -> dict[str, Any]:
        """The rule as a JSON-ready dict (see :func:`rule_from_json`)."""

    @abstractmethod
    def max_satisfiable(self, n_supporters: int) -> bool:
        """Whether the rule can hold at all when all ``n_supporters`` stand."""

    @property
    def depth(self) -> int:
        """How deeply ``And``/``Or`` nest in this rule (a single gate: 0).

        At most :data:`MAX_RULE_DEPTH`: deeper rules are refused when built, so
        that evaluating, printing or saving one never exhausts Python's stack.
        """
        return 0

    def threshold(self, supporters: Sequence[Hashable]) -> int | None:
        """``k`` if the rule is one threshold gate over *all* supporters, else ``None``.

        Such rules (the common case) run on the fast counting path of the
        cascade engine.
        """
        return None


def _check_rule(other: object, op: str) -> None:
    if not isinstance(other, Rule):
        raise InvalidTowerError(
            f"cannot combine a support rule with {type(other).__name__} using {op!r}; "
            "combine rules such as AllOf(...), AnyOf(...), AtLeast(k, ...)"
        )


def _flatten(kind: type, rule: Rule) -> tuple[Rule, ...]:
    return rule.rules if isinstance(rule, kind) else (rule,)  # type: ignore[attr-defined]


def _names_tuple(names: Sequence[Hashable], what: str) -> tuple[Hashable, ...]:
    out = tuple(names)
    for n in out:
        if isinstance(n, bool) or not isinstance(n, str | int | np.integer):
            fix = (
                f"; pass the names one by one: {what.split()[0]}({', '.join(map(repr, n))})"
                if isinstance(n, list | tuple | set | frozenset)
                else ""
            )
            raise InvalidTowerError(
                f"{what}: a supporter name must be a string or an integer, got {n!r}{fix}",
                item=n,
            )
    if len(set(out)) != len(out):
        dup = sorted({repr(n) for n in out if out.count(n) > 1})
        raise InvalidTowerError(
            f"{what} names a supporter twice ({', '.join(dup)}); name each once"
        )
    return out


@dataclass(frozen=True, init=False)
class _Gate(Rule):
    """A threshold gate: at least ``k`` of ``of`` (all supporters when ``of`` is empty)."""

    k: int
    of: tuple[Hashable, ...]

    def names(self) -> frozenset[Hashable]:
        return frozenset(self.of)

    def _k(self, n_supporters: int) -> int:
        return self.k

    def evaluate(self, standing, supporters) -> bool:
        pool = self.of if self.of else tuple(supporters)
        alive = set(standing)
        return sum(1 for s in pool if s in alive) >= self._k(len(pool))

    def max_satisfiable(self, n_supporters: int) -> bool:
        pool = len(self.of) if self.of else n_supporters
        return self._k(pool) <= pool

    def threshold(self, supporters) -> int | None:
        if self.of and set(self.of) != set(supporters):
            return None
        return self._k(len(supporters))


@dataclass(frozen=True, init=False, repr=False)
class AllOf(_Gate):
    """Stands while every named supporter (default: every supporter) stands."""

    def __init__(self, *names: Hashable) -> None:
        object.__setattr__(self, "of", _names_tuple(names, "AllOf"))
        object.__setattr__(self, "k", -1)  # resolved per service: |of|

    def _k(self, n_supporters: int) -> int:
        return n_supporters

    def __repr__(self) -> str:
        return f"AllOf({', '.join(map(repr, self.of))})"

    def to_json(self) -> dict[str, Any]:
        return {"all_of": list(self.of)}


@dataclass(frozen=True, init=False, repr=False)
class AnyOf(_Gate):
    """Stands while at least one named supporter (default: any supporter) stands.

    With no supporters at all, the service stands on the ground.
    """

    def __init__(self, *names: Hashable) -> None:
        object.__setattr__(self, "of", _names_tuple(names, "AnyOf"))
        object.__setattr__(self, "k", 1)

    def _k(self, n_supporters: int) -> int:
        return min(1, n_supporters)

    def __repr__(self) -> str:
        return f"AnyOf({', '.join(map(repr, self.of))})"

    def to_json(self) -> dict[str, Any]:
        return {"any_of": list(self.of)}


@dataclass(frozen=True, init=False, repr=False)
class AtLeast(_Gate):
    """Stands while at least ``k`` of the named supporters (default: of all) stand."""

    def __init__(self, k: int, *names: Hashable) -> None:
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 0:
            raise InvalidTowerError(f"AtLeast needs a whole number k >= 0, got {k!r}")
        object.__setattr__(self, "of", _names_tuple(names, "AtLeast"))
        object.__setattr__(self, "k", int(k))

    def __repr__(self) -> str:
        rest = "".join(f", {n!r}" for n in self.of)
        return f"AtLeast({self.k}{rest})"

    def to_json(self) -> dict[str, Any]:
        return {"at_least": self.k, "of": list(self.of)}


@dataclass(frozen=True, init=False, repr=False)
class _Compound(Rule):
    rules: tuple[Rule, ...]
    _symbol = "?"
    _key = "?"

    def __init__(self, *rules: Rule) -> None:
        if len(rules) < 1:
            raise InvalidTowerError(f"{type(self).__name__} needs at least one rule")
        for r in rules:
            _check_rule(r, self._symbol)
        depth = 1 + max(r.depth for r in rules)
        if depth > MAX_RULE_DEPTH:
            raise InvalidTowerError(
                f"{type(self).__name__}: and/or rules nest {depth} levels deep, more than "
                f"{MAX_RULE_DEPTH}; flatten the nesting (a & (b & c) is And(a, b, c)), or "
                "give the service fewer alternatives"
            )
        object.__setattr__(self, "rules", tuple(rules))
        object.__setattr__(self, "_depth", depth)  # not a field: equality and hash ignore it

    @property
    def depth(self) -> int:
        return self._depth

    def names(self) -> frozenset[Hashable]:
        return frozenset().union(*(r.names() for r in self.rules))

    def __repr__(self) -> str:
        parts = [f"({r!r})" if isinstance(r, _Compound) else repr(r) for r in self.rules]
        return f" {self._symbol} ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {self._key: [r.to_json() for r in self.rules]}


@dataclass(frozen=True, init=False, repr=False)
class And(_Compound):
    """Stands while every component rule holds (``r1 & r2``)."""

    _symbol = "&"
    _key = "and"

    def evaluate(self, standing, supporters) -> bool:
        return all(r.evaluate(standing, supporters) for r in self.rules)

    def max_satisfiable(self, n_supporters: int) -> bool:
        return all(r.max_satisfiable(n_supporters) for r in self.rules)


@dataclass(frozen=True, init=False, repr=False)
class Or(_Compound):
    """Stands while any component rule holds (``r1 | r2``)."""

    _symbol = "|"
    _key = "or"

    def evaluate(self, standing, supporters) -> bool:
        return any(r.evaluate(standing, supporters) for r in self.rules)

    def max_satisfiable(self, n_supporters: int) -> bool:
        return any(r.max_satisfiable(n_supporters) for r in self.rules)


#: Deepest nesting of ``and``/``or`` a rule may have, in a file or built in code (deeper is
#: refused, not recursed).
MAX_RULE_DEPTH = 50


def rule_from_json(data: Any, where: str = "support", _depth: int = 0) -> Rule:
    """Parse a rule from its JSON form (never evaluates text).

    Forms: ``{"all_of": [names]}``, ``{"any_of": [names]}``,
    ``{"at_least": k, "of": [names]}``, ``{"and": [rules]}``, ``{"or": [rules]}``.
    An empty name list means "all supporters".
    """
    if not isinstance(data, Mapping) or len(data) == 0:
        raise SchemaError(
            f'{where}: a rule must be an object such as {{"all_of": []}}, got {data!r}'
        )
    keys = set(data)
    if keys == {"all_of"}:
        return AllOf(*_name_list(data["all_of"], where))
    if keys == {"any_of"}:
        return AnyOf(*_name_list(data["any_of"], where))
    if keys in ({"at_least"}, {"at_least", "of"}):
        k = data["at_least"]
        if isinstance(k, bool) or not isinstance(k, int):
            raise SchemaError(f"{where}.at_least must be a whole number, got {k!r}")
        return AtLeast(k, *_name_list(data.get("of", []), where))
    if keys in ({"and"}, {"or"}):
        key = next(iter(keys))
        parts = data[key]
        if not isinstance(parts, list) or not parts:
            raise SchemaError(f"{where}.{key} must be a non-empty list of rules")
        if _depth >= MAX_RULE_DEPTH:
            raise SchemaError(
                f"{where}: rules nest more than {MAX_RULE_DEPTH} levels deep; "
                "flatten the and/or nesting"
            )
        rules = [rule_from_json(p, f"{where}.{key}[{i}]", _depth + 1) for i, p in enumerate(parts)]
        return And(*rules) if key == "and" else Or(*rules)
    raise SchemaError(
        f"{where}: unknown rule keys {sorted(keys)}; use one of all_of, any_of, "
        "at_least (+ of), and, or"
    )


def _name_list(value: Any, where: str) -> list[Hashable]:
    if not isinstance(value, list) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in value
    ):
        raise SchemaError(
            f"{where}: supporter names must be a list of strings or integers, got {value!r}"
        )
    return value


def compile_rule(rule: Rule, supporters: Sequence[Hashable], index: Mapping[Hashable, int]):
    """Compile ``rule`` for one service into nested gates over global indices.

    Returns ``("gate", idx, k)``, ``("and", [parts])`` or ``("or", [parts])``.
    """
    if isinstance(rule, _Gate):
        pool = rule.of if rule.of else tuple(supporters)
        idx = np.fromiter((index[s] for s in pool), dtype=np.int64, count=len(pool))
        return ("gate", idx, rule._k(len(pool)))
    if isinstance(rule, And | Or):
        kind = "and" if isinstance(rule, And) else "or"
        return (kind, [compile_rule(r, supporters, index) for r in rule.rules])
    raise InvalidTowerError(f"unknown support rule {rule!r}")


def evaluate_compiled(compiled, alive: np.ndarray) -> bool:
    """Evaluate a compiled rule against the global ``alive`` mask."""
    kind = compiled[0]
    if kind == "gate":
        idx, k = compiled[1], compiled[2]
        return int(np.count_nonzero(alive[idx])) >= k if k > 0 else True
    if kind == "and":
        return all(evaluate_compiled(c, alive) for c in compiled[1])
    return any(evaluate_compiled(c, alive) for c in compiled[1])
