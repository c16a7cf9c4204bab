"""Towers in files: versioned JSON (``"schema": "jenga-tower/1"``) and GraphML.

JSON schema ``jenga-tower/1`` (full description in ``docs/tower/file-format.md``)::

    {
      "schema": "jenga-tower/1",
      "name": "my economy",              # optional, string or null
      "grounded": false,                 # optional, default false
      "allow_unsatisfiable": false,      # optional, default false
      "providers": [                     # optional; omitted = created from services
        {"id": "acute", "overhead": 30.5, "reserves": 1.0, "label": "Acute trust"}
      ],
      "services": [                      # required, non-empty, in index order
        {"id": "ae", "provider": "acute", "activity": 100, "tariff": 0.15,
         "variable_cost": 0.045, "fixed_cost": 9.75,
         "support": {"all_of": []},      # optional rule; null or absent = all supporters
         "critical": true, "setting": "acute", "layer": 2, "label": "A&E"}
      ],
      "supports": [["pathology", "ae"]]  # edges u -> v: u supports v
    }

Ids are JSON strings or integers and keep their type. Numbers are written
with Python's shortest round-trip ``repr``, so ``Tower.from_json(t.to_json())
== t`` exactly. Reading never evaluates content: rules go through
:func:`~jenga_games.tower.rules.rule_from_json`, ``NaN`` and ``Infinity`` are
rejected, and every problem raises :class:`~jenga_games.errors.SchemaError`
(or the tower's own error) naming the line and the field, e.g.
``economy.json, line 12 (services[3].tariff): must be a number >= 0``.

GraphML (:func:`to_graphml`, :func:`from_graphml`) goes through networkx;
node attributes are the service fields, a rule is stored as its JSON text in
the ``support`` attribute, and the providers as JSON text in the graph
attribute ``providers``. Integer ids are flagged (``int_id``) so they come
back as integers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import math
import os
import re
from collections.abc import Mapping
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from .. import _io
from .._io import atomic_write_text, decode_utf8, looks_like_path, read_text_limited
from ..errors import InvalidTowerError, JengaError, SchemaError, TooLargeError, UnknownItemError
from .model import SERVICE_FIELDS, Provider, Service, Tower
from .rules import rule_from_json

__all__ = [
    "SCHEMA",
    "from_graphml",
    "to_graphml",
    "tower_from_dict",
    "tower_from_json",
    "tower_to_dict",
    "tower_to_json",
]

#: The schema tag this module writes (version 2 adds unit, health, health_measure and source).
SCHEMA = "jenga-tower/2"
#: Every schema tag this module reads (old files still load).
READS = ("jenga-tower/1", SCHEMA)
#: Fields new in version 2; a version 1 file holding one is refused.
_V2_SERVICE = ("unit", "health", "health_measure", "source")

_TOP_KEYS = {
    "schema",
    "name",
    "grounded",
    "allow_unsatisfiable",
    "providers",
    "services",
    "supports",
}
_SERVICE_KEYS = set(SERVICE_FIELDS)
_PROVIDER_KEYS = {"id", "overhead", "reserves", "label", "source"}
_NUMBERS = ("activity", "tariff", "variable_cost", "fixed_cost")


# -- writing -----------------------------------------------------------------------------
def tower_to_dict(tower: Tower) -> dict[str, Any]:
    """The tower as a JSON-ready dict following schema ``jenga-tower/1``."""
    services = []
    for s in tower:
        d: dict[str, Any] = {"id": s.id}
        if s.provider is not None:
            d["provider"] = s.provider
        for name in _NUMBERS:
            d[name] = getattr(s, name)
        if s.support is not None:
            d["support"] = s.support.to_json()
        if s.critical:
            d["critical"] = True
        for name in ("setting", "layer", "label", *_V2_SERVICE):
            if getattr(s, name) is not None:
                d[name] = getattr(s, name)
        services.append(d)
    providers = []
    for p in tower.providers.values():
        d = {"id": p.id, "overhead": p.overhead, "reserves": p.reserves}
        if p.label is not None:
            d["label"] = p.label
        if p.source is not None:
            d["source"] = p.source
        providers.append(d)
    return {
        "schema": SCHEMA,
        "name": tower.name,
        "grounded": tower.grounded,
        "allow_unsatisfiable": tower.allow_unsatisfiable,
        "providers": providers,
        "services": services,
        "supports": [[u, v] for u, v in tower.supports],
    }


def tower_to_json(
    tower: Tower, path: str | os.PathLike[str] | None = None, *, compact: bool = False
) -> str:
    """The tower as JSON text; also written atomically to ``path`` when given.

    The layout puts one provider, service or support per line (so error
    messages' line numbers point at one item); ``compact=True`` writes a
    single line.

    Parameters
    ----------
    tower : Tower
    path : path-like, optional
        Where to write (the parent folder is created).
    compact : bool
        One line instead of one item per line.
    """
    if not isinstance(tower, Tower):
        raise InvalidTowerError(f"tower_to_json needs a Tower, got {type(tower).__name__}")
    doc = tower_to_dict(tower)

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    if compact:
        text = dump(doc)
    else:
        lines = ["{"]
        encoded = {sid: str(sid) if type(sid) is int else dump(sid) for sid in tower.ids}
        for key, value in doc.items():
            if isinstance(value, list):
                if key == "supports":  # the bulk of big files: each id encoded once
                    items = ",\n".join(f"  [{encoded[u]}, {encoded[v]}]" for u, v in tower.supports)
                else:
                    items = ",\n".join(f"  {dump(v)}" for v in value)
                lines.append(f" {dump(key)}: [\n{items}\n ]," if value else f" {dump(key)}: [],")
            else:
                lines.append(f" {dump(key)}: {dump(value)},")
        lines[-1] = lines[-1].rstrip(",")
        lines.append("}")
        text = "\n".join(lines)
    if path is not None:
        atomic_write_text(path, text + "\n")
    return text


# -- reading -----------------------------------------------------------------------------
def _reject_constant(name: str) -> None:
    raise SchemaError(f"{name} is not allowed in a tower file: numbers must be finite")


class _Located:
    """Turn a path such as ``("services", 3, "tariff")`` into ``line N (services[3].tariff)``."""

    def __init__(self, text: str | None, origin: str) -> None:
        self.text = text
        self.origin = origin
        self._positions: dict[int, int] | None = None
        self._root: Any = None

    def _parse_positions(self) -> None:
        """Re-parse with the pure-Python scanner, recording where each object/array starts."""
        positions: dict[int, int] = {}
        decoder = json.JSONDecoder(parse_constant=lambda c: None)

        def parse_object(s_and_end, *args, **kwargs):
            obj, end = json.decoder.JSONObject(s_and_end, *args, **kwargs)
            positions[id(obj)] = s_and_end[1] - 1
            return obj, end

        def parse_array(s_and_end, scan_once, **kwargs):
            arr, end = json.decoder.JSONArray(s_and_end, scan_once, **kwargs)
            positions[id(arr)] = s_and_end[1] - 1
            return arr, end

        decoder.parse_object = parse_object
        decoder.parse_array = parse_array
        decoder.memo = {}
        decoder.scan_once = json.scanner.py_make_scanner(decoder)
        self._root = decoder.decode(self.text)
        self._positions = positions

    @staticmethod
    def describe(path: tuple) -> str:
        out = ""
        for p in path:
            out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
        return out or "the top level"

    def line(self, path: tuple) -> int | None:
        if self.text is None:
            return None
        try:
            if self._positions is None:
                self._parse_positions()
            node, pos = self._root, self._positions.get(id(self._root), 0)
            for key in path:
                parent_pos = pos
                if isinstance(node, Mapping) and key in node:
                    child = node[key]
                    if id(child) in self._positions and isinstance(child, dict | list):
                        pos = self._positions[id(child)]
                    else:
                        m = re.compile(r'"' + re.escape(str(key)) + r'"\s*:').search(
                            self.text, parent_pos
                        )
                        pos = m.start() if m else parent_pos
                    node = child
                elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                    child = node[key]
                    pos = (
                        self._positions.get(id(child), pos)
                        if isinstance(child, dict | list)
                        else pos
                    )
                    node = child
                else:
                    break
            return self.text.count("\n", 0, pos) + 1
        except Exception:  # locating is best effort; the message still names the field
            return None

    def error(self, path: tuple, message: str, cls: type[JengaError] = SchemaError) -> JengaError:
        line = self.line(path)
        where = self.origin + (f", line {line}" if line is not None else "")
        return cls(f"{where} ({self.describe(path)}): {message}")


def _looks_like_path(source: str) -> bool:
    """A string that names an existing file is a path, whatever it starts with."""
    return looks_like_path(source)


def _read_source(source: Any) -> tuple[str | None, Any, str]:
    """Return (text, parsed-or-None, origin) for a path, JSON text, file object or mapping."""
    if isinstance(source, Mapping):
        return None, source, "tower data"
    if hasattr(source, "read"):
        origin = str(getattr(source, "name", "tower file"))
        text = source.read(_io.MAX_FILE_BYTES + 1)
        if len(text) > _io.MAX_FILE_BYTES:
            raise TooLargeError(
                f"{origin} is longer than the limit of {_io.MAX_FILE_BYTES:,} bytes; split it or "
                "raise jenga_games._io.MAX_FILE_BYTES"
            )
        if isinstance(text, bytes):
            text = decode_utf8(text, origin)
        return text, None, origin
    if isinstance(source, bytes):
        source = decode_utf8(source, "tower JSON")
    if isinstance(source, str) and not _looks_like_path(source):
        if source.lstrip().startswith(("{", "[")):
            return source, None, "tower JSON"
        raise SchemaError(
            f"tower file {source[:80]!r}{'...' if len(source) > 80 else ''} does not exist; "
            "give a path to a jenga-tower JSON file or the JSON text itself"
        )
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise SchemaError(
                f"tower file {str(path)!r} does not exist; give a path to a "
                "jenga-tower/1 JSON file or the JSON text itself"
            )
        return read_text_limited(path, "tower file"), None, str(path)
    raise SchemaError(
        f"cannot read a tower from {type(source).__name__}; give a path, JSON text, "
        "a file object or a dict"
    )


def tower_from_json(source: Any) -> Tower:
    """Load a tower from a JSON file path, JSON text, an open file or an already-parsed dict.

    Raises
    ------
    SchemaError
        Not JSON, the wrong ``schema`` tag, an unknown or missing field, or a
        field of the wrong type; the message gives the line and the field.
    InvalidTowerError, UnknownItemError
        The content is well-formed but not a valid tower (e.g. a support
        naming an unknown service); the message gives the line and the item.
    """
    text, data, origin = _read_source(source)
    loc = _Located(text, origin)
    with _collector_paused():
        return _parse_and_build(text, data, origin, loc)


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while a file becomes a tower.

    Reading a big file creates millions of objects that all stay alive (the
    parsed JSON, then the services); the collector would traverse them again
    and again for nothing (about a quarter of the reading time at 10^5
    services). Nothing read here forms a reference cycle. The collector's
    previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_and_build(text: str | None, data: Any, origin: str, loc: _Located) -> Tower:
    if data is None:
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as err:
            raise SchemaError(
                f"{origin}, line {err.lineno}, column {err.colno}: not valid JSON ({err.msg})"
            ) from None
        except SchemaError as err:
            raise SchemaError(f"{origin}: {err}") from None
        except RecursionError:
            raise SchemaError(
                f"{origin}: the JSON nests too deeply to be a tower file; "
                "a tower needs only a few levels (objects in lists)"
            ) from None
        except ValueError as err:  # e.g. Python's limit on the digits of an integer
            raise SchemaError(
                f"{origin}: a number in the file is too long to read ({err}); "
                "write numbers with at most a few dozen digits"
            ) from None
    try:
        return tower_from_dict(data, loc)
    except RecursionError:
        raise SchemaError(f"{origin}: the data nests too deeply to be a tower") from None


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond the float range
        return False


def _number(value: Any, path: tuple, loc: _Located) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not _finite(value)
        or value < 0
    ):
        raise loc.error(path, f"must be a finite number >= 0, got {str(value)[:40]!r}")
    return value


def _real(value: Any, path: tuple, loc: _Located) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        raise loc.error(path, f"must be a finite number, got {str(value)[:40]!r}")
    return value


def _refuse_v2(data: Mapping, loc: _Located) -> None:
    """A ``jenga-tower/1`` file cannot hold the fields of version 2."""
    groups = (("services", _V2_SERVICE), ("providers", ("source",)))
    for key, fields in groups:
        items = data.get(key)
        for j, item in enumerate(items if isinstance(items, list) else []):
            for f in fields:
                if isinstance(item, Mapping) and f in item:
                    raise loc.error(
                        (key, j, f),
                        f"the field {f!r} is new in {SCHEMA!r}; change the schema line to "
                        f'"schema": "{SCHEMA}"',
                    )


def _ident(value: Any, path: tuple, loc: _Located) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise loc.error(path, f"an id must be a string or an integer, got {value!r}")
    return value


def _optional_str(value: Any, path: tuple, loc: _Located) -> str | None:
    if value is not None and not isinstance(value, str):
        raise loc.error(path, f"must be a string or null, got {value!r}")
    return value


def _bool(value: Any, path: tuple, loc: _Located) -> bool:
    if not isinstance(value, bool):
        raise loc.error(path, f"must be true or false, got {value!r}")
    return value


def _keys(
    obj: Any, allowed: set[str], required: set[str], path: tuple, loc: _Located, what: str
) -> None:
    if not isinstance(obj, Mapping):
        raise loc.error(path, f"{what} must be a JSON object, got {type(obj).__name__}")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise loc.error(
            (*path, unknown[0]),
            f"unknown field {unknown[0]!r} in {what}; allowed fields: {', '.join(sorted(allowed))}",
        )
    missing = sorted(required - set(obj))
    if missing:
        raise loc.error(path, f"{what} lacks the required field {missing[0]!r}")


def tower_from_dict(data: Any, loc: _Located | None = None) -> Tower:
    """Build a tower from a parsed ``jenga-tower/1`` document (see :func:`tower_from_json`)."""
    loc = loc or _Located(None, "tower data")
    if not isinstance(data, Mapping):
        raise loc.error((), f"a tower file must hold a JSON object, got {type(data).__name__}")
    schema = data.get("schema")
    if schema not in READS:
        hint = (
            f'add "schema": "{SCHEMA}"'
            if schema is None
            else f"this version of jenga_games reads {' and '.join(map(repr, READS))}"
        )
        raise loc.error(("schema",) if "schema" in data else (), f"wrong schema {schema!r}; {hint}")
    if schema == READS[0]:
        _refuse_v2(data, loc)
    _keys(data, _TOP_KEYS, {"schema", "services"}, (), loc, "the tower")
    name = _optional_str(data.get("name"), ("name",), loc)
    grounded = _bool(data.get("grounded", False), ("grounded",), loc)
    allow = _bool(data.get("allow_unsatisfiable", False), ("allow_unsatisfiable",), loc)

    providers = None
    if data.get("providers") is not None:
        if not isinstance(data["providers"], list):
            raise loc.error(("providers",), "must be a list of provider objects")
        providers = _bulk(data["providers"], Provider, _PROVIDER_COLUMNS, {})
        if providers is None:  # something unusual: one at a time, errors located
            providers = []
            for j, p in enumerate(data["providers"]):
                path = ("providers", j)
                _keys(p, _PROVIDER_KEYS, {"id"}, path, loc, "a provider")
                kwargs = {
                    k: _number(p[k], (*path, k), loc) for k in ("overhead", "reserves") if k in p
                }
                for k in ("label", "source"):
                    if k in p:
                        kwargs[k] = _optional_str(p[k], (*path, k), loc)
                providers.append(
                    _build(loc, path, Provider, _ident(p["id"], (*path, "id"), loc), **kwargs)
                )

    raw = data["services"]
    if not isinstance(raw, list) or not raw:
        raise loc.error(("services",), "must be a non-empty list of service objects")
    columns = _bulk_columns(raw, Service, _SERVICE_COLUMNS, {}, arrays=True)
    services = None
    if columns is None:  # something unusual: one at a time, errors located
        services = [_general_service(s, i, loc) for i, s in enumerate(raw)]
        ids = [s.id for s in services]
    else:
        ids = columns.pop("id")

    edges = data.get("supports", [])
    if not isinstance(edges, list):
        raise loc.error(("supports",), "must be a list of [supporter, dependant] pairs")
    src, dst, pairs = _support_indices(edges, ids, loc)
    options = {"grounded": grounded, "allow_unsatisfiable": allow, "name": name}
    try:
        if services is None:  # the columns as read: Service objects are made when first used
            return Tower.from_columns(ids, src, dst, providers, **options, **columns)
        return Tower.from_arrays(services, src, dst, providers, **options)
    except JengaError as err:
        where = [(sid, ("services", i)) for i, sid in enumerate(ids)]
        path = _blame(err, where, pairs if pairs is not None else [tuple(e) for e in edges])
        raise loc.error(path, str(err), type(err)) from None


def _general_service(s: Any, i: int, loc: _Located) -> Service:
    """One service, every field checked on its own so that an error names its line and field."""
    path = ("services", i)
    _keys(s, _SERVICE_KEYS, {"id"}, path, loc, "a service")
    sid = _ident(s["id"], (*path, "id"), loc)
    kwargs: dict[str, Any] = {k: _number(s[k], (*path, k), loc) for k in _NUMBERS if k in s}
    if s.get("provider") is not None:
        kwargs["provider"] = _ident(s["provider"], (*path, "provider"), loc)
    if s.get("support") is not None:
        try:
            kwargs["support"] = rule_from_json(s["support"], f"services[{i}].support")
        except JengaError as err:
            raise loc.error((*path, "support"), str(err), type(err)) from None
    if "critical" in s:
        kwargs["critical"] = _bool(s["critical"], (*path, "critical"), loc)
    for k in ("setting", "label", "unit", "health_measure", "source"):
        if k in s:
            kwargs[k] = _optional_str(s[k], (*path, k), loc)
    if s.get("health") is not None:
        kwargs["health"] = _real(s["health"], (*path, "health"), loc)
    if s.get("layer") is not None:
        layer = s["layer"]
        if isinstance(layer, bool) or not isinstance(layer, int):
            raise loc.error((*path, "layer"), f"must be a whole number or null, got {layer!r}")
        kwargs["layer"] = layer
    return _build(loc, path, Service, sid, **kwargs)


# -- the bulk reader: a column at a time -------------------------------------------------
#: Off only to compare it with the one-at-a-time path (tests, benchmarks/bench_tower_io.py).
_BULK = True
_ID_TYPES = frozenset((str, int))
_NONE = type(None)


def _ids(col: list, optional: bool) -> list | None:
    """Strings that are not blank and integers (``None`` too when ``optional``), as given."""
    types = set(map(type, col))
    if not types <= (_ID_TYPES | {_NONE} if optional else _ID_TYPES):
        return None
    if str in types:
        strs = col if types == {str} else [v for v in col if type(v) is str]
        if not all(map(str.strip, strs)):
            return None
    return col


def _numbers(col: list, optional: bool, nonneg: bool = True) -> list | None:
    """Finite numbers (``>= 0`` when ``nonneg``; ``None`` too when ``optional``) as floats."""
    types = set(map(type, col))
    if not types <= {float, int, _NONE} or (_NONE in types and not optional):
        return None
    if _NONE in types:
        present = [v for v in col if v is not None]
        values = _numbers(present, False, nonneg) if present else []
        if values is None:
            return None
        it = iter(values)
        return [None if v is None else next(it) for v in col]
    try:
        arr = np.array(col, dtype=float)
    except (OverflowError, ValueError, TypeError):  # an integer beyond the float range
        return None
    if not np.isfinite(arr).all() or (nonneg and (arr < 0).any()):
        return None
    return arr.tolist()


def _of_types(col: list, allowed: frozenset) -> list | None:
    return col if set(map(type, col)) <= allowed else None


def _rules(col: list, cache: dict) -> list | None:
    """Rules parsed once per distinct JSON value (services sharing one rule share one object)."""
    out = []
    for v in col:
        if v is None:
            out.append(None)
            continue
        try:
            key = repr(v)  # JSON values with one repr are equal (True/1, 1/1.0, "1"/1 differ)
            rule = cache.get(key)
            if rule is None:
                rule = cache[key] = rule_from_json(v)
        except (JengaError, TypeError, ValueError, RecursionError):
            return None
        out.append(rule)
    return out


_TEXT = frozenset((str, _NONE))
#: How each field of a service or provider is checked by the bulk reader.
_CHECKS = {
    "id": lambda col, cache: _ids(col, optional=False),
    "provider": lambda col, cache: _ids(col, optional=True),
    "number": lambda col, cache: _numbers(col, optional=False),
    "real": lambda col, cache: _numbers(col, optional=True, nonneg=False),
    "text": lambda col, cache: _of_types(col, _TEXT),
    "bool": lambda col, cache: _of_types(col, frozenset((bool,))),
    "layer": lambda col, cache: _of_types(col, frozenset((int, _NONE))),
    "rule": _rules,
}
_SERVICE_COLUMNS = {
    "id": "id",
    "provider": "provider",
    **dict.fromkeys(_NUMBERS, "number"),
    "support": "rule",
    "critical": "bool",
    "setting": "text",
    "layer": "layer",
    "label": "text",
    "unit": "text",
    "health": "real",
    "health_measure": "text",
    "source": "text",
}
_PROVIDER_COLUMNS = {
    "id": "id",
    "overhead": "number",
    "reserves": "number",
    "label": "text",
    "source": "text",
}


def _bulk(raw: list, cls: type, columns: dict[str, str], cache: dict) -> list | None:
    """``cls`` objects from plain JSON objects, each field checked a column at a time.

    Big files are mostly services of plain numbers and names. Every field
    gets the checks of ``cls.__post_init__`` and of the one-at-a-time reader
    (ids, finite numbers >= 0 stored as floats, booleans, text, whole-number
    layers, rules parsed once per distinct rule), but for a whole column at
    once, and each frozen object is filled in one step. Anything unusual
    (an unknown or missing field, a wrong type, a bad value) returns ``None``:
    the one-at-a-time path then reads the list and names the line and field
    of the first problem.
    """
    cols = _bulk_columns(raw, cls, columns, cache)
    if cols is None:
        return None
    names = list(cols)
    fill = {f.name: f.default for f in dataclasses.fields(cls) if f.name not in cols}
    new = object.__new__
    out = []
    for values in zip(*cols.values()):
        obj = new(cls)
        d = obj.__dict__  # frozen dataclass: filled once, before anyone sees it
        d.update(fill)
        d.update(zip(names, values))
        out.append(obj)
    return out


def _bulk_columns(
    raw: list, cls: type, columns: dict[str, str], cache: dict, *, arrays: bool = False
) -> dict[str, Any] | None:
    """The fields of ``cls`` objects as checked columns (``{field: list}``, ``id`` first), or ``None``.

    Each column gets the checks of :func:`_bulk`; fields no object has are
    left out (their default applies). With ``arrays`` the numbers come as
    float arrays, for :meth:`Tower.from_columns`, which keeps the columns and
    makes each :class:`Service` when it is first read. ``None`` for anything
    unusual (the one-at-a-time path then names the line and field).
    """
    if not _BULK or set(map(type, raw)) != {dict}:
        return None
    present = set().union(*raw)
    if not present <= columns.keys():
        return None
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    out: dict[str, Any] = {}
    for name, kind in columns.items():
        if name == "id":
            try:
                col = list(map(itemgetter("id"), raw))
            except KeyError:
                return None
        elif name in present:
            col = list(map(dict.get, raw, repeat(name), repeat(defaults[name])))
        else:
            continue  # every object gets the default
        col = _numbers_array(col) if arrays and kind == "number" else _CHECKS[kind](col, cache)
        if col is None:
            return None
        out[name] = col
    return out


def _numbers_array(col: list) -> np.ndarray | None:
    """Finite numbers ``>= 0`` (JSON ints and floats) as a float array, or ``None``."""
    if not set(map(type, col)) <= {float, int}:
        return None
    try:
        arr = np.array(col, dtype=float)
    except (OverflowError, ValueError, TypeError):  # an integer beyond the float range
        return None
    return arr if np.isfinite(arr).all() and (arr >= 0).all() else None


def _support_indices(
    edges: list, ids: list, loc: _Located
) -> tuple[np.ndarray, np.ndarray, list | None]:
    """Positions of each support's ends; errors located at ``supports[k]`` (fast path first)."""
    index: dict[Any, int] = dict(zip(ids, range(len(ids))))
    if len(index) < len(ids):
        seen: set = set()
        for i, sid in enumerate(ids):
            if sid in seen:
                raise loc.error(
                    ("services", i),
                    f"duplicate service id {sid!r}: each service needs its own id",
                    InvalidTowerError,
                )
            seen.add(sid)
    if set(map(type, edges)) <= {list} and set(map(len, edges)) <= {2}:
        heads, tails = list(map(itemgetter(0), edges)), list(map(itemgetter(1), edges))
        if set(map(type, heads)) | set(map(type, tails)) <= _ID_TYPES:
            # an unknown service raises KeyError here: the loop below says which, and where
            with contextlib.suppress(KeyError):
                m = len(edges)
                src = np.fromiter(map(index.__getitem__, heads), dtype=np.int64, count=m)
                dst = np.fromiter(map(index.__getitem__, tails), dtype=np.int64, count=m)
                return src, dst, None
    pairs = []
    src = np.empty(len(edges), dtype=np.int64)
    dst = np.empty(len(edges), dtype=np.int64)
    for k, e in enumerate(edges):
        if not isinstance(e, list) or len(e) != 2:
            raise loc.error(
                ("supports", k), f"a support must be a pair [supporter, dependant], got {e!r}"
            )
        u, v = _ident(e[0], ("supports", k), loc), _ident(e[1], ("supports", k), loc)
        for end in (u, v):
            if end not in index:
                raise loc.error(
                    ("supports", k),
                    f"support {(u, v)!r} names service {end!r}, which is not "
                    "in the tower; add the service or fix the name",
                    UnknownItemError,
                )
        pairs.append((u, v))
        src[k], dst[k] = index[u], index[v]
    return src, dst, pairs


def _build(loc: _Located, path: tuple, cls: type, ident: Any, **kwargs: Any):
    try:
        return cls(ident, **kwargs)
    except JengaError as err:
        raise loc.error(path, str(err), type(err)) from None


def _blame(err: JengaError, where: list[tuple[Any, tuple]], pairs: list) -> tuple:
    """Where a tower-level error belongs: the service or support in its ``item`` attribute."""
    item, kind = getattr(err, "item", None), getattr(err, "kind", None)
    if item is None:
        return ()
    if kind == "support":
        for k, pair in enumerate(pairs):
            if tuple(pair) == item:
                return ("supports", k)
        return ()
    if kind == "service":
        if str(err).startswith("duplicate service id"):  # the second occurrence is the culprit
            seen = set()
            for sid, path in where:
                if sid == item and sid in seen:
                    return path
                seen.add(sid)
        for sid, path in where:
            if sid == item and type(sid) is type(item):
                return path
    return ()


# -- GraphML -----------------------------------------------------------------------------
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any, where: str) -> Any:
    """GraphML is XML 1.0: control characters cannot be stored (and ``\\r`` would become ``\\n``)."""
    if isinstance(value, str) and _XML_UNSAFE.search(value):
        raise InvalidTowerError(
            f"{where} {value!r} contains a control character that GraphML (XML 1.0) "
            "cannot store; remove it, or save the tower as JSON instead"
        )
    return value


