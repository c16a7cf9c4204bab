"""Exercises: seeded instances with a statement, data, a model answer, a worked solution and a checker.

An exercise *type* is a generator ``make(seed, difficulty) -> Exercise``,
registered with :func:`exercise_type`. The same seed and difficulty always
give the same exercise, so a teacher can hand each student a seed and check
their answers later.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._results import to_plain
from ..errors import JengaError, UnknownItemError
from .answers import Verdict

__all__ = ["LEVELS", "Exercise", "ExerciseType", "exercise_type", "exercise_types", "make_exercise"]

LEVELS = {1: "foundation", 2: "intermediate", 3: "advanced"}


@dataclass(frozen=True)
class Exercise:
    """One instance of an exercise type.

    Attributes
    ----------
    type, seed, difficulty : what made it (the same three give the same exercise)
    level : 1 foundation, 2 intermediate, 3 advanced
    title : str
    statement : str
        Markdown: the question, with the data.
    answer_format : str
        How to write the answer (e.g. "a comma-separated list of services").
    data : mapping
        The instance's data (plain JSON types).
    answer : Any
        The model answer (plain JSON types; fractions as "p/q" strings).
    solution : str
        Markdown: a worked solution.
    """

    type: str
    seed: int
    difficulty: int
    level: int
    title: str
    statement: str
    answer_format: str
    data: Mapping[str, Any]
    answer: Any
    solution: str
    checker: Callable[[Any], Verdict] = field(repr=False, compare=False)
    figure: Callable[[Path], Path] | None = field(default=None, repr=False, compare=False)

    def check(self, answer: Any) -> Verdict:
        """Check a student's answer (text or Python objects); says what is wrong."""
        try:
            return self.checker(answer)
        except JengaError as err:
            return Verdict(False, str(err))

    def to_dict(self) -> dict[str, Any]:
        return {
            f.name: to_plain(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in ("checker", "figure")
        }

    def markdown(self, solution: bool = False, figure_path: str | None = None) -> str:
        """The exercise as markdown (with its worked solution if asked)."""
        head = (
            f"## {self.title}\n\n*{self.type}, seed {self.seed}, difficulty {self.difficulty}*\n\n"
        )
        body = self.statement
        if figure_path:
            body += f"\n\n![figure]({figure_path})\n"
        body += f"\n\n**Answer format:** {self.answer_format}\n"
        if solution:
            body += f"\n### Solution\n\n{self.solution}\n\n**Answer:** `{to_plain(self.answer)}`\n"
        return head + body


@dataclass(frozen=True)
class ExerciseType:
    """A registered generator of exercises."""

    name: str
    level: int
    topic: str
    summary: str
    make: Callable[[int, int], Exercise]


_REGISTRY: dict[str, ExerciseType] = {}


def exercise_type(name: str, level: int, topic: str, summary: str):
    """Register ``make(seed, difficulty) -> Exercise`` under ``name``."""

    def deco(make: Callable[[int, int], Exercise]) -> Callable[[int, int], Exercise]:
        if name in _REGISTRY:
            raise JengaError(f"exercise type {name!r} registered twice")
        _REGISTRY[name] = ExerciseType(name, level, topic, summary, make)
        return make

    return deco


def exercise_types() -> dict[str, ExerciseType]:
    """All registered exercise types, by name (importing the built-in ones)."""
    from . import catalogue  # noqa: F401 - registers the built-in types

    return dict(_REGISTRY)


def make_exercise(name: str, seed: int = 0, difficulty: int = 1) -> Exercise:
    """Make the exercise ``name`` for ``seed`` at ``difficulty`` (1, 2 or 3)."""
    types = exercise_types()
    if name not in types:
        raise UnknownItemError(
            f"unknown exercise type {name!r}; `jenga exercise list` shows "
            f"the {len(types)} types: {', '.join(sorted(types))}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise JengaError(f"seed must be a whole number >= 0, got {seed!r}")
    if difficulty not in (1, 2, 3):
        raise JengaError(f"difficulty must be 1, 2 or 3, got {difficulty!r}")
    return types[name].make(seed, difficulty)
