"""The built-in exercise types (importing this package registers them)."""

from . import towers  # noqa: F401
