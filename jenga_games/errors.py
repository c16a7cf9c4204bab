"""Errors and warnings raised by jenga_games.

Every error derives from :class:`JengaError`, itself a :class:`ValueError`, so
``except ValueError`` keeps working for callers who do not know the toolkit.
Messages name the offending item and say how to fix it.
"""

from __future__ import annotations

__all__ = [
    "InvalidGameError",
    "InvalidTowerError",
    "JengaError",
    "JengaWarning",
    "SchemaError",
    "TooLargeError",
    "UnknownItemError",
]


class JengaError(ValueError):
    """Base class of every error raised by jenga_games."""


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


class JengaWarning(UserWarning):
    """A result that is valid but deserves attention (e.g. a degenerate game)."""
