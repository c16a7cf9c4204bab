"""fall_reasons: every reason is true at the start of its round (DESIGN §1)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import AllOf, Service, Tower, fall_reasons, local_health_economy
from jenga_games.tower._reference import _balances, _grounded_support, reference_cascade
from jenga_games.tower.engine import unviable


def _reference_rounds(tower, x):
    """The literal round-by-round cascade: (standing before, falling, newly failed) per round."""
    removed = {s for s in tower.ids if x[s] <= 0.0}
    standing = set(tower.ids) - removed
    failed: set = set()
    out = []
    while True:
        if tower.grounded:
            falling = standing - _grounded_support(tower, standing)
        else:
            falling = {
                s
                for s in standing
                if not tower.services[s].rule.evaluate(
                    standing & set(tower.supporters(s)), tower.supporters(s)
                )
            }
        bal = _balances(tower, x, standing, removed)
        pids = [p for p in tower.providers if p not in failed]
        bad = unviable(
            np.array([bal[p] for p in pids]),
            np.array([max(1.0, tower.providers[p].overhead) for p in pids]),
        )
        newly = {p for p, b in zip(pids, bad) if b}
        failed |= newly
        falling |= {s for s in standing if tower.services[s].provider in newly}
        if not falling:
            return out
        out.append((frozenset(standing), falling, newly, bal))
        standing -= falling


@settings(max_examples=150)
@given(st.data())
def test_each_reason_holds_at_the_start_of_its_round(data):
    tower = data.draw(towers(max_services=7, grounded=None))
    x = {s: data.draw(st.sampled_from([0.0, 0.5, 1.0])) for s in tower.ids}
    why = fall_reasons(tower, x)
    out = why.outcome
    # the same outcome as Tower.cascade, and one reason per fallen service, in order
    assert why.outcome.to_dict() == tower.cascade(x).to_dict()
    assert tuple(r.service for r in why.reasons) == out.fell
    assert set(out.fell) == reference_cascade(tower, x)[1]
    ref = _reference_rounds(tower, x)
    assert len(ref) == len(out.rounds)
    for r, (group, (before, falling, newly, bal)) in enumerate(zip(why.by_round(), ref), 1):
        assert {g.service for g in group} == falling
        for reason in group:
            s = reason.service
            v = tower.services[s]
            sups = tower.supporters(s)
            rule_holds = v.rule.evaluate(before & set(sups), sups)
            assert reason.round == r
            if reason.kind == "rule":
                assert not rule_holds
                assert set(reason.gone) == set(sups) - before
                assert reason.gone
            elif reason.kind == "provider":
                assert rule_holds
                assert reason.provider == v.provider in newly
                assert reason.provider in out.failed_providers
                assert out.failure_round[reason.provider] == r
                assert reason.balance == pytest.approx(bal[v.provider], abs=1e-9)
                scale = max(1.0, tower.providers[v.provider].overhead)
                assert unviable(np.array([reason.balance]), np.array([scale]))[0]
            else:
                assert reason.kind == "ungrounded"
                assert tower.grounded and rule_holds
                assert s not in _grounded_support(tower, set(before))
            assert reason.text  # a sentence for the app and the CLI


def test_worked_economy_theatres():
    """Theatres out: the surgical services fall on their rule, the acute trust on money."""
    why = fall_reasons(local_health_economy(), {"theatres"})
    assert why.of("general_surgery").kind == "rule"
    assert why.of("general_surgery").gone == ("theatres",)
    assert why.of("general_surgery").round == 1
    imaging = why.of("imaging")
    assert (imaging.kind, imaging.provider, imaging.round) == ("provider", "acute_trust", 2)
    assert imaging.balance < 0
    assert "acute_trust" in imaging.text and "below zero" in imaging.text
    with pytest.raises(KeyError, match="theatres"):
        why.of("theatres")  # removed as planned, not fallen


def test_ungrounded_loop():
    """On a grounded tower a loop cut from the ground falls though each rule still holds."""
    svc = [
        Service("g"),
        Service("a", support=AllOf()),
        Service("b", support=AllOf()),
    ]
    tower = Tower(svc, [("g", "a"), ("a", "b"), ("b", "a")], grounded=True)
    why = fall_reasons(tower, {"g"})
    assert {r.service: r.kind for r in why.reasons} == {"a": "rule", "b": "ungrounded"}
    assert "ground" in why.of("b").text
    intact = Tower(svc, [("g", "a"), ("a", "b"), ("b", "a")], grounded=False)
    assert fall_reasons(intact, {"g"}).of("b").kind == "rule"


def test_cli_cascade_prints_the_library_reasons(capsys):
    import json

    from jenga_games.cli import main

    assert main(["tower", "cascade", "builtin:economy", "--remove", "theatres"]) == 0
    text = capsys.readouterr().out
    why = fall_reasons(local_health_economy(), {"theatres"})
    assert why.of("neonatal").text in text  # a rule reason, per service
    assert f"14 of acute_trust's services: {why.of('imaging').text}" in text
    assert main(["--json", "tower", "cascade", "builtin:economy", "--remove", "theatres"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["service"] for r in data["fall_reasons"]] == list(why.outcome.fell)
    assert data["fall_reasons"][0]["text"] == why.reasons[0].text
