"""Bad input to the tower model: a JengaError that names the item and says how to fix it."""

import math

import pytest

from jenga_games.errors import InvalidTowerError, JengaError, UnknownItemError
from jenga_games.tower import AllOf, AnyOf, AtLeast, Provider, Service, Tower


def test_empty_tower():
    with pytest.raises(InvalidTowerError, match="at least one service"):
        Tower([])


def test_duplicate_service_id():
    with pytest.raises(InvalidTowerError, match="duplicate service id 'a'"):
        Tower([Service("a"), Service("a")])


@pytest.mark.parametrize(
    "value, words",
    [
        (-1, ">= 0"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        ("lots", "a number"),
        (True, "a number"),
    ],
)
def test_bad_numbers_name_the_service_and_field(value, words):
    with pytest.raises(InvalidTowerError, match=f"service 'ward': fixed_cost must be {words}"):
        Service("ward", fixed_cost=value)


def test_bad_provider_numbers():
    with pytest.raises(InvalidTowerError, match="provider 'H': overhead must be >= 0"):
        Provider("H", overhead=-5)


def test_unknown_service_in_support_and_unknown_provider():
    with pytest.raises(UnknownItemError, match="names service 'b', which is not in the tower"):
        Tower([Service("a")], [("a", "b")])
    with pytest.raises(UnknownItemError, match="add Provider\\('X'\\)"):
        Tower([Service("a", provider="X")], providers=[Provider("Y")])


def test_rule_naming_a_non_supporter():
    with pytest.raises(InvalidTowerError, match="names 'c', which does not support it"):
        Tower([Service("a"), Service("c"), Service("b", support=AnyOf("a", "c"))], [("a", "b")])


def test_atleast_too_large_unless_opted_in():
    services = [Service("a"), Service("b", support=AtLeast(2))]
    with pytest.raises(InvalidTowerError, match="allow_unsatisfiable=True"):
        Tower(services, [("a", "b")])
    tower = Tower(services, [("a", "b")], allow_unsatisfiable=True)
    assert tower.cascade().fell == ("b",)  # it cannot stand, so it falls at once
    assert tower.validate().unsatisfiable == ("b",)


def test_self_support_and_bad_rule_objects():
    with pytest.raises(InvalidTowerError, match="cannot support itself"):
        Tower([Service("a")], [("a", "a")])
    with pytest.raises(InvalidTowerError, match="support must be a rule"):
        Service("a", support="all")
    with pytest.raises(InvalidTowerError, match="cannot combine"):
        AllOf() & "x"
    with pytest.raises(InvalidTowerError, match="twice"):
        AnyOf("a", "a")


def test_bad_states_and_orders():
    tower = Tower([Service("a"), Service("b")], [("a", "b")])
    with pytest.raises(InvalidTowerError, match=r"lie in \[0, 1\]"):
        tower.cascade({"a": 1.5})
    with pytest.raises(UnknownItemError, match="unknown service 'z'"):
        tower.cascade(["z"])
    with pytest.raises(InvalidTowerError, match="wrap it in a list"):
        tower.cascade("a")
    with pytest.raises(InvalidTowerError, match="more than once"):
        tower.play(["a", "a"])
    with pytest.raises(InvalidTowerError, match="stop must be"):
        tower.play(["a"], stop="sometimes")


def test_errors_are_value_errors():
    assert issubclass(JengaError, ValueError)
    with pytest.raises(ValueError):
        Tower([])
