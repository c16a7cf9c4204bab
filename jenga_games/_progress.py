"""Progress bars on a terminal only: the one rule for every long-running call.

A bar is drawn with ``tqdm`` on stderr when the caller asks for one *and*
stderr is a terminal; in logs, pipes and CI output it would be a stream of
carriage returns and escape sequences, so there it is a silent stand-in.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

__all__ = ["progress_bar"]


class _Silent:
    """What :func:`progress_bar` returns when no bar is drawn: iterates, updates nothing."""

    def __init__(self, iterable: Iterable[Any] | None) -> None:
        self._iterable = iterable if iterable is not None else ()

    def __iter__(self):
        return iter(self._iterable)

    def update(self, n: int = 1) -> None:
        """Nothing to draw."""

    def close(self) -> None:
        """Nothing to close."""


def progress_bar(
    iterable: Iterable[Any] | None = None, *, enabled: bool, **tqdm_kwargs: Any
) -> Any:
    """A ``tqdm`` bar over ``iterable`` if ``enabled`` and stderr is a terminal, else a silent one.

    Both have ``update(n)``, ``close()`` and iterate over ``iterable``.
    """
    if not enabled or not sys.stderr.isatty():
        return _Silent(iterable)
    from tqdm.auto import tqdm

    return tqdm(iterable, **tqdm_kwargs)
