"""One id -> index method (Tower.index_of): ids, unique labels, forgiving spelling, did-you-mean."""

import pytest

from jenga_games.errors import UnknownItemError
from jenga_games.games.sequential import JengaGame
from jenga_games.tower import Service, Tower, local_health_economy


@pytest.fixture(scope="module")
def econ():
    return local_health_economy()


@pytest.mark.parametrize(
    ("name", "sid"),
    [
        ("ae", "ae"),
        ("A&E", "ae"),
        ("a&e", "ae"),
        ("Stroke unit", "stroke"),
        (" cardiology ", "cardiology"),
        ("Acute-Medicine", "acute_medicine"),
    ],
)
def test_labels_and_loose_spellings_resolve(econ, name, sid):
    assert econ.ids[econ.index_of(name)] == sid
    assert econ.service(name).id == sid


def test_typo_gets_did_you_mean(econ):
    with pytest.raises(
        UnknownItemError, match=r"unknown service 'cardiolgy'; did you mean 'cardiology'"
    ):
        econ.index_of("cardiolgy")
    with pytest.raises(UnknownItemError) as err:
        econ.cascade(["A&F"])
    assert "did you mean 'ae' (A&E)" in str(err.value) and err.value.item == "A&F"


def test_ambiguous_label_is_refused_with_the_ids():
    t = Tower([Service("a1", label="Clinic"), Service("a2", label="Clinic")])
    with pytest.raises(
        UnknownItemError, match=r"'Clinic' is the label of several services \('a1', 'a2'\)"
    ):
        t.index_of("Clinic")


def test_integer_ids_from_text_and_numpy():
    import numpy as np

    t = Tower([Service(1), Service(2)], [(1, 2)])
    assert t.index_of("2") == t.index_of(np.int64(2)) == 1
    with pytest.raises(UnknownItemError):
        t.index_of(True)  # a bool is not the id 1


def test_every_query_uses_it(econ):
    from jenga_games.tower import collapse_point, max_safe_set, safe_schedule

    assert econ.cascade(["A&E"]).removed == {"ae"}
    assert econ.play(["Endoscopy"]).steps[0].service == "endoscopy"
    assert set(max_safe_set(econ, eligible=["Dermatology", "GP minor surgery"]).removed) == {
        "dermatology",
        "gp_minor_surgery",
    }
    assert "dermatology" in safe_schedule(econ, ["Dermatology"]).order
    assert collapse_point(econ, ["Pathology"]).order[0] == "pathology"


def test_the_jenga_game_says_it_the_same_way():
    g = JengaGame.classic(2)
    with pytest.raises(UnknownItemError, match=r"unknown service 'L0.9'; did you mean"):
        g.solve().policy.action(["L0.9"])


def test_order_indices_is_gone():
    import jenga_games.tower.model as model

    assert not hasattr(model, "order_indices")


def test_providers_by_label_with_did_you_mean(econ):
    assert econ.services_of("Acute trust") == econ.services_of("acute_trust")
    assert (
        econ.replace(providers={"Mental health trust": {"reserves": 9.0}})
        .providers["mental_health_trust"]
        .reserves
        == 9.0
    )
    with pytest.raises(
        UnknownItemError, match=r"unknown provider 'acute_trst'; did you mean 'acute_trust'"
    ):
        econ.services_of("acute_trst")
