"""Extensive-form games: building, perfect recall, .efg round trips and errors, forms."""

from __future__ import annotations

import os
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from jenga_games.errors import InvalidGameError, SchemaError, TooLargeError, UnknownItemError
from jenga_games.games.extensive import (
    ExtensiveGame,
    kuhn_poker,
    mixed_to_behaviour,
    nash_conv,
    one_card_poker,
    read_efg,
    reduced_normal_form,
    sequence_form,
    write_efg,
)
from jenga_games.games.extensive._efg import same_game

DATA = Path(__file__).parent / "data"


def test_kuhn_poker_shape_and_recall():
    g = kuhn_poker()
    assert g.n_nodes == 55 and g.n_infosets == (6, 6)
    assert g.is_perfect_recall() and g.is_zero_sum() and not g.is_perfect_information()
    assert g.infoset(1, "K b").actions == ("fold", "call")
    assert [len(g.pure_strategies(p)) for p in range(2)] == [27, 64]
    assert len(g.pure_strategies(0, reduced=False)) == 64


def test_efg_written_by_us_reads_back_unchanged(tmp_path):
    text = (DATA / "kuhn_poker.efg").read_text()
    g = read_efg(DATA / "kuhn_poker.efg")
    assert write_efg(g) == text
    assert same_game(g, kuhn_poker())
    write_efg(g, tmp_path / "k.efg")
    assert (tmp_path / "k.efg").read_text() == text


def test_abbreviated_layout_reads_and_normalises():
    # an information set's actions and an outcome's payoffs given once only, no commas
    g = read_efg(DATA / "abbreviated.efg")
    assert g.n_players == 3 and g.n_infosets == (1, 1, 1)
    c = g.infoset(2, "c")
    assert len(c.members) == 2 and g.is_perfect_recall()
    w = write_efg(g)
    assert 'p "" 3 1 "c" { "left" "right" } 0' in w and "{ 3, 2, 2 }" in w
    g2 = read_efg(w)
    assert same_game(g, g2) and write_efg(g2) == w


def _gambit_examples():
    root = Path(os.environ.get("GAMBIT_REPO", "/work/.mirror/gambitproject+gambit/repo"))
    if not root.exists():
        return root, []
    try:
        names = subprocess.run(
            ["git", "-C", str(root), "ls-tree", "-r", "--name-only", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return root, []
    return root, [n for n in names if n.endswith(".efg")]


@pytest.mark.slow
def test_every_gambit_example_reads_and_writes_back():
    """Gambit's own examples (GPL, so not copied here; read from a checkout when present)."""
    root, names = _gambit_examples()
    if not names:
        pytest.skip("no Gambit checkout (set GAMBIT_REPO to a clone of gambitproject/gambit)")
    identical = 0
    for name in names:
        text = subprocess.run(
            ["git", "-C", str(root), "show", f"HEAD:{name}"], capture_output=True, text=True
        ).stdout
        g = read_efg(text)
        w = write_efg(g)
        identical += w == text
        # files in another layout (payoffs without commas, infosets given once) normalise
        assert same_game(g, read_efg(w)), name
    assert identical >= 150, identical  # 154 of the 174 examples are in Gambit's own layout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NFG 1 R\n", "line 1: expected 'EFG'"),
        ('EFG 3 R "t" { "A" }\n\nt "" 0', "version 2"),
        ('EFG 2 R "t" { "A" }\n""\nx "" 0', "line 3: expected a node type"),
        ('EFG 2 R "t" { "A" "B" }\n\np "" 3 1 "" { "a" } 0\nt "" 0', "line 3: player 3 does not"),
        ('EFG 2 R "t" { "A" }\n\np "" 1 1 0', "line 3: information set 1 is used before"),
        (
            'EFG 2 R "t" { "A" }\n\nc "" 1 "" { "h" 1/2 "t" 1/3 } 0\nt "" 0\nt "" 0',
            "line 3: the chance probabilities sum to 5/6",
        ),
        ('EFG 2 R "t" { "A" "B" }\n\nt "" 1 "o" { 1 }', "line 3: outcome 1 has 1 payoffs"),
        ('EFG 2 R "t" { "A" }\n\nt "" 2', "outcome 2 is used before"),
        ('EFG 2 R "t" { "A" }\n\np "" 1 1 "" { "a" } 0\n', "the file ends where a node"),
        ('EFG 2 R "t" { "A" }\n\nt "" 0\nt "" 0', "line 4: unexpected 't' after the last node"),
        ('EFG 2 R "t" { "A" }\n\nt "" 1 "o" { x }', "line 3: expected a number, found 'x'"),
    ],
)
def test_efg_errors_name_the_line(text, message):
    with pytest.raises(SchemaError, match=message):
        read_efg(text)


