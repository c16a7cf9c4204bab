"""Tower.graph / Tower.from_graph (networkx interop) and Tower.provider_of."""

import networkx as nx
import pytest
from hypothesis import given, settings

from jenga_games.errors import InvalidTowerError, UnknownItemError
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import Provider, Service, Tower
from jenga_games.tower.library import classic_jenga, local_health_economy


@settings(max_examples=40)
@given(towers(max_services=7, grounded=None))
def test_from_graph_inverts_graph(tower):
    back = Tower.from_graph(tower.graph)
    assert back == tower
    assert back.cascade().gone == tower.cascade().gone


@pytest.mark.parametrize("make", [local_health_economy, lambda: classic_jenga(4)])
def test_from_graph_round_trip_of_the_built_in_towers(make):
    tower = make()
    assert Tower.from_graph(tower.graph) == tower


def test_from_graph_takes_providers_and_keywords():
    g = nx.DiGraph([("a", "b")])
    g.nodes["b"]["provider"] = "P"
    g.nodes["b"]["activity"] = 2.0
    t = Tower.from_graph(g, [Provider("P", reserves=3.0)], grounded=True, name="two")
    assert t.grounded and t.name == "two"
    assert t.provider_of("b") == Provider("P", reserves=3.0)
    assert t.provider_of("a") is None
    g.graph["providers"] = {"P": {"overhead": 1.0}}
    assert Tower.from_graph(g).providers["P"].overhead == 1.0


def test_from_graph_errors_name_the_problem():
    with pytest.raises(InvalidTowerError, match=r"networkx\.DiGraph"):
        Tower.from_graph(nx.Graph([("a", "b")]))
    g = nx.DiGraph([("a", "b")])
    g.nodes["a"]["tarrif"] = 1.0
    with pytest.raises(InvalidTowerError, match=r"node 'a'.*tarrif"):
        Tower.from_graph(g)


def test_provider_of_unknown_service():
    t = Tower([Service("a", provider="P")], [], [Provider("P")])
    assert t.provider_of("a").id == "P"
    with pytest.raises(UnknownItemError):
        t.provider_of("nope")
