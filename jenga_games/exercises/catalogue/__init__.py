"""The built-in exercise types (importing this package registers them)."""

from . import (  # noqa: F401
    cooperative,
    jenga_game,
    normal_form,
    repeated,
    risk,
    symbolic,
    thresholds,
    towers,
)