def to_graphml(tower: Tower, path: str | os.PathLike[str]) -> Path:
    """Write ``tower`` as GraphML (atomically), readable by networkx, Gephi, yEd and Cytoscape.

    Node attributes: the service fields (``None`` values omitted), ``support``
    as the rule's JSON text, ``int_id`` when the id is an integer. Graph
    attributes: ``schema``, ``name``, ``grounded``, ``allow_unsatisfiable`` and
    ``providers`` (JSON text).
    """
    if not isinstance(tower, Tower):
        raise InvalidTowerError(f"to_graphml needs a Tower, got {type(tower).__name__}")
    g = nx.DiGraph()
    g.graph.update(
        schema=SCHEMA,
        grounded=tower.grounded,
        allow_unsatisfiable=tower.allow_unsatisfiable,
        providers=json.dumps(tower_to_dict(tower)["providers"], ensure_ascii=False),
    )
    if tower.name is not None:
        g.graph["name"] = _xml_safe(tower.name, "the tower's name")
    for s in tower:
        _xml_safe(s.id, "service id")
        for name in ("provider", "setting", "label"):
            _xml_safe(getattr(s, name), f"service {s.id!r}: {name}")
        attrs: dict[str, Any] = {name: getattr(s, name) for name in _NUMBERS}
        attrs["critical"] = s.critical
        if isinstance(s.id, int):
            attrs["int_id"] = True
        if s.provider is not None:
            attrs["provider"] = str(s.provider)
        if s.support is not None:
            attrs["support"] = json.dumps(s.support.to_json(), ensure_ascii=False)
        for name in ("setting", "layer", "label", *_V2_SERVICE):
            if getattr(s, name) is not None:
                attrs[name] = _xml_safe(getattr(s, name), f"service {s.id!r}: {name}")
        g.add_node(str(s.id), **attrs)
    seen: dict[str, Any] = {}
    for sid in tower.ids:  # GraphML node ids are text: 1 and "1" would become one node
        if str(sid) in seen:
            raise InvalidTowerError(
                f"services {seen[str(sid)]!r} and {sid!r} would both be node {str(sid)!r} in "
                "GraphML, whose node ids are text; rename one, or save the tower as JSON "
                "(which keeps integer and string ids apart)",
                item=sid,
                kind="service",
            )
        seen[str(sid)] = sid
    g.add_edges_from((str(u), str(v)) for u, v in tower.supports)
    from .._io import atomic_path

    with atomic_path(path) as tmp:
        nx.write_graphml(g, tmp, named_key_ids=True)
    return Path(path)


