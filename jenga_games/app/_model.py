"""What each view of the app shows, computed from the library's public API (no web code here).

Every function returns plain JSON types (dicts, lists, str, float, bool), so
the server only serialises. The tower logic stays in the library: cascades
come from :meth:`Tower.cascade`, balances from :class:`~jenga_games.tower.Outcome`,
headroom from :func:`~jenga_games.tower.headroom`, the game from
:func:`~jenga_games.commissioning.commissioning_game` and its
:meth:`~jenga_games.games.sequential.JengaGame.solve`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import networkx as nx

from ..errors import AppTowerError as TowerError
from ..errors import JengaError
from ..plot.style import color_cycle
from ..tower import (
    Tower,
    classic_jenga,
    fall_reasons,
    headroom,
    layered_tower,
    local_health_economy,
    max_safe_set,
    weakest_blocks,
)

__all__ = [
    "EXAMPLES",
    "TowerError",
    "explore_view",
    "layers_of",
    "load_tower_file",
    "safe_set_view",
    "tower_summary",
    "weakest_view",
]


# TowerError lives in jenga_games.errors; this name keeps old imports working.


#: Bundled towers the Explore view offers: key -> (title, factory).
EXAMPLES: dict[str, tuple[str, Callable[[], Tower]]] = {
    "worked": ("The worked health economy (34 services, 4 providers)", local_health_economy),
    "classic": ("Children's Jenga, 6 levels of 3 blocks", lambda: classic_jenga(levels=6)),
    "layered": (
        "A layered tower, 5 rows of 5 (seed 2)",
        lambda: layered_tower(levels=5, width=5, p=0.4, seed=2),
    ),
}


def load_tower_file(filename: str, content: bytes) -> Tower:
    """A tower from an uploaded file: JSON, or an ``.xlsx`` workbook when the library reads one.

    The file is read by the library's own loader (``jenga_games.tower.files.read_tower``
    where it exists, else :meth:`Tower.from_json`), so its messages are the loader's.

    Raises
    ------
    TowerError
        ``"<filename>: <the loader's message>"`` (never a traceback) when it cannot be read.
    """
    import tempfile
    from pathlib import Path

    name = Path(filename or "tower.json").name
    try:
        try:
            from ..tower.files import read_tower
        except ImportError:  # a version without spreadsheets: JSON only
            if not name.lower().endswith(".json"):
                raise TowerError(
                    f"{name}: this version reads towers from JSON files only; "
                    "save the tower with Tower.to_json"
                ) from None
            return Tower.from_json(_text(name, content))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(content)
            try:
                return read_tower(path)
            except JengaError as err:  # name the file as the user knows it, not the copy
                raise TowerError(_named(name, str(err).replace(str(path), name))) from None
    except TowerError:
        raise
    except JengaError as err:
        raise TowerError(_named(name, str(err))) from None
    except Exception as err:  # the loader's message, whatever went wrong
        raise TowerError(f"{name}: could not be read as a tower ({err})") from None


def _named(name: str, message: str) -> str:
    return message if message.startswith(name) else f"{name}: {message}"


def _text(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TowerError(
            f"{name}: not a UTF-8 text file; save the tower as JSON "
            "(see the tower file format in the docs)"
        ) from None


def layers_of(tower: Tower) -> dict[Hashable, int]:
    """Row of each block for drawing: ``Service.layer`` when every service has one,
    else the longest chain of supporters beneath it (mutual supporters share a row)."""
    svc = tower.services
    if all(svc[s].layer is not None for s in tower.ids):
        return {s: int(svc[s].layer) for s in tower.ids}
    g = tower.graph()
    cond = nx.condensation(g)
    depth: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        preds = list(cond.predecessors(c))
        depth[c] = 1 + max(depth[p] for p in preds) if preds else 0
    mapping = cond.graph["mapping"]
    return {s: depth[mapping[s]] for s in tower.ids}


def _rule_text(rule) -> str:
    try:
        from ..tower.rule_text import rule_to_text

        return rule_to_text(rule)
    except Exception:
        return repr(rule)


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item"):
        return value.item()
    return value


def tower_summary(tower: Tower) -> dict[str, Any]:
    """The static part of a tower's drawing: blocks, rows, providers and their colours."""
    layers = layers_of(tower)
    providers = list(tower.providers)
    colours = dict(zip(providers, color_cycle(len(providers))))
    svc = tower.services
    blocks = []
    for s in tower.ids:
        v = svc[s]
        blocks.append(
            {
                "id": _plain(s),
                "label": v.label or str(s),
                "provider": _plain(v.provider),
                "layer": layers[s],
                "critical": v.critical,
                "rule": _rule_text(v.rule),
                "supporters": [_plain(u) for u in tower.supporters(s)],
                "activity": v.activity,
            }
        )
    intact = tower.cascade()
    return {
        "name": tower.name or "tower",
        "n_blocks": len(tower),
        "blocks": blocks,
        "providers": [
            {
                "id": _plain(p),
                "label": tower.providers[p].label or str(p),
                "colour": colours[p],
                "balance_intact": _plain(intact.balances.get(p, 0.0)),
            }
            for p in providers
        ],
        "no_provider_colour": "#BBBBBB",
        "stands_intact": not intact.fallen,
    }


