"""Models to run over draws: the Jenga commissioning model, a tower query, any function.

A *model* is a callable ``model(**params)`` returning a dict of scalars, a
:class:`~jenga_games._results.Result` or a number, exactly what
:func:`jenga_games.sweep.sweep` accepts; it may take ``seed=`` for its own
randomness. The two built-in models are picklable classes, so they run on
every sweep back-end, and they read economy parameters (multipliers of the
tower's fields, :mod:`jenga_games.uncertainty._economy`) as well as their own.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import inspect
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..tower import Tower
from ._economy import EconomyPerturbation, is_economy_parameter
from ._space import UncertaintySpecError

__all__ = ["JengaModel", "TowerModel", "check_model_parameters", "resolve_model"]

_PLAYS = {"myopic": "myopic", "competitive": "solve", "cooperative": "cooperative"}


def _scalars(prefix: str, data: Mapping[str, Any], skip: Iterable[str]) -> dict[str, Any]:
    """The scalar (number, bool, text) entries of ``data`` as ``prefix.key``."""
    skip = set(skip)
    return {
        f"{prefix}.{k}": v
        for k, v in data.items()
        if k not in skip and (isinstance(v, numbers.Number | str) or v is None)
    }


class JengaModel:
    """The Jenga commissioning model (:mod:`jenga_games.commissioning.jenga`) as a PSA model.

    Each draw builds the commissioning game on the (perturbed) tower with the
    drawn :class:`~jenga_games.commissioning.JengaParams` and plays it each
    requested way. Outputs: ``intact.fallen`` and ``intact.collapsed`` (the
    economy cannot stand before anyone moves: some provider is not viable; then
    there is no game, and every play is reported as fallen with nothing moved,
    nothing created and the intact cascade's losses), and for every play ``P`` in ``plays``: ``P.fell``,
    ``P.collapsed``, ``P.total`` (value created, £ m a year), ``P.value_lost``
    (providers' contribution lost, £ m a year), ``P.net`` (created − lost),
    ``P.spend_lost`` (spend at tariff lost, £ m a year), ``P.moved`` (blocks), ``P.failed``
    (providers that failed), ``P.payoff[player]``, and every other scalar field
    the play reports (new outputs of the game flow through).

    Parameters
    ----------
    tower : Tower, optional
        Default the worked economy.
    params : JengaParams, optional
        The base parameters; a draw overrides the scalar fields it names
        (``reprovision_share``, ``collapse_cost``, ``shared_collapse_cost``, ``discount``).
    plays : sequence of {"myopic", "competitive", "cooperative"}
        Ways of playing (competitive is the subgame-perfect equilibrium).

    Examples
    --------
    >>> model = JengaModel(plays=("myopic",))
    >>> model(collapse_cost=2.5)["myopic.fell"]
    False
    """

    def __init__(self, tower: Tower | None = None, params: Any = None, plays=tuple(_PLAYS)):
        from ..commissioning.jenga import JengaParams
        from ..tower.economy import local_health_economy

        self.tower = local_health_economy() if tower is None else tower
        self.params = params if params is not None else JengaParams()
        plays = tuple(plays)
        bad = [p for p in plays if p not in _PLAYS]
        if bad or not plays:
            raise UncertaintySpecError(
                f"plays={plays!r}: choose from {', '.join(map(repr, _PLAYS))}"
            )
        self.plays = plays
        self._economy = EconomyPerturbation(self.tower)
        self._fields = tuple(
            f.name
            for f in dataclasses.fields(self.params)
            if isinstance(getattr(self.params, f.name), numbers.Real)
            and not isinstance(getattr(self.params, f.name), bool)
        )

    def parameter_names(self) -> tuple[str, ...]:
        """The model's own parameters (economy parameters come on top)."""
        return self._fields

    def check_parameters(self, names: Iterable[str]) -> None:
        own = [n for n in names if not is_economy_parameter(n)]
        for n in own:
            if n not in self._fields:
                _unknown(n, self._fields, "the Jenga model")
        self._economy.check([n for n in names if is_economy_parameter(n)])

    def __call__(self, **draw: float) -> dict[str, Any]:
        from ..commissioning.jenga import commissioning_game

        tower = self._economy.tower(draw)
        own = {k: float(v) for k, v in draw.items() if k in self._fields}
        prm = dataclasses.replace(self.params, **own) if own else self.params
        intact = tower.cascade()
        out: dict[str, Any] = {
            "intact.fallen": bool(intact.fallen),
            "intact.collapsed": bool(intact.collapsed),
        }
        if intact.fallen:  # the economy cannot stand before anyone moves: no game to play
            for name in self.plays:
                out.update(
                    {
                        f"{name}.fell": True,
                        f"{name}.collapsed": bool(intact.collapsed),
                        f"{name}.total": 0.0,
                        f"{name}.value_lost": float(intact.value_lost),
                        f"{name}.net": -float(intact.value_lost),
                        f"{name}.spend_lost": float(intact.spend_lost),
                        f"{name}.moved": 0,
                        f"{name}.failed": len(intact.failed_providers),
                        **{f"{name}.payoff[{p}]": 0.0 for p in prm.eligible},
                    }
                )
            return out
        game = commissioning_game(tower, prm)
        for name in self.plays:
            play = getattr(game, _PLAYS[name])()
            o = play.outcome
            out[f"{name}.fell"] = bool(play.fell)
            out[f"{name}.collapsed"] = bool(o.collapsed)
            out[f"{name}.total"] = float(play.total)
            out[f"{name}.value_lost"] = float(o.value_lost)
            out[f"{name}.net"] = float(play.total) - float(o.value_lost)
            out[f"{name}.spend_lost"] = float(o.spend_lost)
            out[f"{name}.moved"] = len(play.removed)
            out[f"{name}.failed"] = len(o.failed_providers)
            for p, v in play.payoffs.items():
                out[f"{name}.payoff[{p}]"] = float(v)
            extra = _scalars(name, play.to_dict(), ("method", "n_states", "toppled_by"))
            out.update({k: v for k, v in extra.items() if k not in out})
        return out

    def __repr__(self) -> str:
        return (
            f"JengaModel(tower={self.tower.name!r}, params={self.params!r}, plays={self.plays!r})"
        )


class TowerModel:
    """A tower query as a PSA model: cascade after removing ``removed`` (default: intact).

    Outputs: ``fallen``, ``collapsed``, ``spend_lost`` (spend at tariff lost, £ m a year),
    ``value_lost`` (£ m a year), ``fell`` (services that fell unplanned),
    ``failed`` (providers that failed), and per provider ``failed[p]`` and
    ``balance[p]`` (``Σ margins + R − F``, £ m a year; < 0 means it failed).

    Examples
    --------
    >>> from jenga_games.tower import local_health_economy
    >>> TowerModel(local_health_economy())(overhead=1.0)["collapsed"]
    False
    """

    def __init__(self, tower: Tower | None = None, removed: Iterable = ()):
        if tower is None:
            from ..tower.economy import local_health_economy

            tower = local_health_economy()
        self.tower = tower
        self.removed = tuple(removed)
        tower.state_array(self.removed)  # unknown services fail here, with the tower's message
        self._economy = EconomyPerturbation(tower)

    def check_parameters(self, names: Iterable[str]) -> None:
        for n in names:
            if not is_economy_parameter(n):
                _unknown(n, (), "a tower model (only economy multipliers such as 'tariff')")
        self._economy.check(list(names))

    def __call__(self, **draw: float) -> dict[str, Any]:
        o = self._economy.tower(draw).cascade(self.removed)
        out: dict[str, Any] = {
            "fallen": bool(o.fallen),
            "collapsed": bool(o.collapsed),
            "spend_lost": float(o.spend_lost),
            "value_lost": float(o.value_lost),
            "fell": len(o.fell),
            "failed": len(o.failed_providers),
        }
        failed = set(o.failed_providers)
        for p, b in o.balances.items():
            out[f"failed[{p}]"] = p in failed
            out[f"balance[{p}]"] = float(b)
        return out

    def __repr__(self) -> str:
        return f"TowerModel(tower={self.tower.name!r}, removed={self.removed!r})"


def _unknown(name: str, known: Iterable[str], what: str) -> None:
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    takes = f"; it takes {', '.join(known)}" if known else ""
    raise UncertaintySpecError(
        f"unknown parameter {name!r} for {what}{hint}{takes}, plus economy multipliers "
        "(activity, tariff, variable_cost, fixed_cost, overhead, reserves, or FIELD[id]); "
        "rename or remove it"
    )


def check_model_parameters(model: Callable[..., Any], names: Iterable[str]) -> None:
    """Raise :class:`UncertaintySpecError` for a parameter ``model`` does not take."""
    names = list(names)
    if hasattr(model, "check_parameters"):
        model.check_parameters(names)
        return
    try:
        sig = inspect.signature(model)
    except (TypeError, ValueError):  # builtins without a signature: cannot check
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values()):
        return
    known = [n for n in sig.parameters if n != "seed"]
    for n in names:
        if n not in known:
            _unknown(n, known, f"the model {getattr(model, '__qualname__', model)!r}")


def resolve_model(spec: Any) -> Callable[..., Any]:
    """A model from a spec entry: ``"jenga"``, ``"tower"``, ``"module:function"`` or a mapping.

    A mapping has ``name`` (one of those) and options: for ``"jenga"`` ``plays``
    and any :class:`~jenga_games.commissioning.JengaParams` field; for
    ``"tower"`` ``removed``; for both ``tower`` (a tower JSON file).
    """
    opts: dict[str, Any] = {}
    if isinstance(spec, Mapping):
        opts = dict(spec)
        spec = opts.pop("name", None)
    tower = None
    if "tower" in opts:
        tower = Tower.from_json(opts.pop("tower"))
    if spec == "jenga":
        from ..commissioning.jenga import JengaParams

        plays = opts.pop("plays", tuple(_PLAYS))
        try:
            params = JengaParams(**opts)
        except TypeError as err:
            raise UncertaintySpecError(
                f"model 'jenga': {err}; options are plays, tower and the JengaParams fields"
            ) from None
        return JengaModel(tower, params, plays)
    if spec == "tower":
        removed = opts.pop("removed", ())
        if opts:
            raise UncertaintySpecError(
                f"model 'tower' takes the options tower and removed, not {sorted(opts)}"
            )
        return TowerModel(tower, removed)
    if isinstance(spec, str) and ":" in spec:
        module, _, attr = spec.partition(":")
        try:
            obj = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as err:
            raise UncertaintySpecError(
                f"model {spec!r} cannot be imported ({err}); give 'package.module:function'"
            ) from None
        return obj(**opts) if isinstance(obj, type) else obj
    raise UncertaintySpecError(
        f"model {spec!r}: use 'jenga' (Jenga commissioning), 'tower' (a cascade query) "
        "or 'package.module:function'"
    )
