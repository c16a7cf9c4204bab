"""Forgiving names: an id, or a label when it is unique, with a "did you mean" otherwise.

One lookup serves :meth:`Tower.index_of` (services), the providers of a tower
and the spreadsheet reader. A name is tried, in order, as

1. an id exactly (numpy integers count as ints);
2. a whole number written as text (``"3"``) when the ids are integers;
3. a label exactly;
4. an id or a label ignoring case, spaces, ``-`` and ``_`` (``"a&e"``, ``"A & E"``).

Steps 3 and 4 accept a name only when it picks out one item; otherwise the
error lists the items it could mean. An unknown name gets the closest ids and
labels as a suggestion (:func:`difflib.get_close_matches`, the ratio of
matching characters, cut off at 0.6) [Ratcliff1988]_.

.. [Ratcliff1988] Ratcliff, J. W. and Metzener, D. E. (1988), key ``Ratcliff1988``
   in ``docs/references.bib``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from ..errors import UnknownItemError

__all__ = ["NameIndex"]

_FOLD = re.compile(r"[\s_\-]+")


def _fold(text: str) -> str:
    return _FOLD.sub("", text.casefold())


class NameIndex:
    """Look up items (services or providers) by id or label.

    Parameters
    ----------
    ids : sequence
        The items' ids, in index order.
    labels : sequence of str or None
        Their display names (``None``: no label).
    what : str
        ``"service"`` or ``"provider"``, for messages.
    """

    def __init__(self, ids: Sequence[Hashable], labels: Sequence[str | None], what: str) -> None:
        self.ids = tuple(ids)
        self.what = what
        self.index = {k: i for i, k in enumerate(self.ids)}
        self._labels: dict[str, list[int]] = {}
        self._folded: dict[str, set[int]] = {}
        self._shown: dict[str, int] = {}
        for i, (sid, label) in enumerate(zip(self.ids, labels)):
            self._folded.setdefault(_fold(str(sid)), set()).add(i)
            self._shown.setdefault(str(sid), i)
            if label is not None:
                self._labels.setdefault(label, []).append(i)
                self._folded.setdefault(_fold(label), set()).add(i)
                self._shown.setdefault(label, i)
        self._int_ids = any(type(k) is int for k in self.ids)
        self.labels = tuple(labels)

    def _describe(self, i: int) -> str:
        return repr(self.ids[i])

    def locate(self, name: Any) -> int:
        """The position of ``name`` (id or unique label); :class:`UnknownItemError` otherwise."""
        if type(name) in (str, int):  # the common case: an id as stored
            i = self.index.get(name)
            if i is not None:
                return i
        if isinstance(name, np.integer):
            name = int(name)
        if not isinstance(name, Hashable) or isinstance(name, tuple | frozenset):
            raise _error(
                f"{name!r} is not a {self.what} id: ids are strings or integers; "
                "give a flat collection of ids such as ['a', 'b']",
                name,
                self.what,
            )
        i = self.index.get(name)
        if i is not None and not isinstance(name, bool):
            return i
        if not isinstance(name, str):
            raise self._unknown(name)
        text = name.strip()
        if self._int_ids and re.fullmatch(r"[+-]?\d+", text):
            i = self.index.get(int(text))
            if i is not None:
                return i
        if text != name and text in self.index:
            return self.index[text]
        hits = self._labels.get(name) or self._labels.get(text)
        if hits:
            if len(hits) == 1:
                return hits[0]
            raise self._ambiguous(name, hits, "is the label of")
        folded = self._folded.get(_fold(text), set())
        if len(folded) == 1:
            return next(iter(folded))
        if folded:
            raise self._ambiguous(name, sorted(folded), "could mean")
        raise self._unknown(name)

    def _ambiguous(self, name: str, hits: Sequence[int], verb: str) -> UnknownItemError:
        which = ", ".join(self._describe(i) for i in hits)
        return _error(
            f"{name!r} {verb} several {self.what}s ({which}); use the id",
            name,
            self.what,
        )

    def _unknown(self, name: Any) -> UnknownItemError:
        close = difflib.get_close_matches(str(name), list(self._shown), n=3, cutoff=0.6)
        if not close:  # try without case and separators
            folded = {_fold(k): k for k in self._shown}
            close = [
                folded[k] for k in difflib.get_close_matches(_fold(str(name)), list(folded), n=3)
            ]
        seen: list[int] = []
        for c in close:
            i = self._shown[c]
            if i not in seen:
                seen.append(i)
        if seen:
            hint = "; did you mean " + " or ".join(self._suggest(i) for i in seen) + "?"
        elif self.ids:
            hint = (
                f"; {self.what}s include {', '.join(map(repr, self.ids[:5]))}"
                f"{', ...' if len(self.ids) > 5 else ''}"
            )
        else:
            hint = f"; there are no {self.what}s"
        return _error(f"unknown {self.what} {name!r}{hint}", name, self.what)

    def _suggest(self, i: int) -> str:
        label = self.labels[i]
        return repr(self.ids[i]) + (f" ({label})" if label and label != str(self.ids[i]) else "")


def _error(message: str, item: Any, kind: str) -> UnknownItemError:
    """An :class:`UnknownItemError` that carries the item it is about."""
    err = UnknownItemError(message)
    err.item, err.kind = item, kind
    return err