def test_missing_file_is_a_schema_error(tmp_path):
    with pytest.raises(SchemaError, match=r"no \.efg file"):
        read_efg(tmp_path / "none.efg")


def test_building_errors():
    g = ExtensiveGame(["A", "B"])
    with pytest.raises(InvalidGameError, match="at least one player"):
        ExtensiveGame([])
    with pytest.raises(InvalidGameError, match="sum to 1"):
        g.add_chance(g.root, {"h": Fraction(1, 2), "t": Fraction(1, 3)})
    a, b = g.add_move(g.root, "A", ["x", "y"])
    with pytest.raises(InvalidGameError, match="already has a move"):
        g.add_move(g.root, "A", ["x"])
    g.add_move(a, "B", ["l", "r"], infoset="I")
    with pytest.raises(InvalidGameError, match="cannot have"):
        g.add_move(b, "B", ["l", "m"], infoset="I")
    with pytest.raises(UnknownItemError, match="unknown player"):
        g.add_move(b, "C", ["l"])
    with pytest.raises(InvalidGameError, match="one payoff per player"):
        g.set_outcome(a.children[0], [1])
    with pytest.raises(UnknownItemError, match="actions here"):
        a.child("m")


def test_perfect_recall_violation_is_reported():
    # player A forgets its own first move: both of its second-stage nodes share a set
    g = ExtensiveGame(["A"])
    x, y = g.add_move(g.root, "A", ["x", "y"])
    g.add_move(x, "A", ["l", "r"], infoset="forgot")
    g.add_move(y, "A", ["l", "r"], infoset="forgot")
    bad = g.perfect_recall_violations()
    assert bad and "different own histories" in bad[0]
    with pytest.raises(InvalidGameError, match="perfect recall"):
        reduced_normal_form(g)
    with pytest.raises(InvalidGameError, match="perfect recall"):
        g.require_perfect_recall("this check")


def test_behaviour_validation_and_expected_payoffs():
    g = one_card_poker()
    beh = {
        "Fred": {"red": "Raise", "black": {"Raise": 1 / 3, "Fold": 2 / 3}},
        "Alice": {"raised": [2 / 3, 1 / 3]},
    }
    pay = g.expected_payoffs(beh)
    assert pay == pytest.approx([1 / 3, -1 / 3])
    with pytest.raises(InvalidGameError, match="probability"):
        g.expected_payoffs([[[0.5, 0.6], [1, 0]], [[1, 0]]])
    with pytest.raises(InvalidGameError, match="misses information set"):
        g.expected_payoffs({"Fred": {"red": "Raise"}, "Alice": {"raised": "Meet"}})


def test_reduced_normal_form_equilibria_are_tree_equilibria():
    # Kuhn's theorem made concrete: every extreme equilibrium of the reduced normal
    # form, turned into behaviour strategies, has NashConv exactly 0 in the tree
    from jenga_games.games.normal_form import equilibria

    g = one_card_poker()
    nf = reduced_normal_form(g)
    assert nf.actions == (("11", "12", "21", "22"), ("1", "2"))
    eqs = list(equilibria(nf, "vertex_enumeration", exact=True))
    assert eqs
    for e in eqs:
        beh = [mixed_to_behaviour(g, p, e.exact_strategies[p]) for p in range(2)]
        nc, gains = nash_conv(g, beh)
        assert nc == 0 and gains == [0, 0]
        assert e.exact_payoffs == (Fraction(1, 3), Fraction(-1, 3))


def test_sequence_form_of_kuhn():
    sf = sequence_form(kuhn_poker())
    assert sf.n_sequences == (13, 13)
    E = np.array(sf.constraints[0])
    assert E.shape == (7, 13) and E[0, 0] == 1
    A = sf.matrix(0, exact=True)
    # zero-sum: player 2's matrix is -A; chance weight 1/6 on every leaf
    assert (sf.matrix(1, exact=True) == -A).all()
    assert {abs(v) for v in A.ravel()} <= {0, Fraction(1, 6), Fraction(1, 3)}
    with pytest.raises(TooLargeError):
        reduced_normal_form(kuhn_poker(), max_profiles=100)
