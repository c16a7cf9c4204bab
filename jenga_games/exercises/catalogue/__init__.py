"""The built-in exercise types (importing this package registers them)."""

from . import cooperative, normal_form, towers  # noqa: F401
