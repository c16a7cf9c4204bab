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
from operator import attrgetter, is_not
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
        n = len(svc)
        src = np.asarray(src)
        dst = np.asarray(dst)
        if src.shape != dst.shape or src.ndim != 1:
            raise InvalidTowerError(
                f"src and dst must be 1-d arrays of one length, got shapes "
                f"{src.shape} and {dst.shape}"
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
        bad = np.flatnonzero((src < 0) | (src >= n) | (dst < 0) | (dst >= n))
        if bad.size:
            e = int(bad[0])
            raise UnknownItemError(
                f"support {e} ({int(src[e])} -> {int(dst[e])}) names a position outside "
                f"0..{n - 1}; positions index the services list"
            )
        loops = np.flatnonzero(src == dst)
        if loops.size:
            u = next(k for i, k in enumerate(svc) if i == int(src[loops[0]]))
            raise InvalidTowerError(
                f"service {u!r} cannot support itself; remove the edge ({u!r}, {u!r})",
                item=(u, u),
                kind="support",
            )
        if src.size > 1:
            key = src * n + dst
            ordered = np.sort(key)  # a value sort: several times faster than np.unique's argsort
            if bool((ordered[1:] == ordered[:-1]).any()):
                _, first = np.unique(key, return_index=True)
                keep = np.sort(first)
                src, dst = src[keep], dst[keep]
        src.flags.writeable = False
        dst.flags.writeable = False
        tower = cls.__new__(cls)
        tower._finish(svc, prov, grounded, allow_unsatisfiable, name, (src, dst), None)
        return tower

    #: The name used before :meth:`from_arrays` was public (kept for existing callers).
    _from_index_arrays = from_arrays

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
        return NameIndex(self.ids, [s.label for s in self.services.values()], "service")

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
        supports = list(map(attrgetter("support"), self.services.values()))
        distinct = set(map(id, supports))
        distinct.discard(id(None))
        if not distinct:
            return
        n = len(supports)
        indegree = np.bincount(self._edge_index[1], minlength=n)
        if len(distinct) == 1:
            rule = next(r for r in supports if r is not None)
            has_rule = np.fromiter(map(is_not, supports, repeat(None)), dtype=bool, count=n)
            groups = [(rule, np.flatnonzero(has_rule))]
        else:
            code = np.fromiter(map(id, supports), dtype=np.uint64, count=n)
            order = np.argsort(code, kind="stable")
            code = code[order]
            cuts = np.flatnonzero(code[1:] != code[:-1]) + 1
            groups = []
            for pos in np.split(order, cuts):
                rule = supports[int(pos[0])]
                if rule is not None:
                    groups.append((rule, pos))
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
        sid, s = ids[i], supports[i]
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
    named = dict.fromkeys(map(attrgetter("provider"), services))
    named.pop(None, None)
    if providers is None:
        return svc, {k: Provider(k) for k in named}
    _, prov = _by_id(providers, Provider)
    if not prov.keys() >= named.keys():
        s = next(s for s in services if s.provider is not None and s.provider not in prov)
        raise UnknownItemError(
            f"service {s.id!r} names provider {s.provider!r}, which is not among the "
            f"providers ({', '.join(map(repr, prov)) or 'none'}); add "
            f"Provider({s.provider!r}) or fix the name",
            item=s.id,
            kind="service",
        )
    return svc, prov


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
