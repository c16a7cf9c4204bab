"""Services, providers and the tower that holds them.

Conventions (DESIGN §1)
-----------------------
* An edge ``u -> v`` means *u supports v* (v depends on u). Cycles are allowed.
* A service's state is the fraction ``x ∈ [0, 1]`` of its activity still in
  place; ``x = 0`` is a planned removal (re-commissioned elsewhere).
* Its margin at fraction ``x`` is ``x·a·(p − c) − f`` while it operates, ``0``
  once removed as planned (its fixed cost goes with it) and ``−f`` once it has
  fallen unplanned (income lost, fixed cost stranded for the year).
* A provider stands while ``Σ margins + R ≥ F`` (reserves ``R``, overhead ``F``).
* A cascade takes away services whose support rule fails and every service of
  a provider that is no longer viable, until nothing changes. By default it
  starts from everything standing and only takes away, so cycles of mutual
  support can stand (the k-core reading); ``grounded=True`` makes a loop fall
  unless it is held up from below (the least fixpoint from the ground).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from .._checks import finite_float
from ..errors import InvalidTowerError, UnknownItemError
from ._names import NameIndex
from .rules import AllOf, Rule

if TYPE_CHECKING:  # pragma: no cover
    from .engine import CompiledTower
    from .outcome import Outcome
    from .validate import TowerReport

__all__ = ["SERVICE_FIELDS", "Provider", "Service", "Tower"]

ServiceId = Hashable


def _check_id(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int | np.integer):
        raise InvalidTowerError(f"{what} id must be a string or an integer, got {value!r}")
    if isinstance(value, str) and not value.strip():
        raise InvalidTowerError(f"{what} id must not be empty")


def _check_number(value: Any, name: str, owner: str) -> float:
    return finite_float(value, f"{owner}: {name}", InvalidTowerError, nonneg=True)


_SERVICE_NUMBERS = ("activity", "tariff", "variable_cost", "fixed_cost")
_LARGEST_FLOAT_INT = 2**1023


def _plain_number(value: Any) -> bool:
    """A finite Python float or int ``>= 0`` (what almost every service holds): no message needed."""
    t = type(value)
    if t is float:
        return 0.0 <= value < math.inf  # False for NaN
    return t is int and 0 <= value <= _LARGEST_FLOAT_INT


def _check_text(value: Any, name: str, owner: str) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidTowerError(f"{owner}: {name} must be text or None, got {value!r}")


@dataclass(frozen=True)
class Service:
    """A block of the tower: one service of the local health economy.

    Parameters
    ----------
    id : str or int
        Unique name.
    provider : str or int, optional
        The organisation that runs it (``None``: no provider, no viability test).
    activity : float
        ``a >= 0``, units per year.
    tariff : float
        ``p >= 0``, income per unit.
    variable_cost : float
        ``c >= 0``, cost per unit, saved when activity moves out.
    fixed_cost : float
        ``f >= 0`` per year, saved only when the whole service closes.
    support : Rule, optional
        Which supporters it needs (default ``AllOf()``: all of them).
    critical : bool
        Its unplanned loss means the tower has collapsed (e.g. A&E).
    setting : str, optional
        e.g. ``"acute"``, ``"community"``, ``"primary"``.
    layer : int, optional
        Row for drawing (0 = bottom).
    label : str, optional
        A display name (accepted wherever an id is, when unique: :meth:`Tower.index_of`).
    unit : str, optional
        What one unit of ``activity`` counts (``"bed-days"``, ``"tests"``, ...).
        Activities of different units are never added together.
    health : float, optional
        Health effect of one unit of activity, in ``health_measure`` (QALYs by
        default): what patients lose per unit when the service falls.
    health_measure : str, optional
        The outcome ``health`` counts (default ``"QALY"``; e.g. ``"deaths averted"``).
    source : str, optional
        Where the numbers come from, or ``"assumption"``.
    """

    id: ServiceId
    provider: Hashable | None = None
    activity: float = 1.0
    tariff: float = 0.0
    variable_cost: float = 0.0
    fixed_cost: float = 0.0
    support: Rule | None = None
    critical: bool = False
    setting: str | None = None
    layer: int | None = None
    label: str | None = None
    unit: str | None = None
    health: float | None = None
    health_measure: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        d = self.__dict__  # frozen: checked values are written here, before anyone sees them
        sid = d["id"]
        if type(sid) is not int and not (type(sid) is str and sid.strip()):
            _check_id(sid, "service")
            d["id"] = _norm_id(sid)
        owner = None
        for name in _SERVICE_NUMBERS:
            value = d[name]
            if _plain_number(value):  # the common case, without building a message
                d[name] = float(value)
            else:
                owner = f"service {self.id!r}"
                d[name] = _check_number(value, name, owner)
        p = d["provider"]
        if p is not None and type(p) is not int and not (type(p) is str and p.strip()):
            _check_id(p, f"service {self.id!r}: provider")
            d["provider"] = _norm_id(p)
        if type(d["critical"]) is bool and self.support is None and self.layer is None:
            texts = (self.setting, self.label, self.unit, self.health_measure, self.source)
            if all(t is None or type(t) is str for t in texts) and self.health is None:
                return  # nothing else to check or convert
        self._check_rest(owner or f"service {self.id!r}")

    def _check_rest(self, owner: str) -> None:
        """The checks of the less common fields (rules, flags, text, layer, health)."""
        if self.support is not None and not isinstance(self.support, Rule):
            raise InvalidTowerError(
                f"{owner}: support must be a rule such as AllOf(), AnyOf() or AtLeast(k), "
                f"got {self.support!r}"
            )
        if not isinstance(self.critical, bool | np.bool_):
            raise InvalidTowerError(
                f"{owner}: critical must be True or False, got {self.critical!r}"
            )
        object.__setattr__(self, "critical", bool(self.critical))
        _check_text(self.setting, "setting", owner)
        if self.layer is not None:
            if isinstance(self.layer, bool) or not isinstance(self.layer, int | np.integer):
                raise InvalidTowerError(
                    f"{owner}: layer must be a whole number, got {self.layer!r}"
                )
            object.__setattr__(self, "layer", int(self.layer))
        for name in ("label", "unit", "health_measure", "source"):
            _check_text(getattr(self, name), name, owner)
        if self.health is not None:
            object.__setattr__(
                self, "health", finite_float(self.health, f"{owner}: health", InvalidTowerError)
            )

    @property
    def rule(self) -> Rule:
        """The support rule, with the default ``AllOf()`` filled in."""
        return self.support if self.support is not None else AllOf()

    @property
    def unit_margin(self) -> float:
        """``p − c``: what one unit of activity contributes."""
        return self.tariff - self.variable_cost

    @property
    def full_margin(self) -> float:
        """``a·(p − c) − f``: what the whole service contributes while it runs."""
        return self.activity * (self.tariff - self.variable_cost) - self.fixed_cost


SERVICE_FIELDS = tuple(f.name for f in dataclasses.fields(Service))


@dataclass(frozen=True)
class Provider:
    """An organisation that runs services.

    It stands while ``Σ_operating (x·a·(p − c) − f) + R ≥ F``.

    Parameters
    ----------
    id : str or int
    overhead : float
        ``F >= 0``, paid each year while it operates.
    reserves : float
        ``R >= 0``, what it can draw on.
    label : str, optional
    source : str, optional
        Where the numbers come from, or ``"assumption"``.
    """

    id: Hashable
    overhead: float = 0.0
    reserves: float = 0.0
    label: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        _check_id(self.id, "provider")
        object.__setattr__(self, "id", _norm_id(self.id))
        for name in ("overhead", "reserves"):
            value = getattr(self, name)
            object.__setattr__(
                self,
                name,
                float(value)
                if _plain_number(value)
                else _check_number(value, name, f"provider {self.id!r}"),
            )
        for name in ("label", "source"):
            _check_text(getattr(self, name), name, f"provider {self.id!r}")


PROVIDER_FIELDS = tuple(f.name for f in dataclasses.fields(Provider))


# -- services held as columns ------------------------------------------------------------
_TEXT_FIELDS = ("setting", "label", "unit", "health_measure", "source")
_ROW_FIELDS = SERVICE_FIELDS[1:]  # every field but the id, in the order of Service
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Service)}
_NONE = type(None)


class _Same:
    """A column whose every entry is ``value`` (one object, not ``n`` references)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return type(other) is _Same and _same_value(self.value, other.value)

    __hash__ = None  # type: ignore[assignment]


