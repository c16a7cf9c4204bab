"""Errors and warnings raised by jenga_games.

Every error derives from :class:`JengaError`, itself a :class:`ValueError`, so
``except ValueError`` keeps working for callers who do not know the toolkit.
Messages name the offending item and say how to fix it; the item itself is
also kept on the error as :attr:`JengaError.item` (a service id, a support
pair, a field name ...) so that code can act on it without parsing the text.

Every exception class of the toolkit lives here. The historical import
places (``jenga_games.sweep.SweepError``, the app's ``AppMissingError``,
``TowerError`` and ``MoveError``,
``jenga_games.games.cooperative._lp.LPError``,
``jenga_games.games.repeated.exact.InvalidDiscountError``,
``jenga_games.commissioning._common.InvalidParameterError``) keep working:
they re-export these classes.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AppMissingError",
    "AppTowerError",
    "InvalidDiscountError",
    "InvalidGameError",
    "InvalidParameterError",
    "InvalidTowerError",
    "JengaError",
    "JengaWarning",
    "LPError",
    "MoveError",
    "SchemaError",
    "SweepError",
    "TooLargeError",
    "UncertaintySpecError",
    "UnknownItemError",
]

_NO_ITEM: Any = object()


class JengaError(ValueError):
    """Base class of every error raised by jenga_games.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    item : object, optional
        The offending item (a service id, a ``(supporter, dependant)`` pair, a
        field name, ...), kept as :attr:`item`; ``None`` when the error is not
        about one item.
    kind : str, optional
        What sort of item it is (``"service"``, ``"support"``, ``"provider"``,
        ``"field"``), kept as :attr:`kind`.
    """

    def __init__(self, *args: Any, item: Any = None, kind: str | None = None) -> None:
        super().__init__(*args)
        self.item = item
        self.kind = kind


class InvalidTowerError(JengaError):
    """A tower, service, provider or support rule is malformed."""


class UnknownItemError(JengaError, KeyError):
    """A service, provider, player or action name that does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message; keep it readable
        return str(self.args[0]) if self.args else ""


class InvalidGameError(JengaError):
    """A game's payoffs, labels or strategies are malformed."""


class SchemaError(JengaError):
    """A file does not follow the documented schema (wrong version, field or type)."""


class TooLargeError(JengaError):
    """An exact method was asked for an instance beyond its documented size limit."""


class InvalidParameterError(JengaError):
    """A commissioning model was given an impossible parameter value."""


class InvalidDiscountError(JengaError):
    """A discount factor outside the open interval (0, 1)."""


class LPError(JengaError):
    """The LP solver failed (should not happen for the bounded LPs built here)."""


class SweepError(JengaError):
    """A sweep could not run, or some of its points failed (``on_error="raise"``).

    Attributes
    ----------
    errors : pandas.DataFrame or None
        One row per failed task: ``point``, its parameters, ``seed``, ``error``
        (``"TypeName: message"``) and ``traceback``; ``None`` when the sweep
        itself could not run (e.g. a worker process died).
    frame : pandas.DataFrame or None
        The rows of the tasks that succeeded (also stored in ``out`` if given).
    """

    def __init__(self, message: str, errors: Any = None, frame: Any = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.errors = errors
        self.frame = frame

    def __reduce__(self):  # keep pickling (e.g. across processes) working
        return (type(self), (self.args[0], self.errors, self.frame), self.__dict__)


class UncertaintySpecError(JengaError):
    """An uncertainty analysis is malformed: a parameter space, sampler, spec or model input."""


class AppMissingError(JengaError):
    """Starlette or uvicorn is not installed (``jenga app``)."""


class AppTowerError(JengaError):
    """A tower file the app could not open (the message is the loader's).

    Also importable as ``jenga_games.app._model.TowerError``.
    """


class MoveError(JengaError):
    """A move the app's server refuses (not your turn, block not yours, game over)."""


class JengaWarning(UserWarning):
    """A result that is valid but deserves attention (e.g. a degenerate game)."""
