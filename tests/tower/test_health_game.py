"""Health in the Jenga game (issue #17, item 4): every play counts health lost and health kept
by re-provision beside money, and meets money only in the net monetary benefit."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jenga_games.games.sequential import JengaGame
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import Tower
from jenga_games.tower.health import NICE_WTP


def _with_health(tower: Tower, effects: list[float | None]) -> Tower:
    """The tower with health effect ``effects[i]`` (QALYs per unit of activity) on service ``i``."""
    services = [dataclasses.replace(s, health=h) for s, h in zip(tower, effects)]
    return Tower(
        services,
        tower.supports,
        tower.providers.values(),
        grounded=tower.grounded,
        allow_unsatisfiable=tower.allow_unsatisfiable,
    )


def _health(tower: Tower, ids) -> float:
    """Direct count: ``Σ a·h`` over ``ids`` (services without an effect count 0)."""
    return sum(tower.service(s).activity * (tower.service(s).health or 0.0) for s in ids)


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_every_play_counts_health_lost_and_reprovided(data):
    """Against a direct count over what fell and what moved; conserved with what stands."""
    base = data.draw(towers(max_services=5))
    assume(not base.cascade().fallen)  # the game is played on a tower that stands
    effects = data.draw(
        st.lists(
            st.one_of(st.none(), st.floats(0, 50, allow_nan=False)),
            min_size=len(base),
            max_size=len(base),
        )
    )
    tower = _with_health(base, effects)
    game = JengaGame(tower, 2, gains=1.0, collapse_cost=3.0, must_move=False)
    for play in (game.solve(), game.myopic(), game.cooperative()):
        out = play.outcome
        lost = play.health_lost.get("QALY", 0.0)
        kept = play.health_reprovided.get("QALY", 0.0)
        assert lost == pytest.approx(_health(tower, out.fell), abs=1e-9)
        assert kept == pytest.approx(_health(tower, play.removed), abs=1e-9)
        standing = _health(tower, out.standing)
        assert lost + kept + standing == pytest.approx(_health(tower, tower.ids), abs=1e-9)
        # money and health meet only here: W - λ·QALYs / money_unit
        for wtp in NICE_WTP:
            for welfare in ("system", "commissioners"):
                nmb = play.net_monetary_benefit(wtp, money_unit=1e6, welfare=welfare)
                assert nmb == pytest.approx(play.welfare(welfare) - wtp * lost / 1e6)
        d = play.to_dict()
        assert d["health_lost"] == play.health_lost
        assert d["health_reprovided"] == play.health_reprovided
        assert play.total == pytest.approx(sum(play.payoffs.values()))  # money untouched


def test_commissioning_reports_health_beside_money():
    """The worked economy: competitive play topples the acute trust and loses the QALYs of
    everything that falls; the NMB at NICE's range is system welfare less those QALYs valued.
    (The frames of ``jenga_commissioning``, built from the plays without its sweeps.)"""
    from jenga_games.commissioning import commissioning_game
    from jenga_games.commissioning.jenga import _row, _welfare_frame
    from jenga_games.tower import local_health_economy

    econ = local_health_economy()
    game = commissioning_game(econ)
    plays = {"competitive": game.solve(), "cooperative": game.cooperative()}
    spe = plays["competitive"]
    (*_, qalys_lost, qalys_kept), _ = _row(econ, spe)
    assert qalys_lost == pytest.approx(_health(econ, spe.outcome.fell)) and qalys_lost > 0
    assert qalys_kept == pytest.approx(_health(econ, spe.removed))
    w = _welfare_frame(econ, plays)
    for name in plays:
        row = w.loc[name]
        assert row["nmb_20k"] == pytest.approx(row["system_welfare"] - 0.02 * row["qalys_lost"])
        assert row["nmb_30k"] == pytest.approx(row["system_welfare"] - 0.03 * row["qalys_lost"])
    assert w.loc["competitive", "qalys_lost"] == pytest.approx(qalys_lost)
    assert w.loc["competitive", "nmb_20k"] < w.loc["competitive", "system_welfare"]
    assert w.loc["cooperative", "qalys_lost"] == 0.0


def test_reprovided_health_when_the_moved_blocks_carry_it():
    """Moving a block with a health effect keeps its QALYs (re-provided); only falls lose any."""
    from jenga_games.tower import AnyOf, Service

    t = Tower(
        [
            Service("base", activity=10, health=1.0),
            Service("clinic", activity=4, tariff=1.0, health=2.5),
            Service("ward", activity=3, support=AnyOf(), health=5.0),
        ],
        [("base", "ward"), ("clinic", "ward")],
    )
    game = JengaGame(t, ["c"], eligible={"c": ["clinic", "base"]}, gains=1.0, collapse_cost=0.5)
    play = game.solve()
    assert set(play.removed) == {"clinic", "base"}  # gain 2 beats the collapse cost 0.5
    assert play.health_reprovided == {"QALY": pytest.approx(10 * 1.0 + 4 * 2.5)}
    assert play.health_lost == {"QALY": pytest.approx(3 * 5.0)}  # the ward falls


def test_thresholds_count_health():
    """Collapse curves and points with measure='health' count the QALYs still provided:
    at every step, Σ a·h over what stands after Tower.play of that prefix (a direct count)."""
    from jenga_games.errors import InvalidTowerError
    from jenga_games.tower import local_health_economy
    from jenga_games.tower.library import classic_jenga
    from jenga_games.tower.thresholds import collapse_curve, collapse_point

    econ = local_health_economy()
    order = ["ophthalmology", "stroke", "cardiology", "pathology", "maternity"]
    cp = collapse_point(econ, order, measure="health")
    assert cp.unit == "QALYs" and cp.total == pytest.approx(_health(econ, econ.ids))
    for k in range(len(order) + 1):
        assert cp.surviving[k] == pytest.approx(_health(econ, econ.play(order[:k]).standing))
    curve = collapse_curve(econ, samples=6, seed=4, measure="health")
    assert curve.measure == "health" and curve.unit == "QALYs"
    assert curve.mean_surviving[0] == 1.0 and curve.q95[-1] == 0.0  # all removed: none left
    single = collapse_curve(econ, samples=1, order="gain", measure="health")
    ids = single.order_ids(0)
    for k in (0, 2, 5, len(ids)):
        standing = econ.play(ids[:k]).standing
        assert single.mean_surviving[k] == pytest.approx(_health(econ, standing) / cp.total)
    with pytest.raises(InvalidTowerError, match="health effect in QALYs"):
        collapse_curve(classic_jenga(3), samples=2, measure="health")