def _reason(why) -> dict:
    """A :class:`~jenga_games.tower.FallReason` as the JSON the page reads."""
    row = {"kind": why.kind, "text": why.text}
    if why.kind == "rule":
        row["gone"] = [_plain(u) for u in why.gone]
    elif why.kind == "provider":
        row["provider"] = _plain(why.provider)
        row["balance"] = _plain(why.balance)
    return row


def explore_view(tower: Tower, state: Mapping[Hashable, float] | None = None) -> dict[str, Any]:
    """The tower after moving activity out: ``state`` maps block -> fraction left (0 = out).

    Returns the cascade round by round with each fallen block's reason, every
    block's status, each provider's balance and headroom, and what was lost.
    """
    state = dict(state or {})
    explained = fall_reasons(tower, state)
    out = explained.outcome
    failed = set(out.failed_providers)
    removed = set(out.removed)
    rounds = []
    fell_round: dict[Hashable, int] = {}
    reasons: dict[Hashable, dict] = {}
    for group in explained.by_round():
        items = []
        for why in group:
            reasons[why.service] = _reason(why)
            fell_round[why.service] = why.round
            items.append({"id": _plain(why.service), "reason": reasons[why.service]})
        rounds.append(items)
    blocks = {}
    for s in tower.ids:
        x = float(state.get(s, 1.0))
        if s in removed:
            status = "removed"
        elif s in fell_round:
            status = "fell"
        elif x < 1.0:
            status = "partial"
        else:
            status = "standing"
        blocks[str(s)] = {
            "status": status,
            "fraction": x,
            "round": fell_round.get(s),
            "reason": reasons.get(s, {}).get("text"),
        }
    fully_out = [s for s in removed]
    partial = any(0.0 < float(x) < 1.0 for x in state.values())
    providers = []
    for p in tower.providers:
        row = {
            "id": _plain(p),
            "balance": _plain(out.balances.get(p, 0.0)),
            "failed": p in failed,
            "headroom_fraction": None,
            "min_units_to_fail": None,
        }
        if p not in failed and not partial:
            h = headroom(tower, p, removed=fully_out)
            row["headroom_fraction"] = _plain(h.proportional_fraction)
            row["min_units_to_fail"] = _plain(h.min_units_to_fail)
        providers.append(row)
    return {
        "status": out.status,
        "rounds": rounds,
        "blocks": blocks,
        "providers": providers,
        "failed_providers": [_plain(p) for p in out.failed_providers],
        "critical_lost": [_plain(s) for s in out.critical_lost],
        "money": {
            "value_lost": out.value_lost,
            "stranded_fixed_cost": out.stranded_fixed_cost,
            "spend_lost": out.spend_lost,
            "spend_moved": out.spend_moved,
            "surviving_spend": out.surviving_spend,
            "total_spend": out.total_spend,
        },
        # activity only per unit: bed-days, tests and attendances never add up
        "activity_by_unit": {
            u: {
                "lost": out.activity_lost_by_unit.get(u, 0.0),
                "moved": out.activity_moved_by_unit[u],
                "surviving": out.surviving_activity_by_unit[u],
                "total": total,
            }
            for u, total in out.total_activity_by_unit.items()
        },
        "health": _health(tower, out, state),
    }


def _health(tower: Tower, out, state: Mapping) -> dict[str, Any] | None:
    """Health lost with the services that fell, once services carry ``health`` (effect per
    unit of activity): ``Σ_fell x·a·health``, in the services' ``health_measure``."""
    svc = tower.services
    carry = [s for s in tower.ids if getattr(svc[s], "health", None) is not None]
    if not carry:
        return None
    lost = 0.0
    for s in out.fell:
        h = getattr(svc[s], "health", None)
        if h is not None:
            lost += float(state.get(s, 1.0)) * svc[s].activity * h
    measures = {getattr(svc[s], "health_measure", None) or "QALY" for s in carry}
    return {"lost": lost, "measure": ", ".join(sorted(measures))}


def safe_set_view(tower: Tower) -> dict[str, Any]:
    """The largest set of blocks that can go with nothing falling (:func:`max_safe_set`)."""
    res = max_safe_set(tower)
    return {
        "blocks": [_plain(s) for s in res.removed],
        "value": _plain(res.value),
        "status": res.status,
    }


def weakest_view(tower: Tower, n: int = 8) -> dict[str, Any]:
    """The blocks whose loss alone brings down most (:func:`weakest_blocks`)."""
    res = weakest_blocks(tower)
    rows = []
    for i, b in enumerate(list(res.blocks)[:n]):
        rows.append(
            {
                "id": _plain(b),
                "n_fell": int(res.n_fell[i]),
                "value_lost": float(res.value_lost[i]),
                "collapsed": bool(res.collapsed[i]),
            }
        )
    return {"blocks": rows}
