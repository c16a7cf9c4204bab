"""Teaching exercises with checked answers: a fresh, seeded instance per student.

>>> from jenga_games.exercises import make_exercise
>>> ex = make_exercise("tower-what-falls", seed=3)
>>> ex.check(ex.answer).ok
True
"""

from .answers import Verdict
from .base import LEVELS, Exercise, ExerciseType, exercise_types, make_exercise
from .sheet import write_sheet

__all__ = [
    "LEVELS",
    "Exercise",
    "ExerciseType",
    "Verdict",
    "exercise_types",
    "make_exercise",
    "write_sheet",
]
