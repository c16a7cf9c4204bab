"""A dataclass field computed on first access (for results whose parts are costly and often unused)."""

from __future__ import annotations

__all__ = ["LazyField", "Thunk"]


class LazyField:
    """A data descriptor for a frozen dataclass field that may be given as a thunk.

    Assign the value, or a :class:`Thunk` (a zero-argument callable wrapped so a
    callable value is never mistaken for one); the first read calls the thunk
    and stores its result in the instance, so later reads cost nothing. The
    field has no default (dataclasses ask the descriptor for one and get
    ``AttributeError``).
    """

    def __set_name__(self, owner, name: str) -> None:
        self.slot = "_lazy_" + name
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            raise AttributeError(self.name)  # no default
        value = obj.__dict__[self.slot]
        if isinstance(value, Thunk):
            value = value()
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.slot] = value


class Thunk:
    """A deferred value: ``Thunk(f, *args)()`` is ``f(*args)`` (picklable when ``f`` is)."""

    __slots__ = ("args", "f")

    def __init__(self, f, *args) -> None:
        self.f, self.args = f, args

    def __call__(self):
        return self.f(*self.args)

    def __reduce__(self):
        return (Thunk, (self.f, *self.args))
