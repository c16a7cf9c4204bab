"""Every exercise type: the model answer passes, a perturbed one fails, and the answer
agrees with an independent computation (brute force / the reference cascade)."""

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.cli import main
from jenga_games.exercises import exercise_types, make_exercise
from jenga_games.exercises.answers import parse_number
from jenga_games.tower import Service, Tower
from jenga_games.tower._reference import reference_cascade

TYPES = sorted(exercise_types())
seeds = st.integers(0, 10_000)
levels = st.sampled_from([1, 2, 3])


def perturb(answer):
    """A wrong answer of the same shape."""
    if isinstance(answer, bool):
        return not answer
    if isinstance(answer, int | float):
        return answer + max(1.0, abs(answer) * 0.1)
    if isinstance(answer, str):
        try:
            return str(float(parse_number(answer)) + 0.25)
        except Exception:
            return "nobody" if answer != "nobody" else "North"
    if answer == []:  # "no equilibrium": naming any profile is wrong
        return [["keep the contract", "invest"]]
    if isinstance(answer, list) and isinstance(answer[0], list):
        return answer[:-1] if len(answer) > 1 else [*answer, ["x", "y"]]
    if isinstance(answer, list) and all(isinstance(a, str) for a in answer):
        try:
            return [str(float(parse_number(a)) + 0.25) for a in answer]
        except Exception:
            return answer[:-1] if answer else ["nothing-real"]
    if isinstance(answer, list):
        return [*answer[:-1], "bogus"] if answer else ["bogus"]
    raise AssertionError(f"no perturbation for {answer!r}")


@pytest.mark.parametrize("name", TYPES)
@settings(max_examples=15)
@given(seed=seeds, difficulty=levels)
def test_model_answer_passes_and_perturbed_fails(name, seed, difficulty):
    ex = make_exercise(name, seed, difficulty)
    assert ex.check(ex.answer).ok, ex.markdown(solution=True)
    assert not ex.check(perturb(ex.answer)).ok
    json.dumps(ex.to_dict())  # plain data


@pytest.mark.parametrize("name", TYPES)
def test_same_seed_same_exercise(name):
    assert make_exercise(name, 7, 2) == make_exercise(name, 7, 2)
    assert make_exercise(name, 7, 2).statement != make_exercise(name, 8, 2).statement


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_what_falls_matches_reference(seed, difficulty):
    ex = make_exercise("tower-what-falls", seed, difficulty)
    from jenga_games.exercises.catalogue._common import rng_for, small_tower

    rng = rng_for("tower-what-falls", seed, difficulty)
    tower = small_tower(rng, 2 + difficulty, 3)
    while not [s for s in tower.ids if tower.cascade([s]).fell]:
        tower = small_tower(rng, 2 + difficulty, 3)
    assert list(tower.ids) == ex.data["services"]
    x = {s: (0.0 if s == ex.data["removed"] else 1.0) for s in tower.ids}
    _, fell, _ = reference_cascade(tower, x)
    assert sorted(fell) == ex.answer


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_pure_equilibria_match_brute_force(seed, difficulty):
    ex = make_exercise("nf-pure-equilibria", seed, difficulty)
    A, B = np.array(ex.data["A"]), np.array(ex.data["B"])
    rows, cols = ex.data["actions"]
    brute = sorted(
        [rows[i], cols[j]]
        for i, j in itertools.product(range(A.shape[0]), range(A.shape[1]))
        if A[i, j] == A[:, j].max() and B[i, j] == B[i, :].max()
    )
    assert sorted(ex.answer) == brute


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_mixed_2x2_matches_indifference_formula(seed, difficulty):
    ex = make_exercise("nf-mixed-2x2", seed, difficulty)
    A = [[Fraction(int(v)) for v in r] for r in ex.data["A"]]
    B = [[Fraction(int(v)) for v in r] for r in ex.data["B"]]
    q = (A[1][1] - A[0][1]) / (A[0][0] - A[0][1] - A[1][0] + A[1][1])
    p = (B[1][1] - B[1][0]) / (B[0][0] - B[1][0] - B[0][1] + B[1][1])
    assert [Fraction(a) for a in ex.answer] == [p, q]