def _same_value(a: Any, b: Any) -> bool:
    """Equality as two Service objects holding ``a`` and ``b`` would see it (dataclass ``==``)."""
    return a is b or a == b


def _as_column(col: Any) -> Any:
    """A 0-d array as its value, and array-likes (a pandas Series) as numpy arrays."""
    if not isinstance(col, np.ndarray) and hasattr(col, "__array__"):
        col = np.asarray(col)
    if isinstance(col, np.ndarray) and col.ndim == 0:
        col = col.item()
    return col


def _plain_column(col: Any, n: int, kind: str) -> Any:
    """``col`` (a value for every service, or one per service) checked and stored, or ``None``.

    The column holds exactly what :class:`Service` would store (floats for
    numbers, ``bool`` flags, ``int`` layers, ids as given); ``None`` when
    anything is unusual, and the caller then builds :class:`Service` objects
    one at a time so that the error (or the conversion) is theirs, word for word.
    """
    col = _as_column(col)
    scalar = not isinstance(col, Sequence | np.ndarray) or isinstance(col, str | bytes)
    if kind == "number":
        if scalar:
            return _Same(float(col)) if _plain_number(col) else None
        if isinstance(col, np.ndarray):
            if col.dtype.kind not in "fiu" or col.shape != (n,):
                return None
        elif len(col) != n or not set(map(type, col)) <= {float, int}:
            return None
        try:
            arr = np.array(col, dtype=float)
        except (OverflowError, ValueError, TypeError):
            return None
        if not (np.isfinite(arr).all() and (arr >= 0).all()):
            return None
        arr.flags.writeable = False
        return arr
    if kind == "critical":
        if scalar:
            return _Same(col) if type(col) is bool else None
        if isinstance(col, np.ndarray):
            if col.dtype != bool or col.shape != (n,):
                return None
            arr = col.copy()
        elif len(col) == n and set(map(type, col)) <= {bool}:
            arr = np.array(col, dtype=bool)
        else:
            return None
        arr.flags.writeable = False
        return arr
    allowed = {
        "provider": {str, int, _NONE},
        "text": {str, _NONE},
        "layer": {int, _NONE},
        "health": {float, int, _NONE},
    }.get(kind)
    if scalar:
        if kind == "support":
            return _Same(col) if col is None or isinstance(col, Rule) else None
        values = [col]
    else:
        if len(col) != n:
            return None
        values = col.tolist() if isinstance(col, np.ndarray) and col.dtype.kind in "iu" else col
        values = list(values)
        if kind == "support":
            kinds = set(map(type, values))
            return values if all(t is _NONE or issubclass(t, Rule) for t in kinds) else None
    types = set(map(type, values))
    if not types <= allowed:
        return None
    if kind == "provider" and str in types and not _all_stripped(values, types):
        return None
    if kind == "health":
        present = [v for v in values if v is not None]
        try:
            ok = bool(np.isfinite(np.array(present, dtype=float)).all())
        except (OverflowError, ValueError, TypeError):
            ok = False
        if not ok:
            return None
        values = [None if v is None else float(v) for v in values]
    return _Same(values[0]) if scalar else values


_COLUMN_KINDS = {
    "provider": "provider",
    **dict.fromkeys(_SERVICE_NUMBERS, "number"),
    "support": "support",
    "critical": "critical",
    "layer": "layer",
    "health": "health",
    **dict.fromkeys(_TEXT_FIELDS, "text"),
}


def _plain_ids(ids: Any) -> Any:
    """Service ids as :class:`Service` stores them (a ``range`` is kept), or ``None`` if unusual."""
    if isinstance(ids, range):
        return ids if ids.step == 1 and ids.start == 0 else None
    if isinstance(ids, np.ndarray):
        if ids.ndim != 1 or ids.dtype.kind not in "iu":
            return None
        ids = ids.tolist()
    elif isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
        return None
    ids = list(ids)
    types = set(map(type, ids))
    if not types <= {str, int}:
        return None
    if str in types and not _all_stripped(ids, types):
        return None
    return ids


def _all_stripped(values: list, types: set) -> bool:
    """Every string among ``values`` has something besides spaces (one C-level pass when all are)."""
    strs = values if types == {str} else [v for v in values if type(v) is str]
    return all(map(str.strip, strs))