def from_graphml(path: str | os.PathLike[str]) -> Tower:
    """Read a tower written by :func:`to_graphml` (or any GraphML with service-field attributes).

    Unknown node attributes are an error (a typo would otherwise be lost).
    Rules are parsed from JSON text, never evaluated.
    """
    p = Path(path)
    if not p.exists():
        raise SchemaError(f"GraphML file {str(p)!r} does not exist")
    data = read_text_limited(p, "GraphML file").encode("utf-8")
    try:
        g = nx.parse_graphml(data)
    except RecursionError:
        raise SchemaError(f"{p}: the XML nests too deeply to be a GraphML tower") from None
    except Exception as err:  # networkx raises several kinds; report one clearly
        raise SchemaError(f"{p}: not a readable GraphML file ({err})") from None
    if not g.is_directed():
        raise SchemaError(f"{p}: the graph must be directed (edge u -> v: u supports v)")
    origin = str(p)
    schema = g.graph.get("schema", SCHEMA)
    if schema not in READS:
        raise SchemaError(
            f"{origin} (graph attribute schema): wrong schema {schema!r}; "
            f"this version reads {SCHEMA!r}"
        )
    providers_json = g.graph.get("providers")
    providers = None
    prov_ids: dict[str, Any] = {}
    if providers_json:
        try:
            raw = json.loads(providers_json, parse_constant=_reject_constant)
        except (ValueError, TypeError, RecursionError) as err:
            raise SchemaError(
                f"{origin} (graph attribute providers): not valid JSON ({err})"
            ) from None
        loc = _Located(None, f"{origin} (graph attribute providers)")
        providers = []
        for j, d in enumerate(raw if isinstance(raw, list) else [raw]):
            _keys(d, _PROVIDER_KEYS, {"id"}, ("providers", j), loc, "a provider")
            providers.append(
                _build(
                    loc,
                    ("providers", j),
                    Provider,
                    d["id"],
                    **{k: v for k, v in d.items() if k != "id"},
                )
            )
            prov_ids[str(d["id"])] = d["id"]
    allowed = (_SERVICE_KEYS - {"id"}) | {"int_id"}
    services = []
    ids: dict[str, Any] = {}
    for node, attrs in g.nodes(data=True):
        unknown = sorted(set(attrs) - allowed)
        if unknown:
            raise SchemaError(
                f"{origin} (node {node!r}): unknown attribute {unknown[0]!r}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )
        attrs = dict(attrs)
        where = f"{origin} (node {node!r}"
        if _graphml_bool(attrs.pop("int_id", False), f"{where}, attribute int_id)"):
            if not re.fullmatch(r"-?\d{1,30}", str(node)):
                raise SchemaError(
                    f"{where}): int_id is true but the node id is not a whole number; "
                    "remove int_id or fix the id"
                )
            sid = int(node)
        else:
            sid = node
        ids[node] = sid
        for name in _NUMBERS:
            if isinstance(
                attrs.get(name), str
            ):  # GraphML from other tools may type numbers as text
                attrs[name] = _graphml_number(attrs[name], f"{where}, attribute {name})")
        if "critical" in attrs:
            attrs["critical"] = _graphml_bool(attrs["critical"], f"{where}, attribute critical)")
        if isinstance(attrs.get("layer"), str):
            if not re.fullmatch(r"-?\d{1,18}", attrs["layer"].strip()):
                raise SchemaError(f"{where}, attribute layer): must be a whole number")
            attrs["layer"] = int(attrs["layer"])
        if "support" in attrs:
            try:
                rule = json.loads(attrs["support"], parse_constant=_reject_constant)
            except (ValueError, TypeError) as err:  # JSONDecodeError is a ValueError
                raise SchemaError(
                    f"{origin} (node {node!r}, attribute support): not valid JSON "
                    f"({getattr(err, 'msg', err)})"
                ) from None
            except RecursionError:
                raise SchemaError(f"{where}, attribute support): nests too deeply") from None
            attrs["support"] = rule_from_json(rule, f"node {node!r} support")
        if "provider" in attrs:
            attrs["provider"] = prov_ids.get(str(attrs["provider"]), attrs["provider"])
        try:
            services.append(Service(sid, **attrs))
        except (JengaError, TypeError) as err:
            raise SchemaError(f"{origin} (node {node!r}): {err}") from None
    edges = [(ids[u], ids[v]) for u, v in g.edges()]
    try:
        return Tower(
            services,
            edges,
            providers,
            grounded=_graphml_bool(
                g.graph.get("grounded", False), f"{origin} (graph attribute grounded)"
            ),
            allow_unsatisfiable=_graphml_bool(
                g.graph.get("allow_unsatisfiable", False),
                f"{origin} (graph attribute allow_unsatisfiable)",
            ),
            name=_optional_str(
                g.graph.get("name"), ("name",), _Located(None, f"{origin} (graph attribute)")
            ),
        )
    except (InvalidTowerError, UnknownItemError) as err:
        raise type(err)(f"{origin}: {err}") from None


def _graphml_bool(value: Any, where: str) -> bool:
    """A GraphML truth value: a boolean, or the text true/false/1/0 (never ``bool("false")``)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0", ""):
        return False
    raise SchemaError(f"{where}: must be true or false, got {value!r}")


def _graphml_number(text: str, where: str) -> float:
    """A number stored as GraphML text, read without Python's unbounded conversions."""
    t = text.strip()
    if len(t) > 64 or not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?", t):
        raise SchemaError(f"{where}: must be a finite number >= 0, got {text[:40]!r}")
    value = float(t)
    if not math.isfinite(value):
        raise SchemaError(f"{where}: must be a finite number >= 0, got {text[:40]!r}")
    return value
