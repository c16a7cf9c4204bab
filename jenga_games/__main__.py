"""``python -m jenga_games`` runs the ``jenga`` command."""

import sys

from .cli import main

sys.exit(main())