class _ServiceView(Mapping):
    """``{id: Service}`` for a tower held as columns: each :class:`Service` made when first read.

    Reading one service makes (and keeps) that one object; ``values()``,
    ``items()``, equality and ``repr`` make them all at once, in one pass. The
    objects are the ones :class:`Service` would make from the same fields.
    """

    __slots__ = ("_cols", "_dict", "_ids", "_index", "_made")

    def __init__(self, ids: Sequence, index: dict | None, cols: dict[str, Any]) -> None:
        self._ids = ids
        self._index = index
        self._cols = cols  # field -> _Same(value) | ndarray | list (one entry per service)
        self._made: dict[int, Service] = {}
        self._dict: dict | None = None

    def _position(self) -> dict:
        if self._index is None:
            self._index = dict(zip(self._ids, range(len(self._ids))))
        return self._index

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self):
        return iter(self._ids)

    def __contains__(self, key: object) -> bool:
        return key in self._position()

    def __getitem__(self, key: Any) -> Service:
        if self._dict is not None:
            return self._dict[key]
        i = self._position()[key]
        s = self._made.get(i)
        if s is None:
            s = self._made[i] = self._make(i)
        return s

    def _make(self, i: int) -> Service:
        s = object.__new__(Service)
        d = s.__dict__  # frozen dataclass: filled once, before anyone sees it
        d["id"] = self._ids[i]
        for name in _ROW_FIELDS:
            c = self._cols[name]
            d[name] = (
                c.value if type(c) is _Same else (c[i].item() if type(c) is np.ndarray else c[i])
            )
        return s

    def _all(self) -> dict:
        """Every service, made in one pass (the ones already read are kept)."""
        if self._dict is None:
            fill, names, cols = {}, [], []
            for name in _ROW_FIELDS:
                c = self._cols[name]
                if type(c) is _Same:
                    fill[name] = c.value
                else:
                    names.append(name)
                    cols.append(c.tolist() if type(c) is np.ndarray else c)
            new, made = object.__new__, self._made
            out = []
            for i, (sid, *values) in enumerate(zip(self._ids, *cols)):
                s = made.get(i) if made else None
                if s is None:
                    s = new(Service)
                    d = s.__dict__
                    d["id"] = sid
                    d.update(fill)
                    d.update(zip(names, values))
                out.append(s)
            self._dict = dict(zip(self._ids, out))
            self._made = {}
        return self._dict

    def column(self, name: str) -> Any:
        """The stored column ``name`` (``_Same``, ndarray or list)."""
        return self._cols[name]

    def keys(self):
        return self._all().keys() if self._dict is not None else super().keys()

    def values(self):
        return self._all().values()

    def items(self):
        return self._all().items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _ServiceView):
            if list(self._ids) != list(other._ids):
                return False
            return all(
                _columns_equal(self._cols[k], other._cols[k], len(self)) for k in _ROW_FIELDS
            )
        if isinstance(other, Mapping):
            return self._all() == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._all())


def _columns_equal(a: Any, b: Any, n: int) -> bool:
    """Two stored columns hold equal values (as the Service objects made from them would compare)."""
    if type(a) is _Same and type(b) is _Same:
        return a == b
    if type(a) is np.ndarray and type(b) is np.ndarray:
        return bool(np.array_equal(a, b))
    la = [a.value] * n if type(a) is _Same else (a.tolist() if type(a) is np.ndarray else a)
    lb = [b.value] * n if type(b) is _Same else (b.tolist() if type(b) is np.ndarray else b)
    return all(map(_same_value, la, lb))


