"""The built-in exercise types (importing this package registers them)."""

from . import (  # noqa: F401
    cooperative,
    hidden_information,
    jenga_game,
    normal_form,
    repeated,
    risk,
    symbolic,
    thresholds,
    towers,
)