def test_cli_check_and_sheet(tmp_path, capsys):
    ex = make_exercise("tower-what-falls", 3, 1)
    assert (
        main(
            [
                "exercise",
                "check",
                "tower-what-falls",
                "--seed",
                "3",
                "--answer",
                ", ".join(ex.answer),
            ]
        )
        == 0
    )
    assert main(["exercise", "check", "tower-what-falls", "--seed", "3", "--answer", "none"]) == 1
    assert (
        main(
            [
                "exercise",
                "sheet",
                "--types",
                ",".join(TYPES),
                "--seeds",
                "0-1",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    sheet = (tmp_path / "worksheet.md").read_text()
    solutions = (tmp_path / "solutions.md").read_text()
    assert "### Solution" not in sheet and "### Solution" in solutions
    assert (tmp_path / "solutions.html").read_text().startswith("<!doctype html>")
    assert main(["exercise", "show", "nope"]) == 2
    assert "unknown exercise type" in capsys.readouterr().err


def test_unknown_type_and_bad_seed_errors():
    from jenga_games.errors import JengaError

    with pytest.raises(JengaError, match="jenga exercise list"):
        make_exercise("no-such-type")
    with pytest.raises(JengaError, match="seed"):
        make_exercise(TYPES[0], seed=-1)
    with pytest.raises(JengaError, match="difficulty"):
        make_exercise(TYPES[0], difficulty=4)


def test_checkers_accept_equivalent_forms():
    ex = make_exercise("nf-mixed-2x2", 1, 1)
    p, q = (Fraction(a) for a in ex.answer)
    assert ex.check(f"{float(p):.4f}, {float(q):.4f}").ok
    assert ex.check({"q": str(q), "p": str(p)}).ok
    assert ex.check(f"p = {p}, q = {q}").ok
    _ = Service, Tower


def _shapley_by_permutations(n, v):
    phi = [Fraction(0)] * n
    perms = list(itertools.permutations(range(n)))
    for order in perms:
        mask = 0
        for i in order:
            phi[i] += Fraction(v[mask | (1 << i)]) - Fraction(v[mask])
            mask |= 1 << i
    return [p / len(perms) for p in phi]


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_shapley_exercise_matches_permutations(seed, difficulty):
    ex = make_exercise("coop-shapley", seed, difficulty)
    v = [int(x) for x in ex.data["values"]]
    n = len(ex.data["players"])
    assert [Fraction(a) for a in ex.answer] == _shapley_by_permutations(n, v)


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_core_exercise_matches_brute_force(seed, difficulty):
    ex = make_exercise("coop-core-membership", seed, difficulty)
    v, x = ex.data["values"], ex.data["allocation"]
    n = len(x)
    blocked = any(v[m] > sum(x[i] for i in range(n) if m >> i & 1) for m in range(1, 1 << n))
    assert ex.answer == (not blocked and sum(x) == v[-1])


@settings(max_examples=10)
@given(seed=seeds, difficulty=levels)
def test_nucleolus_exercise_matches_grid_search(seed, difficulty):
    """Lexicographic minimisation of sorted excesses over every allocation on a 1/12 grid."""
    ex = make_exercise("coop-nucleolus-3", seed, difficulty)
    v = np.array(ex.data["values"], dtype=float)
    total = v[-1]
    step = 1 / 12
    a = np.arange(v[1], total + 1e-9, step)
    b = np.arange(v[2], total + 1e-9, step)
    A, B = np.meshgrid(a, b, indexing="ij")
    C = total - A - B
    ok = C >= v[4] - 1e-9
    X = np.stack([A[ok], B[ok], C[ok]], axis=1)
    masks = range(1, 7)
    exc = np.stack([v[m] - X[:, [i for i in range(3) if m >> i & 1]].sum(axis=1) for m in masks], 1)
    exc = -np.sort(-exc, axis=1)  # largest first
    keys = np.round(exc * 12).astype(int)
    best = np.lexsort(keys.T[::-1])[0]
    assert np.allclose(X[best], [float(Fraction(s)) for s in ex.answer])


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_grim_delta_matches_closed_form(seed, difficulty):
    ex = make_exercise("grim-trigger-delta", seed, difficulty)
    d = ex.data
    assert Fraction(ex.answer) == Fraction(d["T"] - d["R"], d["T"] - d["P"])


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_automaton_spe_matches_symbolic_critical_set(seed, difficulty):
    """The numeric one-shot-deviation check agrees with the symbolic set of δ (a second algorithm)."""
    from jenga_games.exercises.catalogue.repeated import STRATEGIES
    from jenga_games.games.repeated import Profile, critical_delta, prisoners_dilemma

    ex = make_exercise("automaton-spe", seed, difficulty)
    d = ex.data
    game = prisoners_dilemma(d["T"], d["R"], d["P"], d["S"])
    prof = Profile(game, [STRATEGIES[s]() for s in d["strategies"]])
    assert ex.answer == bool(critical_delta(prof).contains(Fraction(d["delta"])))


def _pure_iterated_dominance(A, B):
    rows, cols = list(range(A.shape[0])), list(range(A.shape[1]))
    changed = True
    while changed:
        changed = False
        for r in list(rows):
            if any(all(A[o, c] > A[r, c] for c in cols) for o in rows if o != r):
                rows.remove(r)
                changed = True
        for c in list(cols):
            if any(all(B[r, o] > B[r, c] for r in rows) for o in cols if o != c):
                cols.remove(c)
                changed = True
    return rows, cols


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_dominance_matches_brute_force(seed, difficulty):
    """Pure elimination by brute force; mixed elimination can only remove more."""
    ex = make_exercise("nf-dominance", seed, difficulty)
    A, B = np.array(ex.data["A"]), np.array(ex.data["B"])
    rows, cols = _pure_iterated_dominance(A, B)
    names_r, names_c = ex.data["actions"]
    left = ([names_r[r] for r in rows], [names_c[c] for c in cols])
    if ex.data["mixed"]:
        assert ex.answer[0] in left[0] and ex.answer[1] in left[1]
    else:
        assert left == ([ex.answer[0]], [ex.answer[1]])


@settings(max_examples=10)
@given(seed=seeds, difficulty=levels)
def test_safe_set_matches_brute_force(seed, difficulty):
    from jenga_games.exercises.catalogue._common import rng_for, small_tower  # noqa: F401

    ex = make_exercise("tower-safe-set", seed, difficulty)
    eligible = ex.data["eligible"]
    # rebuild the instance's tower through the statement's generator (same rng stream)
    tower = _exercise_tower("tower-safe-set", seed, difficulty)
    best = []
    for size in range(len(eligible), 0, -1):
        for combo in itertools.combinations(eligible, size):
            x = {s: (0.0 if s in combo else 1.0) for s in tower.ids}
            if not reference_cascade(tower, x)[1]:
                best.append(sorted(combo))
        if best:
            break
    assert best == [ex.answer]


def _exercise_tower(name, seed, difficulty):
    """The tower behind a tower exercise, rebuilt from its data (supports and rules from the table)."""
    from jenga_games.exercises.catalogue import thresholds as th

    captured = {}
    original = th.tower_figure

    def spy(tower, outcome=None):
        captured["tower"] = tower
        return original(tower, outcome)

    th.tower_figure = spy
    try:
        make_exercise(name, seed, difficulty)
    finally:
        th.tower_figure = original
    return captured["tower"]


@settings(max_examples=10)
@given(seed=seeds, difficulty=levels)
def test_symbolic_threshold_matches_numeric_scan(seed, difficulty):
    """Scan g on a grid of 1/100 and test the pure equilibrium numerically."""
    import sympy

    ex = make_exercise("nf-symbolic-regions", seed, difficulty)
    g = sympy.Symbol("g", positive=True)
    A = [[sympy.sympify(x, locals={"g": g}) for x in r] for r in ex.data["A"]]
    B = [[sympy.sympify(x, locals={"g": g}) for x in r] for r in ex.data["B"]]
    fA = [[sympy.lambdify(g, x) for x in r] for r in A]
    fB = [[sympy.lambdify(g, x) for x in r] for r in B]
    grid = np.arange(1, 4001) / 100
    ok = [fA[0][0](v) >= fA[1][0](v) - 1e-12 and fB[0][0](v) >= fB[0][1](v) - 1e-12 for v in grid]
    first = grid[int(np.argmax(ok))]
    assert abs(first - float(Fraction(ex.answer))) <= 0.01


@settings(max_examples=20)
@given(seed=seeds, difficulty=levels)
def test_pooling_saving_matches_formula(seed, difficulty):
    from scipy.stats import norm

    ex = make_exercise("risk-pooling-saving", seed, difficulty)
    d = ex.data
    z = norm.ppf(1 - d["overspend_prob"])
    saving = z * d["sd_per_person"] * (sum(np.sqrt(d["lists"])) - np.sqrt(sum(d["lists"])))
    assert abs(saving / 1000 - ex.answer) <= 0.05


@settings(max_examples=6)
@given(seed=seeds, difficulty=st.sampled_from([1, 2]))
def test_jenga_spe_matches_minimax_over_histories(seed, difficulty):
    from jenga_games.games.sequential import JengaGame
    from jenga_games.tower.library import classic_jenga
    from tests.games.sequential._oracle import minimax

    ex = make_exercise("jenga-game-spe", seed, difficulty)
    d = ex.data
    tower = classic_jenga(levels=d["levels"])
    movable = list(d["gains"])
    players = ["North", "South"]
    game = JengaGame(
        tower,
        players,
        eligible={p: movable for p in players},
        gains={p: d["gains"] for p in players},
        collapse_cost=d["collapse_cost"],
    )
    _, path = minimax(game)
    removed = [b for _, b in path if b is not None]
    fell = tower.cascade(removed).fallen
    who = path[-1][0] if fell else "nobody"
    assert ex.answer == who