@dataclass(frozen=True, eq=False)
class Tower:
    """A local health economy as a tower of services.

    Parameters
    ----------
    services : iterable of Service
    supports : iterable of (u, v)
        Edges: ``u`` supports ``v``.
    providers : iterable of Provider, optional
        When omitted, every provider a service names is created with no
        overhead and no reserves. When given, a service naming any other
        provider is an error.
    grounded : bool
        ``False`` (default): the largest set that can still stand (cycles of
        mutual support stand). ``True``: only what is held up from below.
    allow_unsatisfiable : bool
        Allow rules that cannot hold even when every supporter stands (e.g.
        ``AtLeast(k)`` with fewer than ``k`` supporters, as random towers with
        k-core semantics need); such a service falls at once.
    name : str, optional

    Examples
    --------
    >>> from jenga_games.tower import Tower, Service, AnyOf
    >>> t = Tower([Service("ground"), Service("left"), Service("right"),
    ...            Service("top", support=AnyOf())],
    ...           [("ground", "left"), ("ground", "right"), ("left", "top"), ("right", "top")])
    >>> t.cascade({"left"}).fell
    ()
    >>> t.cascade({"ground"}).fell
    ('left', 'right', 'top')
    """

    services: Mapping[ServiceId, Service]
    providers: Mapping[Hashable, Provider] = field(default_factory=dict)
    grounded: bool = False
    allow_unsatisfiable: bool = False
    name: str | None = None

    def __init__(
        self,
        services: Iterable[Service],
        supports: Iterable[tuple[ServiceId, ServiceId]] = (),
        providers: Iterable[Provider] | None = None,
        *,
        grounded: bool = False,
        allow_unsatisfiable: bool = False,
        name: str | None = None,
    ) -> None:
        svc, prov = _collect_nodes(services, providers)
        index = {k: i for i, k in enumerate(svc)}
        edges: list[tuple[ServiceId, ServiceId]] = []
        src: list[int] = []
        dst: list[int] = []
        seen: set[tuple[ServiceId, ServiceId]] = set()
        if isinstance(supports, str | bytes):
            raise InvalidTowerError(
                f"supports must be a list of pairs (supporter, dependant), got the string "
                f"{supports!r}"
            )
        for e in supports:
            if isinstance(e, str | bytes):  # 'ab' would unpack into the pair ('a', 'b')
                raise InvalidTowerError(
                    f"a support must be a pair (supporter, dependant), got the string {e!r}; "
                    "write it as a pair such as ('pathology', 'ae')"
                )
            try:
                u, v = e
            except (TypeError, ValueError):
                raise InvalidTowerError(
                    f"a support must be a pair (supporter, dependant), got {e!r}"
                ) from None
            u, v = _norm_id(u), _norm_id(v)
            for end in (u, v):
                if end not in svc:
                    raise UnknownItemError(
                        f"support {e!r} names service {end!r}, which is not in the tower; "
                        "add the service or fix the name",
                        item=(u, v),
                        kind="support",
                    )
            if u == v:
                raise InvalidTowerError(
                    f"service {u!r} cannot support itself; remove the edge ({u!r}, {v!r})",
                    item=(u, v),
                    kind="support",
                )
            if (u, v) not in seen:
                seen.add((u, v))
                edges.append((u, v))
                src.append(index[u])
                dst.append(index[v])
        self._finish(
            svc,
            prov,
            grounded,
            allow_unsatisfiable,
            name,
            (np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)),
            index,
        )
        self.__dict__["supports"] = tuple(edges)

    @classmethod
    def from_arrays(
        cls,
        services: Iterable[Service],
        src: Any,
        dst: Any,
        providers: Iterable[Provider] | None = None,
        *,
        grounded: bool = False,
        allow_unsatisfiable: bool = False,
        name: str | None = None,
    ) -> Tower:
        """A tower whose supports are index arrays: ``services[src[e]]`` supports ``services[dst[e]]``.

        The vectorised twin of the constructor, for big generated or loaded
        towers: the same checks (ids, providers, edge ends in range, no
        self-support, duplicates dropped keeping the first, rules) and the same
        tower as ``Tower(services, [(ids[u], ids[v]) for u, v in zip(src, dst)],
        providers, ...)``, but every check on the edges runs on the arrays and
        :attr:`supports` (the pairs of ids) is only built when first read.
        :attr:`support_arrays` gives the arrays back, so a changed copy of a
        tower is ``Tower.from_arrays(new_services, *tower.support_arrays, ...)``.

        Parameters
        ----------
        services : iterable of Service
            In index order: position ``i`` is ``tower.ids[i]``.
        src, dst : array_like of int
            One entry per support, positions in ``services`` (copied).
        providers, grounded, allow_unsatisfiable, name
            As in :class:`Tower`.

        Raises
        ------
        InvalidTowerError
            Arrays of different shapes or not integers, a service supporting
            itself, or any error of the constructor.
        UnknownItemError
            A position outside ``0..len(services) - 1``.

        Examples
        --------
        >>> from jenga_games.tower import Service, Tower
        >>> t = Tower.from_arrays([Service("a"), Service("b"), Service("c")], [0, 0], [1, 2])
        >>> t.supports
        (('a', 'b'), ('a', 'c'))
        >>> [a.tolist() for a in t.support_arrays]
        [[0, 0], [1, 2]]
        """
        svc, prov = _collect_nodes(services, providers)
        ids = list(svc)
        edges = _edge_arrays(src, dst, len(ids), ids.__getitem__)
        tower = cls.__new__(cls)
        tower._finish(svc, prov, grounded, allow_unsatisfiable, name, edges, None)
        return tower

    #: The name used before :meth:`from_arrays` was public (kept for existing callers).
    _from_index_arrays = from_arrays

    @classmethod
    def from_columns(
        cls,
        ids: Iterable[ServiceId],
        src: Any = (),
        dst: Any = (),
        providers: Iterable[Provider] | None = None,
        *,
        grounded: bool = False,
        allow_unsatisfiable: bool = False,
        name: str | None = None,
        **columns: Any,
    ) -> Tower:
        """A tower from one column per service field and index arrays of supports.

        The column twin of :meth:`from_arrays`, for big generated or loaded
        towers: ``Tower.from_columns(ids, src, dst, tariff=t, ...)`` is the
        tower ``Tower.from_arrays([Service(ids[i], tariff=t[i], ...) for i
        ...], src, dst)``, with the same checks and errors, but the tower keeps
        the columns and makes each :class:`Service` only when it is first read
        (the engine reads the columns directly).

        Parameters
        ----------
        ids : sequence of str or int
            The service ids, in index order (a ``range`` is kept as it is).
        src, dst : array_like of int
            One entry per support, positions in ``ids`` (as in :meth:`from_arrays`).
        providers, grounded, allow_unsatisfiable, name
            As in :class:`Tower`.
        **columns
            Any :class:`Service` field but ``id``: one value for every service
            (``activity=1.0``, ``support=AtLeast(2)``) or a sequence or array
            of one value per service. Omitted fields take the Service default.

        Raises
        ------
        InvalidTowerError
            An unknown field (with a "did you mean"), a column of the wrong
            length, or any error of :class:`Service` (for the first service
            in index order) or of :meth:`from_arrays`.

        Examples
        --------
        >>> from jenga_games.tower import AnyOf, Tower
        >>> t = Tower.from_columns(["a", "b", "c"], [0, 0], [1, 2], tariff=[1.0, 2.0, 3.0],
        ...                        support=AnyOf(), provider="acute")
        >>> t.service("c").tariff, t.services_of("acute")
        (3.0, ('a', 'b', 'c'))
        >>> t == Tower([Service(s, tariff=p, support=AnyOf(), provider="acute")
        ...             for s, p in zip("abc", [1, 2, 3])], [("a", "b"), ("a", "c")])
        True
        """
        for key in columns:
            if key not in _ROW_FIELDS:
                close = difflib.get_close_matches(str(key), _ROW_FIELDS, 1)
                hint = (
                    f"did you mean {close[0]!r}?" if close else f"fields: {', '.join(_ROW_FIELDS)}"
                )
                raise InvalidTowerError(
                    f"unknown service field {key!r} among the columns; {hint}",
                    item=key,
                    kind="field",
                )
        plain = _plain_ids(ids)
        cols: dict[str, Any] | None = {} if plain is not None and len(plain) else None
        if cols is not None:
            n = len(plain)
            for field_name in _ROW_FIELDS:
                if field_name in columns:
                    c = _plain_column(columns[field_name], n, _COLUMN_KINDS[field_name])
                    if c is None:
                        cols = None
                        break
                else:
                    c = _Same(_DEFAULTS[field_name])
                cols[field_name] = c
        kwargs = {"grounded": grounded, "allow_unsatisfiable": allow_unsatisfiable, "name": name}
        if cols is None:  # something unusual: Service objects check (and convert) each value
            return cls.from_arrays(
                _services_from_columns(ids, columns), src, dst, providers, **kwargs
            )
        index = None
        if not isinstance(plain, range):
            index = dict(zip(plain, range(n)))
            if len(index) < n:
                seen: set = set()
                for sid in plain:
                    if sid in seen:
                        raise InvalidTowerError(
                            f"duplicate service id {sid!r}: each service needs its own id",
                            item=sid,
                            kind="service",
                        )
                    seen.add(sid)
        svc = _ServiceView(plain, index, cols)
        owners = cols["provider"]
        prov = _providers_of(plain, [owners.value] if type(owners) is _Same else owners, providers)
        edges = _edge_arrays(src, dst, n, plain.__getitem__)
        tower = cls.__new__(cls)
        tower._finish(svc, prov, grounded, allow_unsatisfiable, name, edges, index)
        return tower

    def _finish(
        self,
        svc: dict,
        prov: dict,
        grounded: bool,
        allow_unsatisfiable: bool,
        name: str | None,
        edge_index: tuple[np.ndarray, np.ndarray],
        index: dict | None,
    ) -> None:
        object.__setattr__(self, "services", svc)
        object.__setattr__(self, "providers", prov)
        object.__setattr__(self, "grounded", bool(grounded))
        object.__setattr__(self, "allow_unsatisfiable", bool(allow_unsatisfiable))
        object.__setattr__(self, "name", name)
        # the edges as index arrays (``_edge_index``, always set here) and the index cache
        for a in edge_index:
            a.flags.writeable = False
        self.__dict__["_edge_index"] = edge_index
        if index is not None:
            self.__dict__["index"] = index
        self._check_rules()

    # -- structure -------------------------------------------------------------
    @cached_property
    def ids(self) -> tuple[ServiceId, ...]:
        """Service ids in insertion order (index ``i`` in every array)."""
        return tuple(self.services)

    @cached_property
    def index(self) -> dict[ServiceId, int]:
        """Position of each service id in :attr:`ids`."""
        if type(self.services) is _ServiceView:
            return self.services._position()  # one dict for the tower and its services
        return dict(zip(self.ids, range(len(self.ids))))

    @cached_property
    def supports(self) -> tuple[tuple[ServiceId, ServiceId], ...]:
        """The edges ``(u, v)``, ``u`` supports ``v``, duplicates dropped, in the order given.

        Built when first read on towers made by :meth:`from_arrays` (10^6 pairs
        of ids are most of the cost of building such a tower).
        """
        src, dst = self._edge_index
        ids = self.ids
        if all(type(k) is int for k in ids) and ids == tuple(range(len(ids))):
            return tuple(zip(src.tolist(), dst.tolist()))
        obj = self._ids_array
        return tuple(zip(obj[src].tolist(), obj[dst].tolist()))

    @property
    def support_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(src, dst)``: the supports as positions in :attr:`ids` (read-only int64 arrays).

        ``ids[src[e]]`` supports ``ids[dst[e]]``, in the order of :attr:`supports`;
        :meth:`from_arrays` takes them back.
        """
        return self._edge_index

    @cached_property
    def _ids_array(self) -> np.ndarray:
        """:attr:`ids` as a numpy object array (index arrays -> ids in one step: ``ids[idx].tolist()``)."""
        ids = np.empty(len(self), dtype=object)
        ids[:] = self.ids
        return ids

    def _adjacency(self, incoming: bool) -> dict[ServiceId, tuple[ServiceId, ...]]:
        """Supporters (``incoming``) or dependants of every service, in the order of :attr:`supports`."""
        src, dst = self._edge_index
        key, val = (dst, src) if incoming else (src, dst)
        n = len(self)
        order = np.argsort(key, kind="stable")
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(key, minlength=n), out=ptr[1:])
        vals = self._ids_array[val[order]].tolist()
        p = ptr.tolist()
        return {sid: tuple(vals[p[i] : p[i + 1]]) for i, sid in enumerate(self.ids)}

    @cached_property
    def _supporters(self) -> dict[ServiceId, tuple[ServiceId, ...]]:
        return self._adjacency(incoming=True)

    @cached_property
    def _dependants(self) -> dict[ServiceId, tuple[ServiceId, ...]]:
        return self._adjacency(incoming=False)

    def _field_values(self, name: str) -> list:
        """The field ``name`` of every service, in index order (from the columns when held so)."""
        svc = self.services
        if type(svc) is _ServiceView:
            c = svc.column(name)
            if type(c) is _Same:
                return [c.value] * len(svc)
            return c.tolist() if type(c) is np.ndarray else list(c)
        return list(map(attrgetter(name), svc.values()))

    def _field_array(self, name: str, dtype: type = float) -> np.ndarray:
        """The number or flag ``name`` of every service as an array (read it, do not write it)."""
        svc = self.services
        if type(svc) is _ServiceView:
            c = svc.column(name)
            if type(c) is _Same:
                return np.full(len(svc), c.value, dtype=dtype)
            return np.asarray(c, dtype=dtype)
        return np.fromiter(map(attrgetter(name), svc.values()), dtype=dtype, count=len(svc))

    @cached_property
    def _rule_groups(self) -> tuple[list, np.ndarray, np.ndarray]:
        """``(rules, first, code)``: services grouped by rule object (``None`` is a rule here).

        ``rules[g]`` is the ``support`` of group ``g``, ``first[g]`` its first
        service and ``code[i]`` the group of service ``i`` (generated and loaded
        towers share a few rule objects among all their services).
        """
        svc = self.services
        n = len(svc)
        if type(svc) is _ServiceView and type(svc.column("support")) is _Same:
            return [svc.column("support").value], np.zeros(1, np.int64), np.zeros(n, np.int64)
        supports = self._field_values("support")
        _, first, code = np.unique(
            np.fromiter(map(id, supports), dtype=np.uint64, count=n),
            return_index=True,
            return_inverse=True,
        )
        return [supports[i] for i in first.tolist()], first, code.ravel()

    def __len__(self) -> int:
        return len(self.services)

    def __contains__(self, service: object) -> bool:
        return _norm_id(service) in self.services if isinstance(service, Hashable) else False

    def __iter__(self):
        return iter(self.services.values())

    def __repr__(self) -> str:
        name = f"{self.name!r}, " if self.name else ""
        return (
            f"Tower({name}{len(self)} services, {len(self.supports)} supports, "
            f"{len(self.providers)} providers{', grounded' if self.grounded else ''})"
        )

    def service(self, service_id: ServiceId) -> Service:
        """The :class:`Service` called ``service_id`` (a helpful error if unknown)."""
        key = self._resolve(service_id)
        return self.services[key]

    def supporters(self, service_id: ServiceId) -> tuple[ServiceId, ...]:
        """The services that support ``service_id`` (tails of its in-edges)."""
        return self._supporters[self._resolve(service_id)]

    def dependants(self, service_id: ServiceId) -> tuple[ServiceId, ...]:
        """The services that ``service_id`` supports (heads of its out-edges)."""
        return self._dependants[self._resolve(service_id)]

    def provider_of(self, service_id: ServiceId) -> Provider | None:
        """The :class:`Provider` that runs ``service_id`` (an id or a unique label), or ``None``.

        Examples
        --------
        >>> from jenga_games.tower.library import local_health_economy
        >>> local_health_economy().provider_of("cardiology").id
        'acute_trust'
        """
        p = self.service(service_id).provider
        return None if p is None else self.providers[_norm_id(p)]

    def services_of(self, provider_id: Hashable) -> tuple[ServiceId, ...]:
        """The services run by ``provider_id`` (an id, or a label when unique)."""
        key = self._provider_key(provider_id)
        return tuple(
            s.id
            for s in self.services.values()
            if s.provider is not None and _norm_id(s.provider) == key
        )

    @cached_property
    def _names(self) -> NameIndex:
        return NameIndex(self.ids, self._field_values("label"), "service")

    @cached_property
    def _provider_names(self) -> NameIndex:
        return NameIndex(
            list(self.providers), [p.label for p in self.providers.values()], "provider"
        )

    def _provider_key(self, provider: object) -> Hashable:
        """A provider's id from its id or unique label (a "did you mean" when unknown)."""
        key = _norm_id(provider) if isinstance(provider, Hashable) else provider
        if type(key) in (str, int) and key in self.providers:
            return key
        names = self._provider_names
        return names.ids[names.locate(provider)]

    def index_of(self, service: object) -> int:
        """The position in :attr:`ids` of a service named by its id or, when unique, its label.

        The one place that turns a name into an index: every query, game and
        command goes through it. Case, spaces, ``-`` and ``_`` are forgiven
        when that leaves one match (``"a&e"`` finds ``A&E``); an unknown name
        gets a "did you mean" suggestion.

        Raises
        ------
        UnknownItemError
            Unknown or ambiguous name; the message suggests the closest services.

        Examples
        --------
        >>> from jenga_games.tower import local_health_economy
        >>> t = local_health_economy()
        >>> t.ids[t.index_of("A&E")]
        'ae'
        >>> t.index_of("cardiolgy")
        Traceback (most recent call last):
        ...
        jenga_games.errors.UnknownItemError: unknown service 'cardiolgy'; did you mean 'cardiology' (Cardiology)?
        """
        i = self.index.get(service) if type(service) in (str, int) else None
        return i if i is not None else self._names.locate(service)

    def _resolve(self, service_id: object) -> ServiceId:
        return self.ids[self.index_of(service_id)]

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The tower as a ``networkx.DiGraph`` (a copy: edit the tower, not this).

        Node attributes are the :class:`Service` fields; ``graph.graph`` holds
        ``providers`` (id -> dict), ``grounded`` and ``name``.
        """
        g = nx.DiGraph(
            name=self.name,
            grounded=self.grounded,
            allow_unsatisfiable=self.allow_unsatisfiable,
            providers={
                k: {f: getattr(p, f) for f in PROVIDER_FIELDS} for k, p in self.providers.items()
            },
        )
        for sid, s in self.services.items():
            attrs = {f: getattr(s, f) for f in SERVICE_FIELDS if f != "id"}
            g.add_node(sid, **attrs)
        g.add_edges_from(self.supports)
        return g

    # -- construction helpers --------------------------------------------------
    @classmethod
    def from_graph(
        cls, graph: nx.DiGraph, providers: Iterable[Provider] | Mapping | None = None, **kwargs: Any
    ) -> Tower:
        """Build a tower from a ``networkx.DiGraph`` whose node attributes are Service fields.

        Unknown node attributes are an error (a typo such as ``tarrif`` would
        otherwise be lost). Providers come from ``providers`` or from
        ``graph.graph["providers"]`` (a mapping id -> dict of Provider fields).
        The inverse of :attr:`graph`: ``Tower.from_graph(tower.graph) == tower``.

        Examples
        --------
        >>> import networkx as nx
        >>> g = nx.DiGraph([("ground", "top")])
        >>> g.nodes["top"]["critical"] = True
        >>> Tower.from_graph(g).cascade(["ground"]).collapsed
        True
        """
        if not isinstance(graph, nx.DiGraph):
            raise InvalidTowerError(
                f"from_graph needs a networkx.DiGraph, got {type(graph).__name__}"
            )
        services = []
        allowed = set(SERVICE_FIELDS) - {"id"}
        for node, attrs in graph.nodes(data=True):
            unknown = set(attrs) - allowed
            if unknown:
                raise InvalidTowerError(
                    f"node {node!r} has unknown attributes {sorted(unknown)}; allowed: {sorted(allowed)}"
                )
            services.append(Service(node, **attrs))
        if providers is None:
            providers = graph.graph.get("providers")
        if isinstance(providers, Mapping):
            providers = [
                p
                if isinstance(p, Provider)
                else Provider(k, **{kk: vv for kk, vv in p.items() if kk != "id"})
                for k, p in providers.items()
            ]
        for key in ("grounded", "allow_unsatisfiable", "name"):
            if key in graph.graph and key not in kwargs and graph.graph[key] is not None:
                kwargs[key] = graph.graph[key]
        return cls(services, graph.edges(), providers, **kwargs)

    def replace(
        self,
        *,
        services: Mapping[ServiceId, Mapping[str, Any]] | None = None,
        providers: Mapping[Hashable, Mapping[str, Any]] | None = None,
        **tower_fields: Any,
    ) -> Tower:
        """A copy with some fields changed, e.g. ``tower.replace(providers={"Acute": {"reserves": 5}})``."""
        new_services = dict(self.services)
        for sid, changes in (services or {}).items():
            key = self._resolve(sid)
            _check_fields(changes, SERVICE_FIELDS, f"service {sid!r}")
            new_services[key] = dataclasses.replace(new_services[key], **changes)
        new_providers = dict(self.providers)
        for pid, changes in (providers or {}).items():
            key = self._provider_key(pid)
            _check_fields(
                changes, [f.name for f in dataclasses.fields(Provider)], f"provider {pid!r}"
            )
            new_providers[key] = dataclasses.replace(new_providers[key], **changes)
        _check_fields(tower_fields, ("grounded", "allow_unsatisfiable", "name"), "the tower")
        kwargs = {
            "grounded": self.grounded,
            "allow_unsatisfiable": self.allow_unsatisfiable,
            "name": self.name,
            **tower_fields,
        }
        return Tower(new_services.values(), self.supports, new_providers.values(), **kwargs)

    def _check_rules(self) -> None:
        """Every rule names only supporters of its service and can hold (unless allowed not to).

        Checked per distinct rule object and in-degree (a generated or loaded
        tower shares a few rule objects among all its services), so the cost
        is one pass over the services in C plus a little per distinct rule. The
        error names the first service (in index order) whose rule is wrong.
        """
        rules, _, code = self._rule_groups
        if all(r is None for r in rules):
            return
        n = len(code)
        indegree = np.bincount(self._edge_index[1], minlength=n)
        if len(rules) == 1:
            groups = [(rules[0], np.arange(n))]
        else:
            order = np.argsort(code, kind="stable")
            cuts = np.flatnonzero(code[order][1:] != code[order][:-1]) + 1
            groups = [
                (rules[int(code[pos[0]])], pos)
                for pos in np.split(order, cuts)
                if rules[int(code[pos[0]])] is not None
            ]
        named_bad: list[int] = []  # a rule naming something that does not support it
        unsat_bad: list[int] = []  # a rule that cannot hold
        satisfiable: dict[tuple[Rule, int], bool] = {}
        ids = self.ids
        for rule, pos in groups:
            names = rule.names()
            if names:
                sup_of = self._supporters
                for i in pos.tolist():
                    have = set(sup_of[ids[i]])
                    if any(_norm_id(k) not in have for k in names):
                        named_bad.append(i)
                        break  # positions ascend: the first is the one to report
            if self.allow_unsatisfiable:
                continue
            deg = indegree[pos]
            for d in np.unique(deg).tolist():
                ok = satisfiable.get((rule, d))
                if ok is None:
                    ok = satisfiable[(rule, d)] = rule.max_satisfiable(d)
                if not ok:
                    unsat_bad.append(int(pos[np.argmax(deg == d)]))
        if not (named_bad or unsat_bad):
            return
        i = min(named_bad + unsat_bad)
        sid, s = ids[i], rules[int(code[i])]
        if i in named_bad:
            have = set(self._supporters[sid])
            missing = [k for k in s.names() if _norm_id(k) not in have]
            raise InvalidTowerError(
                f"service {sid!r}: its rule {s!r} names {', '.join(map(repr, missing))}, "
                f"which {'does' if len(missing) == 1 else 'do'} not support it (no edge "
                f"{missing[0]!r} -> {sid!r}); add the edge or fix the rule",
                item=sid,
                kind="service",
            )
        raise InvalidTowerError(
            f"service {sid!r}: its rule {s!r} cannot hold even with all "
            f"{int(indegree[i])} supporters standing; lower k, add supporters, or build the tower "
            "with allow_unsatisfiable=True (the service then falls at once)",
            item=sid,
            kind="service",
        )

    # -- the engine ------------------------------------------------------------
    @cached_property
    def compiled(self) -> CompiledTower:
        """The array form the cascade engine runs on (built once, cached)."""
        from .engine import CompiledTower

        return CompiledTower.from_tower(self)

    def state_array(
        self, state: Mapping[ServiceId, float] | Iterable[ServiceId] | None
    ) -> np.ndarray:
        """Fractions ``x`` as an array aligned with :attr:`ids`.

        ``state`` is a mapping service -> remaining fraction, or a collection
        of removed services (fraction 0), or ``None`` (intact).
        """
        x = np.ones(len(self), dtype=float)
        if state is None:
            return x
        if isinstance(state, Mapping):
            for sid, frac in state.items():
                i = self.index_of(sid)
                if isinstance(frac, bool | str | bytes) or not isinstance(frac, numbers.Real):
                    raise InvalidTowerError(
                        f"fraction for {sid!r} must be a number in [0, 1], got {frac!r}"
                        + ("; write it without quotes" if isinstance(frac, str) else ""),
                        item=sid,
                        kind="service",
                    )
                f = float(frac)
                if not (0.0 <= f <= 1.0):
                    raise InvalidTowerError(
                        f"fraction for {sid!r} must lie in [0, 1] (1 = all activity in place, "
                        f"0 = removed), got {frac!r}"
                    )
                x[i] = f
            return x
        if isinstance(state, str | bytes):
            raise InvalidTowerError(
                f"a state must be a collection of removed services or a mapping service -> "
                f"fraction, got the string {state!r}; wrap it in a list: [{state!r}]"
            )
        items = list(state)
        index = self.index
        try:  # fast path: ids exactly as stored (numpy integers hash like ints)
            idx = [index[sid] for sid in items]
        except (KeyError, TypeError):  # unknown or unhashable: resolved below
            idx = None
        if idx is None:  # outside the except block: the error is not chained to a KeyError
            idx = [self.index_of(sid) for sid in items]
        x[idx] = 0.0
        return x

    def cascade(
        self, state: Mapping[ServiceId, float] | Iterable[ServiceId] | None = None
    ) -> Outcome:
        """Apply ``state`` at once and cascade to the fixpoint.

        Parameters
        ----------
        state : mapping or collection, optional
            Mapping service -> fraction of activity left in place, or the
            collection of services removed (fraction 0). Default: intact.

        Returns
        -------
        Outcome
            What was removed, what fell unplanned (by rounds), which providers
            failed, activity and value lost, ``fallen`` and ``collapsed``.
        """
        from .outcome import cascade_outcome

        return cascade_outcome(self, self.state_array(state))

    def play(self, order: Iterable[ServiceId], *, stop: str = "never") -> Outcome:
        """Remove services one at a time, cascading after each (falls are absorbing).

        Parameters
        ----------
        order : iterable of service ids
            The removal order. A service that has already fallen when its turn
            comes is *skipped* (recorded as such in the step).
        stop : {"never", "fallen", "collapsed"}
            Stop after the first removal at which the tower falls / collapses.

        Notes
        -----
        On towers with no providers, ``play(order)`` and ``cascade(set(order))``
        take away the same services whatever the order. With providers, a
        service that falls before its turn strands its fixed cost instead of
        saving it, so on monotone towers ``play`` takes away a superset of what
        ``cascade`` does (equal when nothing in the order falls before its turn).
        """
        from .outcome import play_outcome

        if stop not in ("never", "fallen", "collapsed"):
            raise InvalidTowerError(f"stop must be 'never', 'fallen' or 'collapsed', got {stop!r}")
        if isinstance(order, str | bytes):
            raise InvalidTowerError(
                f"order must be a sequence of service ids, got the string {order!r}"
            )
        idx = [self.index_of(s) for s in order]
        if len(set(idx)) != len(idx):
            dup = sorted({repr(self.ids[i]) for i in idx if idx.count(i) > 1})
            raise InvalidTowerError(
                f"order removes {', '.join(dup)} more than once; list each service once"
            )
        return play_outcome(self, np.asarray(idx, dtype=np.int64), stop)

    def validate(self) -> TowerReport:
        """Check the tower: monotonicity conditions, viability when intact, unsatisfiable rules."""
        from .validate import validate_tower

        return validate_tower(self)

    def to_json(self, path: Any = None) -> str:
        """The tower as JSON text (schema in :mod:`jenga_games.tower.io`); written to ``path`` if given."""
        from .io import tower_to_json

        return tower_to_json(self, path)

    @classmethod
    def from_json(cls, source: Any) -> Tower:
        """Load a tower from a JSON file path or JSON text (schema in :mod:`jenga_games.tower.io`)."""
        from .io import tower_from_json

        return tower_from_json(source)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tower):
            return NotImplemented
        return (
            self.services == other.services
            and set(self.supports) == set(other.supports)
            and self.providers == other.providers
            and self.grounded == other.grounded
            and self.allow_unsatisfiable == other.allow_unsatisfiable
            and self.name == other.name
        )

    __hash__ = None  # type: ignore[assignment]


def _collect_nodes(
    services: Iterable[Service], providers: Iterable[Provider] | None
) -> tuple[dict[ServiceId, Service], dict[Hashable, Provider]]:
    """Check and index services and providers (shared by the constructor and its array twin).

    In bulk: the ids (normalised by :class:`Service` and :class:`Provider`) are
    read with one C-level pass each; the loops that name an offending item
    only run once something is wrong.
    """
    services, svc = _by_id(services, Service)
    if not svc:
        raise InvalidTowerError("a tower needs at least one service")
    return svc, _providers_of(list(svc), list(map(attrgetter("provider"), services)), providers)


def _providers_of(
    ids: Sequence, owners: Sequence, providers: Iterable[Provider] | None
) -> dict[Hashable, Provider]:
    """The tower's providers: those given (checked), or one for each provider the services name.

    ``owners[i]`` is the provider of service ``ids[i]``; a service naming a
    provider that is not given is an error naming the first such service.
    """
    named = dict.fromkeys(owners)
    named.pop(None, None)
    if providers is None:
        return {k: Provider(k) for k in named}
    _, prov = _by_id(providers, Provider)
    if not prov.keys() >= named.keys():
        i = next(i for i, p in enumerate(owners) if p is not None and p not in prov)
        sid, p = ids[i], owners[i]
        raise UnknownItemError(
            f"service {sid!r} names provider {p!r}, which is not among the "
            f"providers ({', '.join(map(repr, prov)) or 'none'}); add "
            f"Provider({p!r}) or fix the name",
            item=sid,
            kind="service",
        )
    return prov


def _by_id(items: Iterable[Any], cls: type) -> tuple[list, dict]:
    """``(items as a list, {id: item})`` after checking the type and that ids are unique."""
    items = list(items)
    what = cls.__name__.lower()
    if not all(issubclass(t, cls) for t in set(map(type, items))):
        bad = next(x for x in items if not isinstance(x, cls))
        raise InvalidTowerError(f"{what}s must be {cls.__name__} objects, got {bad!r}")
    by_id = dict(zip(map(attrgetter("id"), items), items))
    if len(by_id) < len(items):
        seen: set = set()
        for x in items:
            if x.id in seen:
                raise InvalidTowerError(
                    f"duplicate {what} id {x.id!r}: each {what} needs its own id",
                    item=x.id,
                    kind=what,
                )
            seen.add(x.id)
    return items, by_id


def _services_from_columns(ids: Any, columns: Mapping[str, Any]) -> list[Service]:
    """One :class:`Service` per id from columns (the general path of :meth:`Tower.from_columns`)."""
    if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
        raise InvalidTowerError(f"ids must be a sequence of service ids, got {ids!r}")
    ids = list(ids)
    n = len(ids)
    rows: dict[str, Any] = {}
    for key, col in columns.items():
        col = _as_column(col)
        if isinstance(col, Sequence | np.ndarray) and not isinstance(col, str | bytes):
            if len(col) != n:
                raise InvalidTowerError(
                    f"column {key!r} has {len(col)} values for {n} services; give one value "
                    "per service, or a single value for all of them",
                    item=key,
                    kind="field",
                )
            # numpy scalars as Python values (an error then reads "got -2.0")
            rows[key] = col.tolist() if isinstance(col, np.ndarray) else list(col)
        else:
            rows[key] = repeat(col, n)
    names = list(rows)
    return (
        [Service(sid, **dict(zip(names, values))) for sid, *values in zip(ids, *rows.values())]
        if names
        else [Service(sid) for sid in ids]
    )


def _edge_arrays(src: Any, dst: Any, n: int, id_at: Any) -> tuple[np.ndarray, np.ndarray]:
    """The checked, copied, read-only index arrays of :meth:`Tower.from_arrays` (duplicates dropped).

    ``id_at(i)`` is the id of position ``i`` (named by the self-support error).
    """
    src = np.asarray(src)
    dst = np.asarray(dst)
    if src.shape != dst.shape or src.ndim != 1:
        raise InvalidTowerError(
            f"src and dst must be 1-d arrays of one length, got shapes {src.shape} and {dst.shape}"
        )
    if src.size and not (
        np.issubdtype(src.dtype, np.integer) and np.issubdtype(dst.dtype, np.integer)
    ):
        raise InvalidTowerError(
            f"src and dst must be integer index arrays (positions in services), got "
            f"dtypes {src.dtype} and {dst.dtype}"
        )
    # copies: the caller may change its arrays; the tower's are read-only
    src = np.array(src, dtype=np.int64)
    dst = np.array(dst, dtype=np.int64)
    if src.size and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
        bad = np.flatnonzero((src < 0) | (src >= n) | (dst < 0) | (dst >= n))
        e = int(bad[0])
        raise UnknownItemError(
            f"support {e} ({int(src[e])} -> {int(dst[e])}) names a position outside "
            f"0..{n - 1}; positions index the services list"
        )
    loops = np.flatnonzero(src == dst)
    if loops.size:
        u = id_at(int(src[loops[0]]))
        raise InvalidTowerError(
            f"service {u!r} cannot support itself; remove the edge ({u!r}, {u!r})",
            item=(u, u),
            kind="support",
        )
    if src.size > 1:
        key = src * n + dst
        ordered = np.sort(key)  # a value sort: several times faster than np.unique's argsort
        if bool((ordered[1:] == ordered[:-1]).any()):
            m = src.size
            if n * n * m < 2**62:  # the first of each pair: a value sort of key·m + e, as in _csr
                both = np.sort(key * m + np.arange(m, dtype=np.int64))
                pair = both // m
                first = np.concatenate(([True], pair[1:] != pair[:-1]))
                keep = np.sort(both[first] % m)
            else:  # pragma: no cover - a key too big for 64 bits (n²·m ≥ 2^62)
                _, first_e = np.unique(key, return_index=True)
                keep = np.sort(first_e)
            src, dst = src[keep], dst[keep]
    src.flags.writeable = False
    dst.flags.writeable = False
    return src, dst


def _clone_services(template: Service, ids: Iterable[ServiceId]) -> list[Service]:
    """Copies of a validated ``template`` under new ids (fast: no re-validation of its fields).

    Each id is still checked; use it for big generated towers whose services
    differ only by id.
    """
    base = dict(template.__dict__)
    new = object.__new__
    out = []
    for sid in ids:
        if type(sid) is not int:
            _check_id(sid, "service")
            sid = _norm_id(sid)
        c = new(Service)
        d = c.__dict__
        d.update(base)
        d["id"] = sid  # frozen dataclass: written through __dict__, once, before anyone sees it
        out.append(c)
    return out


def _check_fields(changes: Any, allowed: Sequence[str], owner: str) -> None:
    """Refuse a misspelt field in :meth:`Tower.replace` (``tarrif``), suggesting the right one."""
    if not isinstance(changes, Mapping):
        raise InvalidTowerError(
            f"changes for {owner} must be a mapping field -> value, got {changes!r}"
        )
    for name in changes:
        if name not in allowed or name == "id":
            close = difflib.get_close_matches(str(name), [a for a in allowed if a != "id"], 1)
            hint = f"did you mean {close[0]!r}?" if close else f"fields: {', '.join(allowed)}"
            raise InvalidTowerError(
                f"{owner}: cannot change {name!r}; {hint}", item=name, kind="field"
            )


def _norm_id(value: Any) -> Any:
    """numpy integers and Python ints name the same service."""
    return int(value) if isinstance(value, np.integer) else value
