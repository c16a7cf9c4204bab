"""Result objects serialise to plain data: numbers, fractions, sets, frames."""

import json
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from jenga_games._results import Provenance, Result, to_plain


@dataclass(frozen=True)
class _Example(Result):
    array: np.ndarray
    exact: Fraction
    members: frozenset
    frame: pd.DataFrame
    provenance: Provenance


def test_to_dict_is_plain_and_json_ready():
    frame = pd.DataFrame(
        {"fell": [True, False]}, index=pd.Index(["myopic", "cooperative"], name="play")
    )
    d = _Example(
        np.array([1.5, 2.0]),
        Fraction(1, 3),
        frozenset({"b", "a"}),
        frame,
        Provenance("example", {"k": np.int64(3)}, seed=0),
    ).to_dict()
    assert d["array"] == [1.5, 2.0] and d["exact"] == "1/3" and d["members"] == ["a", "b"]
    assert d["frame"] == [{"play": "myopic", "fell": True}, {"play": "cooperative", "fell": False}]
    assert d["provenance"]["params"] == {"k": 3} and d["provenance"]["seed"] == 0
    json.dumps(d)


def test_unnamed_range_index_is_dropped():
    assert to_plain(pd.DataFrame({"x": [1, 2]})) == [{"x": 1}, {"x": 2}]
    assert to_plain(pd.Series({"a": np.float64(0.5)})) == {"a": 0.5}
