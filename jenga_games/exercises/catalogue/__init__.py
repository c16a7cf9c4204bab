"""The built-in exercise types (importing this package registers them)."""

from . import cooperative, normal_form, repeated, thresholds, towers  # noqa: F401
